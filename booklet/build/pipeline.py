"""The build, top to bottom: load every booklet, then render and write each one.

All booklets are loaded and validated before any writer runs, with the project's
booklet.toml resolved into each. A booklet that fails is reported and skipped; the
others are still built. Each booklet's outputs are rendered in memory and only then
written, atomically (`booklet.build.outputs`), so a failure never leaves a partial
file.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BookletError, display_path, one_line
from ..options import BuildOptions
from ..output import check_output_folder, unwritable_as_problem, write_problem
from ..source.review import next_change, review_problems
from .cache import BuildCache, booklet_digest, shared_digest
from .collisions import collisions
from .editions import EditionLog
from .outputs import Outcome, build_booklet, make_renderer

if TYPE_CHECKING:
    from ..pdf.parts import PartLayouts
    from ..render.html import Renderer
    from ..source.config import Config
    from ..source.model import Booklet
    from .workers import Workers

LOG = logging.getLogger("booklet")


def build(folders: list[Path], options: BuildOptions,
          on_done: Callable[[Outcome], None] | None = None,
          renderer: Renderer | None = None, workers: Workers | None = None,
          parts: PartLayouts | None = None) -> list[Outcome]:
    """Build every booklet folder into `options.out`; return one outcome per folder.

    With `options.incremental`, booklets whose inputs are unchanged are skipped
    (`booklet.build.cache`); with `options.jobs` > 1, or `options.contain`, the rest
    render in child processes held to booklet.toml's `[limits]`
    (`booklet.build.workers`). `on_done` hears of each booklet as it finishes. A
    long-lived caller (`booklet watch`) passes its `renderer`, or its `workers`, to
    keep them warm, and its `parts` (`booklet.pdf.parts`) to lay out again only the
    sections of a booklet that changed (its rendering process keeps its own).

    Raises `BookletError` when the project's booklet.toml is broken (then no booklet
    can be built as the practice wants it) or the output folder cannot be written.
    """
    notify = on_done or (lambda outcome: None)
    outcomes = {folder: Outcome(folder) for folder in folders}
    for folder, problem in collisions(folders).items():
        outcomes[folder].problems = (problem,)
        notify(outcomes[folder])
    cache, digests = _skip_unchanged(outcomes, options, notify)
    pending = [folder for folder, outcome in outcomes.items()
               if outcome.ok and not outcome.skipped]
    if not pending:
        if _library_wanted(options, built=False) and outcomes and \
                all(o.skipped for o in outcomes.values()):
            _write_library(options, project(options), renderer)
        return list(outcomes.values())
    config = project(options)
    check_output_folder(options.out)
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

    theme = options.theme or config.theme
    if workers is not None:
        workers.build(ready(_load(pending, outcomes, options, config, notify)), options,
                      finished)
    elif options.jobs > 1 and len(pending) > 1 or options.contain and config.limits.on:
        from .workers import Workers

        count = max(1, min(options.jobs, len(pending)))
        # Started first: they warm up while the booklets are loaded.
        with Workers(options, config.limits, count, theme, one_build=True) as started:
            started.build(ready(_load(pending, outcomes, options, config, notify)), options,
                          finished)
    else:
        renderer = renderer or make_renderer(options, config)
        for booklet in ready(_load(pending, outcomes, options, config, notify)):
            finished(build_booklet(booklet, renderer, options, parts))
    _save(cache, editions)
    if any(o.ok for o in outcomes.values()) and _library_wanted(options, built=True):
        _write_library(options, config, renderer)
    return list(outcomes.values())


def _save(cache: BuildCache | None, editions: EditionLog) -> None:
    """Keep the build cache and the edition log; one that cannot be written is a
    warning (the next build then redoes what it would have skipped)."""
    for record in (cache, editions):
        if record is None:
            continue
        try:
            record.save()
        except OSError as error:  # on stderr: it is about this machine, not a booklet
            sys.stderr.write(f"warning: {one_line(display_path(record.path))}: "
                             f"{write_problem(error)}; the next build will redo this "
                             "one's work\n")


def _library_wanted(options: BuildOptions, built: bool) -> bool:
    """Whether to write the handout library (index.html): with the web edition, once a
    booklet was built, or when it is missing (a build with nothing to do)."""
    return "html" in options.formats and (built or not (options.out / "index.html").is_file())


def _write_library(options: BuildOptions, config: Config, renderer: Renderer | None) -> None:
    """index.html, listing every booklet whose web edition is in the output folder."""
    from ..web.library import INDEX, write_library

    with unwritable_as_problem() as writing:
        writing.path = options.out / INDEX
        write_library(options.out, renderer or make_renderer(options, config), config)


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
    digests = {folder: booklet_digest(folder, shared) for folder, outcome in outcomes.items()
               if outcome.ok}
    for folder, outcome in outcomes.items():
        if not outcome.ok:
            continue
        entry = cache.fresh(folder, digests[folder], options.formats, options.today)
        if entry is not None and "html" in options.formats:
            from ..web.library import assets_present  # json and paths only: a quick check

            entry = entry if assets_present(options.out, folder.name) else None
        if entry is not None:
            outcome.skipped = True
            outcome.written = {fmt: Path(entry.outputs[fmt]["path"]) for fmt in options.formats}
            outcome.pages = dict(entry.pages)
            outcome.warnings = list(entry.warnings)
            notify(outcome)
    return cache, digests
