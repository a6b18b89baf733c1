"""Run the API under uvicorn so that any stop signal is a clean stop (issue 12).

uvicorn handles SIGINT and SIGTERM itself: it shuts the app down (the lifespan closes the
store), puts back the handlers it found, and raises the signal again. With the default
SIGTERM disposition that second delivery killed the process before ``atexit`` could stop
the embedded ArcadeDB it owns, leaving a ~190 MB java process and its lock file behind.
SIGHUP (a closed terminal, some supervisors) was not handled at all.

So before uvicorn starts we install handlers for the three signals that uvicorn then
replaces (SIGINT, SIGTERM) or leaves to us (SIGHUP). Ours only ask uvicorn to shut down and
remember the signal; when uvicorn re-raises one after its shutdown it reaches ours, not the
default, and ``serve`` returns normally: the embedded server's owner stops it at exit.
"""

from __future__ import annotations

import signal
from types import FrameType
from typing import Annotated, Any

import typer

from govgraph.errors import GovgraphError
from service.cli import _fail, _settings, app, console, err_console

__all__ = ["STOP_SIGNALS", "serve_command", "serve_until_stopped"]

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def serve_until_stopped(app: Any, *, host: str, port: int, log_level: str = "info") -> int | None:
    """Serve ``app`` until a stop signal; the number of the signal that stopped it, if any.

    Must run in the main thread (signal handlers can only be installed there).
    """
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level=log_level))
    received: list[int] = []

    def request_stop(signum: int, frame: FrameType | None) -> None:
        received.append(signum)
        # Before uvicorn runs, or after its shutdown (the re-raise), this is a plain flag;
        # while it runs, SIGHUP arrives here only and takes uvicorn's graceful path.
        server.handle_exit(signum, frame)

    previous = {sig: signal.signal(sig, request_stop) for sig in STOP_SIGNALS}
    try:
        server.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return received[0] if received else None


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    dev_no_auth: Annotated[
        bool,
        typer.Option(
            "--dev-no-auth",
            help="Development only: serve without API keys. Never on a shared network.",
        ),
    ] = False,
) -> None:
    """Serve the HTTP API (embedded store unless NEO4J_URI is set).

    SIGTERM, SIGINT and SIGHUP each stop it cleanly, with the embedded store it started.
    """
    from service.app import create_app
    from service.ports import ensure_port_free

    try:
        ensure_port_free(host, port)  # before anything starts or is announced
    except GovgraphError as exc:
        raise _fail(exc) from exc
    settings = _settings()
    if dev_no_auth:
        settings = settings.model_copy(update={"auth_disabled": True})
        err_console.print("[yellow]warning:[/] authentication is OFF (--dev-no-auth)")
    try:
        api = create_app(settings)
        console.print(
            f"govgraph API on http://{host}:{port}  (workbench: http://{host}:{port}/web/,"
            f" docs: http://{host}:{port}/docs)"
        )
        stopped_by = serve_until_stopped(api, host=host, port=port)
    except GovgraphError as exc:
        raise _fail(exc) from exc
    if stopped_by is not None:
        console.print(f"govgraph API stopped ({signal.Signals(stopped_by).name})")
