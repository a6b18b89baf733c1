"""The review workbench at /web/: server-rendered pages (Jinja2) with htmx for the actions
and Cytoscape.js for the network, all assets served by govgraph (works offline)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from .assets import mount_assets
from .session import LoginRequired, login_url

__all__ = ["install_web"]


def install_web(app: FastAPI) -> None:
    """The workbench's routes and assets, and / redirecting to it."""
    from . import actions, corrections, identity, login, network, pages, passages, queue

    mount_assets(app)

    @app.exception_handler(LoginRequired)
    async def _to_login(request: Request, exc: LoginRequired) -> Response:
        target = login_url(exc.next_url, exc.reason)
        if request.headers.get("HX-Request") == "true":
            # htmx follows HX-Redirect with a full page load; a 303 would be swapped in.
            return Response(status_code=401, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/web/")

    for module in (login, actions, corrections, identity, network, queue, pages, passages):
        app.include_router(module.router)
