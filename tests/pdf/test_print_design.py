"""Print-safe design: text contrast, boxes that survive black-and-white copies, fonts."""

from __future__ import annotations

import io
import re

import pikepdf
import pytest
import tinycss2
from fontTools.ttLib import TTFont
from tinycss2 import color3

from booklet.render.html import Renderer
from booklet.source.paper import PAPERS

WHITE = (1.0, 1.0, 1.0)
STYLESHEETS = ["print.css", *sorted({s for p in PAPERS.values() for s in p.stylesheets}),
               "large-print.css"]


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2 relative luminance of an sRGB colour (components 0..1)."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b) -> float:
    """WCAG 2 contrast ratio between two colours."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def colours(tokens) -> list[tuple[float, float, float]]:
    """Every solid colour among a declaration's value tokens."""
    found = []
    for token in tokens:
        parsed = color3.parse_color(token)
        if parsed is not None and parsed != "currentColor" and parsed.alpha > 0:
            found.append((parsed.red, parsed.green, parsed.blue))
    return found


def declared(name: str) -> tuple[list, list, list]:
    """(text colours, text backgrounds, (colour, background) pairs) a stylesheet declares.

    A rule that sets both its colour and its background (a badge, white on black) is
    checked as that pair; other colours are checked against every other background.
    Backgrounds of generated boxes with no text (`content: ""`, the cover bands) are
    not text backgrounds."""
    texts, backgrounds, pairs = [], [], []
    css = Renderer().stylesheet(name)
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "at-rule":  # @page and its margin boxes: text colours only
            body = tinycss2.serialize(rule.content or [])
            texts += [c for v in re.findall(r"(?<![-\w])color:\s*([^;}]+)", body)
                      for c in colours(tinycss2.parse_component_value_list(v))]
            continue
        if rule.type != "qualified-rule":
            continue
        declarations = {d.lower_name: d.value for d in tinycss2.parse_declaration_list(
            rule.content, skip_comments=True, skip_whitespace=True) if d.type == "declaration"}
        empty = tinycss2.serialize(declarations.get("content", [])).strip() in ('""', "''")
        own = colours(declarations.get("color", []))
        fills = [] if empty else [c for key in ("background", "background-color")
                                  for c in colours(declarations.get(key, []))]
        if own and fills:
            pairs += [(text, fill) for text in own for fill in fills]
        else:
            texts += own
            backgrounds += fills
    return texts, backgrounds, pairs


@pytest.mark.parametrize("name", STYLESHEETS)
def test_text_contrast_is_at_least_4_5_to_1(name):
    texts, backgrounds, pairs = declared(name)
    base_texts, base_backgrounds, base_pairs = declared("print.css")
    for text in {*texts, *base_texts}:
        for background in {WHITE, *backgrounds, *base_backgrounds}:
            assert contrast(text, background) >= 4.5, (name, text, background)
    for text, background in {*pairs, *base_pairs}:
        assert contrast(text, background) >= 4.5, (name, text, background)


def test_contrast_formula():
    assert contrast((0, 0, 0), WHITE) == pytest.approx(21)
    assert contrast((0.467, 0.467, 0.467), WHITE) == pytest.approx(4.48, abs=0.02)  # #777


def test_the_check_sees_a_pale_callout(tmp_path):
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "print.css").write_text(
        ".callout-note { color: #999; background: #eee; }")
    renderer = Renderer(tmp_path)
    css = renderer.stylesheet("print.css")
    rule = tinycss2.parse_stylesheet(css, skip_whitespace=True)[0]
    values = {d.lower_name: d.value for d in tinycss2.parse_declaration_list(
        rule.content, skip_whitespace=True) if d.type == "declaration"}
    assert contrast(colours(values["color"])[0], colours(values["background"])[0]) < 4.5


@pytest.mark.parametrize("name", ["print.css", "large-print.css"])
def test_callouts_have_a_border_and_a_label(name):
    css = Renderer().stylesheet(name)
    for kind in ("key-points", "note"):
        rules = re.findall(rf"\.callout-{kind}\s*{{([^}}]*)}}", css)
        rule = r"border(-left|-inline-start)?:\s*[\d.]+pt solid #000"
        assert any(re.search(rule, r) for r in rules), kind
    template = (Renderer().template_dirs[-1] / "blocks" / "callout.html").read_text()
    assert 'class="callout-title"' in template


@pytest.mark.parametrize("fmt", ["pdf", "large-print"])
def test_embedded_fonts_are_static_instances(bundled, fmt):
    """A variable font left un-instantiated prints its default weight (Source Sans 3:
    ExtraLight) with another weight's spacing."""
    with pikepdf.open(bundled[fmt]) as pdf:
        programs = [o.FontFile2.read_bytes() for o in pdf.objects
                    if isinstance(o, pikepdf.Dictionary) and "/FontFile2" in o]
    assert programs
    for program in programs:
        assert "fvar" not in TTFont(io.BytesIO(program))
