from __future__ import annotations

from collections import Counter

import pytest

from booklet.build.pipeline import build
from booklet.source.loader import load_booklet

from ..helpers import BUNDLED, booklet_md
from ..pdfcheck import contents_entries, page_texts, reader, text_sizes

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


@pytest.fixture(scope="module")
def large(bundled):
    return reader(bundled["large-print"])


def test_single_a4_pages(large):
    for page in large.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == \
            pytest.approx(A4, abs=0.1)


def test_no_text_under_16_pt_and_body_at_18(large):
    runs = [run for page in large.pages for run in text_sizes(page)]
    assert min(size for size, _, _ in runs) >= 16
    body = Counter(size for size, _, text in runs for _ in text).most_common(1)[0][0]
    assert body >= 18


def test_set_in_atkinson_hyperlegible(large):
    fonts = {font for page in large.pages for _, font, _ in text_sizes(page)}
    assert fonts and all(f.startswith("Atkinson-Hyperlegible") for f in fonts), fonts


def test_no_hyphenation(large, bundled):
    lines = [line.rstrip() for text in page_texts(large) for line in text.splitlines()]
    # a web address may wrap after one of its own hyphens: that is not hyphenation
    assert not [line for line in lines if line.endswith("-") and "/" not in line]
    # the reading edition does hyphenate, so the check can see a hyphen when there is one
    reading = [line.rstrip() for text in page_texts(reader(bundled["pdf"]))
               for line in text.splitlines()]
    assert [line for line in reading if line.endswith("-")]


def test_same_contents_with_the_right_page_numbers(large):
    booklet = load_booklet(BUNDLED)
    entries = contents_entries(large)
    assert [t for t, _ in entries] == [*(t for p in booklet.parts
                                         for t in (p.title, *(s.title for s in p.sections))),
                                       "Sources and further reading"]
    texts = page_texts(large)
    for title, page in entries:
        lines = [" ".join(line.split()) for line in texts[page - 1].splitlines()]
        assert title in lines, f"{title!r} is not on page {page}"


def test_letter_when_the_paper_is_american(tmp_project, options_at_epoch, tmp_path):
    root = tmp_project({"content/demo/booklet.md": booklet_md("title: Demo\npaper: half-letter")})
    [outcome] = build([root / "content/demo"],
                      options_at_epoch(tmp_path / "out", formats=("large-print",)))
    assert list(outcome.written) == ["large-print"]
    assert outcome.written["large-print"].name == "demo-large-print.pdf"
    for page in reader(outcome.written["large-print"]).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == \
            pytest.approx(LETTER, abs=0.1)
