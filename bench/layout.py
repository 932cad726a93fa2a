#!/usr/bin/env python3
"""How well each PDF edition fills its pages: `python bench/layout.py [--markdown] [DIR ...]`.

For every booklet folder given (default: every bundled booklet under content/ and the
stress booklet tests/samples/stress), and for every PDF edition (the reading edition
on A5, A4, Letter and half-letter, the large print on A4 and on Letter), it lays the
edition out as a build does and reports: page count, the fill of each page's text area,
near-empty pages (text pages under a quarter full, cover, contents and the last two
pages aside: see `booklet/pdf/pagefill.py`), boxes split across pages, the pages the
fold-and-staple booklet adds, the number of layout passes WeasyPrint ran and their CPU
time. `--pages` prints every page's fill. Never run from the test suite.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: (name, --paper value, large print) of each PDF edition measured.
EDITIONS = (("A5", "a5", False), ("A4", "a4", False), ("Letter", "letter", False),
            ("half-letter", "half-letter", False), ("large print A4", "a5", True),
            ("large print Letter", "letter", True))


@dataclass
class Row:
    """One booklet in one edition."""

    booklet: str
    edition: str
    pages: int
    lowest: float
    near_empty: list[str]
    split: list[str]
    added: int
    passes: int
    cpu: float
    fills: list[str]


def measure(folder: Path) -> list[Row]:
    """Lay out every edition of one booklet and report on it."""
    from booklet import engine
    from booklet.build.outputs import make_renderer
    from booklet.build.pipeline import project
    from booklet.options import BuildOptions, default_path
    from booklet.pdf.pagefill import layout_report
    from booklet.pdf.writer import layout
    from booklet.source.loader import load_booklet

    engine.install()
    import weasyprint
    rows = []
    for name, paper, large in EDITIONS:
        options = BuildOptions(out=Path("/dev/null"), paper=paper, config=default_path(ROOT),
                               overlap=False)
        config = project(options)
        renderer = make_renderer(options, config)
        booklet = load_booklet(folder, options, config)
        policy = renderer.policy(booklet)
        passes = _count_renders(weasyprint)
        start = time.process_time()
        document = layout(booklet, renderer, options, policy, large_print=large)
        cpu = time.process_time() - start
        report = layout_report(document)
        counted = [p.fill for p in report.pages if p.kind in ("text", "blank") and not p.exempt]
        rows.append(Row(
            folder.name, name, len(report.pages), min(counted, default=1.0),
            [f"{p.number} ({p.fill:.0%})" for p in report.near_empty],
            [f"{b.kind} {b.pages[0]}-{b.pages[-1]}" for b in report.split_boxes],
            0 if large else -len(report.pages) % 4, passes(), cpu,
            [f"{p.number}:{p.fill:.0%}{'*' if p.near_empty else ''}" for p in report.pages]))
    return rows


def _count_renders(weasyprint) -> callable:
    """Count WeasyPrint layouts from now on; return a function giving the count."""
    original = weasyprint.HTML.render
    calls = [0]

    def render(self, *args, **kwargs):
        calls[0] += 1
        return original(self, *args, **kwargs)

    weasyprint.HTML.render = render

    def count() -> int:
        weasyprint.HTML.render = original
        return calls[0]

    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--pages", action="store_true", help="print every page's fill")
    args = parser.parse_args(argv)
    folders = args.folders or [*sorted(p.parent for p in (ROOT / "content").glob("*/booklet.md")),
                               ROOT / "tests" / "samples" / "stress"]
    rows = [row for folder in folders for row in measure(folder)]
    header = ("booklet", "edition", "pages", "lowest fill", "near-empty pages",
              "split boxes", "booklet adds", "layouts", "layout CPU")
    table = [(r.booklet, r.edition, str(r.pages), f"{r.lowest:.0%}",
              ", ".join(r.near_empty) or "none", ", ".join(r.split) or "none",
              "-" if r.edition.startswith("large") else str(r.added), str(r.passes),
              f"{r.cpu:.2f} s") for r in rows]
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + " --- |" * len(header))
        for line in table:
            print("| " + " | ".join(line) + " |")
    else:
        widths = [max(len(x) for x in column) for column in zip(header, *table, strict=True)]
        for line in (header, *table):
            print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)))
    if args.pages:
        for r in rows:
            print(f"{r.booklet} {r.edition}: {' '.join(r.fills)}")
    totals = (sum(len(r.near_empty) for r in rows), sum(len(r.split) for r in rows),
              sum(r.pages for r in rows), sum(r.cpu for r in rows))
    print(f"\n{len(rows)} editions: {totals[2]} pages, {totals[0]} near-empty, "
          f"{totals[1]} split boxes, layout CPU {totals[3]:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
