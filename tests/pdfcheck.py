"""Reading PDFs back for tests: text per page, contents entries, outline, fonts."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf

LEADER_LINE = re.compile(r"^(?P<title>.+?)\s*\.{3,}\s*(?P<page>\d+)$")


def reader(path: Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(str(path))


def page_texts(pdf: pypdf.PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in pdf.pages]


def contents_entries(pdf: pypdf.PdfReader) -> list[tuple[str, int]]:
    """(title, page number) pairs read off the contents page's leader lines."""
    entries = []
    for text in page_texts(pdf):
        if not text.lstrip().startswith("Contents"):
            continue
        for line in text.splitlines():
            if match := LEADER_LINE.match(line.strip()):
                entries.append((match["title"].strip(), int(match["page"])))
    return entries


def outline(pdf: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, 1-based page) for every bookmark, depth first."""
    found: list[tuple[int, str, int]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, pdf.get_destination_page_number(item) + 1))

    walk(pdf.outline, 1)
    return found


def fonts(pdf: pypdf.PdfReader) -> dict[str, bool]:
    """BaseFont name -> whether its font program is embedded, over every page."""
    found: dict[str, bool] = {}
    for page in pdf.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font["/BaseFont"])] = embedded
    return found
