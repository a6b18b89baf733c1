"""Run one file's work under a deadline, in a child process that can be killed.

Why a process: a stuck parser (a zip bomb inflating, a pathological PDF, a regex gone
exponential) never returns and never checks a flag; a thread running it cannot be stopped,
so it would hold the job worker for ever and every job queued behind it would wait. A child
process is killed at the deadline and takes its memory with it.

Why ``fork``: the child starts with the parent's imported modules and loaded models (no
start-up cost per file) and sees the same code (tests replace a parser with one that
sleeps). It runs only the given function, never the graph driver, so no lock or socket
of the parent's other threads is used in it; its result comes back pickled through a pipe.
Where ``fork`` does not exist (Windows) the work runs in-process, without a deadline.
Python 3.12+ warns (DeprecationWarning) about forking a multi-threaded process; the risk it
names, a lock held by another thread at fork time, is confined to the child, which the
deadline then kills like any stuck file.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from govgraph.errors import GovgraphError

__all__ = ["FileTimeout", "WorkerDied", "run_with_deadline"]

T = TypeVar("T")


class FileTimeout(GovgraphError):
    """One file's work ran past its time limit and was stopped."""


class WorkerDied(GovgraphError):
    """The child process working on a file ended without an answer (killed, out of memory)."""


def _child(conn: Connection, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        outcome: tuple[str, Any] = ("ok", fn(*args))
    except BaseException as exc:  # everything goes back to the parent, which decides
        outcome = ("error", exc)
    try:
        conn.send(outcome)
    except (pickle.PicklingError, TypeError, AttributeError):
        failed = outcome[1] if outcome[0] == "error" else None
        what = f"{type(failed).__name__}: {failed}" if failed else "a result that cannot be pickled"
        conn.send(("error", RuntimeError(what)))
    finally:
        conn.close()


def run_with_deadline(fn: Callable[..., T], args: tuple[Any, ...], timeout_s: float) -> T:
    """``fn(*args)`` in a child process; its result, or its exception re-raised here.
    Raises ``FileTimeout`` (the child killed) past ``timeout_s`` seconds."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return fn(*args)
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(sender, fn, args), daemon=True)
    child.start()
    sender.close()  # only the child writes: EOF here when it ends
    try:
        if not receiver.poll(timeout_s):
            child.kill()
            raise FileTimeout(
                f"timed out after {timeout_s:g} s",
                hint="raise GOVGRAPH_FILE_TIMEOUT_S if the file is legitimately slow",
            )
        try:
            status, value = receiver.recv()
        except EOFError:
            child.join(5)
            raise WorkerDied(
                "the worker reading this file stopped without an answer "
                f"(exit code {child.exitcode})"
            ) from None
        except Exception as exc:  # an answer that does not unpickle here
            raise WorkerDied(f"the worker's answer could not be read ({exc})") from exc
    finally:
        receiver.close()
        child.join(5)
        if child.is_alive():
            child.kill()
            child.join()
    if status == "error":
        raise value
    return value  # type: ignore[no-any-return]
