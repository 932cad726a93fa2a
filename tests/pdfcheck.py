"""Reading PDFs back for tests: text per page, contents entries, outline, fonts."""

from __future__ import annotations

import math
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


def text_sizes(page: pypdf.PageObject) -> list[tuple[float, str, str]]:
    """(size in points, font name, text) for every non-blank text run on a page."""
    runs: list[tuple[float, str, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
            name = re.sub(r"^/([A-Z]{6}\+)?", "", str(font.get("/BaseFont"))) if font else ""
            runs.append((round(size * scale, 2), name, text.strip()))

    page.extract_text(visitor_text=visit)
    return runs


def structure_types(pdf: pypdf.PdfReader) -> list[str]:
    """The structure types (/S) of the tagged PDF's structure tree, depth first."""
    found: list[str] = []
    stack = [pdf.trailer["/Root"]["/StructTreeRoot"].get_object()]
    while stack:
        node = stack.pop()
        if "/S" in node:
            found.append(str(node["/S"]))
        kids = node.get("/K")
        kids = kids.get_object() if kids is not None else []
        for kid in reversed(kids if isinstance(kids, list) else [kids]):
            kid = kid.get_object()
            if isinstance(kid, dict) and kid.get("/Type", "/StructElem") == "/StructElem":
                stack.append(kid)
    return found
