"""The state every rule reads: the open PDF, its pages, and where failures go."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pikepdf

from ._pdf import ObjGen, get, objgen, ref, text
from .report import Failure

if TYPE_CHECKING:
    from .content import ContentScan
    from .objects import ObjectScan
    from .structure import StructTree

# ISO 32000-1 14.9.2 language identifier (RFC 3066 shape), as veraPDF tests it.
LANG_TAG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")


def valid_lang(value: str | None) -> bool:
    return bool(value) and bool(LANG_TAG.match(value or ""))


class Context:
    """One PDF being checked; rules add failures through fail()."""

    tree: StructTree
    scan: ContentScan
    objects: ObjectScan

    def __init__(self, pdf: pikepdf.Pdf, *, extensions: bool = True) -> None:
        self.pdf = pdf
        self.catalog = pdf.Root
        self.page_objs = [page.obj for page in pdf.pages]
        self.page_index: dict[ObjGen, int] = {}
        for i, page in enumerate(self.page_objs):
            og = objgen(page)
            if og:
                self.page_index.setdefault(og, i)
        self.extensions = extensions
        self.failures: list[Failure] = []
        lang = text(get(self.catalog, "/Lang"))
        # An empty or malformed /Lang determines nothing (ISO 32000-1 14.9.2.1).
        self.catalog_lang = lang if valid_lang(lang) else None

    def fail(self, rule: str, page: int | None, obj: object, message: str) -> None:
        """Record a failure; page is 0-based here and 1-based in the report."""
        where = ref(obj) if not isinstance(obj, str) else obj
        self.failures.append(Failure(rule, None if page is None else page + 1, where, message))

    def page_of(self, obj: object) -> int | None:
        """0-based index of a page object, None if it is not one of the document's pages."""
        og = objgen(obj)
        return self.page_index.get(og) if og else None
