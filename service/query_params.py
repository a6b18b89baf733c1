"""Refuse a single-value query parameter given more than once (``?limit=5&limit=500``).

FastAPI silently takes the last value; the OpenAPI document says the parameter is one
value, so the repeated form is not a request the API defines, and an analyst who sent two
themes would get an answer about one without being told. Parameters declared as lists
(``kind=a&kind=b``) are untouched. Used as a router dependency by every route module.
"""

from __future__ import annotations

import types
from collections import Counter
from typing import Annotated, Any, Union, get_args, get_origin

from fastapi import Request
from fastapi.dependencies.models import Dependant

from .problems import ProblemException

__all__ = ["single_valued_query"]

# Per route object: the names of its single-value query parameters (computed once).
_SINGLE: dict[int, frozenset[str]] = {}


def _is_sequence(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return any(_is_sequence(arg) for arg in get_args(annotation))
    if origin is Annotated:
        return _is_sequence(get_args(annotation)[0])
    return (origin or annotation) in (list, tuple, set, frozenset)


def _single_valued(dependant: Dependant) -> frozenset[str]:
    names: set[str] = set()
    todo = [dependant]
    while todo:
        current = todo.pop()
        for field in current.query_params:
            if not _is_sequence(field.field_info.annotation):
                names.add(field.alias)
        todo.extend(current.dependencies)
    return frozenset(names)


def single_valued_query(request: Request) -> None:
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None or not request.query_params:
        return
    single = _SINGLE.get(id(route))
    if single is None:
        single = _SINGLE[id(route)] = _single_valued(dependant)
    counts = Counter(name for name, _ in request.query_params.multi_items())
    repeated = sorted(name for name, n in counts.items() if n > 1 and name in single)
    if repeated:
        raise ProblemException(
            422,
            "Invalid request",
            "These query parameters take one value but were given several: "
            + ", ".join(f"`{name}`" for name in repeated)
            + ".",
        )
