"""RFC 9457 problem details (``application/problem+json``) for every error the API returns."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from govgraph import errors

__all__ = ["PROBLEM_SCHEMA", "ProblemException", "install_problem_handlers", "problem"]

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

# Which HTTP status each govgraph error means for an API client.
STATUS_OF: list[tuple[type[errors.GovgraphError], int]] = [
    (errors.NotFound, 404),
    (errors.Conflict, 409),
    (errors.FileTooLarge, 413),
    (errors.UnsupportedFormat, 415),
    (errors.IngestError, 422),
    (errors.ConstraintViolation, 409),
    (errors.WriteError, 422),
    (errors.StoreUnavailable, 503),
    (errors.StoreStartError, 503),
    (errors.ConfigError, 500),
    (errors.GovgraphError, 500),
]


PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details.",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "hint": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "loc": {
                        "type": "array",
                        "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                    },
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
}

# Error statuses every operation of a kind can answer with, and why.
_AUTH_ERRORS = {
    "401": "No API key, or an unknown or revoked one",
    "403": "The API key lacks the scope this operation needs",
    "503": "The graph store is unreachable",
}
_NOT_FOUND = {"404": "Nothing with this id"}


class ProblemException(Exception):
    """Raise from a route to answer with a problem body."""

    def __init__(self, status: int, title: str, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.extra = status, title, detail, extra


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    out = dict(headers or {})
    if status == 401:
        out.setdefault("WWW-Authenticate", "ApiKey")
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=out or None)


def install_problem_handlers(app: FastAPI) -> None:
    _document_problems(app)

    @app.exception_handler(ProblemException)
    async def _problem(request: Request, exc: ProblemException) -> JSONResponse:
        return problem(exc.status, exc.title, exc.detail, **exc.extra)

    @app.exception_handler(errors.GovgraphError)
    async def _govgraph(request: Request, exc: errors.GovgraphError) -> JSONResponse:
        status = next(code for cls, code in STATUS_OF if isinstance(exc, cls))
        if status >= 500:
            log.error("%s on %s: %s", type(exc).__name__, request.url.path, exc)
        if exc.hint:
            return problem(status, type(exc).__name__, exc.message, hint=exc.hint)
        return problem(status, type(exc).__name__, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Keep the exception's headers: a 405 must say which methods are allowed (RFC 9110
        # requires ``Allow``), a 401 from a security scheme its challenge.
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed_methods(request)
        return problem(exc.status_code, _title(exc.status_code), str(exc.detail), headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        issues = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return problem(422, "Invalid request", "Some parameters are invalid.", errors=issues)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return problem(
            500, "Internal Server Error", "An unexpected error occurred; see the server log."
        )


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _allowed_methods(request: Request) -> str:
    """Every method the path answers to.

    Starlette's own 405 lists only the first route matching the path, but FastAPI registers
    GET and POST of one path as separate routes. Probing each method through the public
    ``matches`` API also sees routes inside included routers (whatever their internal shape).
    """
    allowed = [
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL
            for route in request.app.router.routes
        )
    ]
    return ", ".join(allowed)


def _document_problems(app: FastAPI) -> None:
    """Make the OpenAPI document say what the handlers above really send.

    FastAPI documents its 422 as ``application/json`` ``HTTPValidationError`` and knows nothing
    of 401/403/404; clients (and schemathesis's conformance checks) would be told a lie.
    Every error response is documented as ``application/problem+json`` with one schema.
    """
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = build()  # FastAPI caches it in app.openapi_schema; we edit it in place
        spec.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        content = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for path, operations in spec.get("paths", {}).items():
            for op in operations.values():
                responses = op.setdefault("responses", {})
                added = dict(_AUTH_ERRORS) if op.get("security") else {}
                if "{" in path:
                    added.update(_NOT_FOUND)
                for code, description in added.items():
                    responses.setdefault(code, {"description": description})
                for code, response in responses.items():
                    if code[:1] in {"4", "5"}:
                        response["content"] = content
        unused = "HTTPValidationError", "ValidationError"
        if "HTTPValidationError" not in str(spec.get("paths")):
            for name in unused:
                spec["components"]["schemas"].pop(name, None)
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
