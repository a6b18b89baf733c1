"""API docs served from assets govgraph ships: Swagger UI at /docs and ReDoc at /redoc.

FastAPI's default pages load Swagger UI and ReDoc from a CDN, a blank page offline (the
pilots' field machines often are). The wheel ``fastapi-standalone-docs`` bundles both
builds (MIT); govgraph serves its static files and renders the two pages with FastAPI's own
helpers. Its ``StandaloneDocs`` class is not used: it patches FastAPI module globals, and
serving the files ourselves is three lines. Google Fonts stay off: nothing leaves the host.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_standalone_docs
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["ASSETS_PREFIX", "install_docs"]

ASSETS_PREFIX = "/docs-assets"
_STATIC = Path(fastapi_standalone_docs.__path__[0]) / "static"


def install_docs(app: FastAPI) -> None:
    """/docs and /redoc from local assets (/ redirects to the workbench: service/web)."""
    app.mount(ASSETS_PREFIX, StaticFiles(directory=str(_STATIC)), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"
    favicon = f"{ASSETS_PREFIX}/fastapi/favicon.png"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} - API docs",
            swagger_js_url=f"{ASSETS_PREFIX}/swagger/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_PREFIX}/swagger/swagger-ui.css",
            swagger_favicon_url=favicon,
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title=f"{app.title} - API reference",
            redoc_js_url=f"{ASSETS_PREFIX}/redoc/redoc.standalone.js",
            redoc_favicon_url=favicon,
            with_google_fonts=False,
        )
