from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from booklet.content import load_booklet
from booklet.epub import book_identifier

from .epubcheck_run import epubcheck_report, problems
from .helpers import BUNDLED

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "ncx": "http://www.daisy.org/z3986/2005/ncx/"}


@pytest.fixture(scope="module")
def epub(bundled):
    return zipfile.ZipFile(bundled["epub"])


@pytest.fixture(scope="module")
def opf(epub):
    container = etree.fromstring(epub.read("META-INF/container.xml"))
    path = container.find(".//{*}rootfile").get("full-path")
    return path, etree.fromstring(epub.read(path))


def test_epubcheck_is_clean(bundled):
    report = epubcheck_report(bundled["epub"])
    assert report["checker"]["nFatal"] == 0
    assert problems(report) == []


def test_mimetype_first_and_stored(epub):
    first = epub.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert epub.read("mimetype") == b"application/epub+zip"


def test_metadata(opf):
    _, package = opf
    booklet = load_booklet(BUNDLED)
    assert package.get("version") == "3.0"
    assert package.findtext(".//dc:title", namespaces=NS) == booklet.meta.title
    assert package.findtext(".//dc:language", namespaces=NS) == "en"
    assert package.findtext(".//dc:identifier", namespaces=NS) == book_identifier(booklet)
    modified = package.find(".//opf:meta[@property='dcterms:modified']", NS)
    assert modified.text == "2025-11-24T16:00:00Z"


def test_identifier_is_stable_and_from_the_slug():
    booklet = load_booklet(BUNDLED)
    assert book_identifier(booklet) == book_identifier(load_booklet(BUNDLED))
    assert book_identifier(booklet).startswith("urn:uuid:")


def test_one_document_per_part_in_the_spine(epub, opf):
    path, package = opf
    booklet = load_booklet(BUNDLED)
    manifest = {i.get("id"): i.get("href") for i in package.find("opf:manifest", NS)}
    spine = [manifest[i.get("idref")] for i in package.find("opf:spine", NS)]
    assert spine[0] == "titlepage.xhtml" and spine[1] == "nav.xhtml"
    folder = path.rsplit("/", 1)[0]
    titles = []
    for href in spine[2:]:
        doc = etree.fromstring(epub.read(f"{folder}/{href}"))
        assert doc.get("lang") == "en"
        assert doc.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
        titles.append("".join(doc.find(".//x:h1", NS).itertext()))
    assert titles == [*(p.title for p in booklet.parts), "Sources and further reading",
                      "About this booklet"]


def test_nav_lists_every_part_and_section(epub, opf):
    path, _ = opf
    folder = path.rsplit("/", 1)[0]
    nav = etree.fromstring(epub.read(f"{folder}/nav.xhtml"))
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    labels = [a.text for a in toc.iter("{http://www.w3.org/1999/xhtml}a")]
    booklet = load_booklet(BUNDLED)
    headings = [t for p in booklet.parts for t in (p.title, *(s.title for s in p.sections))]
    assert labels == [*headings, "Sources and further reading", "About this booklet"]
    ncx = etree.fromstring(epub.read(f"{folder}/toc.ncx"))
    assert [t.text for t in ncx.iterfind(".//ncx:navLabel/ncx:text", NS)] == labels


def test_stylesheet_uses_relative_units_only(epub, opf):
    path, _ = opf
    css = epub.read(f"{path.rsplit('/', 1)[0]}/style.css").decode()
    for unit in ("pt;", "px;", "mm;", "cm;", "@page", "font-family"):
        assert unit not in css, unit
