"""Typed FastAPI dependencies: settings, store, job runner, and scope checks.

Everything here is built in the app's lifespan and kept on ``app.state``; nothing is created
at import time, and tests can inject their own store.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from govgraph.settings import Settings
from graph_schema.store import GraphStore

from .auth import ApiKey, Scope, verify_api_key
from .jobs import JobRunner
from .problems import ProblemException

__all__ = ["JobsDep", "ReadKey", "SettingsDep", "StoreDep", "WriteKey"]


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


def get_jobs(request: Request) -> JobRunner:
    jobs: JobRunner = request.app.state.jobs
    return jobs


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
JobsDep = Annotated[JobRunner, Depends(get_jobs)]

_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="govgraph API key")
_bearer = HTTPBearer(auto_error=False, description="govgraph API key as a bearer token")

DEV_KEY = ApiKey(id="dev", name="auth disabled (dev flag)", prefix="dev", scopes=frozenset(Scope))


def _authenticate(
    settings: SettingsDep,
    store: StoreDep,
    header_key: Annotated[str | None, Depends(_api_key_header)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ApiKey:
    if settings.auth_disabled:
        return DEV_KEY
    presented = header_key or (bearer.credentials if bearer else None)
    if not presented:
        raise ProblemException(
            401, "Unauthorized", "Send an API key in the X-API-Key header (govgraph keys create)."
        )
    key = verify_api_key(store, presented)
    if key is None:
        raise ProblemException(401, "Unauthorized", "The API key is unknown or revoked.")
    return key


def _require(scope: Scope):  # type: ignore[no-untyped-def]
    def check(key: Annotated[ApiKey, Depends(_authenticate)]) -> ApiKey:
        if not key.allows(scope):
            raise ProblemException(
                403, "Forbidden", f"This API key lacks the '{scope.value}' scope."
            )
        return key

    return check


ReadKey = Annotated[ApiKey, Depends(_require(Scope.read))]
WriteKey = Annotated[ApiKey, Depends(_require(Scope.write))]
