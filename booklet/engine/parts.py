"""What laying out a booklet part by part needs from WeasyPrint's internals.

`booklet watch` lays out each part of an edited booklet as a document of its own and
keeps the pages of the parts that did not change (`booklet.pdf.parts`). Two things
have no public API in WeasyPrint 70:

- a document from a tree already parsed (`html_document`): the whole booklet is
  parsed once and each part's document holds that part's very elements, instead of
  printing and parsing each part again (which could also parse differently);
- page numbers of targets in other parts (`targets_elsewhere`): the contents page
  says on which page each part and section begins (`target-counter(..., page)`),
  and those pages are laid out in other documents. WeasyPrint's `TargetCollector`
  is asked for targets it does not hold; with `install()`, while the block runs, a
  target laid out elsewhere is answered with the page it lies on there, as WeasyPrint
  itself answers once it has laid out the whole document.

Nothing here changes a whole-document layout: the patched lookup only answers for
names given to `targets_elsewhere`, which only the part-by-part layout gives.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from .counters import hits

#: Targets laid out in other parts while one part is laid out: name -> page number
#: (None outside `targets_elsewhere`).
_elsewhere: Mapping[str, int] | None = None
#: The ones this part's layout asked for, and the page it was told.
_asked: dict[str, int] = {}


def install() -> None:
    """Let `targets_elsewhere` answer WeasyPrint's lookups of other parts' targets
    (idempotent)."""
    from weasyprint.css.targets import TargetCollector

    original = TargetCollector.lookup_target
    if getattr(original, "booklet_elsewhere", False):
        return

    def lookup_target(self: Any, anchor_token: Any, source_box: Any, css_token: Any,
                      parse_again: Any) -> Any:
        if _elsewhere:
            name = _anchor_name(anchor_token, source_box)
            if name in _elsewhere and name not in self.target_lookup_items:
                return _laid_out_elsewhere(name, _elsewhere[name])
        return original(self, anchor_token, source_box, css_token, parse_again)

    lookup_target.booklet_elsewhere = True  # type: ignore[attr-defined]
    TargetCollector.lookup_target = lookup_target


@contextmanager
def targets_elsewhere(pages: Mapping[str, int]) -> Iterator[dict[str, int]]:
    """Within the block, a target named in `pages` and missing from the document being
    laid out lies on that page; yields the targets the layout asked for, by page."""
    global _elsewhere
    saved, _elsewhere = _elsewhere, pages
    _asked.clear()
    asked: dict[str, int] = {}
    try:
        yield asked
    finally:
        asked.update(_asked)
        _elsewhere = saved


def _laid_out_elsewhere(name: str, page: int) -> Any:
    """An up-to-date lookup item for a target on `page` of another part."""
    from weasyprint.css.targets import TargetLookupItem

    item = TargetLookupItem(state="up-to-date")
    # target-counter() reads the target's own counters from its box, and the page
    # counters from the item (which WeasyPrint fills once the target's page is made).
    item.target_box = _Target()
    item.page_maker_index = -1  # not a page of this document: never to be made again
    item.cached_page_counter_values = {"page": [page]}
    _asked[name] = page
    hits["parts"] += 1
    return item


class _Target:
    """Stands for a target box in another document: no counters of its own."""

    cached_counter_values: dict = {}


def _anchor_name(anchor_token: Any, source_box: Any) -> str | None:
    """The target's name, as `TargetCollector.lookup_target` works it out."""
    from weasyprint.css.targets import anchor_name_from_token
    from weasyprint.urls import get_url_tuple

    if anchor_token[0] == "attr()":
        attr_name, type_, fallback = anchor_token[1]
        value = source_box.element.get(attr_name, fallback)
        if type_ == "string":
            anchor_token = ("string", value)
        elif type_ == "url":
            anchor_token = ("url", get_url_tuple(value, source_box.style.base_url))
    return anchor_name_from_token(anchor_token)


def html_document(root: Any, base_url: str, url_fetcher: Any, media_type: str = "print"
                  ) -> Any:
    """A WeasyPrint `HTML` of an element tree parsed before (by `HTML`), as its
    constructor would make it from the source text."""
    import cssselect2
    from weasyprint import HTML

    document = HTML.__new__(HTML)
    document.base_url = base_url
    document.url_fetcher = url_fetcher
    document.media_type = media_type
    document.wrapper_element = cssselect2.ElementWrapper.from_html_root(
        root, content_language=None)
    document.etree_element = document.wrapper_element.etree_element
    return document


def metadata(html: Any) -> Any:
    """The document metadata WeasyPrint reads from an `HTML`'s head."""
    from weasyprint.html import get_html_metadata
    from weasyprint.pdf.metadata import DocumentMetadata

    return DocumentMetadata(**get_html_metadata(html))
