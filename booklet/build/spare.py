"""A rendering process started before the build knows it will need one.

`booklet build` renders each booklet in a rendering process (`booklet.build.workers`);
starting one (a new interpreter importing booklet and WeasyPrint, about half a second)
used to begin only once the build had imported its own modules, read booklet.toml and
checked what is out of date, and the build then waited for it. The command line now
starts one first thing (`start`); it imports what every rendering needs while the
build gets that far, and the first rendering process the build asks for is that one
(`take`). Its budget, theme and the rest come with its first message, as for any
rendering process, and it caps its memory only then. A build with nothing to render
(all up to date, or `[limits]` 0) ends it unused (`discard`, also at exit).
"""

from __future__ import annotations

import atexit
import json
import os
import socket
import subprocess
import sys
from multiprocessing.connection import Connection

#: A rendering process's program: the parent's module path, then
#: `booklet.build.rendering.serve` with the pipe and the parent's process id.
BOOT = ("import json, sys; sys.path[:] = json.loads(sys.argv[3]); "
        "from booklet.build.rendering import serve, exit_now; "
        "serve(int(sys.argv[1]), int(sys.argv[2])); exit_now(0)")

_spare: tuple[subprocess.Popen, Connection] | None = None


def launch() -> tuple[subprocess.Popen, Connection]:
    """Start a rendering process: a plain new interpreter (not multiprocessing's
    "spawn", which also starts a resource-tracker process and runs the parent's main
    module again), with a socket pair carrying `multiprocessing.connection` messages."""
    ours, theirs = socket.socketpair()
    with theirs:
        process = subprocess.Popen(
            [sys.executable, "-c", BOOT, str(theirs.fileno()), str(os.getpid()),
             json.dumps(sys.path)],
            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, process_group=0)  # Ctrl-C is for the build
    return process, Connection(ours.detach())


def start() -> None:
    """Start the spare rendering process now, unless one waits already."""
    global _spare
    if _spare is None:
        _spare = launch()


def take() -> tuple[subprocess.Popen, Connection] | None:
    """The spare rendering process, if one was started and still runs."""
    global _spare
    spare, _spare = _spare, None
    if spare is not None and spare[0].poll() is not None:
        spare[1].close()
        return None
    return spare


@atexit.register
def discard() -> None:
    """End the spare rendering process, if nothing took it."""
    spare = take()
    if spare is not None:
        process, conn = spare
        conn.close()
        process.kill()
        process.wait()
