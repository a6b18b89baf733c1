"""Template rendering shared by the workbench's pages: the context every page needs."""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import BeforeValidator

from ..auth import ApiKey, Scope
from ..deps import DEV_KEY
from .assets import ASSETS, INSTALL_HINT, WEB_DIR, missing_assets

__all__ = ["Blank", "actor_url", "gap_url", "level_colours", "passage_url", "render"]


def _blank_is_none(value: object) -> object:
    return None if value == "" else value


# A filter form sends every select, the "any" choice as an empty value: that is no filter.
Blank = BeforeValidator(_blank_is_none)

templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))


def actor_url(actor_id: str) -> str:
    # Ids hold ':' and may hold '/': quoted, and read back through a ':path' route.
    return "/web/actors/" + quote(actor_id, safe="")


def gap_url(gap_id: str) -> str:
    return "/web/gaps/" + quote(gap_id, safe="")


def passage_url(evidence: Any) -> str:
    """The passage a quote comes from, in its document, the quote's span highlighted."""
    get = evidence.get if isinstance(evidence, dict) else lambda k: getattr(evidence, k)
    params = urlencode(
        {"passage": get("passage_id"), "start": get("char_start"), "end": get("char_end")}
    )
    return f"/web/documents/{quote(str(get('document_id')), safe='')}?{params}#quoted"


@cache
def level_colours() -> dict[str, str]:
    # The report's palette (colour-blind safe), so a level looks the same everywhere; read
    # on first use because reporting imports matplotlib.
    from reporting.figure import LEVEL_COLOURS

    return dict(LEVEL_COLOURS)


def render(
    request: Request,
    name: str,
    key: ApiKey | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    base = {
        "key": key,
        "key_name": "" if key is None else ("no login (dev)" if key == DEV_KEY else key.name),
        "can_write": key is not None and key.allows(Scope.write),
        "auth_disabled": key == DEV_KEY,
        "assets": ASSETS,
        "missing": missing_assets(),
        "install_hint": INSTALL_HINT,
        "actor_url": actor_url,
        "gap_url": gap_url,
        "passage_url": passage_url,
        "level_colours": level_colours(),
    }
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code)
