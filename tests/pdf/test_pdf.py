from __future__ import annotations

import re

import pytest

from booklet.build.pipeline import build
from booklet.source.loader import load_booklet

from ..helpers import BUNDLED, booklet_md
from ..pdfcheck import contents_entries, fonts, outline, page_texts, reader

A5 = (419.53, 595.28)


@pytest.fixture(scope="module")
def pdf(bundled):
    return reader(bundled["pdf"])


def test_page_size_is_a5_portrait(pdf):
    for page in pdf.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A5, abs=0.1)


def test_page_count(pdf):
    assert 8 <= len(pdf.pages) <= 20


def test_cover_then_contents(pdf):
    texts = page_texts(pdf)
    meta = load_booklet(BUNDLED).meta
    assert meta.title.split()[0] in texts[0]
    assert texts[1].lstrip().startswith("Contents")


def test_contents_numbers_are_the_pages_headings_are_on(pdf):
    booklet = load_booklet(BUNDLED)
    entries = contents_entries(pdf)
    expected_titles = [t for p in booklet.parts for t in (p.title, *(s.title for s in p.sections))]
    assert [title for title, _ in entries] == [*expected_titles, "Sources and further reading"]
    texts = page_texts(pdf)
    for title, page in entries:
        lines = [line.strip() for line in texts[page - 1].splitlines()]
        assert title in lines, f"{title!r} is not on page {page}"


def test_outline_mirrors_the_headings(pdf):
    booklet = load_booklet(BUNDLED)
    expected = [(1, "Contents")]
    for part in booklet.parts:
        expected.append((1, part.title))
        expected.extend((2, s.title) for s in part.sections)
    expected.append((1, "Sources and further reading"))
    found = outline(pdf)
    assert [(level, title) for level, title, _ in found] == expected
    by_title = dict(contents_entries(pdf))
    for _, title, page in found[1:]:
        assert by_title[title] == page


def test_running_footer_has_page_number_and_short_title_but_not_on_cover(pdf):
    texts = page_texts(pdf)
    short = load_booklet(BUNDLED).meta.running_title
    assert short not in texts[0]
    for number, text in enumerate(texts[1:-1], start=2):
        footer = [line.strip() for line in text.splitlines() if short in line]
        assert footer, f"no running title on page {number}"
        assert re.fullmatch(rf"{number}\s*{short}|{short}\s*{number}", footer[-1])


def test_fonts_are_packaged_embedded_and_subset(pdf):
    found = fonts(pdf)
    assert found and all(found.values()), found
    for name in found:
        assert re.match(r"^/[A-Z]{6}\+", name), f"{name} is not a subset"
    families = {re.sub(r"^/[A-Z]{6}\+", "", n).split("-")[0] for n in found}
    # Atkinson Hyperlegible is the worksheet's form-field font (embedded whole).
    assert families == {"Literata", "Source", "Atkinson"}, families


def test_metadata(pdf):
    info = pdf.metadata
    meta = load_booklet(BUNDLED).meta
    assert info.title == meta.title
    assert info.subject == meta.summary
    assert info["/Keywords"] == ", ".join(meta.keywords)
    assert info["/CreationDate"] == "D:20251124160000Z"
    assert pdf.trailer["/Root"]["/Lang"] == "en"


def test_small_enough_to_email(bundled):
    assert bundled["pdf"].stat().st_size < 250 * 1024


def test_author_and_language_from_front_matter(tmp_project, options_at_epoch, tmp_path):
    root = tmp_project({"content/demo/booklet.md": booklet_md(
        "title: Demo\nauthors: [Ana Ruiz, Sam Lee]\nlanguage: es")})
    [outcome] = build([root / "content/demo"], options_at_epoch(tmp_path / "out", formats=("pdf",)))
    pdf = reader(outcome.written["pdf"])
    assert pdf.metadata.author == "Ana Ruiz, Sam Lee"
    assert pdf.trailer["/Root"]["/Lang"] == "es"
