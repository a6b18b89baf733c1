"""What the embedded server needs from the operating system: free ports, whether a pid is
still the process a lock recorded (from /proc), owner-only file modes, a log's last lines.

Kept apart from ``embedded`` so that module reads as the server's life cycle.
"""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path

__all__: list[str] = []  # private helpers of graph_schema.embedded


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_free(port: int) -> bool:
    if not 0 < port < 65536:
        return False
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        # as the server binds: connections of a killed server in TIME_WAIT do not block it
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child (exited, not yet reaped) still answers kill(0); it is not alive.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def _start_time(pid: int) -> int | None:
    """The process's start time (clock ticks since boot, /proc/PID/stat field 22), or None
    where there is no procfs. A pid plus its start time names one process: a pid alone is
    reused by the kernel, after a kill -9 and certainly after a reboot."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def _same_process(pid: int, started: object) -> bool:
    """``pid`` is alive and still the process a lock recorded (when the lock says when it
    started: older locks do not)."""
    if not _pid_alive(pid):
        return False
    return started is None or _start_time(pid) in (None, started)


def _serves_dir(pid: int, data_dir: Path) -> bool:
    """``pid`` is an ArcadeDB server started on ``data_dir`` (its java command line says so).

    Without procfs we cannot tell and keep trusting the pid, as before."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except FileNotFoundError:
        return not Path("/proc/self").exists()
    except OSError:  # another user's process: not a server we started
        return False
    return (
        b"com.arcadedb.server.ArcadeDBServer" in args
        and f"-Darcadedb.server.rootPath={data_dir}".encode() in args
    )


def _tighten(root: Path) -> None:
    """Make the data directory owner-only: folders 0700, files 0600.

    The directory holds the graph (interview passages), API key hashes and the store's
    credentials; an existing directory made 0755 by an older version is tightened too.
    """
    os.chmod(root, 0o700)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames:
            path = Path(dirpath) / name
            if not path.is_symlink():
                os.chmod(path, 0o700)
        for name in filenames:
            path = Path(dirpath) / name
            if not path.is_symlink():
                with contextlib.suppress(FileNotFoundError):  # a file the server just removed
                    os.chmod(path, 0o600)


def _tail(path: Path, lines: int = 25) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no server log)"
    return "\n".join(text.splitlines()[-lines:])
