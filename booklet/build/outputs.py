"""One booklet's build: render every requested format in memory, then write them all.

The reading edition is laid out once (`booklet.pdf.writer.PrintEdition`) and handed
to the writers that need it: the reading PDF, the fold-and-staple booklet imposed
from that PDF's bytes, and the EPUB (its page list and cover). Where a core is free,
the reading PDF is drawn and written in a forked child while this process makes the
EPUB and the large print (`booklet.build.overlap`); the files are the same either
way. One resource policy serves every edition, so each file or address is read once.
"""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BookletError, Problem
from ..options import BuildOptions
from ..output import os_problem, unwritable_as_problem, write_atomic
from ..pdf.info import page_count
from . import interrupt, overlap

if TYPE_CHECKING:
    from ..pdf.parts import PartLayouts
    from ..pdf.personal import CopyLayouts
    from ..pdf.writer import PrintEdition
    from ..render.html import Renderer
    from ..sandbox.policy import ResourcePolicy
    from ..source.config import Config
    from ..source.model import Booklet


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
    #: The reading edition was put together from kept sections (`booklet watch`).
    composed: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def slug(self) -> str:
        return self.folder.name


#: Output file name suffix by format; other formats are named `<slug>.<format>`.
SUFFIXES = {"booklet": "-booklet.pdf", "large-print": "-large-print.pdf"}

#: Formats made from the laid-out reading edition (the web edition: the library's page
#: count and cover picture).
FROM_READING_EDITION = ("pdf", "booklet", "epub", "html")


def output_name(slug: str, fmt: str) -> str:
    """The file name of a booklet's output in a given format."""
    return f"{slug}{SUFFIXES.get(fmt, '.' + fmt)}"


def make_renderer(options: BuildOptions, config: Config) -> Renderer:
    """The templates and styles of the theme (`--theme`, else booklet.toml's)."""
    from ..render.html import Renderer

    return Renderer(options.theme or config.theme)


def build_booklet(booklet: Booklet, renderer: Renderer, options: BuildOptions,
                  parts: PartLayouts | None = None) -> Outcome:
    """Render and write one loaded booklet; expected problems land in the outcome.
    `parts` (`booklet watch`) keeps the reading edition's sections between builds."""
    outcome = Outcome(booklet.folder)
    try:
        build_one(booklet, renderer, options, outcome, parts)
    except BookletError as error:
        outcome.problems = error.problems
    return outcome


@dataclass
class Rendered:
    """One booklet's outputs made in memory, not yet written: each format's bytes, the
    web edition's other files (path under the output folder -> bytes), the warnings."""

    files: dict[str, bytes]
    assets: dict[str, bytes]
    warnings: list[str]
    #: The reading edition was put together from kept sections (`booklet watch`).
    composed: bool = False


def build_one(booklet: Booklet, renderer: Renderer, options: BuildOptions,
              outcome: Outcome, parts: PartLayouts | None = None) -> None:
    """Render every requested format of one booklet in memory, then write them all."""
    rendered = render_one(booklet, renderer, options, parts)
    outcome.warnings.extend(rendered.warnings)
    outcome.composed = rendered.composed
    write_one(booklet, rendered, options, outcome)


def render_one(booklet: Booklet, renderer: Renderer, options: BuildOptions,
               parts: PartLayouts | None = None) -> Rendered:
    """Every requested format of one booklet, in memory (a rendering process's work);
    the reading edition from the sections `parts` kept, where it can."""
    from ..engine.messages import fatal_errors, raise_fatal

    warnings = [str(warning) for warning in booklet.warnings]  # from loading
    assets: dict[str, bytes] = {}
    try:
        with fatal_errors():  # out of memory, or told to stop, where WeasyPrint caught it
            before = parts.counts["composed"] if parts is not None else 0
            files = _render(booklet, renderer, options, warnings, assets, parts=parts)
            raise_fatal()
    except OSError as error:  # the machine's, not the content's: a full /tmp ...
        raise BookletError(Problem(booklet.source, None, "rendering failed: "
                                   f"{os_problem(error)}")) from None
    if options.strict and warnings:
        raise BookletError(*(Problem(booklet.source, None, f"warning (strict): {w}")
                             for w in warnings))
    return Rendered(files, assets, warnings,
                    composed=parts is not None and parts.counts["composed"] > before)


def write_one(booklet: Booklet, rendered: Rendered, options: BuildOptions,
              outcome: Outcome) -> None:
    """Write a rendered booklet into the output folder, each file atomically; a file
    that cannot be written is a problem naming it (a full disk, a read-only folder)."""
    interrupt.check()  # a signal swallowed while rendering: write nothing
    with unwritable_as_problem() as writing:
        if rendered.assets:  # the web page's files first: it never names a missing one
            from ..web.library import write_if_changed

            for name, data in rendered.assets.items():
                writing.path = options.out / name
                write_if_changed(writing.path, data)
        for fmt, data in rendered.files.items():
            writing.path = path = options.out / output_name(booklet.slug, fmt)
            write_atomic(path, data)
            outcome.written[fmt] = path
            if data.startswith(b"%PDF") and (pages := page_count(data)) is not None:
                outcome.pages[fmt] = pages


def _render(booklet: Booklet, renderer: Renderer, options: BuildOptions,
            warnings: list[str], assets: dict[str, bytes],
            policy: ResourcePolicy | None = None, layouts: CopyLayouts | None = None,
            parts: PartLayouts | None = None) -> dict[str, bytes]:
    """Every requested format's bytes, in the order of `options.formats`; the web
    edition's other files go into `assets` (path under the output folder -> bytes).
    A caller making many copies (`booklet.build.copies`) keeps the booklet's `policy`,
    and `layouts` that lay out only a copy's own pages; `booklet watch` its `parts`."""
    from ..pdf import writer as pdf_writer

    writer = layouts or pdf_writer
    formats = options.formats
    policy = policy or renderer.policy(booklet, options.allow_remote)
    rendered: dict[str, bytes] = {}
    edition = job = None
    try:
        with _captured_warnings(warnings):
            if any(fmt in FROM_READING_EDITION for fmt in formats):
                edition = (writer.reading_edition(booklet, renderer, options, policy, parts)
                           if parts is not None else
                           writer.reading_edition(booklet, renderer, options, policy))
            if "pdf" in formats or "booklet" in formats:
                job = overlap.start(_pdf_work(edition), allowed=options.overlap)
        _check_glyphs(booklet, renderer, options, warnings)
        with _captured_warnings(warnings):
            if "large-print" in formats:
                rendered["large-print"] = writer.render_large_print(booklet, renderer,
                                                                    options, policy)
            if "epub" in formats:
                from ..epub.writer import render_epub

                rendered["epub"] = render_epub(booklet, renderer, options, edition, policy)
            if job is not None:
                rendered["pdf"] = _pdf_result(job)
                if parts is not None and edition is not None:
                    from ..pdf.parts import composed

                    if not composed(edition.document):  # to compare part by part later
                        parts.laid_out_whole(booklet, renderer, options, policy,
                                             rendered["pdf"])
            if "booklet" in formats:
                from ..pdf.impose import render_booklet  # pikepdf: only when asked for
                from ..pdf.notes import notes_pdf

                rendered["booklet"] = render_booklet(
                    rendered["pdf"], booklet.paper,
                    lambda first, count: notes_pdf(booklet, renderer, options, policy,
                                                   first, count))
            if "html" in formats:  # last: it lists the other files with their sizes
                rendered["html"] = _web(booklet, renderer, options, policy, edition,
                                        rendered, assets)
    finally:
        if job is not None:
            job.cancel()
    return {fmt: rendered[fmt] for fmt in formats}


def _web(booklet: Booklet, renderer: Renderer, options: BuildOptions, policy,
         edition: PrintEdition | None, rendered: dict[str, bytes],
         assets: dict[str, bytes]) -> bytes:
    """The web page; its stylesheet, fonts, images and library record into `assets`."""
    from ..web.page import Download
    from ..web.writer import render_web

    downloads = [Download(fmt, output_name(booklet.slug, fmt), len(data),
                          page_count(data) if data.startswith(b"%PDF") else None)
                 for fmt, data in rendered.items()]
    web = render_web(booklet, renderer, options, policy, edition, downloads)
    assets.update(web.files)
    return web.page


def _pdf_work(edition: PrintEdition | None):
    """The work of writing the reading PDF: its bytes, and the fonts prepared for it
    (handed back from a forked child, so this process's next PDF reuses them)."""
    from ..engine import fontcache

    assert edition is not None

    def work() -> tuple[bytes, dict]:
        known = fontcache.snapshot()
        data = edition.pdf()
        return data, fontcache.prepared_since(known)

    return work


def _pdf_result(job: overlap.Job) -> bytes:
    """The reading PDF from its job, keeping the fonts prepared for it."""
    from ..engine import fontcache

    data, prepared = job.result()
    fontcache.adopt(prepared)
    return data


def _check_glyphs(booklet: Booklet, renderer: Renderer, options: BuildOptions,
                  warnings: list[str]) -> None:
    """Characters the fonts lack: failures with `--strict`, else warnings."""
    from ..render.glyphs import check_glyphs

    missing = check_glyphs(booklet, renderer.locale_dirs)
    if missing and options.strict:
        raise BookletError(*missing)
    warnings.extend(str(problem) for problem in missing)


def _captured_warnings(sink: list[str]) -> AbstractContextManager[None]:
    """Collect the warnings WeasyPrint and booklet log while rendering, each once."""
    from ..engine.messages import is_missing_glyph
    from .logs import captured

    def keep(record: logging.LogRecord) -> None:
        message = record.getMessage()
        # a character no font has: booklet.render.glyphs reports it with file and line
        if message not in sink and not is_missing_glyph(message):
            sink.append(message)

    return captured(keep)
