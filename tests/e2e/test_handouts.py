"""Clinic handouts in both outputs: every block, the practice's branding, sources,
review details, the help contacts and the QR code, read back from the PDF (pypdf,
pdfium) and the EPUB (lxml, EPUBCheck)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest
import segno
from lxml import etree

from booklet.build.pipeline import build

from ..epubcheck_run import problems
from ..helpers import BUNDLED, PNG, ROOT, booklet_md
from ..pdfcheck import page_texts, reader

GOLDEN = Path(__file__).parent.parent / "golden" / "blocks"
NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
MM = 72 / 25.4

def unexpected(warnings: list[str]) -> list[str]:
    """Warnings other than the foundation's known font-weight ones (see the report)."""
    return [w for w in warnings if not w.startswith("Ignored `font-weight")]


@pytest.fixture(scope="module")
def branded(tmp_path_factory, options_at_epoch) -> dict[str, Path]:
    """The bundled booklet built with the sample booklet.toml."""
    out = tmp_path_factory.mktemp("branded")
    [outcome] = build([BUNDLED], options_at_epoch(out, config=ROOT / "booklet.toml"))
    assert outcome.ok and not unexpected(outcome.warnings), outcome
    return outcome.written


@pytest.fixture(scope="module")
def texts(blocks) -> list[str]:
    return [re.sub(r"\s+", " ", t) for t in page_texts(reader(blocks["pdf"]))]


def xhtml(epub: Path, name: str) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(epub).read(f"EPUB/{name}"))


def opf(epub: Path) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(epub).read("EPUB/content.opf"))


def text_of(element: etree._Element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


# Blocks, print

def test_print_boxes_carry_their_labels_and_text(texts):
    body = " ".join(texts[2:-1])
    assert "THREE BREATHS Breathe in, and out." in body
    assert "IMPORTANT Do not stop medicine suddenly." in body
    assert "Be kind to yourself. — A client" in body
    assert "Day Mood Mon 3" in body
    assert "A caption" in body


def test_print_help_now_lists_the_regions_numbers_after_the_authors_words(texts):
    page = next(t for t in texts if "When to get help now" in t)
    assert "When to get help now Get help at once. Call 911, or go to the nearest emergency " \
        "room, if someone’s life is in danger. Call or text 988 to reach the 988 Suicide & " \
        "Crisis Lifeline." in page
    assert page.startswith("911 988 "), "the numbers, set large beside their sentences"


def test_worksheet_is_fillable_in_the_pdf(blocks):
    pdf = reader(blocks["pdf"])
    fields = pdf.get_fields()
    assert list(fields) == ["what-i-notice", "what-i-need"]
    for name, label in (("what-i-notice", "What I notice"), ("what-i-need", "What I need")):
        field = fields[name]
        assert field["/FT"] == "/Tx" and field["/TU"] == label
        assert int(field["/Ff"]) & 1 << 12, "not a multi-line text field"
    form = pdf.trailer["/Root"]["/AcroForm"]
    font_names = list(form["/DR"]["/Font"])
    widgets = [a for page in pdf.pages for a in widgets_of(page)]
    assert [w["/T"] for w in widgets] == list(fields)
    for widget in widgets:
        font = widget["/DA"].split(" Tf")[0].split()[-2]
        assert font in font_names, "the field's font is not in the form's resources"
        left, bottom, right, top = (float(v) for v in widget["/Rect"])
        assert abs(right - left) > 85 * MM, "the field spans the text column"
        assert abs(top - bottom) == pytest.approx(4 * 7.5 * MM, abs=2 * MM), "four lines tall"


def test_worksheet_can_be_filled_in_and_saved(blocks):
    writer = pypdf.PdfWriter(clone_from=reader(blocks["pdf"]))
    page = next(p for p in writer.pages if widgets_of(p))
    writer.update_page_form_field_values(page, {"what-i-need": "A walk on Sunday."},
                                         auto_regenerate=False)
    saved = io.BytesIO()
    writer.write(saved)
    assert pypdf.PdfReader(saved).get_fields()["what-i-need"]["/V"] == "A walk on Sunday."


def widgets_of(page) -> list:
    return [a.get_object() for a in page.get("/Annots", ())
            if a.get_object()["/Subtype"] == "/Widget"]


def test_worksheet_prints_ruled_lines_under_each_prompt(blocks):
    index = next(i for i, t in enumerate(page_texts(reader(blocks["pdf"]))) if "WORKSHEET" in t)
    image = pdfium.PdfDocument(blocks["pdf"])[index].render(scale=3).to_pil().convert("L")
    rows = [y for y in range(image.height)
            if sum(1 for x in range(0, image.width, 3) if image.getpixel((x, y)) < 200)
            > 0.6 * image.width / 3]
    lines = [y for n, y in enumerate(rows) if n == 0 or y - rows[n - 1] > 2]
    assert len(lines) == 2 + 2 * 4, "the box's top and bottom, and four rules per prompt"


# Blocks, ebook

def test_ebook_boxes(blocks):
    part = xhtml(blocks["epub"], "part-01.xhtml")
    try_this = part.find(".//x:aside[@class='callout callout-try-this']", NS)
    assert try_this.get(f"{{{NS['epub']}}}type") == "tip"
    assert text_of(try_this) == "Three breaths Breathe in, and out."
    warning = part.find(".//x:section[@class='callout callout-warning']", NS)
    assert text_of(warning) == "Important Do not stop medicine suddenly."
    assert warning.get("role") == "doc-notice"
    quote = part.find(".//x:figure[@class='quote']", NS)
    assert text_of(quote.find("x:blockquote", NS)) == "Be kind to yourself."
    assert text_of(quote.find("x:figcaption", NS)) == "— A client"
    table = part.find(".//x:div[@class='table']/x:table", NS)
    assert [text_of(c) for c in table.iterfind(".//x:th", NS)] == ["Day", "Mood"]
    figure = part.find(".//x:figure[@class='figure']", NS)
    assert figure.find("x:img", NS).get("alt") == "A dot"
    assert text_of(figure.find("x:figcaption", NS)) == "A caption"


def test_ebook_worksheet_is_a_plain_list_of_prompts(blocks):
    part = xhtml(blocks["epub"], "part-01.xhtml")
    sheet = part.find(".//x:section[@class='worksheet']", NS)
    assert [text_of(li) for li in sheet.iterfind(".//x:ol/x:li", NS)] == [
        "What I notice", "What I need"]
    assert sheet.find(".//x:textarea", NS) is None


def test_ebook_help_now_lists_the_regions_contacts(blocks):
    box = xhtml(blocks["epub"], "part-01.xhtml").find(".//x:section[@class='help-now']", NS)
    assert box.get("role") == "doc-notice"
    assert text_of(box.find("x:h2", NS)) == "When to get help now"
    assert [text_of(n) for n in box.iterfind(".//x:strong[@class='help-number']", NS)] == [
        "911", "988"]


def test_ebook_sources_and_colophon(blocks):
    sources = xhtml(blocks["epub"], "sources.xhtml")
    section = sources.find(".//x:section", NS)
    assert section.get(f"{{{NS['epub']}}}type") == "bibliography"
    assert [text_of(li) for li in section.iterfind(".//x:li", NS)] == [
        "NIMH. Depression (2024). www.nimh.nih.gov/health/topics/depression",
        "A plain reference, written out in full."]
    colophon = text_of(xhtml(blocks["epub"], "colophon.xhtml"))
    assert "Last reviewed January 10, 2026 by Dr Sam Lee, clinical psychologist. Next " \
        "review due January 10, 2029." in colophon
    assert "Latest version: example.org/handouts/blocks" in colophon
    assert "It does not replace professional care." in colophon
    assert "Test Practice" in colophon and "Phone (555) 010-0100" in colophon


def test_ebook_metadata_names_publisher_and_reviewer(blocks):
    """References are the sources section's job; dc:source names what the book derives
    from (an original edition, the print edition), so references stay out of it."""
    package = opf(blocks["epub"])
    assert package.findtext(".//dc:publisher", namespaces=NS) == "Test Practice"
    assert package.find(".//dc:source", NS) is None
    reviewer = package.find(".//dc:contributor", NS)
    assert reviewer.text == "Dr Sam Lee, clinical psychologist"
    role = package.find(f".//opf:meta[@refines='#{reviewer.get('id')}']", NS)
    assert (role.get("property"), role.get("scheme"), role.text) == ("role", "marc:relators",
                                                                      "rev")
    assert package.find(".//opf:meta[@property='dcterms:dateAccepted']", NS).text == "2026-01-10"
    assert package.findtext(".//dc:relation", namespaces=NS) == \
        "https://example.org/handouts/blocks/"


def test_ebook_carries_the_logo_and_epubcheck_is_clean(blocks, epub_reports):
    names = zipfile.ZipFile(blocks["epub"]).namelist()
    assert "EPUB/practice-logo.svg" in names
    report = epub_reports["blocks"]
    assert report["checker"]["nFatal"] == 0
    assert problems(report) == []


# Sources, review, back cover, QR code

def test_print_sources_are_numbered_in_the_contents_and_outline(blocks, texts):
    # The sources follow the last part on its page when that page would hold only a
    # line or two (booklet/pdf/breaks.py), so they need not start a page.
    page = next(t for t in texts[2:] if "Sources and further reading" in t)
    assert "NIMH. Depression (2024). www.nimh.nih.gov/health/topics/depression " \
        "A plain reference, written out in full." in page
    assert "1. 2." in page, "numbered entries"
    assert "Sources and further reading" in texts[1]


def test_back_cover_has_practice_help_review_and_disclaimer(texts):
    back = texts[-1]
    for wanted in ("NEED HELP NOW? 911 Emergency services 988 Suicide & Crisis Lifeline",
                   "Test Practice", "1 Test Street", "Phone (555) 010-0100",
                   "Email hello@example.org", "Web example.org",
                   "Latest version example.org/handouts/",
                   "Edition 2 · Published January 2026",
                   "Last reviewed January 10, 2026 by Dr Sam Lee, clinical psychologist. "
                   "Next review due January 10, 2029.",
                   "It does not replace professional care."):
        assert wanted in back, wanted


def test_qr_code_on_the_back_cover_encodes_the_online_url(blocks):
    assert read_qr(blocks["pdf"], "https://example.org/handouts/blocks/")


def test_qr_code_and_logo_are_vector(blocks):
    pdf = pdfium.PdfDocument(blocks["pdf"])
    back = pdf[len(pdf) - 1]
    objects = list(back.get_objects(max_depth=5))
    assert not [o for o in objects if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
    module = 26 * MM / 37
    squares = [o for o in objects if o.type == pdfium.raw.FPDF_PAGEOBJ_PATH
               and all(29 * module <= side <= 31.5 * module for side in _size(o))]
    assert len(squares) == 1, "the QR code's modules as one vector path, 29 modules wide"


def _size(path) -> tuple[float, float]:
    left, bottom, right, top = path.get_bounds()
    return right - left, top - bottom


def _longest_run(row: list[int]) -> int:
    longest = current = 0
    for value in row:
        current = current + 1 if value else 0
        longest = max(longest, current)
    return longest


def read_qr(pdf_path: Path, url: str) -> bool:
    """Sample the printed QR code module by module against segno's encoding of `url`."""
    expected = segno.make(url, error="m", micro=False, boost_error=False).matrix
    size = len(expected)
    scale = 8
    document = pdfium.PdfDocument(pdf_path)
    page = document[len(document) - 1]
    image = page.render(scale=scale).to_pil().convert("L")
    width, height = image.size
    dark = image.point(lambda v: 255 if v < 128 else 0).crop(
        (int(width * 0.55), int(height * 0.35), width, int(height * 0.93)))
    x_off, y_off = int(width * 0.55), int(height * 0.35)
    # the QR's first row starts with a finder pattern: a dark run far longer than any
    # stroke of the text around it
    top = next(y for y in range(dark.height)
               if _longest_run([dark.getpixel((x, y)) for x in range(dark.width)]) > 8 * scale)
    row = [dark.getpixel((x, top + 2)) for x in range(dark.width)]
    left = row.index(255)
    run = row[left:].index(0)
    module = run / 7
    for i in range(size):
        for j in range(size):
            x = int(left + (j + 0.5) * module)
            y = int(top + (i + 0.5) * module)
            if bool(dark.getpixel((x, y))) != bool(expected[i][j]):
                raise AssertionError(f"module {i},{j} differs (at {x + x_off},{y + y_off})")
    return True


# The practice's branding

def test_bundled_booklet_with_the_sample_config(branded):
    texts = page_texts(reader(branded["pdf"]))
    assert "Riverside Counselling Practice" in texts[0]
    assert "Riverside Counselling Practice" in texts[-1]
    assert branded["pdf"].stat().st_size < 250 * 1024
    assert read_qr(branded["pdf"],
                   "https://riverside.example.org/handouts/partner-pushing-away/")
    fields = reader(branded["pdf"]).get_fields()
    assert [f["/TU"] for f in fields.values()] == [
        "What I notice when my partner withdraws", "What I need",
        "One thing I can do for myself this week"]
    package = opf(branded["epub"])
    assert package.findtext(".//dc:publisher", namespaces=NS) == "Riverside Counselling Practice"


def test_without_a_config_there_are_no_practice_details(bundled):
    back = re.sub(r"\s+", " ", page_texts(reader(bundled["pdf"]))[-1])
    assert "NEED HELP NOW? Call your local emergency number" in back
    for absent in ("Phone", "Email", "Latest version", "Riverside"):
        assert absent not in back
    pdf = pdfium.PdfDocument(bundled["pdf"])
    assert not [o for o in pdf[len(pdf) - 1].get_objects(max_depth=5)
                if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE], "no logo without a practice"


def test_changing_booklet_toml_rebrands_every_booklet(tmp_project, options_at_epoch):
    root = tmp_project({
        "content/one/booklet.md": booklet_md("title: One"),
        "content/two/booklet.md": booklet_md("title: Two"),
        "logo.png": PNG,
    })
    folders = [root / "content/one", root / "content/two"]
    for name, region, number in (("Riverside Counselling Practice", "US", "988"),
                                 ("Lakeside Therapy", "UK", "116 123")):
        (root / "booklet.toml").write_text(
            f'help_region = "{region}"\n[practice]\nname = "{name}"\nlogo = "logo.png"\n')
        outcomes = build(folders, options_at_epoch(root / "dist",
                                                   config=root / "booklet.toml"))
        assert all(o.ok for o in outcomes)
        for outcome in outcomes:
            texts = page_texts(reader(outcome.written["pdf"]))
            assert name in texts[0] and name in texts[-1]
            assert number in texts[-1]
            assert "Riverside" not in " ".join(texts) or name.startswith("Riverside")
            package = opf(outcome.written["epub"])
            assert package.findtext(".//dc:publisher", namespaces=NS) == name
