"""`booklet check --layout`: lay out each PDF edition and report how its pages fill.

For the reading edition (on the booklet's paper) and the large print, after the
page-break policy has done what it can (`booklet.pdf.breaks`): the page count, the
near-empty pages left (a warning each, naming the part; a problem under `--strict`)
and the boxes split over pages. This renders, a second or two a booklet; plain
`booklet check` does not.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..authoring.check import CheckResult
from ..errors import BookletError, Problem
from ..options import BuildOptions
from ..pdf.pagefill import LayoutReport
from ..pdf.writer import edition_reports

if TYPE_CHECKING:
    from ..source.model import Booklet

def add_layouts(results: list[CheckResult], options: BuildOptions, strict: bool) -> None:
    """Lay out every booklet that passed its check and add its layout report. With
    `options.contain` (the command line) each is laid out in a rendering process held
    to booklet.toml's `[limits]`, as a build renders (`booklet.build.workers`)."""
    from ..source.loader import load_booklet
    from .outputs import make_renderer
    from .pipeline import project

    by_folder = {result.folder: result for result in results
                 if result.ok and result.booklet is not None}
    try:
        config = project(options)
    except BookletError as error:  # booklet.toml: `booklet check` has reported it
        for result in by_folder.values():
            result.problems = error.problems
        return
    booklets = []
    for result in by_folder.values():
        try:  # again, with the options' paper
            booklets.append(load_booklet(result.folder, options, config))
        except BookletError as error:
            result.problems = error.problems

    def report(booklet: Booklet, reports: list | tuple[Problem, ...]) -> None:
        _add(by_folder[_given(booklet, by_folder)], reports, strict)

    if options.contain and config.limits.on and booklets:
        from .workers import Workers

        with Workers(options, config.limits, 1, options.theme or config.theme,
                     one_build=True) as workers:
            workers.lay_out(booklets, options, report)
        return
    renderer = make_renderer(options, config)
    for booklet in booklets:
        try:
            report(booklet, edition_reports(booklet, renderer, options))
        except BookletError as error:
            report(booklet, error.problems)


def _given(booklet: Booklet, by_folder: dict[Path, CheckResult]) -> Path:
    """The folder as the check was given it, for a loaded booklet (its folder resolved)."""
    return next(folder for folder in by_folder if folder.resolve() == booklet.folder)


def _add(result: CheckResult, reports: list | tuple[Problem, ...], strict: bool) -> None:
    """Add a booklet's layout reports (or its problems) to its check result."""
    if isinstance(reports, tuple):
        result.problems = reports
        return
    problems = []
    for edition, report in reports:
        result.layouts.append((edition, report.summary()))
        problems += layout_problems(result.booklet.source, edition, report)
    if strict and problems:
        result.problems = tuple(problems)
    else:
        result.warnings.extend(problems)


def layout_problems(source: Path, edition: str, report: LayoutReport) -> list[Problem]:
    """One problem for each near-empty page of an edition."""
    return [Problem(source, None, (
        f"page {page.number} of the {edition} is only {page.fill:.0%} full"
        + (f" (in '{page.part}')" if page.part else "")
        + "; a few lines more or less before it would fill it"))
        for page in report.near_empty]
