"""Page breaks: no near-empty pages, whole worksheets, words and addresses kept whole."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from booklet import engine
from booklet.build.outputs import make_renderer
from booklet.build.pipeline import build, project
from booklet.engine.boxes import root_element
from booklet.engine.pageboxes import lines, page_boxes
from booklet.options import BuildOptions, default_path
from booklet.pdf import breaks
from booklet.pdf.pagefill import layout_report
from booklet.pdf.writer import layout
from booklet.source.loader import load_booklet

from ..epub.test_pagemap import assert_markers_match_pdf
from ..epubread import Epub
from ..helpers import ROOT, booklet_md
from ..pdfcheck import contents_entries, outline, page_texts, reader

PARAGRAPH = ("Depression often makes people pull back from friends, family and social life. "
             "They may stay in most days, say no to plans, and find it hard to explain why. ")
#: Six such paragraphs fill an A5 page and strand three lines on the next.
STRANDING = "".join(f"{PARAGRAPH * 2}\n\n" for _ in range(6))
KEY_POINTS = "::: key-points\n" + "".join(
    f"- Key point number {i}, said in a few plain words.\n" for i in range(22)) + ":::\n\n"


def write(root: Path, name: str, body: str, front: str = "") -> Path:
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "booklet.md").write_text(
        booklet_md(f"title: {name.title()}\n{front}", body), encoding="utf-8")
    return folder


def laid_out(folder: Path, large_print: bool = False, **settings):
    """The print edition of a booklet folder laid out as a build would."""
    options = BuildOptions(out=folder / "out", **settings)
    config = project(options)
    booklet = load_booklet(folder, options, config)
    renderer = make_renderer(options, config)
    return layout(booklet, renderer, options, renderer.policy(booklet), large_print)


@pytest.fixture
def first_layout_only(monkeypatch):
    """Lay out once, as before the page-break policy."""
    monkeypatch.setattr(breaks, "MAX_LAYOUTS", 1)


def pages_of(document, cls: str) -> list[tuple[int, ...]]:
    """The pages (1-based) each element of a class is printed on, in document order."""
    found: dict = {}
    for number, page in enumerate(page_boxes(document), start=1):
        for placed in page.blocks:
            if cls in (placed.element.get("class") or "").split():
                numbers = found.setdefault(placed.element, [])
                if number not in numbers:
                    numbers.append(number)
    return [tuple(numbers) for numbers in found.values()]


# Stranded pages

@pytest.fixture
def stranding(tmp_path) -> Path:
    return write(tmp_path, "stranded", "# Part one\n\n" + STRANDING
                 + "# Part two\n\n" + f"{PARAGRAPH}\n\n" * 3, front="reading_grade: 12")


def test_the_first_layout_strands_a_page(stranding, first_layout_only):
    """The precondition of the next test: without the policy, page 4 holds three lines."""
    report = layout_report(laid_out(stranding))
    assert [page.number for page in report.near_empty] == [4]


def test_a_part_runs_on_below_a_stranded_end(stranding):
    document = laid_out(stranding)
    report = layout_report(document)
    assert report.near_empty == ()
    [part_one, part_two] = pages_of(document, "part")
    assert part_two[0] == part_one[-1], "part two starts on part one's last page"


def test_contents_outline_and_page_list_follow_a_run_on_part(stranding, options_at_epoch):
    [outcome] = build([stranding], options_at_epoch(stranding / "out",
                                                    formats=("pdf", "epub")))
    assert outcome.ok, outcome.problems
    pdf = reader(outcome.written["pdf"])
    texts = page_texts(pdf)
    entries = contents_entries(pdf)
    assert [title for title, _ in entries] == ["Part one", "Part two"]
    for title, page in entries:
        assert title in [line.strip() for line in texts[page - 1].splitlines()]
    assert [(title, page) for _, title, page in outline(pdf)][1:] == entries
    assert entries[1][1] == entries[0][1] + 1 == 4
    assert [label for label, _ in Epub(outcome.written["epub"]).page_list()] == \
        [str(n) for n in range(1, len(texts) + 1)]
    assert_markers_match_pdf(outcome.written["epub"], outcome.written["pdf"])


def test_a_booklet_without_stranded_pages_is_laid_out_once(tmp_path, monkeypatch):
    engine.install()
    import weasyprint
    calls = []
    original = weasyprint.HTML.render
    monkeypatch.setattr(weasyprint.HTML, "render",
                        lambda self, *a, **k: calls.append(1) or original(self, *a, **k))
    folder = write(tmp_path, "short", "# Part one\n\n" + f"{PARAGRAPH}\n\n" * 3)
    assert layout_report(laid_out(folder)).near_empty == ()
    assert len(calls) == 1


def test_a_box_that_jumped_breaks_between_its_items(tmp_path, monkeypatch):
    folder = write(tmp_path, "jumped", "# Part one\n\n" + STRANDING + KEY_POINTS)
    monkeypatch.setattr(breaks, "MAX_LAYOUTS", 1)
    before = laid_out(folder)
    assert [p.number for p in layout_report(before).near_empty] == [4]
    assert pages_of(before, "callout-key-points") == [(5,)]
    monkeypatch.undo()
    after = laid_out(folder)
    assert layout_report(after).near_empty == ()
    assert pages_of(after, "callout-key-points") == [(4, 5)]
    assert all(len(pages) == 1 for pages in _item_pages(after)), "no list item breaks"


def _item_pages(document) -> list[tuple[int, ...]]:
    """The pages each list item of the key-points box is on."""
    found: dict = {}
    root = root_element(document)
    box = next(e for e in root.iter() if "callout-key-points" in (e.get("class") or ""))
    items = set(box.iter("li"))
    for number, page in enumerate(page_boxes(document), start=1):
        for placed in page.blocks:
            if placed.element in items:
                found.setdefault(placed.element, set()).add(number)
    return [tuple(sorted(pages)) for pages in found.values()]


def test_the_selector_names_exactly_one_element(stranding):
    document = laid_out(stranding)
    root = root_element(document)
    parents = {child: parent for parent in root.iter() for child in parent}
    part = next(e for e in root.iter() if e.get("id") == "part-two")
    paragraph = list(part.iter("p"))[-1]
    selector = breaks.selector(paragraph, parents)
    assert selector.startswith("#part-two > :nth-child(")
    import cssselect2

    matcher = cssselect2.Matcher()
    matcher.add_selector(cssselect2.compile_selector_list(selector)[0], "hit")
    hits = [e for e in cssselect2.ElementWrapper.from_html_root(root).iter_subtree()
            if matcher.match(e)]
    assert [hit.etree_element for hit in hits] == [paragraph]


@pytest.mark.parametrize("paper", ["a5", "a4", "letter", "half-letter"])
@pytest.mark.parametrize("large_print", [False, True], ids=["reading", "large-print"])
@pytest.mark.parametrize("slug", ["partner-pushing-away", "partner-pushing-away-es"])
def test_no_bundled_edition_has_a_near_empty_page(slug, paper, large_print):
    if large_print and paper in ("a4", "half-letter"):
        pytest.skip("the same large print as A5 (A4) and Letter (Letter)")
    report = layout_report(laid_out(ROOT / "content" / slug, large_print, paper=paper,
                                    config=default_path(ROOT)))
    assert report.near_empty == (), report.summary()
    assert not [box for box in report.split_boxes if box.kind == "worksheet"], \
        "the bundled worksheets fit on a page"


# Worksheets

def worksheet(prompts: int, title: str = "My notes") -> str:
    return f"::: worksheet {title}\n" + "".join(
        f"- Prompt number {n}, something to think about\n" for n in range(1, prompts + 1)) \
        + ":::\n\n"


def test_a_worksheet_that_fits_on_a_page_is_kept_whole(tmp_path):
    folder = write(tmp_path, "whole", "# Part one\n\n" + f"{PARAGRAPH * 2}\n\n" * 3
                   + worksheet(4) + f"{PARAGRAPH}\n\n")
    document = laid_out(folder)
    assert pages_of(document, "worksheet") == [(4,)], "moved whole to the next page"
    assert layout_report(document).near_empty == ()


def test_a_long_worksheet_breaks_between_prompts_and_says_it_goes_on(tmp_path):
    folder = write(tmp_path, "long", "# Part one\n\n" + f"{PARAGRAPH}\n\n" + worksheet(12)
                   + "# Part two\n\n" + f"{PARAGRAPH * 2}\n\n" * 8)
    document = laid_out(folder)
    [spread, _] = [pages for pages in pages_of(document, "part")]
    assert not [page for page in _top_labels(document) if page + 1 > spread[-1]], \
        "no label once the worksheet has ended"
    [spread] = pages_of(document, "worksheet")
    assert len(spread) >= 2
    assert pages_of(document, "part")[0][0] == spread[0], "starts below the text before it"
    assert all(len(pages) == 1 for pages in pages_of(document, "worksheet-item")), \
        "no prompt is split from its lines"
    labels = _top_labels(document)
    assert [labels.get(page - 1) for page in spread] == \
        [None, *["MY NOTES (CONTINUED)"] * (len(spread) - 1)]


def _top_labels(document) -> dict[int, str]:
    """The text of each page's top-left margin box (the "(continued)" label), by index."""
    from weasyprint.formatting_structure.boxes import MarginBox

    found = {}
    for index, page in enumerate(document.pages):
        for box in page._page_box.children:
            if isinstance(box, MarginBox) and box.at_keyword == "@top-left":
                text = "".join(t.text for line in box.children for t in line.descendants()
                               if hasattr(t, "text"))
                if text:
                    found[index] = text
    return found


def test_continued_label_is_in_the_booklets_language(tmp_path):
    folder = write(tmp_path, "largo", "# Parte\n\n" + worksheet(12, "Mis notas"),
                   front="language: es")
    assert "MIS NOTAS (CONTINUACIÓN)" in _top_labels(laid_out(folder)).values()


def test_worksheet_fields_follow_their_prompts(tmp_path, options_at_epoch):
    folder = write(tmp_path, "fields", "# Part one\n\n" + f"{PARAGRAPH}\n\n" + worksheet(12))
    [outcome] = build([folder], options_at_epoch(tmp_path / "out", formats=("pdf",)))
    assert outcome.ok, outcome.problems
    pdf = reader(outcome.written["pdf"])
    texts = page_texts(pdf)
    seen = 0
    for number, page in enumerate(pdf.pages):
        fields = [a.get_object() for a in page.get("/Annots") or ()
                  if a.get_object().get("/FT") == "/Tx"]
        for field in fields:
            n = int(re.search(r"(\d+)", str(field["/T"]))[1])
            assert f"Prompt number {n}," in texts[number], f"field {n} is on page {number + 1}"
        seen += len(fields)
    assert seen == 12


# Words and web addresses kept whole

LONG_WORDS = ("Overwhelmingly, unmanageable responsibilities, extraordinarily "
              "uncomfortable misunderstandings and unrecognisable disappointments ") * 4


#: What a line broken by hyphenation ends with (WeasyPrint's default hyphenate-character
#: is U+2010).
HYPHENS = ("-", "\u2010")


def _hyphenated(document, cls: str) -> list[str]:
    """Lines inside elements of a class that end in a hyphen the text does not have."""
    root = root_element(document)
    inside = {e for top in root.iter() if cls in (top.get("class") or "").split()
              for e in top.iter()}
    return [text for _, element, text in lines(document)
            if element in inside and text.rstrip().endswith(HYPHENS)]


def test_no_hyphenation_in_help_now_warnings_covers_and_headings(tmp_path):
    body = (f"# {LONG_WORDS[:60]}\n\n{LONG_WORDS}\n\n::: help-now\n{LONG_WORDS}\n:::\n\n"
            f"::: warning\n{LONG_WORDS}\n:::\n\n## {LONG_WORDS[:70]}\n\nText.\n")
    front = f"subtitle: {LONG_WORDS[:90]}\nsummary: {LONG_WORDS}"
    document = laid_out(write(tmp_path, "words", body, front))
    assert _hyphenated(document, "part"), "the same words do break in ordinary text"
    for cls in ("help-now", "callout-warning", "cover", "back-cover"):
        assert _hyphenated(document, cls) == [], cls
    headings = [text for _, element, text in lines(document)
                if element.tag in ("h1", "h2") and text.rstrip().endswith(HYPHENS)]
    assert headings == []


def test_web_addresses_break_after_a_slash_or_before_a_dot(tmp_path):
    url = "https://riverside.example.org/handouts/sleep-worry-and-low-mood-workbook/"
    front = (f"online_url: {url}\nsources:\n  - title: A long address\n"
             "    url: https://www.nhs.uk/mental-health/advice-for-life-situations-and-events/"
             "where-to-get-urgent-help-for-mental-health/")
    folder = write(tmp_path, "addresses", "# Part one\n\nText.\n", front)
    for large_print in (False, True):
        document = laid_out(folder, large_print)
        root = root_element(document)
        for cls in ("qr-caption", "source"):
            blocks = {e for e in root.iter() if cls in (e.get("class") or "").split()}
            shown = [text.replace("\u200b", "").strip()
                     for _, element, text in lines(document) if element in blocks]
            start = next(n for n, line in enumerate(shown) if "." in line or "/" in line)
            address = shown[start:]
            assert len(address) >= 2, (cls, shown)
            for line, after in zip(address, address[1:], strict=False):
                assert line.endswith(("/", "-")) or after.startswith("."), (cls, line, after)


# The layout report

def test_check_layout_reports_each_pdf_edition(stranding, capsys):
    from booklet.cli import main

    assert main(["check", "--layout", str(stranding)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == ["  reading edition (A5): 5 pages; no near-empty page; no box split",
                       "  large print (A4): 6 pages; no near-empty page; no box split"]


def test_check_layout_warns_of_a_near_empty_page(stranding, first_layout_only, capsys,
                                                 monkeypatch):
    from booklet.cli import main

    # Laid out in this process (no rendering budget), where `first_layout_only` holds.
    monkeypatch.chdir(stranding.parent)
    (stranding.parent / "booklet.toml").write_text("[limits]\nmemory_mb = 0\nseconds = 0\n")
    assert main(["check", "--layout", str(stranding)]) == 0
    out, err = capsys.readouterr()
    assert "  reading edition (A5): 6 pages; near-empty: page 4 (15% full); no box split" \
        in out.splitlines()
    assert err.splitlines()[0] == (
        "stranded/booklet.md: warning: page 4 of the reading edition (A5) is only 15% "
        "full (in 'Part one'); a few lines more or less before it would fill it")
    assert main(["check", "--layout", "--strict", str(stranding)]) == 1


# Figures

@pytest.fixture
def tall_figure(tmp_path) -> Path:
    """A part whose tall figure does not fit below the text before it on page 3."""
    body = ("# Part one\n\n" + f"{PARAGRAPH * 2}\n\n" * 3
            + '![A flow chart of questions](tree.svg "The worry tree")\n\n'
            + "".join(f"After {n}. {PARAGRAPH}\n\n" for n in range(6)))
    folder = write(tmp_path, "figures", body, front="reading_grade: 12")
    (folder / "tree.svg").write_bytes((ROOT / "tests/samples/stress/worry-tree.svg").read_bytes())
    return folder


def test_a_figure_that_does_not_fit_heads_the_next_page(tall_figure, monkeypatch):
    monkeypatch.setattr(breaks, "MAX_LAYOUTS", 1)
    before = layout_report(laid_out(tall_figure))
    assert before.pages[2].fill < 0.7 and [b.pages for b in before.boxes] == [(4,)]
    monkeypatch.undo()
    document = laid_out(tall_figure)
    report = layout_report(document)
    assert report.pages[2].fill > 0.85, "the text after the figure fills page 3"
    assert [b.pages for b in report.boxes] == [(4,)]
    shown = [(page, text) for page, _, text in lines(document)]
    assert (2, "The worry tree") not in shown and (3, "The worry tree") in shown
    page_of = {text.split(".")[0]: page for page, text in shown if text.startswith("After")}
    assert page_of["After 0"] == 2 and page_of["After 5"] == 3
    figure = next(placed for placed in page_boxes(document)[3].blocks
                  if placed.element.tag == "figure")
    assert all(placed.top >= figure.top for placed in page_boxes(document)[3].blocks
               if placed.element.tag == "p"), "the figure heads page 4"


def test_page_list_follows_a_moved_figure(tall_figure, options_at_epoch):
    [outcome] = build([tall_figure], options_at_epoch(tall_figure / "out",
                                                      formats=("pdf", "epub")))
    assert outcome.ok, outcome.problems
    assert assert_markers_match_pdf(outcome.written["epub"], outcome.written["pdf"]) == 5
    epub = Epub(outcome.written["epub"])
    part = epub.xhtml("part-01.xhtml")
    order = [el.get("class") or el.get("id") for el in part.iter()
             if el.get("class") == "figure" or (el.get("id") or "").startswith("page-")]
    assert order == ["page-3", "figure", "page-4"], "the ebook keeps the figure in place"
