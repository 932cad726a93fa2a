"""Personal copies laid out from the generic pages: only the client's own pages anew.

A personal copy differs from the generic edition on its cover ("Prepared for ..."),
its note after the contents, and its back cover (the next appointment); worksheet
answers go into the form fields after the PDF is written (`booklet.pdf.prefill`).
So a batch lays out each edition once with stand-in details (a template), and each
copy lays out only a short document of its own pages: the cover, as many empty pages
as the contents take, the note, the back cover (templates/print/personal-pages.html).
Its pages take the stand-ins' places among the template's (`Document.copy`, which
WeasyPrint documents for combining the pages of several layouts): every other page,
its page numbers and the contents' page numbers are the same for every client.

That holds while the client's note takes as many pages as the stand-in's one page; a
copy whose note does not is laid out whole. Either way the copy's pages are the same
(tests/build/test_copies.py compares them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import writer

if TYPE_CHECKING:
    from weasyprint import Document

    from ..options import BuildOptions
    from ..render.html import Renderer
    from ..sandbox.policy import ResourcePolicy
    from ..source.clients import Personal
    from ..source.model import Booklet

#: The ids (templates) of the pages a copy replaces: its cover, note and back cover.
COVER, NOTE, BACK_COVER = "cover", "personal-note", "back-cover"


@dataclass(frozen=True)
class _Template:
    """An edition laid out with stand-in details, and where its stand-in pages are."""

    document: Document
    #: Index of the note's first page and the number of its pages (0: no note).
    note_start: int
    note_pages: int


class CopyLayouts:
    """The layouts of a batch's copies, with the pages that do not depend on the
    client laid out once per edition. `reading_edition` and `render_large_print`
    stand in for `booklet.pdf.writer`'s when the build renders a copy."""

    def __init__(self) -> None:
        self._templates: dict[tuple[Path, bool, bool], _Template] = {}
        #: Copies combined from a template's pages, and copies laid out whole.
        self.combined = self.whole = 0

    def reading_edition(self, booklet: Booklet, renderer: Renderer, options: BuildOptions,
                        policy: ResourcePolicy) -> writer.PrintEdition:
        """The copy's reading edition, laid out."""
        return writer.PrintEdition(booklet, self.layout(booklet, renderer, options, policy),
                                   options, writer.page_link(booklet, renderer))

    def render_large_print(self, booklet: Booklet, renderer: Renderer,
                           options: BuildOptions, policy: ResourcePolicy) -> bytes:
        """The copy's large-print edition as PDF bytes."""
        document = self.layout(booklet, renderer, options, policy, large_print=True)
        return writer.write(document, booklet, options, edition="-large-print",
                            page_link=writer.page_link(booklet, renderer))

    def layout(self, booklet: Booklet, renderer: Renderer, options: BuildOptions,
               policy: ResourcePolicy, large_print: bool = False) -> Document:
        """The copy for `renderer.personal`, from its own pages and the template's."""
        personal = renderer.personal
        if personal is None:
            return writer.layout(booklet, renderer, options, policy, large_print)
        template = self._template(booklet, renderer, options, policy, large_print,
                                  bool(personal.note))
        blank = max(template.note_start - 1, 0)  # the contents' pages
        own_back = 1 + blank + template.note_pages
        pad = (len(template.document.pages) - 1 - own_back) % 2  # back cover: same side
        html = renderer.print_html(booklet, options, name="print/personal-pages.html",
                                   blank_pages=blank, pad_pages=pad)
        own = writer.layout(booklet, renderer, options, policy, large_print, html=html)
        pages = _combined(template, own.pages, own_back + pad)
        if pages is None:  # the note is longer or shorter than the stand-in's
            self.whole += 1
            return writer.layout(booklet, renderer, options, policy, large_print)
        self.combined += 1
        return template.document.copy(pages)

    def _template(self, booklet: Booklet, renderer: Renderer, options: BuildOptions,
                  policy: ResourcePolicy, large_print: bool, note: bool) -> _Template:
        key = (booklet.folder, large_print, note)
        if key not in self._templates:
            document = writer.layout(booklet, renderer.for_client(stand_in(note)), options,
                                     policy, large_print)
            start, count = _pages_of(document.pages, NOTE, booklet.parts[0].id)
            self._templates[key] = _Template(document, start, count)
        return self._templates[key]


def stand_in(note: bool) -> Personal:
    """Details that take the client's place in a template: one line each, and a note
    of one line when the copies have one."""
    from ..source.clients import Personal

    return Personal(name="-", by="-", next="-", note="-" if note else None)


def _pages_of(pages: list, first: str, after: str) -> tuple[int, int]:
    """The index of the page holding anchor `first` and how many pages run from it to
    the page holding `after`; (0, 0) when no page holds `first`."""
    starts = [n for n, page in enumerate(pages) if first in page.anchors]
    ends = [n for n, page in enumerate(pages) if after in page.anchors]
    if not starts or not ends:
        return 0, 0
    return starts[0], ends[0] - starts[0]


def _combined(template: _Template, own: list, back: int) -> list | None:
    """The copy's pages: its own cover, note and back cover (at index `back` of `own`)
    among the template's other pages; None when its own pages do not take the
    template's places (a note of another length)."""
    pages = template.document.pages
    start, end = template.note_start, template.note_start + template.note_pages
    if len(own) != back + 1 or not (COVER in own[0].anchors and BACK_COVER in own[back].anchors
                                    and BACK_COVER in pages[-1].anchors):
        return None
    if start and NOTE not in own[start].anchors:
        return None
    return [own[0], *pages[1:start or 1], *own[start:end], *pages[end or 1:-1], own[back]]
