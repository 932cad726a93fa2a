"""Where things landed on each page of a laid-out WeasyPrint document.

The page-break policy (`booklet.pdf.breaks`) and the layout report
(`booklet.pdf.pagefill`) need each page's text area, how far down it is printed, and
which elements have a block on it. WeasyPrint keeps this in its page boxes
(`Page._page_box` and the box tree under it: positions, `border_height()`, computed
`style`, written for WeasyPrint 70); this module reads them for those two, and the
lines of text with their elements for the tests. It only reads (no switch).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from weasyprint import Document


@dataclass(frozen=True)
class Placed:
    """One element's block on a page: its border box from `top` to `bottom` (CSS px,
    from the top of the page). An element broken over pages has one per page."""

    element: Any
    top: float
    bottom: float


@dataclass(frozen=True)
class PageBoxes:
    """One page: its text area (`top`, `height`), the lowest thing printed in it
    (`bottom`: a line, an image, a rule or a border; `top` on an empty page), and the
    blocks on it in document order, outer ones before those inside them."""

    top: float
    height: float
    bottom: float
    blocks: tuple[Placed, ...]

    @property
    def fill(self) -> float:
        """How much of the text area's height is used, from 0 to 1."""
        return min(1.0, max(0.0, (self.bottom - self.top) / self.height)) if self.height else 0.0


def page_boxes(document: Document) -> tuple[PageBoxes, ...]:
    """The blocks and the printed extent of every page of a laid-out document."""
    return tuple(_page(page._page_box) for page in document.pages)


def lines(document: Document) -> Iterator[tuple[int, Any, str]]:
    """(page index, block element, text) of every line of text, in order, margin
    boxes (running footers) left out."""
    from weasyprint.formatting_structure.boxes import LineBox, MarginBox, TextBox

    def texts(box: Any) -> Iterator[str]:
        if isinstance(box, TextBox):
            yield box.text
        for child in getattr(box, "children", None) or ():
            yield from texts(child)

    for index, page in enumerate(document.pages):
        for child in page._page_box.children:
            if isinstance(child, MarginBox):
                continue
            for box, _ in _walk(child, placed_too=True):
                if isinstance(box, LineBox):
                    yield index, box.element, "".join(texts(box))


def _page(page_box: Any) -> PageBoxes:
    from weasyprint.formatting_structure.boxes import MarginBox

    top = page_box.content_box_y()
    blocks: list[Placed] = []
    bottom = top
    for child in page_box.children:
        if isinstance(child, MarginBox):
            continue
        for box, printed in _walk(child):
            end = box.border_box_y() + box.border_height()
            if printed:
                bottom = max(bottom, end)
            if box.element is not None and box.element_tag not in ("html", "body") \
                    and _is_block(box):
                blocks.append(Placed(box.element, box.border_box_y(), end))
    return PageBoxes(top, page_box.height, bottom, tuple(blocks))


def _walk(box: Any, placed_too: bool = False) -> Iterator[tuple[Any, bool]]:
    """Every box in flow under `box` with whether it prints something itself (a line
    of text, an image, a border); absolutely placed boxes and their insides (the
    cover's bands and footers) only with `placed_too`, generated content never."""
    from weasyprint.formatting_structure.boxes import LineBox, ReplacedBox

    if (box.is_absolutely_positioned() and not placed_too) or "::" in (box.element_tag or ""):
        return
    printed = isinstance(box, LineBox | ReplacedBox) or _has_border(box)
    yield box, printed
    if isinstance(box, LineBox):
        return
    for child in getattr(box, "children", None) or ():
        yield from _walk(getattr(child, "_box", child), placed_too)


def _is_block(box: Any) -> bool:
    from weasyprint.formatting_structure.boxes import BlockLevelBox

    return isinstance(box, BlockLevelBox)


def _has_border(box: Any) -> bool:
    style = box.style
    return any(style[f"border_{side}_width"] and style[f"border_{side}_style"] != "none"
               for side in ("top", "bottom"))
