"""`booklet check --layout`: lay out each PDF edition and report how its pages fill.

For the reading edition (on the booklet's paper) and the large print, after the
page-break policy has done what it can (`booklet.pdf.breaks`): the page count, the
near-empty pages left (a warning each, naming the part; an error under `--strict`)
and the boxes split over pages. This renders, so it takes a second or two a booklet;
plain `booklet check` does not.
"""

from __future__ import annotations

from ..errors import Problem
from ..options import BuildOptions
from ..pdf.pagefill import LayoutReport
from ..source.model import Booklet

#: The PDF editions checked: (name, large print).
EDITIONS = (("reading edition", False), ("large print", True))


def layout_reports(booklet: Booklet, options: BuildOptions) -> list[tuple[str, LayoutReport]]:
    """(edition name with its paper, report) for each PDF edition of the booklet."""
    from ..build.pipeline import make_renderer, project
    from ..pdf.pagefill import layout_report
    from ..pdf.writer import booklet_paper, layout

    options, config = project(options)
    renderer = make_renderer(options, config)
    paper = booklet_paper(booklet, options)
    reports = []
    for name, large_print in EDITIONS:
        size = paper.large_print if large_print else paper.name
        document = layout(booklet, renderer, options, large_print=large_print)
        reports.append((f"{name} ({_paper_name(size)})", layout_report(document)))
    return reports


def layout_problems(booklet: Booklet, edition: str, report: LayoutReport) -> list[Problem]:
    """One problem for each near-empty page of an edition."""
    return [Problem(booklet.source, None, (
        f"page {page.number} of the {edition} is only {page.fill:.0%} full"
        + (f" (in '{page.part}')" if page.part else "")
        + "; a few lines more or less before it would fill it"))
        for page in report.near_empty]


def _paper_name(name: str) -> str:
    return {"a5": "A5", "a4": "A4", "letter": "Letter", "half-letter": "half-letter"}.get(
        name, name)
