from __future__ import annotations

from pathlib import Path

import fontpkg
import pytest
from fontTools.ttLib import TTFont

from booklet.build.pipeline import build
from booklet.engine.instancer import code_points
from booklet.render.glyphs import check_glyphs
from booklet.source import markdown
from booklet.source.loader import load_booklet

from ..helpers import BUNDLED, booklet_md

SAMPLE = Path(__file__).parent.parent / "samples" / "arabic"
HAN = ("'漢' (U+6F22 CJK UNIFIED IDEOGRAPH-6F22) has no glyph in Literata; it would print "
       "in a fallback font")


def messages(folder: Path) -> list[str]:
    return [str(p) for p in check_glyphs(load_booklet(folder))]


def test_bundled_booklets_and_the_arabic_sample_are_fully_covered():
    for folder in (BUNDLED, BUNDLED.parent / "partner-pushing-away-es", SAMPLE):
        assert messages(folder) == [], folder


def test_a_missing_glyph_is_reported_once_at_its_first_line(tmp_project):
    root = tmp_project({"content/demo/booklet.md": booklet_md(
        "title: Demo", "# Part\n\nPlain text.\n\nThe sign 漢 means Han.\n\nAgain: 漢.\n")})
    assert messages(root / "content/demo") == [f"content/demo/booklet.md:8: {HAN}"]


def test_each_missing_glyph_of_a_line_in_order_and_tabs_draw_nothing(tmp_project):
    root = tmp_project({"content/demo/booklet.md": booklet_md(
        "title: Demo", "# Part\n\nTab\tthen 漢, ب and 漢 again.\n")})
    assert messages(root / "content/demo") == [
        f"content/demo/booklet.md:6: {HAN}",
        "content/demo/booklet.md:6: 'ب' (U+0628 ARABIC LETTER BEH) has no glyph in "
        "Literata; it would print in a fallback font"]


@pytest.mark.parametrize("path", sorted({str(f.path) for family in fontpkg.families().values()
                                          for f in family.files}))
def test_harfbuzz_reads_the_character_map_fonttools_reads(path):
    assert code_points(Path(path)) == set(TTFont(path, lazy=True).getBestCmap())


def test_titles_are_checked_against_the_heading_face(tmp_project):
    root = tmp_project({"content/demo/booklet.md": booklet_md(
        "title: Demo ب", "# Part\n\nText.\n")})
    assert messages(root / "content/demo") == [
        "content/demo/booklet.md:2: 'ب' (U+0628 ARABIC LETTER BEH) has no glyph in "
        "Source Sans 3; it would print in a fallback font"]


def test_the_quotes_the_typographer_adds_are_checked(tmp_project, monkeypatch):
    monkeypatch.setitem(markdown.QUOTES, "xx", "⸨⸩‘’")
    root = tmp_project({"content/demo/booklet.md": booklet_md(
        "title: Demo\nlanguage: xx", '# Part\n\nShe said "hello".\n')})
    found = messages(root / "content/demo")
    assert found[0].startswith("content/demo/booklet.md:7: '⸨' (U+2E28")


def test_warning_in_a_build_and_error_with_strict(tmp_project, options_at_epoch, tmp_path):
    root = tmp_project({"content/demo/booklet.md": booklet_md(
        "title: Demo", "# Part\n\nThe sign 漢.\n")})
    [loose] = build([root / "content/demo"], options_at_epoch(tmp_path / "a",
                                                               formats=("epub",)))
    assert loose.ok and loose.warnings == [f"content/demo/booklet.md:6: {HAN}"]
    [strict] = build([root / "content/demo"], options_at_epoch(tmp_path / "b", strict=True,
                                                                formats=("epub",)))
    assert [str(p) for p in strict.problems] == [f"content/demo/booklet.md:6: {HAN}"]
    assert not (tmp_path / "b").exists()
