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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BookletError
from ..options import BuildOptions
from ..source.review import next_change, review_problems
from .cache import BuildCache, booklet_digest, shared_digest
from .editions import EditionLog
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
    editions = EditionLog.load()
    vetted: dict[Path, Vetted] = {}

    def finished(outcome: Outcome) -> None:
        vet = vetted[outcome.folder.resolve()]
        outcome.folder = given[outcome.folder.resolve()]
        outcomes[outcome.folder] = outcome
        outcome.warnings[:0] = vet.warnings
        if outcome.ok:
            editions.record(vet.booklet, vet.digest, options.today)
        if cache is not None and outcome.ok:
            cache.record(outcome.folder, digests[outcome.folder], outcome.written,
                         outcome.pages, outcome.warnings, next_change(vet.booklet.review))
        notify(outcome)

    def ready(booklets: list[Booklet]) -> list[Booklet]:
        return _vet(booklets, {f: outcomes[given[f]] for f in given}, options, editions,
                    vetted, notify)

    if options.jobs > 1 and len(pending) > 1:
        from .workers import Workers

        with Workers(options, config, len(pending)) as workers:  # warm up while we load
            workers.build(ready(_load(pending, outcomes, options, config, notify)), finished)
    else:
        renderer = renderer or make_renderer(options, config)
        for booklet in ready(_load(pending, outcomes, options, config, notify)):
            finished(build_booklet(booklet, renderer, options))
    if cache is not None:
        cache.save()
    editions.save()
    return list(outcomes.values())


def project(options: BuildOptions) -> Config:
    """The project's booklet.toml (`options.config`; empty when there is none)."""
    from ..source.config import load_config

    return load_config(options.config)


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


@dataclass
class Vetted:
    """A loaded booklet cleared to render: its content digest, and the warnings its
    review and edition log give (they lead its outcome's warnings)."""

    booklet: Booklet
    digest: str
    warnings: list[str]


def _vet(booklets: list[Booklet], outcomes: dict[Path, Outcome], options: BuildOptions,
         editions: EditionLog, vetted: dict[Path, Vetted],
         notify: Callable[[Outcome], None]) -> list[Booklet]:
    """The booklets that may be rendered: an overdue review fails a booklet (unless
    `allow_overdue`), and with `strict` so does a warning (a review due soon, text
    changed within an edition). `outcomes` and `vetted` are by resolved folder."""
    from ..source.digest import fingerprint

    cleared = []
    for booklet in booklets:
        digest = fingerprint(booklet).digest
        errors, warnings = review_problems(booklet, options.allow_overdue)
        if (changed := editions.problem(booklet, digest)) is not None:
            warnings.append(changed)
        if options.strict:
            errors, warnings = [*errors, *warnings], []
        if errors:
            outcomes[booklet.folder].problems = tuple(errors)
            notify(outcomes[booklet.folder])
            continue
        vetted[booklet.folder] = Vetted(booklet, digest, [str(w) for w in warnings])
        cleared.append(booklet)
    return cleared


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
        entry = cache.fresh(folder, digests[folder], options.formats, options.today)
        if entry is not None:
            outcome.skipped = True
            outcome.written = {fmt: Path(entry.outputs[fmt]["path"]) for fmt in options.formats}
            outcome.pages = dict(entry.pages)
            outcome.warnings = list(entry.warnings)
            notify(outcome)
    return cache, digests
