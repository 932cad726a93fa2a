"""The EPUB's print page list: markers where the PDF's pages begin, checked against the PDF."""

from __future__ import annotations

import pytest
from lxml import etree

from booklet.build.pipeline import build
from booklet.epub.pagemap import PageStart, mark_pages, page_marks, visible

from ..epubread import EPUB_TYPE, NS, Epub, words
from ..helpers import ROOT, booklet_md
from ..pdfcheck import page_texts, reader

XHTML = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
         '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
         ' lang="en" xml:lang="en"><head><title>t</title></head><body>{}</body></html>')


def assert_markers_match_pdf(epub_path, pdf_path) -> int:
    """Every page but the covers: the words after its EPUB marker begin the PDF page.

    They must appear, in order, among the page's first few words as the PDF's text
    layer gives them: at the very start, one word in when the page starts inside a
    hyphenated word (the marker goes to the next word), or after a few separately
    drawn words (the help contacts' numbers come first in the text layer). At least
    two words must agree: print-only lines (a worksheet's "write on the lines") may
    follow a heading in the PDF and not in the EPUB.
    """
    texts = page_texts(reader(pdf_path))
    after = Epub(epub_path).text_after_markers()
    assert sorted(after, key=int) == [str(n) for n in range(1, len(texts) + 1)]
    for number, text in enumerate(texts[1:-1], start=2):
        got, pdf = words(after[str(number)]), words(text, 12)
        agree = max((_common(pdf[i:], got) for i in range(4)), default=0)
        assert agree >= min(2, len(got)), f"page {number}: {got} does not start {pdf}"
    return len(texts)


def _common(a: list[str], b: list[str]) -> int:
    """How many words two lists share from their start."""
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def test_page_list_names_every_pdf_page_in_order(bundled):
    pages = Epub(bundled["epub"]).page_list()
    assert [label for label, _ in pages] == [
        str(n) for n in range(1, len(reader(bundled["pdf"]).pages) + 1)]


def test_page_list_entries_point_at_their_markers(bundled):
    book = Epub(bundled["epub"])
    for label, href in book.page_list():
        name, _, fragment = href.partition("#")
        [marker] = book.xhtml(name).xpath(f"//*[@id='{fragment}']")
        assert marker.tag == f"{{{NS['x']}}}span" and not marker.text and not len(marker)
        assert marker.get(EPUB_TYPE) == "pagebreak"
        assert marker.get("role") == "doc-pagebreak"
        assert marker.get("aria-label") == label


def test_markers_sit_where_the_pdf_pages_begin(bundled):
    assert assert_markers_match_pdf(bundled["epub"], bundled["pdf"]) >= 10


def test_markers_sit_where_the_pdf_pages_begin_in_a_translation(tmp_path, options_at_epoch):
    [outcome] = build([ROOT / "content" / "partner-pushing-away-es"],
                      options_at_epoch(tmp_path))
    assert outcome.ok, outcome.problems
    assert assert_markers_match_pdf(outcome.written["epub"], outcome.written["pdf"]) >= 10


def test_cover_contents_and_back_cover_pages_go_to_their_ebook_equivalents(bundled):
    pages = dict(Epub(bundled["epub"]).page_list())
    assert pages["1"] == "cover.xhtml#page-1"
    assert pages["2"] == "nav.xhtml#page-2"
    assert pages[str(len(pages))] == f"colophon.xhtml#page-{len(pages)}"


def test_pages_starting_inside_paragraphs_and_lists(tmp_project, options_at_epoch, tmp_path):
    sentences = ["Depression can make it hard to focus and to be present.",
                 "Your partner may need **time alone** to get their energy back.",
                 "That can leave you feeling left out, and it is *not* your fault.",
                 "Talking openly, without pressure, often helps a great deal."]
    long = " ".join(sentences[n % 4] for n in range(64))
    items = "\n".join(f"- Item {n}: {sentences[n % 4]}" for n in range(1, 41))
    body = f"# One\n\n{long}\n\n## A list\n\n{items}\n\n# Two\n\n{long}\n"
    root = tmp_project({"content/long/booklet.md": booklet_md("title: Long", body)})
    [outcome] = build([root / "content/long"], options_at_epoch(tmp_path / "out"))
    assert outcome.ok, outcome.problems
    book = Epub(outcome.written["epub"])
    inside = [m for href, _ in book.spine() for m in book.xhtml(href).iterfind(
        ".//x:p/x:span[@role='doc-pagebreak']", NS)]
    inside_items = [m for href, _ in book.spine() for m in book.xhtml(href).iterfind(
        ".//x:li/x:span[@role='doc-pagebreak']", NS)]
    assert len(inside) >= 2 and inside_items
    assert assert_markers_match_pdf(outcome.written["epub"], outcome.written["pdf"]) >= 7


# --- placing one marker, on small documents ------------------------------------------

def place(body: str, *starts: PageStart) -> str:
    documents = {"a.xhtml": XHTML.format(body)}
    marks = page_marks(documents, starts)
    root = etree.fromstring(mark_pages(documents, starts, marks)["a.xhtml"].encode())
    for span in root.iter(f"{{{NS['x']}}}span"):
        span.attrib.clear()
        span.text = "|"
    html = etree.tostring(root.find("x:body", NS), encoding="unicode")
    return html.split(">", 1)[1].rsplit("<", 1)[0].replace("<span>|</span>", "|")


def start(path: tuple[int, ...], text: str, offset: int = 0, anchor: str = "s") -> PageStart:
    return PageStart("5", anchor, path, visible(text), offset)


def test_a_page_starting_with_a_later_list_item_is_marked_inside_it():
    body = '<section id="s"><p>One</p><ul><li>a b</li><li>c d</li></ul></section>'
    assert place(body, start((1, 1), "c d")) == (
        '<section id="s"><p>One</p><ul><li>a b</li><li>|c d</li></ul></section>')


def test_a_page_starting_with_a_list_is_marked_before_the_list():
    body = '<section id="s"><p>One</p><ul><li>a b</li><li>c d</li></ul></section>'
    assert place(body, start((1, 0), "a b")) == (
        '<section id="s"><p>One</p>|<ul><li>a b</li><li>c d</li></ul></section>')


def test_a_page_starting_with_a_sections_heading_is_marked_before_the_section():
    body = '<section id="s"><h2 id="h">Title</h2><p>x</p></section>'
    assert place(body, start((), "Title", anchor="h")) == (
        '|<section id="s"><h2 id="h">Title</h2><p>x</p></section>')


def test_markers_placed_earlier_do_not_shift_the_paths_of_later_pages():
    body = ('<section id="s"><p>a</p><aside><h2>T</h2><p>x</p></aside>'
            '<section><h2>U</h2><p>y</p></section></section>')
    second = PageStart("6", "s", (2, 0), "U")
    assert place(body, start((1, 0), "T"), second) == (
        '<section id="s"><p>a</p>|<aside><h2>T</h2><p>x</p></aside>'
        '|<section><h2>U</h2><p>y</p></section></section>')


def test_a_page_starting_inside_a_hyphenated_word_is_marked_at_the_next_word():
    body = '<section id="s"><p>alpha beta gamma</p></section>'
    assert place(body, start((0,), "alpha beta gamma", offset=7)) == (
        '<section id="s"><p>alpha beta |gamma</p></section>')


def test_a_page_starting_at_a_word_is_marked_before_it_even_after_inline_markup():
    body = '<section id="s"><p><em>one</em> two three</p></section>'
    assert place(body, start((0,), "one two three", offset=6)) == (
        '<section id="s"><p><em>one</em> two |three</p></section>')
    body = '<section id="s"><p>call <strong>911</strong> now</p></section>'
    assert place(body, start((0,), "call 911 now", offset=4)) == (
        '<section id="s"><p>call |<strong>911</strong> now</p></section>')


def test_a_block_the_ebook_lacks_is_marked_at_the_start_of_its_enclosing_element():
    body = '<p>before</p><section id="s"><img src="x.png" alt="x"/></section>'
    assert place(body, start((0,), "Print-only words")) == (
        '<p>before</p>|<section id="s"><img src="x.png" alt="x"/></section>')


def test_a_block_the_ebook_shows_differently_keeps_the_pages_in_order():
    body = '<section id="s"><p>a b</p><ol><li>prompt</li></ol></section>'
    print_only = PageStart("6", "s", (1, 2), "Write on the lines")
    assert place(body, start((0,), "a b"), print_only) == (
        '||<section id="s"><p>a b</p><ol><li>prompt</li></ol></section>')


def test_a_blank_page_is_marked_with_the_next_page():
    body = '<section id="s"><p>a</p><p>b</p></section>'
    blank = PageStart("4", None)
    assert place(body, blank, start((1,), "b")) == (
        '<section id="s"><p>a</p>||<p>b</p></section>')


def test_marker_ids_never_clash_with_content_ids():
    documents = {"a.xhtml": XHTML.format('<section id="s"><h2 id="page-5">Page 5</h2></section>')}
    [mark] = page_marks(documents, [start((0,), "Page 5")])
    assert mark.href == "a.xhtml#page-5-2"


@pytest.mark.parametrize("text, shown", [
    ("co\u00admmon  words", "commonwords"), ("a\nb", "ab"),
    ("no\u00a0break\u2009thin\u3000wide\u2028line\u00ad", "nobreakthinwideline"),
    ("\u200bzero-width\u2011\u2010", "\u200bzero-width\u2011\u2010")])  # not white space
def test_visible_drops_spaces_and_soft_hyphens(text, shown):
    assert visible(text) == shown


def test_a_page_whose_place_the_ebook_lacks_is_reported_and_goes_with_the_next(caplog):
    documents = {"a.xhtml": XHTML.format('<section id="s"><p>b</p></section>')}
    starts = [start((0,), "a", anchor="print-only"), start((0,), "b")]
    marks = page_marks(documents, starts)
    assert [m.href for m in marks] == ["a.xhtml#page-5", "a.xhtml#page-5-2"]
    assert "the EPUB has no element with id 'print-only'" in caplog.text
