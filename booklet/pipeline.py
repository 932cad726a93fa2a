"""The build, top to bottom: load every booklet, then render and write each one.

All booklets are loaded and validated before any writer runs. A booklet that fails
is reported and skipped; the others are still built. Outputs are rendered in memory
and only then written, atomically, so a failure never leaves a partial file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from .config import load_config
from .content import load_booklet
from .errors import BookletError, Problem
from .glyphs import check_glyphs
from .model import Booklet
from .options import BuildOptions
from .output import write_atomic
from .render import Renderer

LOG = logging.getLogger("booklet")


@dataclass
class Outcome:
    """What happened to one booklet: the files written, or the problems found."""

    folder: Path
    written: dict[str, Path] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def slug(self) -> str:
        return self.folder.name


#: Output file name suffix by format; other formats are named `<slug>.<format>`.
SUFFIXES = {"booklet": "-booklet.pdf", "large-print": "-large-print.pdf"}


def output_name(slug: str, fmt: str) -> str:
    """The file name of a booklet's output in a given format."""
    return f"{slug}{SUFFIXES.get(fmt, '.' + fmt)}"


def writers() -> dict[str, Callable[[Booklet, Renderer, BuildOptions], bytes]]:
    """Format name -> function rendering a booklet to that format's bytes."""
    from .epub import render_epub
    from .impose import render_booklet
    from .pdf import render_large_print, render_pdf

    return {"pdf": render_pdf, "booklet": render_booklet, "large-print": render_large_print,
            "epub": render_epub}


def build(folders: list[Path], options: BuildOptions) -> list[Outcome]:
    """Build every booklet folder into `options.out`; return one outcome per folder.

    Raises `BookletError` when the project's booklet.toml is broken: then no booklet
    can be built as the practice wants it.
    """
    config = load_config(options.config)
    if config.paper:
        options = replace(options, default_paper=config.paper)
    outcomes = {folder: Outcome(folder) for folder in folders}
    loaded: list[Booklet] = []
    for folder in folders:
        try:
            loaded.append(load_booklet(folder, options))
        except BookletError as error:
            outcomes[folder].problems = error.problems
    renderer = Renderer(options.theme or config.theme, config)
    for booklet in loaded:
        outcome = next(o for f, o in outcomes.items() if f.resolve() == booklet.folder)
        try:
            build_one(booklet, renderer, options, outcome)
        except BookletError as error:
            outcome.problems = error.problems
    return list(outcomes.values())


def build_one(booklet: Booklet, renderer: Renderer, options: BuildOptions,
              outcome: Outcome) -> None:
    """Render every requested format of one booklet in memory, then write them all."""
    rendered: dict[str, bytes] = {}
    table = writers()
    _check_glyphs(booklet, renderer, options, outcome)
    for fmt in options.formats:
        with _captured_warnings(outcome.warnings):
            rendered[fmt] = table[fmt](booklet, renderer, options)
    if options.strict and outcome.warnings:
        raise BookletError(*(Problem(booklet.source, None, f"warning (strict): {w}")
                             for w in outcome.warnings))
    for fmt, data in rendered.items():
        path = options.out / output_name(booklet.slug, fmt)
        write_atomic(path, data)
        outcome.written[fmt] = path


def _check_glyphs(booklet: Booklet, renderer: Renderer, options: BuildOptions,
                  outcome: Outcome) -> None:
    """Characters the fonts lack: failures with `--strict`, else warnings."""
    missing = check_glyphs(booklet, renderer.locale_dirs)
    if missing and options.strict:
        raise BookletError(*missing)
    outcome.warnings.extend(str(problem) for problem in missing)


@contextmanager
def _captured_warnings(sink: list[str]) -> Iterator[None]:
    """Collect warnings that WeasyPrint and booklet log while rendering."""

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if (message := record.getMessage()) not in sink:
                sink.append(message)

    handler = Collect(level=logging.WARNING)
    loggers = [logging.getLogger("weasyprint"), LOG]
    for logger in loggers:
        logger.addHandler(handler)
    # booklet's own warnings are always collected (whatever the root level, which the CLI
    # sets to ERROR) and only through this handler, so the CLI reports each once.
    saved = LOG.level, LOG.propagate
    LOG.setLevel(logging.WARNING)
    LOG.propagate = False
    try:
        yield
    finally:
        LOG.setLevel(saved[0])
        LOG.propagate = saved[1]
        for logger in loggers:
            logger.removeHandler(handler)
