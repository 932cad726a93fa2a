"""Right-to-left: the Arabic sample booklet, read back from the PDF and the EPUB."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pypdfium2
from lxml import etree

from ..epubcheck_run import problems
from ..pdfcheck import fonts, reader

SAMPLE = Path(__file__).parent.parent / "samples" / "arabic"
ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
NS = {"opf": "http://www.idpf.org/2007/opf", "x": "http://www.w3.org/1999/xhtml"}


def text_runs(pdf_path: Path, page: int) -> list[tuple[str, float, float, str]]:
    """(text, x, y, font) of every text run on a page, in PDF points from bottom left."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((text.strip(), cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3],
                         str(font.get("/BaseFont")) if font else ""))

    reader(pdf_path).pages[page - 1].extract_text(visitor_text=visit)
    return runs


def test_epub_documents_are_right_to_left(arabic):
    book = zipfile.ZipFile(arabic["epub"])
    opf = etree.fromstring(book.read("EPUB/content.opf"))
    assert opf.get("dir") == "rtl"
    assert opf.find("opf:spine", NS).get("page-progression-direction") == "rtl"
    docs = [n for n in book.namelist() if n.endswith(".xhtml")]
    assert len(docs) >= 4
    for name in docs:
        root = etree.fromstring(book.read(name))
        assert (root.get("lang"), root.get("dir")) == ("ar", "rtl"), name
    css = book.read("EPUB/style.css").decode()
    assert '[dir="rtl"] .callout-note { border-width: 0 0.3em 0 0; }' in css


def test_epub_passes_epubcheck(epub_reports):
    report = epub_reports["arabic"]
    assert report["checker"]["nFatal"] == 0
    assert problems(report) == []


def test_pdf_language_and_font(arabic):
    pdf = reader(arabic["pdf"])
    assert pdf.trailer["/Root"]["/Lang"] == "ar"
    families = {re.sub(r"^/[A-Z]{6}\+", "", name).split("-Bold")[0].split("-Semi")[0]
                for name in fonts(pdf)}
    assert {f.replace("-Italic", "") for f in families} == {"Noto-Sans-Arabic"}
    arabic_runs = [r for page in (1, 3) for r in text_runs(arabic["pdf"], page)
                   if ARABIC.search(r[0])]
    assert len(arabic_runs) > 10
    assert all("Noto-Sans-Arabic" in font for *_, font in arabic_runs)


def test_pdf_starts_on_a_left_page_and_footers_sit_on_the_outer_edge(arabic):
    """In a right-to-left book page 1 is a left page: odd numbers sit bottom left."""
    width = float(reader(arabic["pdf"]).pages[0].mediabox.width)
    for page in (2, 3, 4):
        [number] = [x for text, x, y, _ in text_runs(arabic["pdf"], page)
                    if text == str(page) and y < 60]
        assert (number < width / 2) == (page % 2 == 1), page


def test_pdf_headings_and_text_are_set_from_the_right(arabic):
    width = float(reader(arabic["pdf"]).pages[0].mediabox.width)
    [title] = [r for r in text_runs(arabic["pdf"], 3) if "Bold" in r[3]][:1]
    assert title[1] > width / 3


def dark_columns(pdf_path: Path, page: int) -> list[int]:
    """x (in points) of pixel columns that are dark over a long vertical stretch."""
    image = pypdfium2.PdfDocument(str(pdf_path))[page - 1].render(scale=1).to_pil()
    gray = image.convert("L")
    width, height = gray.size
    pixels = gray.load()
    columns = []
    for x in range(width):
        run = best = 0
        for y in range(height):
            run = run + 1 if pixels[x, y] < 60 else 0
            best = max(best, run)
        if best > 60:
            columns.append(x)
    return columns


def test_pdf_note_border_is_on_the_right(arabic):
    """The `::: note` box's rule marks its start edge: the right, in Arabic."""
    columns = dark_columns(arabic["pdf"], 3)
    width = reader(arabic["pdf"]).pages[0].mediabox.width
    assert columns and min(columns) > float(width) * 0.75, columns


def test_epub_embeds_the_script_family_and_keeps_a_page_list(arabic):
    from ..epubread import Epub

    book = Epub(arabic["epub"])
    fonts = sorted(i.get("href") for i in book.manifest.values()
                   if i.get("media-type") == "font/ttf")
    assert fonts == ["fonts/NotoSansArabic-Bold.ttf", "fonts/NotoSansArabic-Regular.ttf"]
    css = book.read("style.css").decode()
    assert "body, h1, h2, h3, h4, h5, h6 { font-family: 'Noto Sans Arabic', sans-serif; }" in css
    pages = len(reader(arabic["pdf"]).pages)
    assert [label for label, _ in book.page_list()] == [str(n) for n in range(1, pages + 1)]
