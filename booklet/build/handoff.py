"""`booklet build` handing its work to a `booklet watch` already running for the project.

A watch process has WeasyPrint imported, its templates compiled, its fonts prepared
and the sections of the booklets being edited laid out; a new build process spends
most of its time getting that far. So `booklet watch` listens on a local socket,
`.cache/booklet/watch.sock` in the project (its file readable and writable by its
user only, and each end checks that the other runs as the same user), and `booklet
build` tries it first. If a watch of the same project answers (the same folder, the
same booklet code, libraries, engine switch and `SOURCE_DATE_EPOCH`, the same config
file and theme), the build sends it the booklet folders and options and prints what
comes back, the lines a build of its own would print; the files are those it would
write, byte for byte (the watch builds them with the request's options). A stale
socket (a watch that was killed) is refused at once. Otherwise (no socket,
a refusal, no answer within `ANSWER_WITHIN` seconds, a watch that goes away) the
build does the work itself. Nothing is ever started in the background for this: only
a `booklet watch` someone started listens. The watch renders what it is handed as it
renders a save: in its rendering process, held to the budget.

Messages are lines of JSON: the request, then `accepted` (or a refusal), an outcome
per booklet as each is done, and `done` (or the project's problems).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import fields, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BookletError, Problem
from ..options import BuildOptions
from .outputs import Outcome

if TYPE_CHECKING:
    import socket

    from .watch import Watcher

#: The socket a watch listens on, relative to the project folder.
SOCKET = Path(".cache") / "booklet" / "watch.sock"
#: Seconds a build waits for a watch to take its request: an idle watch answers
#: within `POLL_MS`; one busy rebuilding does not, and the build then runs by itself.
ANSWER_WITHIN = 0.5
#: How often a waiting watch looks for a build to take over (milliseconds).
POLL_MS = 50
PROTOCOL = 1
#: Options that are paths (sent as absolute paths).
_PATHS = ("out", "theme", "config")


def hand_over(folders: list[Path], options: BuildOptions,
              on_done: Callable[[Outcome], None]) -> list[Outcome] | None:
    """Have a running watch of this project build `folders`; its outcomes, or None
    when there is none to take the work (the caller builds)."""
    if not SOCKET.exists():  # the usual case, and the quick one: no watch
        return None
    connection = _connect()  # first: a socket left by a killed watch refuses at once
    if connection is None:
        return None
    with connection:
        request = _request(folders, options)
        if request is None:
            return None
        try:
            connection.sendall(_line(request))
            lines = _lines(connection)
            if not next(lines, {}).get("accepted"):
                return None
            connection.settimeout(None)  # building: as long as it takes
            outcomes = []
            for message in lines:
                if "outcome" in message:
                    outcomes.append(_outcome(message["outcome"]))
                    on_done(outcomes[-1])
                elif "problems" in message:
                    raise BookletError(*(Problem(_path(p), line, text)
                                         for p, line, text in message["problems"]))
                elif message.get("done"):
                    return outcomes
        except (OSError, ValueError):
            pass
    # The watch went away before it finished: what it wrote is whole (files are
    # renamed into place), and a build of our own brings the rest up to date.
    return None


class Server:
    """The listening end, in a `booklet watch` process; polled between saves."""

    def __init__(self, listener: socket.socket, watcher: Watcher) -> None:
        self.listener = listener
        self.watcher = watcher
        self.environment = environment(watcher.options)
        self.folder = Path.cwd()

    @classmethod
    def open(cls, watcher: Watcher) -> Server | None:
        """Listen for builds of this project, unless that cannot be done here or
        another watch already listens."""
        if not _supported() or len(os.fsencode(SOCKET)) > 100:
            return None
        if (other := _connect(timeout=1.0)) is not None:
            other.close()  # another watch of this project answers
            return None
        import socket

        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            SOCKET.parent.mkdir(parents=True, exist_ok=True)
            SOCKET.unlink(missing_ok=True)  # left by a watch that was killed
            mask = os.umask(0o177)  # the socket file: this user's only
            try:
                listener.bind(str(SOCKET))
            finally:
                os.umask(mask)
            listener.listen(8)
            listener.setblocking(False)
        except OSError:
            listener.close()
            return None
        return cls(listener, watcher)

    def poll(self) -> int:
        """Serve every build waiting to be taken, one after the other; how many."""
        served = 0
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:  # none waiting (BlockingIOError), or the socket is gone
                return served
            served += 1
            with connection:
                connection.setblocking(True)
                connection.settimeout(ANSWER_WITHIN)
                try:
                    self._serve(connection)
                except (OSError, ValueError, KeyError, TypeError):
                    pass  # a client that left or spoke wrongly: it builds by itself

    def close(self) -> None:
        self.listener.close()
        try:
            SOCKET.unlink()
        except OSError:
            pass

    def _serve(self, connection: socket.socket) -> None:
        from .memory import settle
        from .pipeline import build

        if _peer_uid(connection) != os.getuid():
            return
        request = next(_lines(connection), None)
        if request is None:  # a connection that only looked (another watch starting)
            return
        options = self._accepts(request)
        if options is None:
            connection.sendall(_line({"accepted": False}))
            return
        connection.sendall(_line({"accepted": True}))
        connection.settimeout(None)
        alive = [True]

        def send(message: dict) -> None:
            if alive[0]:
                try:
                    connection.sendall(_line(message))
                except OSError:  # the build went away; the files are still written
                    alive[0] = False

        watcher = self.watcher
        try:
            build([Path(f) for f in request["folders"]], options,
                  on_done=lambda outcome: send({"outcome": _outcome_json(outcome)}),
                  renderer=watcher.renderer, workers=watcher.workers, parts=watcher.parts)
        except BookletError as error:
            send({"problems": [[_text(p.path), p.line, p.message] for p in error.problems]})
        else:
            send({"done": True})
        finally:
            settle()

    def _accepts(self, request: dict) -> BuildOptions | None:
        """The options to build with, if the request is for this very project."""
        if request.get("protocol") != PROTOCOL or request.get("environment") != self.environment:
            return None
        if not _same(request.get("cwd"), self.folder):
            return None
        options = _options(request["options"])
        ours = self.watcher.options
        if not (_same_option(options.config, ours.config)
                and _same_option(options.theme, ours.theme)):
            return None
        return replace(options, jobs=1)  # with the watch's warm renderer or rendering process


def environment(options: BuildOptions) -> str:
    """What a build's outputs depend on that a running process does not read again:
    booklet's code, the libraries installed, the engine switch, SOURCE_DATE_EPOCH,
    the Python."""
    import hashlib

    from .. import __version__
    from ..engine.patches import ENV
    from .cache import PACKAGE_DIR, _add_tree, installed_versions

    digest = hashlib.sha256()
    _add_tree(digest, "code", PACKAGE_DIR)
    # SOURCE_DATE_EPOCH: the build cache's digests (worked out by the watch) count it
    digest.update(json.dumps([__version__, installed_versions(), os.environ.get(ENV),
                              os.environ.get("SOURCE_DATE_EPOCH"), sys.executable,
                              sys.version]).encode())
    return digest.hexdigest()


def _request(folders: list[Path], options: BuildOptions) -> dict | None:
    if not _supported():
        return None
    encoded = _options_json(options)
    if encoded is None:
        return None
    return {"protocol": PROTOCOL, "environment": environment(options),
            "cwd": str(Path.cwd()), "folders": [str(f) for f in folders], "options": encoded}


def _supported() -> bool:
    import socket

    return hasattr(socket, "AF_UNIX") and hasattr(socket, "SO_PEERCRED")


def _connect(timeout: float = ANSWER_WITHIN) -> socket.socket | None:
    """A connection to the watch listening here, run by this user; None if none."""
    if not _supported():
        return None
    import socket

    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(timeout)
    try:
        connection.connect(str(SOCKET))
        if _peer_uid(connection) == os.getuid():
            return connection
    except OSError:
        pass
    connection.close()
    return None


def _peer_uid(connection: socket.socket) -> int:
    import socket
    import struct

    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                        struct.calcsize("3i"))
    return struct.unpack("3i", credentials)[1]


def _line(message: dict) -> bytes:
    return json.dumps(message).encode() + b"\n"


def _lines(connection: socket.socket) -> Iterator[dict]:
    with connection.makefile("rb") as stream:
        for line in stream:
            yield json.loads(line)


def _options_json(options: BuildOptions) -> dict | None:
    """The options as JSON values; None if one cannot be sent."""
    found: dict[str, Any] = {}
    for item in fields(options):
        value = getattr(options, item.name)
        if isinstance(value, Path):
            value = str(value.absolute())
        elif isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        elif value is not None and not isinstance(value, (str, int, float, bool)):
            return None
        found[item.name] = value
    return found


def _options(data: dict) -> BuildOptions:
    values = dict(data)
    for name in _PATHS:
        values[name] = _path(values.get(name))
    values["formats"] = tuple(values["formats"])
    values["build_time"] = datetime.fromisoformat(values["build_time"])
    return BuildOptions(**values)


def _outcome_json(outcome: Outcome) -> dict:
    return {"folder": str(outcome.folder),
            "written": {fmt: str(path) for fmt, path in outcome.written.items()},
            "problems": [[_text(p.path), p.line, p.message] for p in outcome.problems],
            "warnings": outcome.warnings, "skipped": outcome.skipped, "pages": outcome.pages,
            "peak_memory": outcome.peak_memory}


def _outcome(data: dict) -> Outcome:
    return Outcome(Path(data["folder"]),
                   written={fmt: Path(path) for fmt, path in data["written"].items()},
                   problems=tuple(Problem(_path(p), line, text)
                                  for p, line, text in data["problems"]),
                   warnings=list(data["warnings"]), skipped=data["skipped"],
                   pages=dict(data["pages"]), peak_memory=data["peak_memory"])


def _path(value: str | None) -> Path | None:
    return None if value is None else Path(value)


def _text(path: Path | None) -> str | None:
    return None if path is None else str(path)


def _same(path: str | None, folder: Path) -> bool:
    try:
        return path is not None and os.path.samefile(path, folder)
    except OSError:
        return False


def _same_option(ours: Path | None, theirs: Path | None) -> bool:
    if ours is None or theirs is None:
        return ours is theirs
    return _same(str(ours), theirs)
