"""The English and Spanish editions of the bundled booklet, read back from both outputs."""

from __future__ import annotations

import re
import zipfile

import pyphen
import pytest
from lxml import etree

from booklet.epub.writer import slug_identifier

from ..epubcheck_run import problems
from ..helpers import BUNDLED
from ..pdfcheck import page_texts, reader

SPANISH = BUNDLED.parent / "partner-pushing-away-es"
NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml"}
HYPHEN_END = re.compile(r"(\w+)[-\u2010\u00ad]$")


def epub_files(path) -> tuple[etree._Element, dict[str, etree._Element]]:
    """The OPF and every XHTML document of an EPUB, parsed."""
    book = zipfile.ZipFile(path)
    rootfile = etree.fromstring(book.read("META-INF/container.xml")).find(".//{*}rootfile")
    opf_path = rootfile.get("full-path")
    folder = opf_path.rsplit("/", 1)[0]
    opf = etree.fromstring(book.read(opf_path))
    docs = {i.get("href"): etree.fromstring(book.read(f"{folder}/{i.get('href')}"))
            for i in opf.iterfind(".//opf:item", NS)
            if i.get("media-type") == "application/xhtml+xml"}
    return opf, docs


def hyphenated_words(pdf_path) -> list[tuple[str, int]]:
    """(word, break position) for every word the PDF breaks across lines."""
    found = []
    for text in page_texts(reader(pdf_path)):
        lines = [line.strip() for line in text.splitlines()]
        for line, following in zip(lines, lines[1:], strict=False):
            head, tail = HYPHEN_END.search(line), re.match(r"\w+", following)
            if "/" in line:  # a web address wraps at its own hyphens: not hyphenation
                continue
            if head and tail:
                found.append((head[1] + tail[0], len(head[1])))
    return found


@pytest.mark.parametrize("language, labels", [
    ("en", ["Contents", "KEY POINTS", "Edition 1 · November 2026",
            "This handout gives general information. It does not replace professional care.",
            "Edition 1 · Published November 2026",
            "También disponible en español: Cuando tu pareja se aleja"]),
    ("es", ["Índice", "PUNTOS CLAVE", "Edición 1 · noviembre de 2026",
            "Este folleto ofrece información general. No sustituye la atención profesional.",
            "Edición 1 · Publicado en noviembre de 2026",
            "Also available in English: When Your Partner Pulls Away"]),
])
def test_pdf_language_and_localised_labels(editions, language, labels):
    """Labels in the booklet's language; the other edition announced in its own."""
    pdf = reader(editions[language]["pdf"])
    assert pdf.trailer["/Root"]["/Lang"] == language
    text = re.sub(r"\s+", " ", " ".join(page_texts(pdf)))
    for label in labels:
        assert label in text, label


def test_spanish_pdf_contents_page_and_quotes(editions):
    texts = page_texts(reader(editions["es"]["pdf"]))
    assert texts[1].lstrip().startswith("Índice")
    assert "«Cuándo buscar ayuda de inmediato»" in " ".join(texts).replace("\n", " ")
    assert '"' not in "".join(texts)


@pytest.mark.parametrize("language, patterns, other", [
    ("es", ("es",), ("en_US", "en_GB")),
    ("en", ("en_US", "en_GB"), ("es",)),
])
def test_pdf_is_hyphenated_with_the_languages_patterns(editions, language, patterns, other):
    words = hyphenated_words(editions[language]["pdf"])
    assert len(words) >= 5, words

    def allowed(names, word, at):
        return any(at in pyphen.Pyphen(lang=name).positions(word) for name in names)

    wrong = [(w, at) for w, at in words if not allowed(patterns, w, at)]
    assert not wrong, wrong
    if language == "es":
        assert any(not allowed(other, w, at) for w, at in words), \
            "no break that only Spanish patterns allow: were they used?"


@pytest.mark.parametrize("language, contents, announce", [
    ("en", "Contents", "También disponible en español"),
    ("es", "Índice", "Also available in English"),
])
def test_epub_language_labels_and_hyphenation(editions, language, contents, announce):
    opf, docs = epub_files(editions[language]["epub"])
    assert opf.findtext(".//dc:language", namespaces=NS) == language
    for doc in docs.values():
        assert doc.get("lang") == language
        assert doc.get("dir") is None
    nav = docs["nav.xhtml"]
    assert nav.findtext(".//x:nav[@id='contents']/x:h1", namespaces=NS) == contents
    other = docs["titlepage.xhtml"].find(".//x:p[@class='other-edition']", NS)
    assert "".join(other.itertext()).startswith(f"{announce}: ")
    assert other.get("lang") == ("es" if language == "en" else "en")
    css = zipfile.ZipFile(editions[language]["epub"]).read("EPUB/style.css").decode()
    assert re.search(r"body \{[^}]*\bhyphens: auto", css)


def test_epub_editions_name_each_other(editions):
    en_opf, _ = epub_files(editions["en"]["epub"])
    es_opf, _ = epub_files(editions["es"]["epub"])
    en_id, es_id = slug_identifier(BUNDLED.name), slug_identifier(SPANISH.name)
    assert en_opf.findtext(".//dc:identifier", namespaces=NS) == en_id
    assert [r.text for r in en_opf.iterfind(".//dc:relation", NS)] == [es_id]
    assert [r.text for r in es_opf.iterfind(".//dc:relation", NS)] == [en_id]
    assert es_opf.findtext(".//dc:source", namespaces=NS) == en_id
    assert en_opf.find(".//dc:source", NS) is None


def test_spanish_epub_passes_epubcheck(epub_reports):
    report = epub_reports["es"]
    assert report["checker"]["nFatal"] == 0
    assert problems(report) == []
