"""Rendering booklets side by side in worker processes (`--jobs N`).

Each worker imports WeasyPrint and sets up the templates once, when it starts (while
the parent loads and validates the booklets), then renders and writes whole booklets
handed to it, one at a time. Workers are started fresh ("spawn"), so they share no
state or locks with the parent's progress display. Each outcome carries the worker's
peak memory.
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace
from typing import TypeVar

from .. import engine
from ..options import BuildOptions
from ..render.html import Renderer
from ..source.config import Config
from ..source.model import Booklet
from .outputs import Outcome, build_booklet, make_renderer

_renderer: Renderer | None = None
T = TypeVar("T")
R = TypeVar("R")


class Workers:
    """A pool of warm rendering processes, started before the booklets are loaded.

    Starting them first lets their WeasyPrint import overlap with the loading of every
    booklet in the parent; `build` then hands over the loaded booklets.
    """

    def __init__(self, options: BuildOptions, config: Config, booklets: int) -> None:
        count = max(1, min(options.jobs, booklets))
        # The workers already keep the cores busy: no forking beside each PDF.
        self.options = options = replace(options, overlap=False)
        engine.check()  # once here, not once per worker
        self.pool = ProcessPoolExecutor(max_workers=count,
                                        mp_context=multiprocessing.get_context("spawn"),
                                        initializer=warm_up, initargs=(options, config))
        for _ in range(count):  # one task each makes the pool start every worker now
            self.pool.submit(peak_memory)

    def build(self, booklets: list[Booklet], finished: Callable[[Outcome], None]) -> None:
        """Build `booklets` in the workers; call `finished` as each is done."""
        self.run(build_in_worker, booklets, finished)

    def run(self, work: Callable[[T, BuildOptions], R], tasks: list[T],
            finished: Callable[[R], None]) -> None:
        """Run `work(task, options)` for each task in the workers (`work` finds the
        worker's templates with `warm_renderer`); call `finished` as each is done."""
        futures = [self.pool.submit(work, task, self.options) for task in tasks]
        for future in as_completed(futures):
            finished(future.result())

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown(cancel_futures=True)


def warm_up(options: BuildOptions, config: Config) -> None:
    """Worker start: import the renderers once and build the template environment."""
    global _renderer
    from ..epub.writer import render_epub  # noqa: F401

    engine.install(warn=False)  # the slow import, paid once per worker; the parent warns
    _renderer = make_renderer(options, config)


def warm_renderer() -> Renderer:
    """The templates and styles this worker set up when it started."""
    assert _renderer is not None, "workers are started through Workers"
    return _renderer


def build_in_worker(booklet: Booklet, options: BuildOptions) -> Outcome:
    """Render and write one booklet in this worker; note the worker's peak memory."""
    outcome = build_booklet(booklet, warm_renderer(), options)
    outcome.peak_memory = peak_memory()
    return outcome


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
