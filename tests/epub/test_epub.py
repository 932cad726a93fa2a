from __future__ import annotations

import io
import re
import zipfile

import pypdfium2
import pytest
from ebooklib import epub as ebooklib_epub
from fontTools.ttLib import TTFont
from lxml import etree
from PIL import Image, ImageChops, ImageStat

from booklet.build.pipeline import build
from booklet.epub.a11y import CONFORMS_TO
from booklet.epub.writer import book_identifier
from booklet.pdf import writer as pdf_module
from booklet.source.loader import load_booklet

from ..epubcheck_run import problems
from ..epubread import EPUB_TYPE, NS, Epub
from ..helpers import BUNDLED, ROOT

GOLDEN_BLOCKS = ROOT / "tests" / "golden" / "blocks"

#: epub:type values with a DPUB-ARIA role of their own: the role must be there too.
MATCHING_ROLES = {"chapter": "doc-chapter", "toc": "doc-toc", "tip": "doc-tip",
                  "notice": "doc-notice", "pagebreak": "doc-pagebreak", "cover": "doc-cover",
                  "colophon": "doc-colophon", "page-list": "doc-pagelist",
                  "bibliography": "doc-bibliography"}


@pytest.fixture(scope="module")
def book(bundled) -> Epub:
    return Epub(bundled["epub"])


@pytest.fixture(scope="module")
def epub(bundled):
    return zipfile.ZipFile(bundled["epub"])


@pytest.fixture(scope="module")
def report(epub_reports):
    return epub_reports["bundled"]


def test_epubcheck_is_clean(report):
    assert report["checker"]["nFatal"] == 0
    assert problems(report) == []


def test_epubcheck_usage_notes_only_mention_the_embedded_fonts(report):
    # CSS-028 "Use of Font-face declaration" is informational: we do embed fonts.
    assert {m["ID"] for m in report["messages"] if m["severity"] == "USAGE"} <= {"CSS-028"}


def test_small_enough_to_email(bundled):
    assert bundled["epub"].stat().st_size < 300 * 1024


def test_mimetype_first_and_stored(epub):
    first = epub.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert epub.read("mimetype") == b"application/epub+zip"


def test_metadata(book):
    booklet = load_booklet(BUNDLED)
    assert book.package.get("version") == "3.0"
    assert book.package.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert book.package.findtext(".//dc:title", namespaces=NS) == booklet.meta.title
    assert book.package.findtext(".//dc:language", namespaces=NS) == "en"
    assert book.package.findtext(".//dc:identifier", namespaces=NS) == book_identifier(booklet)
    assert book.meta("dcterms:modified") == ["2025-11-24T16:00:00Z"]


def test_identifier_is_stable_and_from_the_slug():
    booklet = load_booklet(BUNDLED)
    assert book_identifier(booklet) == book_identifier(load_booklet(BUNDLED))
    assert book_identifier(booklet).startswith("urn:uuid:")


def test_accessibility_metadata(book):
    assert book.meta("schema:accessMode") == ["textual", "visual"]
    assert book.meta("schema:accessModeSufficient") == ["textual", "textual,visual"]
    assert set(book.meta("schema:accessibilityFeature")) == {
        "structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability",
        "ARIA", "alternativeText", "pageBreakMarkers", "pageNavigation"}
    assert book.meta("schema:accessibilityHazard") == ["none"]
    [summary] = book.meta("schema:accessibilitySummary")
    assert "page list" in summary and "text description" in summary
    assert book.meta("dcterms:conformsTo") == [CONFORMS_TO]
    assert book.meta("a11y:certifiedBy") == []


def test_print_edition_is_declared_as_the_page_source(book):
    [source] = book.meta("pageBreakSource")
    assert source == ("When Your Partner Pulls Away, print edition (PDF, 148 × 210 mm), "
                      "edition 1")
    # dc:source is kept for what a translation was made from (see booklet/epub/writer.py).
    assert book.package.findtext(".//dc:source", namespaces=NS) is None


def test_spine_cover_first_then_title_page_contents_parts_colophon(book):
    booklet = load_booklet(BUNDLED)
    spine = book.spine()
    parts = [f"part-{n:02d}.xhtml" for n in range(1, len(booklet.parts) + 1)]
    assert [href for href, linear in spine if linear == "yes"] == [
        "cover.xhtml", "titlepage.xhtml", "nav.xhtml", *parts, "sources.xhtml",
        "colophon.xhtml"]
    titles = ["".join(book.xhtml(href).find(".//x:h1", NS).itertext())
              for href in (*parts, "sources.xhtml", "colophon.xhtml")]
    assert titles == [*(p.title for p in booklet.parts), "Sources and further reading",
                      "About this booklet"]


def test_every_document_declares_language_title_and_ordered_headings(book):
    for href, _ in book.spine():
        doc = book.xhtml(href)
        assert doc.get("lang") == "en", href
        assert doc.get("{http://www.w3.org/XML/1998/namespace}lang") == "en", href
        assert doc.findtext(".//x:title", namespaces=NS).strip(), href
        levels = [int(h.tag[-1]) for h in doc.iter() if re.fullmatch(r"\{.*\}h[1-6]", str(h.tag))]
        assert not levels or levels[0] == 1, href
        for previous, level in zip(levels, levels[1:], strict=False):
            assert level <= previous + 1, f"{href}: h{previous} then h{level}"


def test_semantic_types_carry_their_aria_roles(book):
    seen = set()
    for href, _ in book.spine():
        for element in book.xhtml(href).iter():
            for kind in (element.get(EPUB_TYPE) or "").split():
                if kind in MATCHING_ROLES and element.tag != f"{{{NS['x']}}}a":
                    assert element.get("role") == MATCHING_ROLES[kind], (href, kind)
                    seen.add(kind)
    assert seen == set(MATCHING_ROLES)


def test_landmarks_point_at_existing_documents(book):
    nav = book.xhtml("nav.xhtml").find(".//x:nav[@epub:type='landmarks']", NS)
    links = {a.get(EPUB_TYPE): a.get("href") for a in nav.iter(f"{{{NS['x']}}}a")}
    assert links == {"cover": "cover.xhtml", "titlepage": "titlepage.xhtml",
                     "toc": "nav.xhtml#contents", "bodymatter": "part-01.xhtml",
                     "bibliography": "sources.xhtml"}


def test_nav_lists_every_part_and_section(book):
    toc = book.xhtml("nav.xhtml").find(".//x:nav[@epub:type='toc']", NS)
    labels = [a.text for a in toc.iter(f"{{{NS['x']}}}a")]
    booklet = load_booklet(BUNDLED)
    headings = [t for p in booklet.parts for t in (p.title, *(s.title for s in p.sections))]
    assert labels == [*headings, "Sources and further reading", "About this booklet"]
    ncx = etree.fromstring(book.read("toc.ncx"))
    assert [t.text for t in ncx.iterfind(".//ncx:navLabel/ncx:text", NS)] == labels


def test_cover_image_is_the_pdf_cover_page_at_store_size(book, bundled):
    [item] = [i for i in book.manifest.values() if i.get("properties") == "cover-image"]
    assert item.get("media-type") == "image/jpeg"
    data = book.read(item.get("href"))
    image = Image.open(io.BytesIO(data))
    page = pypdfium2.PdfDocument(str(bundled["pdf"]))[0]
    assert image.format == "JPEG" and image.size == (1600, 2270)  # A5: 148 x 210 mm
    assert len(data) < 200 * 1024
    cover = book.package.find(".//opf:meta[@name='cover']", NS)
    assert cover.get("content") == item.get("id")
    printed = page.render(scale=1600 / page.get_width()).to_pil().convert("RGB")
    printed = printed.resize(image.size)
    difference = ImageStat.Stat(ImageChops.difference(image.convert("RGB"), printed)).mean
    assert max(difference) < 3, difference


def test_cover_page_shows_the_image_with_alt_text(book):
    img = book.xhtml("cover.xhtml").find(".//x:img", NS)
    assert img.get("src") == "cover.jpg" and img.get("role") == "doc-cover"
    assert img.get("alt").startswith("When Your Partner Pulls Away: Depression, distance")


def test_fonts_are_static_subsets_that_hold_every_character(book):
    text = "".join(t for href, _ in book.spine() for t in book.xhtml(href).itertext())
    needed = {ord(c) for c in text if not c.isspace()}
    fonts = {i.get("href"): TTFont(io.BytesIO(book.read(i.get("href"))))
             for i in book.manifest.values() if i.get("media-type") == "font/ttf"}
    assert set(fonts) == {"fonts/Literata-Regular.ttf", "fonts/Literata-Italic.ttf",
                          "fonts/Literata-Bold.ttf", "fonts/SourceSans3-Bold.ttf"}
    for href, font in fonts.items():
        assert "fvar" not in font, href
        assert needed <= set(font.getBestCmap()), (href, needed - set(font.getBestCmap()))
        assert len(font.getGlyphOrder()) < 300, href
    assert fonts["fonts/Literata-Bold.ttf"]["OS/2"].usWeightClass == 700
    assert fonts["fonts/Literata-Italic.ttf"]["post"].italicAngle < 0


def test_font_licences_are_pages_linked_from_the_colophon(book):
    colophon = book.xhtml("colophon.xhtml")
    links = [a.get("href") for a in colophon.iter(f"{{{NS['x']}}}a")]
    links = [href for href in links if href.startswith("licence-")]
    assert links == ["licence-literata.xhtml", "licence-source-sans-3.xhtml"]
    spine = dict(book.spine())
    for href in links:
        assert spine[href] == "no"
        assert "SIL OPEN FONT LICENSE Version 1.1" in "".join(book.xhtml(href).itertext())


def test_stylesheet_leaves_the_reader_in_charge(book):
    css = book.read("style.css").decode()
    for unit in ("pt;", "px;", "mm;", "cm;", "@page", "!important"):
        assert unit not in css, unit
    rules = re.findall(r"([^{}]+)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    named = [selector.strip() for selector, body in rules if "font-family" in body]
    assert [s for s in named if s != "@font-face"] == ["body", "h1, h2, h3, h4, h5, h6"]


def test_ebooklib_reads_it_back_as_a_reader_would(bundled):
    read = ebooklib_epub.read_epub(str(bundled["epub"]))
    assert read.get_metadata("DC", "title")[0][0] == "When Your Partner Pulls Away"
    docs = [i.get_name() for i in read.get_items_of_type(9)]  # ITEM_DOCUMENT
    assert "cover.xhtml" in docs and "colophon.xhtml" in docs
    assert [i[0] for i in read.spine][:3] == ["doc0", "doc1", "nav"]


def test_every_block_kind_validates_and_keeps_its_page_map(plain_blocks, epub_reports):
    from .test_pagemap import assert_markers_match_pdf

    assert problems(epub_reports["plain-blocks"]) == []
    assert_markers_match_pdf(plain_blocks["epub"], plain_blocks["pdf"])


def test_print_edition_is_laid_out_once_and_an_epub_alone_is_the_same(
        bundled, tmp_path, options_at_epoch, monkeypatch):
    calls = []
    real = pdf_module.layout
    monkeypatch.setattr(pdf_module, "layout",
                        lambda *a, **kw: calls.append(kw.get("large_print")) or real(*a, **kw))
    [every] = build([BUNDLED], options_at_epoch(tmp_path / "every"))
    assert "pdf" in every.written and "epub" in every.written
    assert calls.count(None) + calls.count(False) == 1  # the reading edition, once
    [alone] = build([BUNDLED], options_at_epoch(tmp_path / "alone", formats=("epub",)))
    assert alone.written["epub"].read_bytes() == every.written["epub"].read_bytes()
    assert every.written["epub"].read_bytes() == bundled["epub"].read_bytes()


def test_boxes_nested_past_h6_still_validate(deep, epub_reports):
    """HTML has no h7: a box nested deeper than h6 allows titles itself h6."""
    book = Epub(deep["epub"])
    docs = [book.xhtml(href) for href, _ in book.spine()]
    part = next(doc for doc in docs if "Level 5" in etree.tostring(doc, encoding="unicode"))
    titles = [(el.tag.split("}")[1], el.text) for el in part.iter()
              if isinstance(el.tag, str) and "callout-title" in (el.get("class") or "")]
    assert titles == [("h3", "Level 0"), ("h4", "Level 1"), ("h5", "Level 2"),
                      ("h6", "Level 3"), ("h6", "Level 4"), ("h6", "Level 5")]
    assert problems(epub_reports["deep"]) == []
