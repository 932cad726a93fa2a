"""Rendering booklets in child processes, each one held to a memory and a time budget.

The content limits (`booklet.sandbox.limits`) bound what a booklet may ask for; what
no limit foresees is caught here. Each rendering process is started fresh ("spawn":
it shares no state or locks with this one), imports WeasyPrint and sets up the
templates once, while this process loads the booklets, and then renders whole
booklets, one at a time, into bytes it sends back; this process writes them. So:

- memory: the process's address space is capped (`RLIMIT_AS`, booklet.toml's
  `[limits] memory_mb`); an allocation past it fails, the booklet fails with
  `rendering exceeded the 2048 MB limit`, and the process is replaced;
- time: each booklet has `[limits] seconds` of wall-clock time; past it the process
  (and the PDF writer it forked) is killed, the booklet fails with `rendering
  exceeded the 300 s limit`, and a fresh process takes the next booklet;
- nothing half-made is written: a killed process leaves no file behind, and the
  files of a booklet are written here, only once all of them are made.

`--jobs N` runs N of these side by side; a build of one booklet, or `--jobs 1`, runs
one (the command line always renders in a child while the budget is on); `booklet
watch` and `serve` keep theirs between saves, replaced only when it dies. Ctrl-C is
this process's to handle: the children ignore it, and are killed on the way out; if
this process is itself killed, they die with it (`booklet.build.lifeline`).
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BookletError, Problem
from ..options import BuildOptions
from ..sandbox.limits import RenderBudget
from . import interrupt
from .outputs import Outcome, Rendered, write_one

if TYPE_CHECKING:
    from ..render.html import Renderer
    from ..source.model import Booklet

class WorkerFailed(RuntimeError):
    """A rendering process hit a bug (its traceback is the message): not the
    content's fault, so the build stops as it would in one process."""


@dataclass
class _Job:
    booklet: Booklet
    deadline: float | None


class _Worker:
    """One rendering process and the pipe to it."""

    def __init__(self, budget: RenderBudget, theme: Path | None) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, theirs = context.Pipe()
        self.process = context.Process(target=serve, name="booklet-render", daemon=True,
                                       args=(theirs, os.getpid(), budget, theme))
        self.process.start()
        theirs.close()
        self.ready = False
        self.job: _Job | None = None

    @property
    def alive(self) -> bool:
        return not self.conn.closed

    def give(self, booklet: Booklet, options: BuildOptions, theme: Path | None,
             generation: int, seconds: int) -> bool:
        """Hand over a booklet; False if the process has ended meanwhile."""
        try:
            self.conn.send((booklet, options, theme, generation))
        except OSError:
            self.end()
            return False
        self.job = _Job(booklet, time.monotonic() + seconds if seconds else None)
        return True

    def end(self) -> int | None:
        """Kill the process (it holds nothing worth saving: it writes no file) and
        return its exit code."""
        if not self.conn.closed:
            self.conn.close()
        if self.process.exitcode is None:
            self.process.kill()
        self.process.join()
        return self.process.exitcode


class Workers:
    """Rendering processes under a budget, started before the booklets are loaded."""

    def __init__(self, options: BuildOptions, budget: RenderBudget, count: int,
                 theme: Path | None) -> None:
        from .. import engine

        engine.check()  # once here, not once per worker
        self.budget, self.theme, self.count = budget, theme, count
        self.generation = 0
        self.overlap = options.overlap and count == 1  # else the workers fill the cores
        self.workers = [_Worker(budget, theme) for _ in range(count)]

    def renew(self, theme: Path | None) -> None:
        """Render with a fresh template set from now on (the project's theme changed)."""
        self.theme = theme
        self.generation += 1

    def build(self, booklets: list[Booklet], options: BuildOptions,
              finished: Callable[[Outcome], None]) -> None:
        """Render `booklets` in the workers, write each one's files here, and call
        `finished` with each outcome as it is done."""
        options = replace(options, overlap=self.overlap)
        queue = deque(booklets)
        while queue or any(worker.job for worker in self.workers):
            interrupt.check()
            self._restart(queue)
            for worker in self.workers:
                if worker.alive and worker.ready and worker.job is None and queue:
                    booklet = queue.popleft()
                    if not worker.give(booklet, options, self.theme, self.generation,
                                       self.budget.seconds):
                        queue.appendleft(booklet)
            deadlines = [w.job.deadline for w in self.workers if w.job and w.job.deadline]
            timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            for conn in wait([w.conn for w in self.workers if w.alive], timeout):
                worker = next(w for w in self.workers if w.conn is conn)
                self._receive(worker, options, finished)
            for worker in self.workers:
                if worker.job and worker.job.deadline and \
                        worker.job.deadline <= time.monotonic():
                    booklet, worker.job = worker.job.booklet, None
                    worker.end()
                    finished(_failed(booklet, f"rendering exceeded the "
                                              f"{self.budget.seconds} s limit"))

    def _restart(self, queue: deque) -> None:
        """Start a fresh process in place of each one that ended, while work is left."""
        for index, worker in enumerate(self.workers):
            if not worker.alive and queue:
                self.workers[index] = _Worker(self.budget, self.theme)

    def _receive(self, worker: _Worker, options: BuildOptions,
                 finished: Callable[[Outcome], None]) -> None:
        """Take one message from `worker`: ready, a booklet's result, or its end."""
        try:
            kind, value, peak = worker.conn.recv()
        except (EOFError, OSError):
            kind, value, peak = "ended", worker.end(), None
        job, worker.job = worker.job, None
        if kind == "ready":
            worker.ready = True
            return
        if kind == "bug":
            worker.end()
            raise WorkerFailed(f"a rendering process failed:\n{value}")
        if kind in ("memory", "ended"):
            worker.end()
            if job is not None:
                finished(_failed(job.booklet, self._lost(kind, value)))
            elif not worker.ready:  # it could not even start
                raise BookletError.at(None, None, self._no_start(kind, value))
            return  # an idle process ended: another starts when there is work
        assert job is not None
        booklet = job.booklet
        outcome = Outcome(booklet.folder, peak_memory=peak)
        if isinstance(value, Rendered):
            outcome.warnings.extend(value.warnings)
            try:
                write_one(booklet, value, options, outcome)
            except BookletError as error:
                outcome.problems = error.problems
        else:
            outcome.problems = tuple(value)
        finished(outcome)

    def _lost(self, kind: str, code: int | None) -> str:
        """Why a booklet's rendering ended without a result."""
        memory = f"the {self.budget.memory_mb} MB limit"
        if kind == "memory":
            return f"rendering exceeded {memory}"
        how = f"signal {signal.Signals(-code).name}" if code and code < 0 else f"status {code}"
        if self.budget.memory_mb:
            return f"rendering stopped: its process ended with {how}, most likely on " \
                   f"reaching {memory}"
        return f"rendering stopped: its process ended with {how}"

    def _no_start(self, kind: str, code: int | None) -> str:
        if kind == "memory":
            return f"booklet: the rendering process cannot start within the " \
                   f"{self.budget.memory_mb} MB memory limit; raise [limits] memory_mb " \
                   "in booklet.toml"
        return f"booklet: the rendering process ended as it started (status {code})"

    def close(self) -> None:
        """Stop every process."""
        for worker in self.workers:
            worker.end()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _failed(booklet: Booklet, message: str) -> Outcome:
    return Outcome(booklet.folder, problems=(Problem(booklet.source, None, message),))


# The rendering process.

def serve(conn: Connection, parent: int, budget: RenderBudget, theme: Path | None) -> None:
    """A rendering process: warm up, then render each booklet sent until told to stop
    (None), or until the pipe closes (the build is gone)."""
    from . import lifeline

    lifeline.die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the build stops us itself
    _limit(budget)
    renderers: dict[tuple[Path | None, int], Renderer] = {}
    try:
        renderers[theme, 0] = _warm_up(theme)
        conn.send(("ready", None, peak_memory()))
    except MemoryError:
        _send(conn, ("memory", None, None))
        return
    except BaseException:
        _send(conn, ("bug", traceback.format_exc(), None))
        return
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        booklet, options, theme, generation = message
        result = _render(booklet, options, _renderer(renderers, theme, generation))
        if not _send(conn, (*result, peak_memory())) or result[0] != "done":
            return


def _render(booklet: Booklet, options: BuildOptions, renderer: Renderer
            ) -> tuple[str, Any]:
    """("done", Rendered or the problems), ("memory", None) or ("bug", traceback)."""
    from .outputs import render_one

    try:
        try:
            return "done", render_one(booklet, renderer, options)
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
        renderers.clear()
        renderers[theme, generation] = Renderer(theme)
    return renderers[theme, generation]


def _warm_up(theme: Path | None) -> Renderer:
    """Import the renderers once (the slow import, paid once per process; the parent
    warns about versions) and build the template environment."""
    from .. import engine
    from ..epub.writer import render_epub  # noqa: F401
    from ..render.html import Renderer

    engine.install(warn=False)
    return Renderer(theme)


def _limit(budget: RenderBudget) -> None:
    """Cap this process's address space at the budget; no core files (a process
    stopped at its limit would write one as large as the limit)."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if budget.memory_mb:
        limit = budget.memory_mb * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


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
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024
