"""`booklet check --layout`: lay out each PDF edition and report how its pages fill.

For the reading edition (on the booklet's paper) and the large print, after the
page-break policy has done what it can (`booklet.pdf.breaks`): the page count, the
near-empty pages left (a warning each, naming the part; a problem under `--strict`)
and the boxes split over pages. This renders, a second or two a booklet; plain
`booklet check` does not.
"""

from __future__ import annotations

from pathlib import Path

from ..authoring.check import CheckResult
from ..errors import BookletError, Problem
from ..options import BuildOptions
from ..pdf.pagefill import LayoutReport

#: The PDF editions laid out: (name, large print).
EDITIONS = (("reading edition", False), ("large print", True))

#: Paper names as people write them.
PAPER_NAMES = {"a5": "A5", "a4": "A4", "letter": "Letter", "half-letter": "half-letter"}


def add_layouts(results: list[CheckResult], options: BuildOptions, strict: bool) -> None:
    """Lay out every booklet that passed its check and add its layout report."""
    for result in results:
        if not result.ok or result.booklet is None:
            continue
        try:
            reports = layout_reports(result.folder, options)
        except BookletError as error:
            result.problems = error.problems
            continue
        problems = []
        for edition, report in reports:
            result.layouts.append((edition, report.summary()))
            problems += layout_problems(result.booklet.source, edition, report)
        if strict and problems:
            result.problems = tuple(problems)
        else:
            result.warnings.extend(problems)


def layout_reports(folder: Path, options: BuildOptions) -> list[tuple[str, LayoutReport]]:
    """(edition name with its paper, report) for each PDF edition of a booklet, laid
    out as a build would (with the project's booklet.toml)."""
    from ..pdf.pagefill import layout_report
    from ..pdf.writer import layout
    from ..source.loader import load_booklet
    from .outputs import make_renderer
    from .pipeline import project

    config = project(options)
    booklet = load_booklet(folder, options, config)
    renderer = make_renderer(options, config)
    policy = renderer.policy(booklet, options.allow_remote)
    reports = []
    for name, large_print in EDITIONS:
        size = booklet.paper.large_print if large_print else booklet.paper.name
        document = layout(booklet, renderer, options, policy, large_print=large_print)
        reports.append((f"{name} ({PAPER_NAMES.get(size, size)})", layout_report(document)))
    return reports


def layout_problems(source: Path, edition: str, report: LayoutReport) -> list[Problem]:
    """One problem for each near-empty page of an edition."""
    return [Problem(source, None, (
        f"page {page.number} of the {edition} is only {page.fill:.0%} full"
        + (f" (in '{page.part}')" if page.part else "")
        + "; a few lines more or less before it would fill it"))
        for page in report.near_empty]
