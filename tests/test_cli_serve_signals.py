"""``govgraph serve`` stopped by a signal leaves no embedded ArcadeDB behind (issue 12).

systemd and docker stop with SIGTERM, a closed terminal sends SIGHUP, Ctrl-C is SIGINT: each
must stop the java child the serve process started and remove its lock file. Each case runs
the real command in a subprocess on its own data directory and a free port.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from graph_schema.embedded import LOCK_FILE, _pid_alive

REPO_ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(proc: subprocess.Popen[bytes], port: int, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited early ({proc.returncode})")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("serve never answered /healthz")


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return True
        time.sleep(0.2)
    return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_cli_serve_signal_stops_the_embedded_store(tmp_path: Path, signum: int) -> None:
    data_dir = tmp_path / "data"
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "GOVGRAPH_"))},
        "GOVGRAPH_DATA_DIR": str(data_dir),
        "GOVGRAPH_WARM_ANSWERS": "false",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--port", str(port), "--dev-no-auth"],
        cwd=tmp_path,  # no .env of the checkout
        env={**env, "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        # Its own session, as under a supervisor: the signal reaches serve only, never the
        # java child directly (which has its own session anyway).
        start_new_session=True,
    )
    java_pid = None
    try:
        _wait_healthy(proc, port)
        lock = json.loads((data_dir / LOCK_FILE).read_text())
        java_pid = int(lock["server_pid"])
        assert lock["owner_pid"] == proc.pid and _pid_alive(java_pid)
        os.kill(proc.pid, signum)
        output = proc.communicate(timeout=30)[0].decode(errors="replace")
        assert _wait_gone(java_pid, 20.0), f"java {java_pid} still running after serve exited"
        assert not (data_dir / LOCK_FILE).exists()
        # A requested stop is a clean stop, whichever signal asked for it.
        assert proc.returncode == 0, output
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        if java_pid is not None and _pid_alive(java_pid):
            os.kill(java_pid, signal.SIGKILL)
