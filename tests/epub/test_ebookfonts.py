"""The EPUB's font files: which characters each static subset holds."""

from __future__ import annotations

import io

from fontTools.ttLib import TTFont

from booklet.epub.fonts import EBOOK_FACES, font_files


def test_subset_holds_the_text_both_cases_and_the_break_characters():
    [data] = font_files("Ab ÿ\x07", EBOOK_FACES[:1]).values()
    cmap = set(TTFont(io.BytesIO(data)).getBestCmap())
    assert {ord(c) for c in "AaBbÿŸ 0123456789-\u00a0\u2013\u2014"} <= cmap
    assert 0x07 not in cmap and ord("c") not in cmap
