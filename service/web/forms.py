"""What every workbench button's request carries, checked one way: the action against the
ones the button offers (then the API's own body model), and the block htmx swaps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Request
from pydantic import TypeAdapter, ValidationError

from ..problems import ProblemException

__all__ = ["action_body", "swap_target"]


def action_body(model: Any, allowed: Sequence[str], fields: dict[str, Any]) -> Any:
    """``fields`` as the API's body ``model``; an unknown action is named plainly first."""
    action = fields.get("action")
    if action not in allowed:
        raise ProblemException(
            422,
            "Invalid request",
            f"Unknown action {action!r}; use one of: {', '.join(allowed)}.",
        )
    try:
        return TypeAdapter(model).validate_python(fields)
    except ValidationError as exc:
        message = "; ".join(e["msg"] for e in exc.errors())
        raise ProblemException(422, "Invalid request", message) from exc


def swap_target(request: Request, block: str) -> str:
    """The id of the block htmx swaps: it came with the request (HX-Target)."""
    target = request.headers.get("HX-Target", "")
    if not target or len(target) > 100 or not target.replace("-", "").isalnum():
        raise ProblemException(422, "Invalid request", f"The action names no {block}.")
    return target
