"""Logging in and out of the workbench (see session.py for how the key is kept)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..auth import Scope
from ..deps import SettingsDep, StoreDep
from .render import render
from .session import COOKIE, cookie_options, key_from_cookie, safe_next

__all__ = ["router"]

router = APIRouter(prefix="/web", include_in_schema=False)

Next = Annotated[str, Query(max_length=2000)]


@router.get("/login", response_class=HTMLResponse)
async def login_page(
    request: Request, settings: SettingsDep, next: Next = "/web/", reason: Next = ""
) -> Response:
    if settings.auth_disabled:  # nobody logs in when the API asks for no key
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", None, next=safe_next(next), error=reason)


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    key: Annotated[str, Form(max_length=500)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/web/",
) -> Response:
    presented = key.strip()
    found = await key_from_cookie(request, settings, store, presented)
    if found is None or not found.allows(Scope.read):
        error = "Enter an API key." if not presented else "That API key is unknown or revoked."
        return render(request, "login.html", None, 401, next=safe_next(next), error=error)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(COOKIE, presented, **cookie_options(request))  # type: ignore[arg-type]
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    response = RedirectResponse("/web/login", status_code=303)
    response.delete_cookie(COOKIE, **cookie_options(request))  # type: ignore[arg-type]
    return response
