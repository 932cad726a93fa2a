from __future__ import annotations

from booklet.pdf.info import page_count

from ..pdfcheck import reader


def test_page_count_matches_a_pdf_library(bundled):
    assert page_count(bundled["pdf"].read_bytes()) == len(reader(bundled["pdf"]).pages)


def test_page_count_of_something_else_is_unknown():
    assert page_count(b"%PDF-1.7\nnothing here") is None
    assert page_count(b"PK\x03\x04 an EPUB") is None
