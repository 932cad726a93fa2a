"""A rendering process: what runs in each of `booklet.build.workers`' children.

It caps its own address space at the budget (`RLIMIT_AS`) and makes no core files,
imports WeasyPrint and sets up the templates once, says it is ready, then renders
each booklet sent (or lays out its PDF editions, for `booklet check --layout`, or
runs a given function on an item: a personal copy, which writes its own files) and
sends back the bytes, the problems, or that it ran out of memory, after which it ends
(its state may be half-changed). It dies with the build (`booklet.build.lifeline`),
ignores Ctrl-C (the build's to handle), and ends when told to (None) or when the pipe
closes.
"""

from __future__ import annotations

import resource
import signal
import sys
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BookletError
from ..options import BuildOptions
from ..sandbox.limits import RenderBudget
from .memory import exit_now, freeze, settle, thaw  # noqa: F401 (exit_now: BOOT's)

if TYPE_CHECKING:
    from ..pdf.parts import PartLayouts
    from ..render.html import Renderer
    from ..source.model import Booklet


def serve(fd: int, parent: int) -> None:
    """A rendering process (`booklet.build.spare.BOOT`): import the renderers, take
    the budget, theme and warnings setting from the first message, then render each
    booklet sent until told to stop (None), or until the pipe closes (the build is
    gone)."""
    from . import lifeline

    lifeline.die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the build stops us itself
    conn = Connection(fd)
    try:
        _preload()  # perhaps before the build knows it needs us (`booklet.build.spare`)
    except BaseException:
        _send(conn, ("bug", traceback.format_exc(), None))
        return
    try:
        _, budget, theme, warn = conn.recv()
    except (EOFError, OSError):
        return
    renderers: dict[tuple[Path | None, int], Renderer] = {}
    parts: PartLayouts | None = None  # `booklet watch`'s (task "watch")
    parts_of: Renderer | None = None
    try:
        if warn:  # the build's first rendering process speaks of versions
            from .. import engine

            engine.check()
        if not _limit(budget):
            _send(conn, ("memory", None, None))
            return
        renderers[theme, 0] = _warm_up(theme)
        freeze()  # what lives as long as the process, out of the collector's sight
        conn.send(("ready", None, peak_memory()))
    except MemoryError:
        _send(conn, ("memory", None, None))
        return
    except BaseException:
        _send(conn, ("bug", traceback.format_exc(), None))
        return
    message = _next(conn)
    while message is not None:
        task, booklet, options, theme, generation = message
        renderer = _renderer(renderers, theme, generation)
        if task == "watch" and (parts is None or parts_of is not renderer):
            from ..pdf.parts import PartLayouts

            parts, parts_of = PartLayouts(), renderer  # sections of these templates only
        result = _work(task, booklet, options, renderer, parts if task == "watch" else None)
        if not _send(conn, (*result, peak_memory())) or result[0] != "done":
            return
        del booklet, message, result
        if parts is not None and parts.pending():
            parts.verify()  # while the watch waits for the next save
        ahead = _next(conn) if conn.poll(LAST_WORD) else _LATER
        if ahead is None:
            return  # told to end (a build with no more work): nothing to settle
        settle()  # what this booklet left, collected while the build writes its files
        message = _next(conn) if ahead is _LATER else ahead


#: Seconds a rendering process waits, once it has sent a booklet, to hear whether the
#: build has more work (a build that has none says so before writing the files).
LAST_WORD = 0.02
#: No message came within `LAST_WORD`: the next one is read after settling.
_LATER = object()


def _next(conn: Connection) -> Any:
    """The next message: a booklet's work, or None (told to end, or the pipe closed)."""
    try:
        return conn.recv()
    except (EOFError, OSError):
        return None


def _work(task: str | Callable, booklet: Booklet, options: BuildOptions, renderer: Renderer,
          parts: PartLayouts | None = None) -> tuple[str, Any]:
    """("done", the result or the problems), ("memory", None) or ("bug", traceback):
    the result is the booklet `Rendered` (task "render", or "watch" with the sections
    `parts` kept), or its layout reports
    ("layout", `booklet check --layout`), or what the function `task` returns."""
    from ..pdf.writer import edition_reports
    from .outputs import render_one

    try:
        try:
            if task == "layout":
                return "done", edition_reports(booklet, renderer, options)
            if callable(task):  # `Workers.run`: `booklet` is the work's item
                return "done", task(booklet, options, renderer)
            return "done", render_one(booklet, renderer, options, parts)
        except BookletError as error:
            return "done", error.problems
    except MemoryError:
        pass  # out of the handler first: its traceback holds the memory
    except Exception:
        return "bug", traceback.format_exc()
    return "memory", None


def _renderer(renderers: dict, theme: Path | None, generation: int) -> Renderer:
    """The renderer for `theme` at `generation` (made anew when the parent renewed it)."""
    from ..render.html import Renderer

    if (theme, generation) not in renderers:
        thaw()  # the old renderer's cycles can then be collected
        renderers.clear()
        renderers[theme, generation] = Renderer(theme)
        freeze()
    return renderers[theme, generation]


def _preload() -> None:
    """Import the renderers (the slow import, paid once per process, while the build
    loads the booklets)."""
    from .. import engine
    from ..epub.writer import render_epub  # noqa: F401
    from ..pdf import writer  # noqa: F401
    from ..render import (
        glyphs,  # noqa: F401
        html,  # noqa: F401
    )
    from . import outputs  # noqa: F401

    engine.install(warn=False)


def _warm_up(theme: Path | None) -> Renderer:
    """The template environment of `theme`."""
    from ..render.html import Renderer

    return Renderer(theme)


def _limit(budget: RenderBudget) -> bool:
    """Cap this process's address space at the budget, unless it is already past it
    (False: the imports alone took more); no core files (a process stopped at its
    limit would write one as large as the limit)."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if budget.memory_mb:
        limit = budget.memory_mb * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if (size := _address_space()) is not None and size > limit:
            return False
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return True


def _address_space() -> int | None:
    """This process's address space in bytes, None where /proc is missing."""
    return _status_bytes("VmSize")


def _status_bytes(field: str) -> int | None:
    """A size from /proc/self/status (`VmSize`, `VmHWM` ...) in bytes, or None."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _send(conn: Connection, message: tuple) -> bool:
    try:
        conn.send(message)
        return True
    except (OSError, MemoryError):
        return False


def peak_memory() -> int:
    """This process's peak resident memory in bytes.

    On Linux this is VmHWM, the high-water mark of this process's own memory: a spawned
    worker's `ru_maxrss` also counts the parent's memory at the moment it was forked,
    before it ran the worker program, so it would report a large parent's size.
    """
    if (peak := _status_bytes("VmHWM")) is not None:
        return peak
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024
