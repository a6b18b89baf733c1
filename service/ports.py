"""Is a TCP port free to serve on? Asked before `serve` announces its address.

uvicorn finds a busy port only after the app and the embedded store have started, then
prints a raw ``[Errno 98]`` and exits 3 seconds later; the analyst sees "govgraph API on ..."
first. Binding a probe socket answers in microseconds.
"""

from __future__ import annotations

import socket

from govgraph.errors import GovgraphError

__all__ = ["PortInUse", "ensure_port_free"]


class PortInUse(GovgraphError):
    """The address `serve` was asked to bind is taken (or not ours to bind)."""


def ensure_port_free(host: str, port: int) -> None:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise PortInUse(f"cannot resolve host {host!r}: {exc.strerror}") from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # The same option uvicorn sets, so a port in TIME_WAIT is not reported busy.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise PortInUse(
                # One line: the whole answer is "pick another port".
                f"cannot serve on {host}:{port}: {exc.strerror or exc} (choose another --port)"
            ) from exc
