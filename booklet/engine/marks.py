"""What each marked-content sequence of a tagged WeasyPrint PDF shows, read from its boxes.

WeasyPrint 70 numbers the text and images it draws on each page (marked-content ids,
MCIDs) and keeps which box each id belongs to only while it builds the structure tree
(`Stream._tags`, emptied by `weasyprint.pdf.tags.add_tags`). The accessibility pass
(`booklet.pdf.ua`) needs that link to put right what WeasyPrint writes: running
footers are page furniture, dot leaders are not words, a line end inside a paragraph
is a space, a hyphen WeasyPrint added is not part of the word, right-to-left text has
a logical order, and text in another language says so.

`install()` wraps `weasyprint.pdf.add_tags` so that, inside `recording()`, the boxes
behind every MCID are read into plain `Mark` records before WeasyPrint forgets them.
It changes nothing WeasyPrint writes: a reader, with no switch (see the package
docstring), written for the WeasyPrint versions of `patches.WEASYPRINT` (70.x:
`Stream._tags`, `Page._page_box`, the box classes, `TextBox.text`, `is_leader`,
`MarginBox.at_keyword`, the `pango_layout` of a text box). Outside them nothing is
read, and the registry's version warning says the PDFs claim no PDF/UA conformance.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any

#: Bidirectional classes of right-to-left characters.
RTL_CLASSES = frozenset({"R", "AL", "AN"})


@dataclass(frozen=True)
class Mark:
    """One marked-content sequence: the text box or image it draws, and where that sits."""

    page: int  # 0-based
    mcid: int
    text: str  # the box's text, in logical order ('' for an image)
    lang: str | None
    #: the at-rule of the page margin box it is drawn in ('@bottom-right' ...), if any
    margin: str | None = None
    leader: bool = False  # a `leader()`, drawn to guide the eye
    generated: bool = False  # ::before, ::after or ::marker content, not the author's text
    rtl: bool = False  # holds right-to-left text (its glyphs are drawn in visual order)
    #: the block the text belongs to (one number per HTML element, across pages) and
    #: its line (numbered through the document); None outside lines (images, margins)
    block: int | None = None
    line: int | None = None
    hyphen: str = "\u2010"  # the block's hyphenate-character


@dataclass
class Recording:
    """The marks of one PDF being written, in the structure tree's order; the source
    text of each block (whitespace collapsed), for the line ends; and for a block
    taken out of a line (a float, an inline block), the block whose line it sits in."""

    marks: list[Mark]
    sources: dict[int, str]
    flows: dict[int, int]


_RECORDING: ContextVar[Recording | None] = ContextVar("booklet_marks", default=None)


def install() -> bool:
    """Wrap WeasyPrint's `add_tags` to read the marks (idempotent). False, and nothing
    is read, for a WeasyPrint this reader was not written for or one without that
    function: the PDFs then claim no PDF/UA conformance."""
    from weasyprint import pdf as weasy_pdf

    from .patches import WEASYPRINT

    original = getattr(weasy_pdf, "add_tags", None)
    if original is None or not WEASYPRINT.admits(_installed_version()):
        return False
    if getattr(original, "booklet_reads_marks", False):
        return True

    def add_tags(pdf: Any, document: Any, pdf_version: Any, page_streams: Any) -> Any:
        recording = _RECORDING.get()
        if recording is not None:
            _read(document, page_streams, recording)
        return original(pdf, document, pdf_version, page_streams)

    add_tags.booklet_reads_marks = True  # type: ignore[attr-defined]
    weasy_pdf.add_tags = add_tags
    return True


@cache
def _installed_version() -> str:
    """WeasyPrint's version, read once a process (reading it scans the installed
    distributions)."""
    from importlib.metadata import version

    return version("weasyprint")


@contextmanager
def recording() -> Iterator[Recording]:
    """Record the marks of the tagged PDFs written inside the block."""
    found = Recording([], {}, {})
    token = _RECORDING.set(found)
    try:
        yield found
    finally:
        _RECORDING.reset(token)


def _read(document: Any, page_streams: Any, out: Recording) -> None:
    walk = _Walk(out)
    for index, (page, stream) in enumerate(zip(document.pages, page_streams, strict=True)):
        walk.page, walk.tags = index, getattr(stream, "_tags", None) or {}
        walk.box(page._page_box)
    for element_id, number in walk.blocks.items():
        out.sources[number] = _source_text(walk.elements[element_id])


class _Walk:
    """The pages' boxes, depth first, in the order WeasyPrint builds the tree."""

    def __init__(self, out: Recording) -> None:
        from weasyprint.formatting_structure import boxes
        from weasyprint.layout.absolute import AbsolutePlaceholder

        self.boxes, self.placeholder = boxes, AbsolutePlaceholder
        self.marks, self.flows = out.marks, out.flows
        self.page, self.tags = 0, {}
        self.blocks: dict[int, int] = {}  # id(element) -> block number
        self.elements: dict[int, Any] = {}
        self.lines = 0

    def box(self, box: Any, margin: str | None = None, leader: bool = False,
            where: tuple[int | None, int | None] = (None, None), parent: Any = None) -> None:
        boxes = self.boxes
        if isinstance(box, self.placeholder):
            box = box._box
        if isinstance(box, boxes.MarginBox):
            margin = box.at_keyword
        leader = leader or bool(getattr(box, "is_leader", False))
        tag = self.tags.get(box)
        if tag is not None:
            self.mark(box, tag["mcid"], margin, leader, where)
        children = getattr(box, "children", ())
        if children and isinstance(children[-1], boxes.LineBox) and margin is None:
            block = self.block_of(box)
            if block is not None and (box.is_floated() or box.is_absolutely_positioned()
                                      or isinstance(box, boxes.InlineBlockBox)):
                # out of the line: its text reads on with the text of the element it is in
                outer = where[0] if where[0] is not None else \
                    self.block_of(parent) if parent is not None else None
                if outer is not None and outer != block:
                    self.flows[block] = outer
            for child in children:
                if isinstance(child, boxes.LineBox):
                    self.lines += 1
                    self.box(child, margin, leader, (block, self.lines), box)
                else:
                    self.box(child, margin, leader, (block, None), box)
            return
        for child in children:
            self.box(child, margin, leader, where, box)

    def block_of(self, box: Any) -> int | None:
        element = box.element
        if element is None:
            return None
        key = id(element)
        if key not in self.blocks:
            self.blocks[key] = len(self.blocks)
            self.elements[key] = element
        return self.blocks[key]

    def mark(self, box: Any, mcid: int, margin: str | None, leader: bool,
             where: tuple[int | None, int | None]) -> None:
        text = getattr(box, "text", "") or ""
        style = box.style
        layout = getattr(box, "pango_layout", None)
        rtl = bool(layout is not None and getattr(layout, "first_line_direction", 0) % 2) or \
            any(unicodedata.bidirectional(char) in RTL_CLASSES for char in text)
        block, line = where
        self.marks.append(Mark(
            page=self.page, mcid=mcid, text=text, lang=style["lang"] or None,
            margin=margin, leader=leader, generated="::" in (box.element_tag or ""),
            rtl=rtl, block=block, line=line, hyphen=style["hyphenate_character"]))


#: HTML elements that end a line or a block of text: a word ends at their edges.
BREAKS = frozenset("""br p div li dt dd h1 h2 h3 h4 h5 h6 ul ol dl table tr td th caption
    section article aside nav header footer figure figcaption blockquote""".split())


def _source_text(element: Any) -> str:
    """An element's text as the author wrote it, whitespace collapsed; a line break or
    block edge inside it counts as a space."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        local = node.tag.rpartition("}")[2] if isinstance(node.tag, str) else ""
        gap = " " if local in BREAKS else ""
        parts.append(gap + (node.text or ""))
        for child in node:
            walk(child)
            parts.append(child.tail or "")
        parts.append(gap)

    walk(element)
    return " ".join("".join(parts).split())
