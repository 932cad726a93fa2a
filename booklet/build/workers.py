"""Rendering booklets in child processes, each one held to a memory and a time budget.

The content limits (`booklet.sandbox.limits`) bound what a booklet may ask for; what
no limit foresees is caught here. Each rendering process is a fresh interpreter
(it shares no state or locks with this one: `booklet.build.rendering`), imports
WeasyPrint and sets up the templates once, while this process loads the booklets,
and then renders whole booklets, one at a time, into bytes it sends back; this
process writes them. So:

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

import os
import signal
import subprocess
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from multiprocessing.connection import wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BookletError, Problem
from ..options import BuildOptions
from ..sandbox.limits import RenderBudget
from . import interrupt, spare
from .outputs import Outcome, Rendered, write_one

if TYPE_CHECKING:
    from ..render.html import Renderer
    from ..source.model import Booklet

_warned = False


class WorkerFailed(RuntimeError):
    """A rendering process hit a bug (its traceback is the message): not the
    content's fault, so the build stops as it would in one process."""


@dataclass
class _Job:
    booklet: Booklet
    deadline: float | None


class _Worker:
    """One rendering process (`booklet.build.spare.launch`) and the pipe to it."""

    def __init__(self, budget: RenderBudget, theme: Path | None, warn: bool = False) -> None:
        self.process, self.conn = spare.take() or spare.launch()
        try:
            self.conn.send((os.getpid(), budget, theme, warn))
        except OSError:  # it has ended already: `_receive` hears of it
            pass
        self.ready = False
        self.released = False
        self.job: _Job | None = None

    @property
    def alive(self) -> bool:
        return not self.conn.closed

    def give(self, message: tuple, booklet: Booklet, seconds: int) -> bool:
        """Hand over a booklet's work; False if the process has ended meanwhile."""
        try:
            self.conn.send(message)
        except OSError:
            self.end()
            return False
        self.job = _Job(booklet, time.monotonic() + seconds if seconds else None)
        return True

    def release(self) -> None:
        """Tell the process to end once it has finished what it is doing."""
        if not self.conn.closed:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.released = True

    def end(self) -> int | None:
        """Kill the process and return its exit code. It holds nothing worth saving:
        a booklet's files are written by the build, and a personal copy it was writing
        leaves only a temporary file, which the batch removes."""
        if not self.conn.closed:
            self.conn.close()
        if self.process.poll() is None:
            self.process.kill()
        return self.process.wait()


#: Seconds an idle rendering process has to end when told to, before it is killed.
STOP_WITHIN = 5.0


class Workers:
    """Rendering processes under a budget, started before the booklets are loaded."""

    def __init__(self, options: BuildOptions, budget: RenderBudget, count: int,
                 theme: Path | None, keep_parts: bool = False, one_build: bool = False
                 ) -> None:
        global _warned
        self.budget, self.theme, self.count = budget, theme, count
        #: `booklet watch`: each process keeps the sections it laid out, and lays out
        #: again only those a save changed (`booklet.pdf.parts`).
        self.task = "watch" if keep_parts else "render"
        #: Serving one build only (not a watch): a process is told to end as soon as
        #: no work is left for it.
        self.one_build = one_build
        self._queue: deque = deque()
        self.generation = 0
        self.overlap = options.overlap and count == 1  # else the workers fill the cores
        # The first process of this build (or watch) warns about versions, the others not.
        self.workers = [_Worker(budget, theme, warn=not _warned and n == 0)
                        for n in range(count)]
        _warned = True

    def renew(self, theme: Path | None) -> None:
        """Render with a fresh template set from now on (the project's theme changed)."""
        self.theme = theme
        self.generation += 1

    def build(self, booklets: list[Booklet], options: BuildOptions,
              finished: Callable[[Outcome], None]) -> None:
        """Render `booklets` in the workers, write each one's files here, and call
        `finished` with each outcome as it is done."""

        def written(booklet: Booklet, result: Rendered | tuple[Problem, ...],
                    peak: int | None) -> None:
            outcome = Outcome(booklet.folder, peak_memory=peak)
            if isinstance(result, Rendered):
                outcome.warnings.extend(result.warnings)
                outcome.composed = result.composed
                try:
                    write_one(booklet, result, options, outcome)
                except BookletError as error:
                    outcome.problems = error.problems
            else:
                outcome.problems = result
            finished(outcome)

        self._run(booklets, replace(options, overlap=self.overlap), self.task, written)

    def lay_out(self, booklets: list[Booklet], options: BuildOptions,
                finished: Callable[[Booklet, Any], None]) -> None:
        """Lay out the PDF editions of `booklets` (`booklet check --layout`); call
        `finished` with each booklet's reports, or its problems (a tuple)."""
        self._run(booklets, options, "layout",
                  lambda booklet, result, peak: finished(booklet, result))

    def run(self, work: Callable[[Any, BuildOptions, Renderer], Any], items: list,
            options: BuildOptions, finished: Callable[[Any, Any], None]) -> None:
        """Run `work(item, options, renderer)` in the workers for each item (a
        module-level function: the processes import it by name; personal copies);
        call `finished` with each item and its result, or its problems (a tuple) when
        the budget stopped it. Each item has a `source` for those problems."""
        self._run(items, replace(options, overlap=False), work,
                  lambda item, result, peak: finished(item, result))

    def _run(self, booklets: list[Any], options: BuildOptions, task: str | Callable,
             done: Callable[[Booklet, Any, int | None], None]) -> None:
        """Hand `booklets` out to the workers, each held to the budget; `done` gets each
        one's result, or its problems (a tuple), and the worker's peak memory."""
        self._queue = queue = deque(booklets)
        while queue or any(worker.job for worker in self.workers):
            interrupt.check()
            self._restart(queue)
            for worker in self.workers:
                if worker.alive and worker.ready and worker.job is None and queue \
                        and not worker.released:
                    booklet = queue.popleft()
                    if not worker.give((task, booklet, options, self.theme, self.generation),
                                       booklet, self.budget.seconds):
                        queue.appendleft(booklet)
            deadlines = [w.job.deadline for w in self.workers if w.job and w.job.deadline]
            timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            for conn in wait([w.conn for w in self.workers if w.alive], timeout):
                self._receive(next(w for w in self.workers if w.conn is conn), done)
            for worker in self.workers:
                if worker.job and worker.job.deadline and \
                        worker.job.deadline <= time.monotonic():
                    booklet, worker.job = worker.job.booklet, None
                    worker.end()
                    done(booklet, _problem(booklet, f"rendering exceeded the "
                                                    f"{self.budget.seconds} s limit"), None)

    def _restart(self, queue: deque) -> None:
        """Start a fresh process in place of each one that ended, while work is left."""
        for index, worker in enumerate(self.workers):
            if not worker.alive and queue:
                self.workers[index] = _Worker(self.budget, self.theme)

    def _receive(self, worker: _Worker,
                 done: Callable[[Booklet, Any, int | None], None]) -> None:
        """Take one message from `worker`: ready, a booklet's result, or its end."""
        try:
            kind, value, peak = worker.conn.recv()
        except (EOFError, OSError):
            if worker.released and worker.job is None:  # ending as told: `close` waits
                worker.conn.close()                     # for it (killed, it would
                return                                  # leave its font folders)
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
                done(job.booklet, _problem(job.booklet, self._lost(kind, value)), None)
            elif not worker.ready:  # it could not even start
                raise BookletError.at(None, None, self._no_start(kind, value))
            return  # an idle process ended: another starts when there is work
        assert job is not None
        if self.one_build and not self._queue:  # no more work for it: it ends while the
            worker.release()                     # build writes the files
        done(job.booklet, value, peak)

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
        """Stop every process: tell the idle ones to end (they remove their temporary
        font folders as they go), then kill any still running."""
        for worker in self.workers:
            if worker.alive and worker.job is None and not worker.released:
                worker.release()
        deadline = time.monotonic() + STOP_WITHIN
        for worker in self.workers:
            if worker.job is None:
                try:
                    worker.process.wait(max(0.0, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    pass
            worker.end()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _problem(work: Any, message: str) -> tuple[Problem, ...]:
    """The problem of a booklet (or other work with a source) the budget stopped."""
    return (Problem(work.source, None, message),)
