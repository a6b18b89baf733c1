"""API docs served from assets govgraph ships: Swagger UI from the swagger-ui-bundle wheel.

FastAPI's default /docs loads Swagger UI from a CDN, a blank page offline (the pilots' field
machines often are). ReDoc ships no Python wheel, so /redoc is not served (see README).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

__all__ = ["ASSETS_PREFIX", "install_docs"]

ASSETS_PREFIX = "/docs-assets"


def install_docs(app: FastAPI) -> None:
    """/docs from local assets, / redirecting to it (a later workbench may take /)."""
    app.mount(ASSETS_PREFIX, StaticFiles(directory=str(swagger_ui_path)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} - API docs",
            swagger_js_url=f"{ASSETS_PREFIX}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_PREFIX}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_PREFIX}/favicon-32x32.png",
        )

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")
