"""RFC 9457 problem details (``application/problem+json``) for every error the API returns."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from govgraph import errors

__all__ = ["ProblemException", "install_problem_handlers", "problem"]

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

# Which HTTP status each govgraph error means for an API client.
STATUS_OF: list[tuple[type[errors.GovgraphError], int]] = [
    (errors.NotFound, 404),
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


class ProblemException(Exception):
    """Raise from a route to answer with a problem body."""

    def __init__(self, status: int, title: str, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.extra = status, title, detail, extra


def problem(status: int, title: str, detail: str | None = None, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    headers = {"WWW-Authenticate": "ApiKey"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemException)
    async def _problem(request: Request, exc: ProblemException) -> JSONResponse:
        return problem(exc.status, exc.title, exc.detail, **exc.extra)

    @app.exception_handler(errors.GovgraphError)
    async def _govgraph(request: Request, exc: errors.GovgraphError) -> JSONResponse:
        status = next(code for cls, code in STATUS_OF if isinstance(exc, cls))
        if status >= 500:
            log.error("%s on %s: %s", type(exc).__name__, request.url.path, exc)
        extra = {"hint": exc.hint} if exc.hint else {}
        return problem(status, type(exc).__name__, exc.message, **extra)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(exc.status_code, _title(exc.status_code), str(exc.detail))

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


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
