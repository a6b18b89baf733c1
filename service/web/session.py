"""Who is looking: the API key, entered once on the login page and kept for the session.

The key travels in a session cookie (no expiry: the browser drops it when it closes), which
is ``HttpOnly`` (no page script can read it) and ``SameSite=Strict`` (no other site can
send it). It is the API key itself, verified on every request exactly as the ``X-API-Key``
header is (``service.auth``, through the same ``KeyCache``): a revoked key stops working
here too, and read vs write scope means the same. With ``--dev-no-auth`` nobody logs in.

Actions also need htmx's ``HX-Request`` header: a cross-site form cannot set it, so a
forged POST fails even in a browser that ignores SameSite.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from govgraph.settings import Settings

from ..auth import ApiKey, KeyCache, Scope
from ..deps import DEV_KEY, SettingsDep, StoreDep
from ..problems import ProblemException

__all__ = [
    "COOKIE",
    "LoginRequired",
    "WebKey",
    "WebWriteKey",
    "cookie_options",
    "key_from_cookie",
    "login_url",
    "safe_next",
]

COOKIE = "govgraph_key"


class LoginRequired(Exception):  # a redirect to the login page, not an error
    """No valid key in the session: the handler sends the browser to the login page."""

    def __init__(self, next_url: str, reason: str = "") -> None:
        super().__init__(reason)
        self.next_url = next_url
        self.reason = reason


def safe_next(url: str | None) -> str:
    """Where to go after logging in: only a workbench path of this site (no open redirect)."""
    if url and url.startswith("/web/") and not url.startswith("//") and "\\" not in url:
        return url
    return "/web/"


def login_url(next_url: str, reason: str = "") -> str:
    url = f"/web/login?next={quote(safe_next(next_url), safe='/')}"
    return url + (f"&reason={quote(reason)}" if reason else "")


def cookie_options(request: Request) -> dict[str, object]:
    return {
        "httponly": True,
        "samesite": "strict",
        "secure": request.url.scheme == "https",
        "path": "/web",
    }


async def key_from_cookie(
    request: Request, settings: Settings, store: object, presented: str | None
) -> ApiKey | None:
    if settings.auth_disabled:
        return DEV_KEY
    if not presented:
        return None
    keys: KeyCache = request.app.state.key_cache
    key = keys.cached(presented)
    if key is None:
        key = await run_in_threadpool(keys.verify, store, presented)  # type: ignore[arg-type]
    return key


def _page_path(request: Request) -> str:
    # For an htmx call, the page it came from (its URL is a fragment, not a page).
    current = request.headers.get("HX-Current-URL")
    if current:
        return "/" + current.split("://", 1)[-1].split("/", 1)[-1]
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


async def _web_key(request: Request, settings: SettingsDep, store: StoreDep) -> ApiKey:
    presented = request.cookies.get(COOKIE)
    key = await key_from_cookie(request, settings, store, presented)
    if key is None:
        reason = "The key is unknown or revoked: log in again." if presented else ""
        raise LoginRequired(_page_path(request), reason)
    if not key.allows(Scope.read):
        raise ProblemException(403, "Forbidden", "This API key lacks the 'read' scope.")
    return key


async def _web_write_key(request: Request, key: Annotated[ApiKey, Depends(_web_key)]) -> ApiKey:
    if request.headers.get("HX-Request") != "true":
        raise ProblemException(
            403, "Forbidden", "Workbench actions are sent by its pages (htmx) only."
        )
    if not key.allows(Scope.write):
        raise ProblemException(
            403,
            "Forbidden",
            "This API key lacks the 'write' scope: it can look, not decide "
            "(govgraph keys create --scope write).",
        )
    return key


WebKey = Annotated[ApiKey, Depends(_web_key)]
WebWriteKey = Annotated[ApiKey, Depends(_web_write_key)]
