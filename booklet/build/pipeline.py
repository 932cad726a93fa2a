"""The build, top to bottom: load every booklet, then render and write each one.

All booklets are loaded and validated before any writer runs, with the project's
booklet.toml resolved into each. A booklet that fails is reported and skipped; the
others are still built. Each booklet's outputs are rendered in memory and only then
written, atomically (`booklet.build.outputs`), so a failure never leaves a partial
file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BookletError
from ..options import BuildOptions
from .cache import BuildCache, booklet_digest, shared_digest
from .outputs import Outcome, build_booklet, make_renderer

if TYPE_CHECKING:
    from ..render.html import Renderer
    from ..source.config import Config
    from ..source.model import Booklet

LOG = logging.getLogger("booklet")


def build(folders: list[Path], options: BuildOptions,
          on_done: Callable[[Outcome], None] | None = None,
          renderer: Renderer | None = None) -> list[Outcome]:
    """Build every booklet folder into `options.out`; return one outcome per folder.

    With `options.incremental`, booklets whose inputs are unchanged are skipped
    (`booklet.build.cache`); with `options.jobs` > 1 the rest render in worker
    processes (`booklet.build.workers`). `on_done` hears of each booklet as it finishes.
    A long-lived caller (`booklet watch`) passes its `renderer` to keep it warm.

    Raises `BookletError` when the project's booklet.toml is broken: then no booklet
    can be built as the practice wants it.
    """
    notify = on_done or (lambda outcome: None)
    outcomes = {folder: Outcome(folder) for folder in folders}
    cache, digests = _skip_unchanged(outcomes, options, notify)
    pending = [folder for folder, outcome in outcomes.items() if not outcome.skipped]
    if not pending:
        return list(outcomes.values())
    config = project(options)
    given = {folder.resolve(): folder for folder in outcomes}

    def finished(outcome: Outcome) -> None:
        outcome.folder = given[outcome.folder.resolve()]
        outcomes[outcome.folder] = outcome
        if cache is not None and outcome.ok:
            cache.record(outcome.folder, digests[outcome.folder], outcome.written,
                         outcome.pages, outcome.warnings)
        notify(outcome)

    if options.jobs > 1 and len(pending) > 1:
        from .workers import Workers

        with Workers(options, config, len(pending)) as workers:  # warm up while we load
            workers.build(_load(pending, outcomes, options, config, notify), finished)
    else:
        renderer = renderer or make_renderer(options, config)
        for booklet in _load(pending, outcomes, options, config, notify):
            finished(build_booklet(booklet, renderer, options))
    if cache is not None:
        cache.save()
    return list(outcomes.values())


def project(options: BuildOptions) -> Config:
    """The project's booklet.toml (`options.config`; empty when there is none), with
    the theme it (or `--theme`) names checked (`booklet.sandbox.theme`)."""
    from ..sandbox.theme import check_theme
    from ..source.config import load_config

    config = load_config(options.config)
    check_theme(options.theme or config.theme)
    return config


def _load(folders: list[Path], outcomes: dict[Path, Outcome], options: BuildOptions,
          config: Config, notify: Callable[[Outcome], None]) -> list[Booklet]:
    """Load and validate every folder (all of them before any is rendered)."""
    from ..source.loader import load_booklet

    loaded = []
    for folder in folders:
        try:
            loaded.append(load_booklet(folder, options, config))
        except BookletError as error:
            outcomes[folder].problems = error.problems
            notify(outcomes[folder])
    return loaded


def _skip_unchanged(outcomes: dict[Path, Outcome], options: BuildOptions,
                    notify: Callable[[Outcome], None]
                    ) -> tuple[BuildCache | None, dict[Path, str]]:
    """Mark booklets whose outputs are up to date as skipped; return the cache."""
    if not options.incremental:
        return None, {}
    cache = BuildCache.load(options.out)
    shared = shared_digest(options)
    digests = {folder: booklet_digest(folder, shared) for folder in outcomes}
    for folder, outcome in outcomes.items():
        entry = cache.fresh(folder, digests[folder], options.formats)
        if entry is not None:
            outcome.skipped = True
            outcome.written = {fmt: Path(entry.outputs[fmt]["path"]) for fmt in options.formats}
            outcome.pages = dict(entry.pages)
            outcome.warnings = list(entry.warnings)
            notify(outcome)
    return cache, digests
