from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from booklet.errors import BookletError
from booklet.options import BuildOptions
from booklet.render.html import Renderer
from booklet.source.loader import load_booklet

GOLDEN = Path(__file__).parent.parent / "golden"
OPTIONS = BuildOptions(build_time=datetime(2026, 1, 15, 12, tzinfo=UTC))


@pytest.fixture(scope="module")
def fixture_booklet():
    return load_booklet(GOLDEN / "blocks")


def test_print_html_matches_golden_file(fixture_booklet):
    """Catches template regressions; regenerate with UPDATE_GOLDEN=1 after a deliberate change."""
    html = Renderer().print_html(fixture_booklet, OPTIONS)
    golden = GOLDEN / "blocks.print.html"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(html, encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8")


def test_booklet_text_is_never_template_source(fixture_booklet):
    html = Renderer().print_html(fixture_booklet, OPTIONS)
    assert "{{ 7*7 }}" in html and "49" not in html


def test_ebook_documents_are_well_formed_xhtml(fixture_booklet):
    renderer = Renderer()
    docs = renderer.ebook_documents(fixture_booklet, OPTIONS)
    assert [d.file_name for d in docs] == ["titlepage.xhtml", "part-01.xhtml", "part-02.xhtml",
                                           "sources.xhtml", "colophon.xhtml"]
    for doc in [*docs]:
        etree.fromstring(doc.xhtml.encode())
    etree.fromstring(renderer.ebook_nav(fixture_booklet, OPTIONS).encode())


def test_heading_levels_never_skip(fixture_booklet):
    for doc in Renderer().ebook_documents(fixture_booklet, OPTIONS)[1:]:
        tree = etree.fromstring(doc.xhtml.encode())
        levels = [int(el.tag[-1]) for el in tree.iter()
                  if isinstance(el.tag, str) and el.tag[-2:-1] == "h" and el.tag[-1].isdigit()]
        assert levels[0] == 1
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, levels


def test_theme_overrides_templates_file_by_file(fixture_booklet, tmp_path):
    (tmp_path / "templates" / "blocks").mkdir(parents=True)
    (tmp_path / "templates" / "blocks" / "faq.html").write_text(
        "<p class='clinic-faq'>{{ block.questions | length }} questions</p>")
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "ebook.css").write_text("body { color: black; }")
    renderer = Renderer(tmp_path)
    html = renderer.print_html(fixture_booklet, OPTIONS)
    assert "<p class='clinic-faq'>1 questions</p>" in html
    assert 'class="callout callout-note"' in html
    assert renderer.stylesheet("ebook.css") == "body { color: black; }"
    assert "@page" in renderer.stylesheet("print.css")


def test_undefined_template_variables_fail_loudly(fixture_booklet, tmp_path):
    (tmp_path / "templates" / "blocks").mkdir(parents=True)
    (tmp_path / "templates" / "blocks" / "html.html").write_text("{{ block.no_such_field }}")
    with pytest.raises(Exception, match="no_such_field"):
        Renderer(tmp_path).print_html(fixture_booklet, OPTIONS)
    assert not issubclass(BookletError, KeyError)
