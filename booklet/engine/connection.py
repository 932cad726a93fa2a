"""An `http.client` connection to an address booklet has already checked, with a deadline.

`booklet.sandbox.remote` resolves a host and checks that every address is public
before connecting; the connection must then go to that very address, or a second
DNS lookup could lead elsewhere (DNS rebinding). `http.client` has no public way to
say where to connect while keeping the host name for TLS and the `Host` header, so
this sets the connection's `_create_connection` (an attribute every
`HTTPConnection` has had since Python 3.0). No switch: the check depends on it.

A socket timeout bounds each wait, not the request: a server sending its headers a
byte a second never lets one wait time out. So the socket (and, for HTTPS, the TLS
socket, through the public `SSLContext.sslsocket_class`) sets its timeout to what is
left before the deadline at every read and write: connecting, the TLS handshake, the
headers and the body all end by the deadline.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from typing import Any


class _Deadline:
    """A socket whose every read and write waits at most until `deadline`
    (`time.monotonic()`), and fails with TimeoutError after it."""

    deadline: float

    def _until_deadline(self) -> None:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the time limit is over")
        self.settimeout(left)  # type: ignore[attr-defined]

    def recv(self, *args: Any) -> Any:
        self._until_deadline()
        return super().recv(*args)  # type: ignore[misc]

    def recv_into(self, *args: Any) -> Any:
        self._until_deadline()
        return super().recv_into(*args)  # type: ignore[misc]

    def send(self, *args: Any) -> Any:
        self._until_deadline()
        return super().send(*args)  # type: ignore[misc]

    def sendall(self, data: Any, *args: Any) -> None:
        view = memoryview(data).cast("B")
        while view:  # piece by piece, each within what is left
            view = view[self.send(view, *args):]


class _DeadlineSocket(_Deadline, socket.socket):
    pass


class _DeadlineSSLSocket(_Deadline, ssl.SSLSocket):
    pass


def pinned_connection(scheme: str, host: str, port: int, address: str, deadline: float
                      ) -> http.client.HTTPConnection:
    """A connection to `host` (TLS name, `Host` header) that connects to `address`, and
    whose every step ends by `deadline` (`time.monotonic()`)."""
    left = max(0.001, deadline - time.monotonic())
    if scheme == "https":
        context = ssl.create_default_context()
        context.sslsocket_class = type("_Until", (_DeadlineSSLSocket,), {"deadline": deadline})
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            host, port, timeout=left, context=context)
    else:
        connection = http.client.HTTPConnection(host, port, timeout=left)

    def connect_checked(_target, timeout=left, source_address=None):
        plain = socket.create_connection((address, port), max(0.001, deadline - time.monotonic()),
                                         source_address)
        sock = _DeadlineSocket(plain.family, plain.type, plain.proto, fileno=plain.detach())
        sock.deadline = deadline
        sock.settimeout(max(0.001, deadline - time.monotonic()))
        return sock

    connection._create_connection = connect_checked  # type: ignore[attr-defined]
    return connection
