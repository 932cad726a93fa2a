"""Rendering booklets side by side in worker processes (`--jobs N`).

Each worker imports WeasyPrint and sets up the templates once, when it starts, then
renders and writes whole booklets handed to it, already loaded and validated, one at
a time. Workers are started fresh ("spawn"), so they share no state or locks with
the parent's progress display. Each outcome carries the worker's peak memory.
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from .model import Booklet
from .options import BuildOptions
from .pipeline import Outcome, build_booklet
from .render import Renderer

_renderer: Renderer | None = None


def build_in_workers(booklets: list[Booklet], options: BuildOptions,
                     finished: Callable[[Outcome], None]) -> None:
    """Build `booklets` in `options.jobs` processes; call `finished` as each is done."""
    context = multiprocessing.get_context("spawn")
    workers = max(1, min(options.jobs, len(booklets)))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                             initializer=warm_up, initargs=(options.theme,)) as pool:
        futures = [pool.submit(build_in_worker, booklet, options) for booklet in booklets]
        for future in as_completed(futures):
            finished(future.result())


def warm_up(theme: Path | None) -> None:
    """Worker start: import the renderers once and build the template environment."""
    global _renderer
    from .epub import render_epub  # noqa: F401
    from .weasyprint_loader import load

    load()  # the slow import, paid once per worker
    _renderer = Renderer(theme)


def build_in_worker(booklet: Booklet, options: BuildOptions) -> Outcome:
    """Render and write one booklet in this worker; note the worker's peak memory."""
    renderer = _renderer or Renderer(options.theme)
    outcome = build_booklet(booklet, renderer, options)
    outcome.peak_memory = peak_memory()
    return outcome


def peak_memory() -> int:
    """This process's peak resident memory in bytes."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024
