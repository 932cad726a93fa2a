"""Witnesses for the hostile-input tests: a local HTTP server that records every request,
and an audit hook that records every file Python opens."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Route:
    """What the server answers on one path."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0


class RecordingServer:
    """An HTTP server on 127.0.0.1 that answers from `routes` and records each request."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the http.server name)
                server.requests.append(self.path)
                route = server.routes.get(self.path, Route(404))
                time.sleep(route.delay)
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in route.headers:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                try:
                    self.wfile.write(route.body)
                except OSError:
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> RecordingServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


_WATCHED: list[set[str]] = []


def _audit(event: str, args: tuple) -> None:
    if event == "open" and _WATCHED and isinstance(args[0], (str, bytes, os.PathLike)):
        name = os.fsdecode(args[0])
        for sink in _WATCHED:
            sink.add(os.path.abspath(name))


sys.addaudithook(_audit)


@contextmanager
def opened_files() -> Iterator[set[str]]:
    """Collect the absolute path of every file Python opens inside the block."""
    sink: set[str] = set()
    _WATCHED.append(sink)
    try:
        yield sink
    finally:
        _WATCHED.remove(sink)


def touched(opened: set[str], *paths: Path | str) -> set[str]:
    """Which of `paths` (as given, and with links followed) were opened."""
    wanted = {os.path.abspath(p) for p in paths} | {os.path.realpath(p) for p in paths}
    return opened & wanted
