"""PDF/UA-1 (issue 12): every reading and large-print PDF passes the project's checker
(Matterhorn and its X- checks), reads as the author's words, and says what it is.

The PDFs are those of the bundled English and Spanish booklets and of the Arabic and
table-and-image samples (`pdf_editions`, built once a session).
"""

from __future__ import annotations

import difflib
import io
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import lxml.html
import pikepdf
import pytest

from booklet import pdfua
from booklet.build.outputs import make_renderer
from booklet.build.pipeline import project
from booklet.engine.marks import _source_text
from booklet.engine.patches import Requirement
from booklet.pdf.accessible import finish
from booklet.pdf.accessible.words import line_end
from booklet.source.loader import load_booklet

from ..helpers import BUNDLED, PROJECT_CONFIG, SAMPLES, SPANISH
from ..pdfcheck import contents_entries, reader
from ..spoken import runs, spoken_text

FOLDERS = {BUNDLED.name: BUNDLED, SPANISH.name: SPANISH,
           "arabic": SAMPLES / "arabic", "tables": SAMPLES / "tables"}
READING = ("pdf", "large-print")
EDITIONS = [(slug, fmt) for slug in FOLDERS for fmt in READING]
#: Words the layout adds to the author's: list numbers and bullets, contents page numbers.
GENERATED = re.compile(r"^(•|\d+\.?|[٠-٩]+\.?)$")


@pytest.mark.parametrize(("slug", "fmt"), EDITIONS)
def test_every_reading_and_large_print_pdf_passes_the_checker(pdf_editions, slug, fmt):
    report = pdfua.check(pdf_editions[slug][fmt])
    assert report.ok, "\n".join(str(failure) for failure in report.failures)


def source_words(slug: str, options_at_epoch, tmp_path: Path) -> list[str]:
    """The words of the booklet's print HTML, as the author (and the templates) wrote them."""
    options = options_at_epoch(tmp_path, config=PROJECT_CONFIG)
    config = project(options)
    booklet = load_booklet(FOLDERS[slug], options, config)
    html = make_renderer(options, config).print_html(booklet, options)
    text = _source_text(lxml.html.fromstring(html.encode()).find("body"))
    # Zero-width spaces are where print may break a web address: not part of its text.
    return text.replace("\u200b", "").split()


def differences(source: list[str], got: list[str]) -> list[str]:
    """How `got` departs from `source`, word by word, past the words the layout adds."""
    matcher = difflib.SequenceMatcher(None, [w.casefold() for w in source],
                                      [w.casefold() for w in got], autojunk=False)
    found = []
    deleted, inserted = [], []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "insert" and all(GENERATED.match(w) for w in got[b1:b2]):
            continue
        if op == "delete":
            deleted.append(source[a1:a2])
        elif op == "insert":
            inserted.append(got[b1:b2])
        if op != "equal":
            found.append(f"{op}: source {source[a1:a2]} -> PDF {got[b1:b2]}")
    # A block read whole at another place (a figure the page-break policy floated to
    # the next page's top, read there like any float) is the author's words still.
    for words in [w for w in deleted if w in inserted]:
        found.remove(f"delete: source {words} -> PDF []")
        found.remove(f"insert: source [] -> PDF {words}")
    return found


@pytest.mark.parametrize(("slug", "fmt"), EDITIONS)
def test_text_a_screen_reader_gets_is_the_source_word_for_word(pdf_editions, slug, fmt,
                                                                options_at_epoch, tmp_path):
    source = source_words(slug, options_at_epoch, tmp_path)
    text = spoken_text(pdf_editions[slug][fmt])
    assert not differences(source, text.split()), differences(source, text.split())
    hyphens = "\u2010"
    assert text.count(hyphens) == " ".join(source).count(hyphens), \
        "a hyphen the line breaking added is read as part of a word"


@pytest.mark.parametrize("slug", [BUNDLED.name, SPANISH.name, "tables"])
def test_plain_text_extraction_joins_no_words(pdf_editions, slug, options_at_epoch, tmp_path):
    """Poppler's pdftotext (which reads /ActualText) joins no words: each word it gives
    is a source word or part of one (it breaks lines where the page does, a word at a
    soft hyphen, an address where it wraps; it also drops a hyphen at a line end)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")

    def plain(text: str) -> str:
        return text.replace("-", "").casefold()

    source = plain(" ".join(source_words(slug, options_at_epoch, tmp_path)))
    out = subprocess.run(["pdftotext", str(pdf_editions[slug]["pdf"]), "-"], capture_output=True,
                         text=True, check=True).stdout
    out = re.sub(r"\u00ad\s+", "", out)  # a word broken at a soft hyphen
    words = [re.sub(r"^\.{4,}", "", w) for w in out.split()]  # the leaders, drawn
    assert not {w for w in words if w and plain(w) not in source and not GENERATED.match(w)}


def test_line_ends_without_their_space_were_the_problem(pdf_editions):
    """The words test above means something: the glyphs alone join lines and keep the
    hyphens the line breaking added."""
    with pikepdf.open(pdf_editions[BUNDLED.name]["pdf"]) as pdf:
        drawn = runs(pdf, actual_text=False)
        spoken = runs(pdf)
    changed = [(drawn[key], spoken[key]) for key in drawn if drawn[key] != spoken[key]]
    assert sum(s == d + " " for d, s in changed) > 50, "line ends get their space back"
    assert any(d.endswith("\u2010") and s == d[:-1] + "\u00ad" for d, s in changed), \
        "a hyphen the line breaking added becomes a soft hyphen"


def test_arabic_reads_in_logical_order(pdf_editions):
    source = (SAMPLES / "arabic" / "booklet.md").read_text(encoding="utf-8")
    first = next(line for line in source.split("---", 2)[2].splitlines()
                 if line and not line.startswith(("#", ":::")))
    for fmt in READING:
        assert first in spoken_text(pdf_editions["arabic"][fmt]).replace("\n", " ")


def test_running_footers_and_leaders_are_artifacts(pdf_editions):
    with pikepdf.open(pdf_editions[BUNDLED.name]["pdf"]) as pdf:
        contents = pdf.pages[1].Contents.read_bytes()
        body = pdf.pages[2].Contents.read_bytes()
    footer = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC"
    assert body.count(footer) == 2, "the running title and the page number"
    assert contents.count(b"/Artifact <</Type /Layout>> BDC") == len(
        contents_entries(reader(pdf_editions[BUNDLED.name]["pdf"]))), "one leader an entry"
    assert "...." not in spoken_text(pdf_editions[BUNDLED.name]["pdf"])


@pytest.mark.parametrize(("slug", "page_word"), [(BUNDLED.name, "page"),
                                                 (SPANISH.name, "página")])
def test_contents_has_one_link_an_entry_read_as_a_sentence(pdf_editions, slug, page_word):
    booklet = load_booklet(FOLDERS[slug])
    titles = [title for part in booklet.parts
              for title in (part.title, *(section.title for section in part.sections))]
    with pikepdf.open(pdf_editions[slug]["pdf"]) as pdf:
        links = [a for a in pdf.pages[1].obj.Annots if a.Subtype == pikepdf.Name.Link]
        said = [str(a.Contents) for a in links]
    assert len(said) == len(titles) + 1, "one link an entry, and the sources"
    for title, words in zip(titles, said, strict=False):
        assert re.fullmatch(rf"{re.escape(title)}, {page_word} \d+", words), words
    if slug == BUNDLED.name:
        assert said[:len(contents_entries(reader(pdf_editions[slug]["pdf"])))] == [
            f"{title}, page {number}" for title, number in
            contents_entries(reader(pdf_editions[slug]["pdf"]))]


def test_a_link_broken_over_lines_is_one_link_element(pdf_editions):
    with pikepdf.open(pdf_editions[BUNDLED.name]["pdf"]) as pdf:
        elements = [e for e in _elements(pdf) if e.S == pikepdf.Name.Link]
        held: Counter[str] = Counter()
        annotations: Counter[str] = Counter()
        for link in elements:
            uris = {str(kid.Obj.A.URI) for kid in _kids(link)
                    if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"
                    and "/A" in kid.Obj}
            held.update(uris)
            annotations.update(str(kid.Obj.A.URI) for kid in _kids(link)
                               if isinstance(kid, pikepdf.Dictionary) and "/Obj" in kid
                               and "/A" in kid.Obj)
    wrapped = [uri for uri, n in annotations.items() if n > 1]
    assert wrapped, "the sample has addresses broken over lines"
    assert all(held[uri] == 1 for uri in annotations), held


@pytest.mark.parametrize("fmt", READING)
def test_metadata_says_title_language_and_pdf_ua(pdf_editions, fmt):
    for slug, lang in ((BUNDLED.name, "en"), (SPANISH.name, "es"), ("arabic", "ar")):
        with pikepdf.open(pdf_editions[slug][fmt]) as pdf:
            meta = pdf.open_metadata()
            assert meta["dc:title"] == str(pdf.docinfo.Title)
            assert set(meta["dc:language"]) == {lang}
            assert meta["pdfuaid:part"] == "1"
            assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)


@pytest.mark.parametrize(("slug", "lang", "start"), [
    (BUNDLED.name, "es", "También disponible en español"),
    (SPANISH.name, "en", "Also available in English"),
    ("tables", "fr", "l’hygiène du sommeil")])
def test_text_in_another_language_says_so(pdf_editions, slug, lang, start):
    for fmt in READING:
        with pikepdf.open(pdf_editions[slug][fmt]) as pdf:
            text = runs(pdf)
            tagged = [_text(pdf, e, text) for e in _elements(pdf) if e.get("/Lang") == lang]
        assert any(t.startswith(start) for t in tagged), tagged


def test_table_headers_have_scope_and_spanned_headers_reach_their_cells(pdf_editions):
    with pikepdf.open(pdf_editions["tables"]["pdf"]) as pdf:
        text = runs(pdf)
        cells = [e for e in _elements(pdf) if e.S in (pikepdf.Name.TH, pikepdf.Name.TD)]
        headers = {str(e.ID): _text(pdf, e, text) for e in cells if e.S == pikepdf.Name.TH}
        assert all(e.A.Scope in (pikepdf.Name.Column, pikepdf.Name.Row) for e in cells
                   if e.S == pikepdf.Name.TH)
        said = {_text(pdf, e, text): [headers[str(h)] for h in e.A.Headers] for e in cells
                if e.S == pikepdf.Name.TD and _text(pdf, e, text)}
    assert said["0.5"] == ["Weekend", "Awake in bed", "Week two"]
    assert said["6.5"] == ["Weekdays", "Asleep", "Week one"]


def test_large_print_has_no_italics(pdf_editions):
    for slug in FOLDERS:
        with pikepdf.open(pdf_editions[slug]["large-print"]) as pdf:
            names = {str(font.BaseFont) for page in pdf.pages
                     for font in page.Resources.get("/Font", {}).values()}
        assert not [n for n in names if "Italic" in n], names


def test_large_print_list_numbers_read_as_numbers(pdf_editions):
    lines = spoken_text(pdf_editions[BUNDLED.name]["large-print"]).splitlines()
    assert [line for line in lines if re.fullmatch(r"\d\.", line)][:3] == ["1.", "2.", "3."]


def test_back_cover_reads_the_practice_before_the_qr_code(pdf_editions):
    for fmt in READING:
        text = spoken_text(pdf_editions[BUNDLED.name][fmt])
        back = text[text.rindex("Riverside Counselling Practice"):]
        assert "riverside.example.org/handouts/" in back, "the QR code's address after it"


def test_the_fold_and_staple_booklet_is_an_untagged_print_file(pdf_editions):
    for slug in FOLDERS:
        with pikepdf.open(pdf_editions[slug]["booklet"]) as pdf:
            root = pdf.Root
            assert not {"/StructTreeRoot", "/MarkInfo", "/AcroForm"} & set(root.keys())
            assert all("/Annots" not in page.obj and "/StructParents" not in page.obj
                       for page in pdf.pages)
            assert "pdfuaid:part" not in pdf.open_metadata()
            assert "/Lang" in root, "its language still set"


def test_a_pdf_the_pass_cannot_read_claims_no_conformance(tmp_path):
    """Without WeasyPrint's marks the pass fixes what the file alone shows, and does
    not write the PDF/UA identification."""
    from weasyprint import HTML

    data = HTML(string="<html lang='en'><title>T</title><p>Words</p></html>").write_pdf(
        pdf_tags=True)
    with pikepdf.open(io.BytesIO(finish(data, None))) as pdf:
        assert "pdfuaid:part" not in pdf.open_metadata()
        assert pdf.open_metadata()["dc:title"] == "T"


@pytest.mark.parametrize(("text", "following", "source", "heard"), [
    ("family and", "social life.", "friends, family and social life.", "family and "),
    ("part\u2010", "ner", "your partner may", "part\u00ad"),
    ("self-", "care", "a self-care plan", "self-"),
    ("www.nhs.uk/mental-", "health/", "www.nhs.uk/mental-health/", "www.nhs.uk/mental-"),
    ("FOR PARTNERS OF", "SOMEONE", "For partners of someone", "FOR PARTNERS OF "),
    ("ends with a space ", "next", "ends with a space next", "ends with a space "),
])
def test_a_line_end_reads_as_the_source_has_it(text, following, source, heard):
    assert line_end(text, following, source, "\u2010") == heard


def _kids(node: pikepdf.Object) -> list:
    k = node.get("/K")
    return [] if k is None else list(k) if isinstance(k, pikepdf.Array) else [k]


def _elements(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    """Every structure element reachable from the root, depth first."""
    found, stack = [], list(reversed(_kids(pdf.Root.StructTreeRoot)))
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append(node)
            stack.extend(reversed(_kids(node)))
    return found


def _text(pdf: pikepdf.Pdf, element: pikepdf.Object, text: dict) -> str:
    """The text of an element's marked content, in order."""
    pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
    out: list[str] = []

    def walk(node: object, page: int | None) -> None:
        if isinstance(node, int):
            out.append(text.get((page, node), ""))
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            page = pages.get(node.Pg.objgen) if "/Pg" in node else page
            for kid in _kids(node):
                walk(kid, page)

    walk(element, None)
    return " ".join("".join(out).split())


def test_another_weasyprint_gets_no_pdf_ua_claim(tmp_project, options_at_epoch, tmp_path,
                                                 monkeypatch):
    """The marks are read only from the WeasyPrint versions the reader was written for;
    the engine's version warning says what that costs."""
    from booklet import engine
    from booklet.build.pipeline import build
    from booklet.engine import patches

    from ..helpers import booklet_md

    monkeypatch.setattr(patches, "WEASYPRINT", Requirement("weasyprint", "71.0", "72",
                                                           "WeasyPrint"))
    root = tmp_project({"content/demo/booklet.md": booklet_md()})
    [outcome] = build([root / "content/demo"], options_at_epoch(tmp_path / "out",
                                                                formats=("pdf",)))
    with pikepdf.open(outcome.written["pdf"]) as pdf:
        assert "pdfuaid:part" not in pdf.open_metadata()
        assert pdf.open_metadata()["dc:title"] == "A small booklet"
    _, problems = engine.choose(None, {"weasyprint": "71.0", "fonttools": "4.68.0",
                                       "pyphen": "0.18.1", "cffi": "2.0.0"})
    assert any("the PDFs claim no PDF/UA conformance" in p for p in problems), problems
