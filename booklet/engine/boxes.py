"""Reading WeasyPrint's laid-out pages: the text and images each page shows, in order.

The EPUB's print page list (`booklet.epub.pagemap`) needs to know where each printed
page begins. WeasyPrint's public `Document` gives pages, links and anchors, not the
boxes on a page, so this reads its box tree (`Page._page_box`, the classes of
`weasyprint.formatting_structure.boxes`, a text box's `style`), written for
WeasyPrint 70. It only reads; it has no switch, since the page list needs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from weasyprint import Document
    from weasyprint.document import Page


class Leaf(NamedTuple):
    """A piece of a page: a text box's text (`text`), or an image (`text` None).

    `element` is the (lxml) element it belongs to in the HTML WeasyPrint laid out;
    `hyphen` is the text a line broken inside a word ends with (CSS
    `hyphenate-character`).
    """

    element: Any
    text: str | None
    hyphen: str


def root_element(document: Document) -> Any:
    """The root (`html`) element of the HTML the document was laid out from."""
    return document.pages[0]._page_box.children[0].element


def root_elements(document: Document) -> list[Any]:
    """The root (`html`) elements of the HTML the document's pages were laid out from,
    in page order: one, or several for pages combined from several layouts
    (`Document.copy`, as personal copies are)."""
    roots = (page._page_box.children[0].element for page in document.pages)
    return list({id(root): root for root in roots}.values())


def page_leaves(page: Page) -> Iterator[Leaf]:
    """The page's text boxes and images, in document order; margin boxes (running
    headers, footers) and generated content (`::before`, `::marker` ...) are left out."""
    from weasyprint.formatting_structure.boxes import MarginBox, ReplacedBox, TextBox

    def walk(box: Any) -> Iterator[Leaf]:
        if "::" in (box.element_tag or ""):
            return
        if isinstance(box, TextBox):
            yield Leaf(box.element, box.text, box.style["hyphenate_character"] or "")
        elif isinstance(box, ReplacedBox):
            yield Leaf(box.element, None, "")
        for child in getattr(box, "children", None) or ():
            yield from walk(child)

    for child in page._page_box.children:
        if not isinstance(child, MarginBox):
            yield from walk(child)
