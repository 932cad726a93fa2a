"""How well a laid-out edition fills its pages: the layout report.

For each page: what it is (cover, contents, text, back cover), how much of its text
area's height is printed, and whether it counts as near-empty: a text page under a
quarter full that is neither the cover, a contents page nor one of the last two pages
(where a booklet's text simply ends). For each box (worksheet, help-now, callouts,
figures, quotes): the pages it is printed on, so a box split over two pages shows.
The page-break policy (`booklet.pdf.breaks`) acts on this report, `booklet check
--layout` prints it and `bench/layout.py` measures it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..engine.pageboxes import PageBoxes, page_boxes

if TYPE_CHECKING:
    from weasyprint import Document

#: A text page printed over less than this share of its text area is near-empty.
NEAR_EMPTY = 0.25

#: What each top-level element of the print document makes a page.
PAGE_KINDS = {"cover": "cover", "contents": "contents", "back-cover": "back cover",
              "part": "text", "sources": "text", "personal-note": "note"}

#: Boxes the report follows, by class, with the name a message gives them.
BOX_KINDS = {"worksheet": "worksheet", "help-now": "help-now box",
             "callout-key-points": "key-points box", "callout-note": "note",
             "callout-try-this": "try-this box", "callout-warning": "warning",
             "figure": "figure", "quote": "quote"}

#: Classes of the element whose text names a box in messages.
TITLE_CLASSES = ("worksheet-title", "help-now-title", "callout-title")


@dataclass(frozen=True)
class PageFill:
    """One page of the layout: `number` from 1, its kind, the used share of its text
    area, whether the near-empty rule leaves it aside (cover, contents, the last two
    pages), and the title of the part (or the sources) its text begins in."""

    number: int
    kind: str
    fill: float
    exempt: bool
    part: str = ""

    @property
    def near_empty(self) -> bool:
        return self.kind in ("text", "blank") and not self.exempt and self.fill < NEAR_EMPTY


@dataclass(frozen=True)
class BoxSpan:
    """A box and the pages it is printed on (more than one: it is split)."""

    kind: str
    title: str
    pages: tuple[int, ...]
    element: Any = field(compare=False, repr=False)

    @property
    def split(self) -> bool:
        return len(self.pages) > 1


@dataclass(frozen=True)
class LayoutReport:
    """Pages and boxes of one laid-out edition (see the module docstring)."""

    pages: tuple[PageFill, ...]
    boxes: tuple[BoxSpan, ...]

    @property
    def near_empty(self) -> tuple[PageFill, ...]:
        return tuple(page for page in self.pages if page.near_empty)

    @property
    def split_boxes(self) -> tuple[BoxSpan, ...]:
        return tuple(box for box in self.boxes if box.split)

    def summary(self) -> str:
        """One line: `15 pages; near-empty: page 6 (10% full); split: worksheet ...`."""
        parts = [f"{len(self.pages)} pages"]
        empty = ", ".join(f"page {p.number} ({p.fill:.0%} full)" for p in self.near_empty)
        parts.append(f"near-empty: {empty}" if empty else "no near-empty page")
        split = ", ".join(f"{box.kind} {box.title!r} (pages {box.pages[0]}-{box.pages[-1]})"
                          if box.title else f"{box.kind} (pages {box.pages[0]}-{box.pages[-1]})"
                          for box in self.split_boxes)
        parts.append(f"split: {split}" if split else "no box split")
        return "; ".join(parts)


def layout_report(document: Document) -> LayoutReport:
    """The layout report of a laid-out print edition."""
    return report_of(page_boxes(document))


def report_of(pages: Sequence[PageBoxes]) -> LayoutReport:
    """The layout report from the pages' boxes (see `booklet.engine.pageboxes`)."""
    kinds = [page_kind(page) for page in pages]
    last_two = len(pages) - 2
    fills = tuple(PageFill(n, kind, page.fill, kind in ("cover", "contents") or n > last_two,
                           part_title(page))
                  for n, (page, kind) in enumerate(zip(pages, kinds, strict=True), start=1))
    return LayoutReport(fills, box_spans(pages))


def page_kind(page: PageBoxes) -> str:
    """cover, contents, back cover, note (a personal copy's), text (parts and sources)
    or blank."""
    found = [PAGE_KINDS[name] for placed in page.blocks for name in classes(placed.element)
             if name in PAGE_KINDS]
    for kind in ("cover", "back cover", "contents", "note"):
        if kind in found:
            return kind
    return "text" if page.blocks else "blank"


def part_title(page: PageBoxes) -> str:
    """The title of the part (or the sources) the page's text begins in, or ''."""
    for placed in page.blocks:
        if any(name in ("part", "sources") for name in classes(placed.element)):
            heading = next((child for child in placed.element if child.tag == "h1"), None)
            return " ".join("".join(heading.itertext()).split()) if heading is not None else ""
    return ""


def box_spans(pages: Sequence[PageBoxes]) -> tuple[BoxSpan, ...]:
    """Every followed box with the pages it is on, in document order."""
    spans: dict[Any, tuple[str, list[int]]] = {}
    for number, page in enumerate(pages, start=1):
        for placed in page.blocks:
            kind = box_kind(placed.element)
            if kind is None:
                continue
            _, numbers = spans.setdefault(placed.element, (kind, []))
            if number not in numbers:
                numbers.append(number)
    return tuple(BoxSpan(kind, box_title(element), tuple(numbers), element)
                 for element, (kind, numbers) in spans.items())


def box_kind(element: Any) -> str | None:
    """The name of the box `element` is, or None when it is no box."""
    names = classes(element)
    return next((BOX_KINDS[name] for name in names if name in BOX_KINDS), None)


def box_title(element: Any) -> str:
    """A box's own title (a worksheet's, a callout's), or a figure's caption or alt text."""
    for child in element.iter():
        if any(name in TITLE_CLASSES for name in classes(child)):
            return " ".join("".join(child.itertext()).split())
    for child in element.iter():
        if child.tag in ("figcaption", "img"):
            text = child.get("alt", "") if child.tag == "img" else "".join(child.itertext())
            return " ".join(text.split())
    return ""


def classes(element: Any) -> list[str]:
    """The element's class names."""
    return (element.get("class") or "").split()
