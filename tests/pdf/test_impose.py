from __future__ import annotations

import re

import pypdfium2 as pdfium
import pytest

from booklet.build.pipeline import build
from booklet.pdf.impose import sheet_sides
from booklet.source.loader import load_booklet

from ..helpers import BUNDLED, ROOT, booklet_md
from ..pdfcheck import reader

A4_LANDSCAPE = (841.89, 595.28)
LETTER_LANDSCAPE = (792.0, 612.0)


def test_sheet_sides_follow_saddle_stitch_order():
    assert sheet_sides(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]
    assert sheet_sides(4) == [(3, 0), (1, 2)]


def test_padding_pages_go_just_before_the_back_cover():
    # six pages padded to eight: padded pages 6 and 7 are Notes pages, the back cover is 8th
    assert sheet_sides(6) == [(5, 0), (1, None), (None, 2), (3, 4)]
    assert sheet_sides(2) == [(1, 0), (None, None)]


def side_labels(path, title: str, running: str, disclaimer: str,
                notes: str = "Notes") -> list[list[object]]:
    """What each half of each sheet side shows: its footer page number ('notes N' on
    a Notes page), 'cover', 'back' or 'blank', read from the text in that half."""
    doc = pdfium.PdfDocument(str(path))
    found = []
    for page in doc:
        width, height = page.get_size()
        text_page = page.get_textpage()
        halves = []
        for left in (0, width / 2):
            text = text_page.get_text_bounded(left, 0, left + width / 2, height)
            halves.append(_label(text, title, running, disclaimer, notes))
        found.append(halves)
    return found


def _label(text: str, title: str, running: str, disclaimer: str, notes: str) -> object:
    for line in text.splitlines():
        if match := re.fullmatch(rf"(\d+)\s*{re.escape(running)}|{re.escape(running)}\s*(\d+)",
                                 line.strip()):
            number = int(match[1] or match[2])
            return f"notes {number}" if text.split()[0] == notes else number
    if disclaimer in " ".join(text.split()):
        return "back"
    if title.split()[0] in text:
        return "cover"
    return "blank" if not text.strip() else text[:40]


def expected_sides(pages: int) -> list[list[object]]:
    """Sheet s front = [N-2s, 1+2s], back = [2+2s, N-1-2s] over the padded count N,
    the pages between the last text page and the back cover lined Notes pages, numbered
    on from it."""
    padded = -(-pages // 4) * 4

    def label(number: int) -> object:
        if number == 1:
            return "cover"
        if number == padded:
            return "back"
        return number if number < pages else f"notes {number}"

    sides = []
    for s in range(padded // 4):
        sides.append([label(padded - 2 * s), label(1 + 2 * s)])
        sides.append([label(2 + 2 * s), label(padded - 1 - 2 * s)])
    return sides


DISCLAIMER = "This handout gives general information."


def test_every_sheet_side_of_the_bundled_booklet_is_in_order(bundled):
    meta = load_booklet(BUNDLED).meta
    pages = len(reader(bundled["pdf"]).pages)
    found = side_labels(bundled["booklet"], meta.title, meta.running_title, DISCLAIMER)
    assert found == expected_sides(pages)


@pytest.fixture(scope="module")
def six_pages(tmp_path_factory, options_at_epoch):
    """A booklet of six pages (cover, contents, three parts of half a page, back cover)."""
    root = tmp_path_factory.mktemp("six")
    text = "Some text that fills a line or two of the page, and then goes on a little. " * 3
    body = "".join(f"# Part {n}\n\n" + f"{text}\n\n" * 6 for n in ("one", "two", "three"))
    (root / "demo").mkdir()
    (root / "demo" / "booklet.md").write_text(
        booklet_md("title: Padding test\npaper: half-letter", body), encoding="utf-8")
    [outcome] = build([root / "demo"], options_at_epoch(root / "out",
                                                       formats=("pdf", "booklet")))
    assert outcome.ok, outcome.problems
    return outcome.written


def test_padding_pages_are_notes_pages_before_the_back_cover(six_pages):
    assert len(reader(six_pages["pdf"]).pages) == 6, "the reading PDF has no Notes pages"
    found = side_labels(six_pages["booklet"], "Padding test", "Padding test", DISCLAIMER)
    assert found == [["back", "cover"], [2, "notes 7"], ["notes 6", 3], [4, 5]]


def test_half_letter_is_imposed_on_letter_landscape(six_pages):
    for page in reader(six_pages["booklet"]).pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(LETTER_LANDSCAPE, abs=0.1)


def test_a5_is_imposed_on_a4_landscape(bundled):
    pdf = reader(bundled["booklet"])
    assert len(pdf.pages) * 2 == -(-len(reader(bundled["pdf"]).pages) // 4) * 4
    for page in pdf.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4_LANDSCAPE, abs=0.1)


def test_pages_stay_vectors_and_fonts_are_stored_once(bundled):
    booklet, single = reader(bundled["booklet"]), reader(bundled["pdf"])
    assert bundled["booklet"].stat().st_size <= 1.3 * bundled["pdf"].stat().st_size
    for page in booklet.pages:
        xobjects = page["/Resources"]["/XObject"]
        assert {str(x.get_object()["/Subtype"]) for x in xobjects.values()} == {"/Form"}
    notes = notes_forms(booklet)
    fonts = {ref.idnum for page in booklet.pages for x in page["/Resources"]["/XObject"].values()
             if x.idnum not in notes
             for ref in x.get_object()["/Resources"]["/Font"].get_object().values()}
    single_fonts = {ref.idnum for ref in
                    single.pages[0]["/Resources"]["/Font"].get_object().values()}
    assert len(fonts) == len(single_fonts)
    text = "".join(page.extract_text() for page in booklet.pages)
    assert "Low energy" in text and "Trouble being present" in text


def test_the_booklet_is_an_untagged_print_file(bundled):
    """Its sheets are in folding order: it is made for the printer, and claims no
    structure, marked content, form fields or PDF/UA (tests/pdf/test_accessible_pdf.py
    checks every sample's)."""
    pdf = reader(bundled["booklet"])
    root = pdf.trailer["/Root"]
    assert not {"/StructTreeRoot", "/MarkInfo", "/AcroForm", "/Outlines"} & set(root)
    assert root["/Lang"] == "en"
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "pdfuaid" not in xmp
    assert all("/StructParents" not in x.get_object() for page in pdf.pages
               for x in page["/Resources"]["/XObject"].values())


def notes_forms(pdf) -> set[int]:
    """The forms a sheet side draws as artifacts (Notes pages), by object number."""
    found = set()
    for page in pdf.pages:
        content = page.get_contents().get_data().decode("latin-1")
        names = re.findall(r"/Artifact BMC q [^Q]* (/P\d) Do Q EMC", content)
        found |= {page["/Resources"]["/XObject"].raw_get(name).idnum for name in names}
    return found


def test_notes_pages_are_lined_localised_artifacts(tmp_path, options_at_epoch):
    [outcome] = build([ROOT / "content" / "partner-pushing-away-es"],
                      options_at_epoch(tmp_path, formats=("pdf", "booklet"), paper="a4"))
    assert outcome.ok, outcome.problems
    pages = len(reader(outcome.written["pdf"]).pages)
    booklet = reader(outcome.written["booklet"])
    notes = notes_forms(booklet)
    assert len(notes) == -pages % 4 > 0
    meta = load_booklet(ROOT / "content" / "partner-pushing-away-es").meta
    found = side_labels(outcome.written["booklet"], meta.title, meta.running_title,
                        "Este folleto", notes="Notas")
    padded = [label for side in found for label in side if str(label).startswith("notes")]
    assert sorted(padded) == [f"notes {n}" for n in range(pages, pages - pages % 4 + 4)]
    for page in booklet.pages:
        for form in page["/Resources"]["/XObject"].values():
            if form.idnum in notes:
                text = form.get_object().get_data()
                assert b"BDC" not in text, "no tagged content inside an artifact"
                lines = re.findall(rb"\d+(?:\.\d+)? \d+(?:\.\d+)? m [\d.]+ [\d.]+ l", text)
                assert len(lines) >= 15 or text.count(b" re") >= 15, "ruled lines"

