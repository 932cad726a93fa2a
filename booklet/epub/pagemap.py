"""The print page map: where each page of the print edition begins, carried into the EPUB.

`page_starts` reads the laid-out print edition (a WeasyPrint `Document`) and finds on
each page the first body text or image. It records that spot as a place both editions
share: the nearest enclosing element with an id (parts, sections, headings, contents,
cover and back cover carry the same ids in print and EPUB), the element path from it
down to the block (paragraph, list item, heading ...), and how many of that block's
characters earlier pages already showed. `page_marks` and `mark_pages` then put an
empty page-break marker at the same spot in the EPUB's XHTML: before the block when
the page starts with it, else before the first word that begins on the page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lxml import etree

from ..engine.boxes import Leaf, page_leaves, root_elements

if TYPE_CHECKING:
    from weasyprint import Document

LOG = logging.getLogger("booklet")

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"

#: Elements that sit inside a line of text; any other element is a block.
PHRASING = frozenset(
    "a abbr b bdi bdo br cite code data del dfn em i img ins kbd label mark q s samp "
    "small span strong sub sup time u var wbr".split())
#: Parents that may not hold a marker directly (only list items, rows ... may).
NO_FLOW = frozenset("ul ol dl table thead tbody tfoot tr colgroup head html".split())


@dataclass(frozen=True)
class PageStart:
    """Where print page `label` begins.

    `anchor` is the id of the nearest element with an id enclosing the page's first
    text; `path` the element-child indices from it down to the block holding that text;
    `block_text` the block's visible characters (to check the EPUB has the same block);
    `offset` how many of them earlier pages showed (0: the page starts with the block).
    A page without text or images (a blank page) has `anchor` None and goes with the
    next page. `first_line` is the page's first line of text, for messages.
    """

    label: str
    anchor: str | None
    path: tuple[int, ...] = ()
    block_text: str = ""
    offset: int = 0
    first_line: str = ""


@dataclass(frozen=True)
class PageMark:
    """A page-break marker in the EPUB: page `label` at `file_name#id`."""

    label: str
    file_name: str
    id: str

    @property
    def href(self) -> str:
        return f"{self.file_name}#{self.id}"


# --- reading the print layout -------------------------------------------------------

def page_starts(document: Document) -> tuple[PageStart, ...]:
    """Where each page of the laid-out print edition begins (page n has label 'n').

    Reads WeasyPrint's page boxes through `booklet.engine.boxes`.
    """
    parents = {child: parent for root in root_elements(document) for parent in root.iter()
               for child in parent}
    shown: dict[Any, int] = {}
    texts: dict[Any, str] = {}
    starts = []
    for number, page in enumerate(document.pages, start=1):
        first = None
        for leaf in page_leaves(page):
            if leaf.text is not None and not visible(leaf.text):
                continue
            block = _block_of(leaf.element, parents)
            done = shown.get(block, 0)
            if not _moved(block, parents):
                first = first or (leaf, block, done)
            if leaf.text is not None:
                if block not in texts:
                    texts[block] = visible(block_text(block))
                shown[block] = done + _advance(leaf, texts[block], done)
        starts.append(_page_start(str(number), first, parents))
    return tuple(starts)


def _advance(leaf: Leaf, text: str, at: int) -> int:
    """How many of the block's visible characters a text box shows.

    A line broken by hyphenation ends with a hyphen the text does not have.
    """
    shown = visible(leaf.text or "")
    hyphen = visible(leaf.hyphen)
    count = len(shown)
    if hyphen and shown.endswith(hyphen) and text[at + count - len(hyphen):at + count] != hyphen:
        count -= len(hyphen)
    return count


def _page_start(label: str, first: tuple[Leaf, Any, int] | None,
                parents: Mapping[Any, Any]) -> PageStart:
    if first is None:
        return PageStart(label, None)
    leaf, block, offset = first
    path: list[int] = []
    anchor = block
    while anchor is not None and not anchor.get("id"):
        parent = parents.get(anchor)
        if parent is not None:
            path.insert(0, _element_children(parent).index(anchor))
        anchor = parent
    line = leaf.text or leaf.element.get("alt", "")
    if anchor is None:
        LOG.warning("page %s: no element with an id holds its first text %r; its "
                    "EPUB page marker goes with the next page", label, line[:40])
        return PageStart(label, None)
    return PageStart(label, anchor.get("id"), tuple(path), visible(block_text(block)),
                     offset, line.strip())


# --- placing markers in the EPUB -----------------------------------------------------

def page_marks(documents: Mapping[str, str], starts: Sequence[PageStart]) -> list[PageMark]:
    """Which EPUB file and id each page's marker gets (documents: file name -> XHTML)."""
    files = {name: _parse(xhtml) for name, xhtml in documents.items()}
    where = {el.get("id"): name for name, root in files.items() for el in root.iter()
             if isinstance(el.tag, str) and el.get("id")}
    taken = {name: set() for name in files}
    for name, root in files.items():
        taken[name] = {el.get("id") for el in root.iter() if isinstance(el.tag, str)}
    located = [where.get(start.anchor) if start.anchor else None for start in starts]
    for start, name in zip(starts, located, strict=True):
        if start.anchor and name is None:
            LOG.warning("page %s: the EPUB has no element with id '%s' (where print page %s "
                        "begins); its marker goes with the next page", start.label,
                        start.anchor, start.label)
    if not any(located):
        return []
    marks = []
    for n, start in enumerate(starts):
        name = next((f for f in located[n:] if f), None) or next(
            f for f in reversed(located[:n]) if f)
        marks.append(PageMark(start.label, name, _free_id(taken[name], f"page-{start.label}")))
    return marks


def mark_pages(documents: Mapping[str, str], starts: Sequence[PageStart],
               marks: Sequence[PageMark]) -> dict[str, str]:
    """The documents with the page-break markers of `marks` inserted."""
    roots = {name: _parse(xhtml) for name, xhtml in documents.items()}
    ids = {(name, el.get("id")): el for name, root in roots.items() for el in root.iter()
           if isinstance(el.tag, str) and el.get("id")}
    pending: list[etree._Element] = []
    last = None
    for start, mark in zip(starts, marks, strict=True):
        marker = _marker(mark)
        anchor = ids.get((mark.file_name, start.anchor))
        if anchor is None:
            pending.append(marker)
            continue
        _place(anchor, start, marker, last)
        for earlier in pending:
            marker.addprevious(earlier)
        pending, last = [], marker
    for marker in reversed(pending):
        _insert_after(last, marker)
    touched = {mark.file_name for mark in marks}
    return {name: _serialize(roots[name]) if name in touched else xhtml
            for name, xhtml in documents.items()}


def _place(anchor: etree._Element, start: PageStart, marker: etree._Element,
           last: etree._Element | None) -> None:
    block = _follow(anchor, start.path)
    if block is None or visible(block_text(block)) != start.block_text:
        # The ebook shows this block differently (a cover image, a worksheet's list):
        # mark the start of the enclosing element, or just after the previous page
        # when that one already lies inside it, so pages stay in order.
        LOG.debug("page %s: the EPUB has no block like print's %r; marker at #%s",
                  start.label, start.first_line[:40], start.anchor)
        if last is not None and anchor in last.iterancestors():
            _insert_after(last, marker)
        else:
            _insert_before_block(anchor, marker)
    elif start.offset == 0:
        _insert_before_block(block, marker)
    else:
        _insert_in_text(block, start.offset, marker)


def _insert_before_block(block: etree._Element, marker: etree._Element) -> None:
    """Put the marker before the block, or before the outermost block it opens."""
    element = block
    while (parent := element.getparent()) is not None and _local(parent.tag) != "body" \
            and parent.getparent() is not None and _opens(parent, element):
        element = parent
    parent = element.getparent()
    if parent is None or _local(parent.tag) in NO_FLOW:
        marker.tail, element.text = element.text, None
        element.insert(0, marker)
    else:
        element.addprevious(marker)


def _insert_in_text(block: etree._Element, offset: int, marker: etree._Element) -> None:
    """Put the marker before the block's visible character `offset`, at a word start."""
    slots = list(_slots(block))
    chars = [(k, i, ch) for k, (node, attr) in enumerate(slots)
             for i, ch in enumerate(getattr(node, attr) or "")]
    counted = [j for j, (_, _, ch) in enumerate(chars) if _counts(ch)]
    if offset >= len(counted):
        block.append(marker)
        return
    j = counted[offset]
    if j and chars[j - 1][2].isalnum() and chars[j][2].isalnum():
        # The page starts inside a hyphenated word: mark the start of the next word.
        while j < len(chars) and not chars[j][2].isspace():
            j += 1
        while j < len(chars) and chars[j][2].isspace():
            j += 1
        if j == len(chars):
            block.append(marker)
            return
    k, i, _ = chars[j]
    node, attr = slots[k]
    text = getattr(node, attr)
    if attr == "text" and i == 0 and node is not block:
        node.addprevious(marker)
    elif attr == "text":
        node.text, marker.tail = text[:i], text[i:]
        node.insert(0, marker)
    else:
        node.tail, marker.tail = text[:i], text[i:]
        node.getparent().insert(node.getparent().index(node) + 1, marker)


def _insert_after(element: etree._Element, new: etree._Element) -> None:
    parent = element.getparent()
    new.tail, element.tail = element.tail, None
    parent.insert(parent.index(element) + 1, new)


def _opens(parent: etree._Element, child: etree._Element) -> bool:
    """Whether `child` is the first thing in `parent` (no text or element before it)."""
    children = _element_children(parent)
    return bool(children) and children[0] is child and not visible(parent.text or "")


def _follow(anchor: etree._Element, path: Sequence[int]) -> etree._Element | None:
    element = anchor
    for index in path:
        children = _element_children(element)
        if index >= len(children):
            return None
        element = children[index]
    return element


def _marker(mark: PageMark) -> etree._Element:
    marker = etree.Element(f"{{{XHTML_NS}}}span", nsmap={None: XHTML_NS, "epub": EPUB_NS})
    marker.set(f"{{{EPUB_NS}}}type", "pagebreak")
    marker.set("role", "doc-pagebreak")
    marker.set("id", mark.id)
    marker.set("aria-label", mark.label)
    marker.text = ""
    return marker


def _free_id(taken: set[str], wanted: str) -> str:
    candidate, n = wanted, 1
    while candidate in taken:
        n += 1
        candidate = f"{wanted}-{n}"
    taken.add(candidate)
    return candidate


def _parse(xhtml: str) -> etree._Element:
    return etree.fromstring(xhtml.encode("utf-8"), etree.XMLParser(remove_blank_text=False))


def _serialize(root: etree._Element) -> str:
    etree.cleanup_namespaces(root)
    body = etree.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n{body}\n'


# --- text of a block, the same in both trees ----------------------------------------

def block_text(block: Any) -> str:
    """The text a block shows itself, without the text of blocks nested in it."""
    return "".join(getattr(node, attr) or "" for node, attr in _slots(block))


def _slots(element: Any) -> Iterator[tuple[Any, str]]:
    """(node, 'text' | 'tail') for every run of the element's own text, in order."""
    yield element, "text"
    for child in element:
        if isinstance(child.tag, str) and _local(child.tag) in PHRASING:
            yield from _slots(child)
        yield child, "tail"


def _moved(element: Any, parents: Mapping[Any, Any]) -> bool:
    """Whether the element lies in a figure print moved past the text after it (to the
    top of the next page): the ebook has it earlier, so a page is not marked there."""
    while element is not None:
        if element.get("data-moved"):
            return True
        element = parents.get(element)
    return False


def _block_of(element: Any, parents: Mapping[Any, Any]) -> Any:
    while _local(element.tag) in PHRASING and element in parents:
        element = parents[element]
    return element


def _element_children(element: Any) -> list[Any]:
    """Child elements, without page-break markers placed earlier and without figures
    print moved (paths skip them; print keeps an empty placeholder where the ebook
    has the figure)."""
    return [child for child in element
            if isinstance(child.tag, str) and child.get("role") != "doc-pagebreak"
            and not child.get("data-moved")]


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _counts(char: str) -> bool:
    return not char.isspace() and char != "\xad"


def visible(text: str) -> str:
    """The characters of `text` that print: no white space, no soft hyphens."""
    return "".join(text.split()).replace("\xad", "")  # split(): the same as isspace()
