"""Start-up times an analyst waits for, each measured in a fresh process, several runs each.

1. ``govgraph --version``: the CLI's import cost (what every command pays first);
2. ``import service.app``: the API's modules (FastAPI, pydantic models, the analysis);
3. the embedded store from nothing to ``RETURN 1`` over Bolt, on a new data dir (JVM start,
   ArcadeDB, its Bolt plugin, the database created);
4. the app's lifespan on a running store (migrations checked, supervisor, job runner), in a
   TestClient, i.e. what a test or a restart of ``serve`` beside a running store costs;
5. ``govgraph serve`` from the command line to ``/readyz`` 200, store included.

The spaCy models are not part of any of these: they load on the first ingestion job.

    python bench/startup.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
GOVGRAPH = str(Path(PY).with_name("govgraph"))


def _timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=REPO)
    return time.perf_counter() - t0


def _python(code: str, env: dict[str, str] | None = None) -> float:
    """Seconds the snippet reports for itself (its own perf_counter), in a fresh interpreter."""
    out = subprocess.run(
        [PY, "-c", code], check=True, capture_output=True, text=True, env=env, cwd=REPO
    )
    return float(out.stdout.strip().splitlines()[-1])


STORE = """
import time, sys
from pathlib import Path
from graph_schema.embedded import EmbeddedServer
s = EmbeddedServer(Path(sys.argv[1] if len(sys.argv) > 1 else {data!r}))
t0 = time.perf_counter()
s.ensure_running()
dt = time.perf_counter() - t0
s.stop()
print(dt)
"""

LIFESPAN = """
import time
from pathlib import Path
from fastapi.testclient import TestClient
from govgraph.settings import Settings
from graph_schema.embedded import EmbeddedServer
from graph_schema.store import open_store
from service.app import create_app
data = Path({data!r})
server = EmbeddedServer(data)
server.ensure_running()
cfg = Settings(_env_file=None, data_dir=data)
store = open_store(cfg, server=server)
t0 = time.perf_counter()
with TestClient(create_app(cfg, store=store)) as client:
    assert client.get("/healthz").status_code == 200
    dt = time.perf_counter() - t0
store.close()
server.stop()
print(dt)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve_to_ready(data: Path) -> float:
    port = _free_port()
    env = {**os.environ, "GOVGRAPH_DATA_DIR": str(data), "GOVGRAPH_WARM_ANSWERS": "false"}
    env.pop("NEO4J_URI", None)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [GOVGRAPH, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=REPO,
    )
    try:
        while time.perf_counter() - t0 < 180:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                    if r.status == 200:
                        return time.perf_counter() - t0
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("serve did not become ready in 180 s")
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows: dict[str, list[float]] = {}
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="govgraph-startup-") as tmp:
            root = Path(tmp)
            rows.setdefault("govgraph --version (CLI import)", []).append(
                _timed([GOVGRAPH, "--version"])
            )
            rows.setdefault("import service.app", []).append(
                _python(
                    "import time; t0 = time.perf_counter(); import service.app; "
                    "print(time.perf_counter() - t0)"
                )
            )
            rows.setdefault("embedded store, new data dir, to RETURN 1", []).append(
                _python(STORE.format(data=str(root / "fresh")))
            )
            rows.setdefault("embedded store, existing data dir", []).append(
                _python(STORE.format(data=str(root / "fresh")))
            )
            rows.setdefault("app lifespan on a running store (TestClient)", []).append(
                _python(LIFESPAN.format(data=str(root / "fresh")))
            )
            rows.setdefault("govgraph serve to /readyz 200 (store included)", []).append(
                _serve_to_ready(root / "serve")
            )
    print(f"| step ({args.runs} runs, fresh process each) | median s | min s | max s |")
    print("|---|---:|---:|---:|")
    for name, xs in rows.items():
        print(f"| {name} | {statistics.median(xs):.2f} | {min(xs):.2f} | {max(xs):.2f} |")


if __name__ == "__main__":
    main()
