"""The FastAPI application factory.

Settings, the store and the job runner are built in the lifespan (never at import), so the
same code serves the embedded store, a Neo4j server, and tests that inject their own store.
Routes are sync ``def`` functions: the neo4j driver is synchronous, and FastAPI runs sync
routes in its thread pool, so nothing blocks the event loop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from govgraph import __version__
from govgraph.settings import Settings
from graph_schema.migrations import apply_migrations
from graph_schema.store import GraphStore, open_store
from graph_schema.supervisor import StoreSupervisor
from graph_schema.view import AnalyticView

from .auth import KeyCache
from .deps import AnswerCache
from .docs_assets import install_docs
from .jobs import JobRunner
from .problems import install_problem_handlers
from .routes import (
    candidates,
    catalog,
    decisions,
    documents,
    exports,
    gaps,
    health,
    merges,
    reports,
    review,
)
from .web import install_web

__all__ = ["create_app"]

DESCRIPTION = """
govgraph answers **where coordination is missing** between local government, national
government, non-state actors and international organisations, from the policy documents and
interview transcripts of an urban safety governance assessment.

Authenticate with an API key (`govgraph keys create`) in the `X-API-Key` header. Errors are
`application/problem+json`.
"""


def create_app(settings: Settings | None = None, *, store: GraphStore | None = None) -> FastAPI:
    """Build the app. ``store`` injects an open store (tests); otherwise one is opened."""
    cfg = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        graph = store or open_store(cfg)
        apply_migrations(graph)
        # /readyz answers from it; it restarts the embedded server if that dies
        supervisor = StoreSupervisor(graph)
        supervisor.start()
        app.state.supervisor = supervisor
        # The facts the analysis answers from, in memory: loaded in the background from
        # here (a request meanwhile waits for it), then kept current by this process's
        # writes (jobs, deletions, merge undos) and by the graph version (anyone's).
        view = AnalyticView(graph)
        view.start_loading()
        jobs = JobRunner(graph, cfg, on_graph_change=view.refresh)
        jobs.start()
        app.state.settings, app.state.store, app.state.jobs = cfg, graph, jobs
        app.state.view = view
        try:
            yield
        finally:
            supervisor.stop()  # first: a server stopped at shutdown must not be restarted
            jobs.stop()
            view.close()  # a start-up load still reading finishes before the store closes
            if store is None:  # we opened it, we close it
                graph.close()

    app = FastAPI(
        title="govgraph",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        # FastAPI's own pages load from a CDN; install_docs serves shipped assets instead.
        docs_url=None,
        redoc_url=None,
        # No 307 from "/x/" to "/x": an id ending in (or holding) an encoded "/" must be a 404
        # for that id, never a redirect to another resource.
        redirect_slashes=False,
        openapi_tags=[
            {"name": "documents", "description": "Upload, ingestion jobs, documents"},
            {"name": "graph", "description": "Actors, policies, programmes, themes"},
            {"name": "merges", "description": "The entity-merge ledger, and undoing a merge"},
            {"name": "analysis", "description": "Coordination gaps and network metrics"},
            {
                "name": "review",
                "description": "The analyst's review: what most needs a look, decisions "
                "(accept, reject, edit, validate) and their audit list, undo",
            },
            {"name": "health", "description": "Liveness and readiness"},
        ],
    )
    if cfg.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=cfg.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["X-API-Key", "Authorization", "Content-Type"],
        )
    app.state.key_cache = KeyCache(ttl=cfg.api_key_cache_seconds)
    app.state.answer_cache = AnswerCache()
    app.state.subgraph_cache = AnswerCache(max_entries=2)
    install_problem_handlers(app)
    install_docs(app)
    routers = (health, documents, decisions, review, candidates, catalog, merges, gaps, reports)
    for module in (*routers, exports):
        app.include_router(module.router)
    install_web(app)  # the review workbench at /web/ (and / redirecting there)
    return app
