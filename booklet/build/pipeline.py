"""The build, top to bottom: load every booklet, then render and write each one.

All booklets are loaded and validated before any writer runs. A booklet that fails
is reported and skipped; the others are still built. Outputs are rendered in memory
and only then written, atomically, so a failure never leaves a partial file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BookletError, Problem
from .cache import BuildCache, booklet_digest, shared_digest
from ..options import BuildOptions
from ..output import write_atomic
from ..pdf.info import page_count

if TYPE_CHECKING:
    from ..source.config import Config
    from ..source.model import Booklet
    from ..render.html import Renderer

LOG = logging.getLogger("booklet")


@dataclass
class Outcome:
    """What happened to one booklet: the files written, or the problems found."""

    folder: Path
    written: dict[str, Path] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    warnings: list[str] = field(default_factory=list)
    #: True when the outputs were up to date and nothing was rendered.
    skipped: bool = False
    #: Page count of each PDF output, by format.
    pages: dict[str, int] = field(default_factory=dict)
    #: Peak resident memory, in bytes, of the worker process that built it (if any).
    peak_memory: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def slug(self) -> str:
        return self.folder.name


#: WeasyPrint warnings that booklet's own checks already report, with file and line
#: (a character no font has: `booklet.render.glyphs`).
DUPLICATE_WARNINGS = (".notdef glyph rendered",)

#: Output file name suffix by format; other formats are named `<slug>.<format>`.
SUFFIXES = {"booklet": "-booklet.pdf", "large-print": "-large-print.pdf"}


def output_name(slug: str, fmt: str) -> str:
    """The file name of a booklet's output in a given format."""
    return f"{slug}{SUFFIXES.get(fmt, '.' + fmt)}"


#: Formats that are typeset from the reading PDF's bytes: they wait for its writing.
FROM_READING_PDF = ("pdf", "booklet")


def writers() -> dict[str, Callable[[Booklet, Renderer, BuildOptions], bytes]]:
    """Format name -> function rendering a booklet to that format's bytes."""
    from ..epub.writer import render_epub
    from ..pdf.writer import render_large_print, render_pdf

    def render_booklet(booklet: Booklet, renderer: Renderer, options: BuildOptions) -> bytes:
        from ..pdf.impose import render_booklet  # pikepdf: only when a booklet is asked for

        return render_booklet(booklet, renderer, options)

    return {"pdf": render_pdf, "booklet": render_booklet, "large-print": render_large_print,
            "epub": render_epub}


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
    options, config = project(options)
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
            workers.build(_load(pending, outcomes, options, notify), finished)
    else:
        renderer = renderer or make_renderer(options, config)
        for booklet in _load(pending, outcomes, options, notify):
            finished(build_booklet(booklet, renderer, options))
    if cache is not None:
        cache.save()
    return list(outcomes.values())


def project(options: BuildOptions) -> tuple[BuildOptions, Config]:
    """The project's booklet.toml, and the options with its defaults (paper) applied."""
    from ..sandbox.theme import check_theme
    from ..source.config import load_config

    config = load_config(options.config)
    check_theme(options.theme or config.theme)
    if config.paper:
        options = replace(options, default_paper=config.paper)
    return options, config


def make_renderer(options: BuildOptions, config: Config) -> Renderer:
    """The templates and styles of the theme (`--theme`, else the config's), with the
    practice's details."""
    from ..render.html import Renderer

    return Renderer(options.theme or config.theme, config)


def _load(folders: list[Path], outcomes: dict[Path, Outcome], options: BuildOptions,
          notify: Callable[[Outcome], None]) -> list[Booklet]:
    """Load and validate every folder (all of them before any is rendered)."""
    from ..source.loader import load_booklet

    loaded = []
    for folder in folders:
        try:
            loaded.append(load_booklet(folder, options))
        except BookletError as error:
            outcomes[folder].problems = error.problems
            notify(outcomes[folder])
    return loaded


def build_booklet(booklet: Booklet, renderer: Renderer, options: BuildOptions) -> Outcome:
    """Render and write one loaded booklet; expected problems land in the outcome."""
    outcome = Outcome(booklet.folder)
    try:
        build_one(booklet, renderer, options, outcome)
    except BookletError as error:
        outcome.problems = error.problems
    return outcome


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


def build_one(booklet: Booklet, renderer: Renderer, options: BuildOptions,
              outcome: Outcome) -> None:
    """Render every requested format of one booklet in memory, then write them all.

    The reading PDF is laid out first and written beside the rest where it can be
    (`booklet.build.overlap`); the formats made from its bytes come last.
    """
    from . import overlap
    from ..pdf.writer import forget_layouts
    from ..sandbox.policy import fetched_once

    rendered: dict[str, bytes] = {}
    table = writers()
    order = sorted(options.formats, key=lambda fmt: fmt in FROM_READING_PDF)
    try:
        with fetched_once():
            if order[-1] in FROM_READING_PDF:
                from ..pdf.writer import pdf_job

                with _captured_warnings(outcome.warnings):
                    pdf_job(booklet, renderer, options)
            _check_glyphs(booklet, renderer, options, outcome)
            for fmt in order:
                with _captured_warnings(outcome.warnings):
                    rendered[fmt] = table[fmt](booklet, renderer, options)
    finally:
        overlap.cancel_all()
        forget_layouts()
    rendered = {fmt: rendered[fmt] for fmt in options.formats}
    if options.strict and outcome.warnings:
        raise BookletError(*(Problem(booklet.source, None, f"warning (strict): {w}")
                             for w in outcome.warnings))
    for fmt, data in rendered.items():
        path = options.out / output_name(booklet.slug, fmt)
        write_atomic(path, data)
        outcome.written[fmt] = path
        if data.startswith(b"%PDF") and (pages := page_count(data)) is not None:
            outcome.pages[fmt] = pages


def _check_glyphs(booklet: Booklet, renderer: Renderer, options: BuildOptions,
                  outcome: Outcome) -> None:
    """Characters the fonts lack: failures with `--strict`, else warnings."""
    from ..render.glyphs import check_glyphs

    missing = check_glyphs(booklet, renderer.locale_dirs)
    if missing and options.strict:
        raise BookletError(*missing)
    outcome.warnings.extend(str(problem) for problem in missing)


def _captured_warnings(sink: list[str]) -> AbstractContextManager[None]:
    """Collect the warnings WeasyPrint and booklet log while rendering, each once."""
    from .logs import captured

    def keep(record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message not in sink and not message.startswith(DUPLICATE_WARNINGS):
            sink.append(message)

    return captured(keep)
