"""An `http.client` connection to an address booklet has already checked.

`booklet.sandbox.remote` resolves a host and checks that every address is public
before connecting; the connection must then go to that very address, or a second
DNS lookup could lead elsewhere (DNS rebinding). `http.client` has no public way to
say where to connect while keeping the host name for TLS and the `Host` header, so
this sets the connection's `_create_connection` (an attribute every
`HTTPConnection` has had since Python 3.0). No switch: the check depends on it.
"""

from __future__ import annotations

import http.client
import socket


def pinned_connection(scheme: str, host: str, port: int, address: str, timeout: float
                      ) -> http.client.HTTPConnection:
    """A connection to `host` (TLS name, `Host` header) that connects to `address`."""
    cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    connection = cls(host, port, timeout=timeout)

    def connect_checked(_target, timeout=timeout, source_address=None):
        return socket.create_connection((address, port), timeout, source_address)

    connection._create_connection = connect_checked  # type: ignore[attr-defined]
    return connection
