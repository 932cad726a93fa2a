"""Reading EPUBs back for tests: package, documents, page markers and the words after them."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "ncx": "http://www.daisy.org/z3986/2005/ncx/"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
SENTINEL = "\ue000page:{}\ue000"


class Epub:
    """An EPUB file opened for reading: package document and XHTML by manifest href."""

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        container = etree.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.find(".//{*}rootfile").get("full-path")
        self.folder = self.opf_path.rsplit("/", 1)[0]
        self.package = etree.fromstring(self.zip.read(self.opf_path))
        self.manifest = {i.get("id"): i for i in self.package.find("opf:manifest", NS)}

    def read(self, href: str) -> bytes:
        return self.zip.read(f"{self.folder}/{href}")

    def xhtml(self, href: str) -> etree._Element:
        return etree.fromstring(self.read(href))

    def spine(self) -> list[tuple[str, str]]:
        """(href, linear) in spine order."""
        return [(self.manifest[i.get("idref")].get("href"), i.get("linear", "yes"))
                for i in self.package.find("opf:spine", NS)]

    def meta(self, prop: str) -> list[str]:
        return [m.text for m in self.package.iterfind(f".//opf:meta[@property='{prop}']", NS)]

    def page_list(self) -> list[tuple[str, str]]:
        """(label, href) of the nav's page-list."""
        nav = self.xhtml("nav.xhtml")
        pages = nav.find(".//x:nav[@epub:type='page-list']", NS)
        return [(a.text, a.get("href")) for a in pages.iter(f"{{{NS['x']}}}a")]

    def text_after_markers(self) -> dict[str, str]:
        """Page label -> the reading-order text from its marker to the next one."""
        chunks = []
        for href, linear in self.spine():
            if linear == "no":
                continue
            root = self.xhtml(href)
            for nav in root.iterfind(".//x:nav", NS):
                if nav.get(EPUB_TYPE) in ("landmarks", "page-list"):
                    nav.getparent().remove(nav)
            for span in root.iterfind(".//x:span[@role='doc-pagebreak']", NS):
                span.text = SENTINEL.format(span.get("aria-label"))
            chunks.append(" ".join(root.find("x:body", NS).itertext()))
        pieces = re.split("\ue000page:(.*?)\ue000", " ".join(chunks))
        return dict(zip(pieces[1::2], pieces[2::2], strict=True))


def words(text: str, count: int = 4) -> list[str]:
    """The first `count` words, case-folded, without hyphenation or contents leaders."""
    text = re.sub(r"[\u2010\u00ad]\s*\n\s*", "", text)
    text = re.sub(r"\s*\.{3,}\s*\d+", " ", text)
    return text.casefold().split()[:count]
