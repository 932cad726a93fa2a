"""Variable fonts become static instances in the PDF, through HarfBuzz."""

from __future__ import annotations

import io

import pytest
from fontTools import subset
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont
from fontTools.varLib.instancer import instantiateVariableFont

from booklet.engine import instancer
from booklet.render.fonts import FACES

from ..pdfcheck import reader

LITERATA = next(f for f in FACES if f.css_family == "Literata" and f.style == "normal")
SANS = next(f for f in FACES if f.css_family == "Source Sans 3" and f.style == "normal")


def small_subset(face, text: str = "Hamburgefontsiv 0123") -> bytes:
    """A subset of a packaged variable font, glyph ids kept, as WeasyPrint embeds it."""
    font = TTFont(face.path)
    options = subset.Options(retain_gids=True, notdef_outline=True, layout_features=[])
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def outlines(font: TTFont) -> dict[str, list]:
    glyphs = font.getGlyphSet()
    result = {}
    for name in font.getGlyphOrder():
        pen = RecordingPen()
        glyphs[name].draw(pen)
        result[name] = [(op, [tuple(round(v) for v in pt) for pt in args])
                        for op, args in pen.value]
    return result


@pytest.mark.parametrize("location", [{"wght": 400, "opsz": 12}, {"wght": 700, "opsz": 12},
                                      {"wght": 600, "opsz": 36}])
def test_harfbuzz_matches_fonttools(location):
    data = small_subset(LITERATA)
    fast = instancer.instantiate(TTFont(io.BytesIO(data)), location, static=True)
    slow = instantiateVariableFont(TTFont(io.BytesIO(data)), location, static=True)
    assert "fvar" not in fast and "gvar" not in fast
    assert fast.getGlyphOrder() == slow.getGlyphOrder()
    for name, (advance, bearing) in slow["hmtx"].metrics.items():
        assert fast["hmtx"].metrics[name][0] == advance, name
        assert abs(fast["hmtx"].metrics[name][1] - bearing) <= 1, name
    fast_outlines, slow_outlines = outlines(fast), outlines(slow)
    for name, ops in slow_outlines.items():
        assert [op for op, _ in fast_outlines[name]] == [op for op, _ in ops], name
        for (_, a), (_, b) in zip(fast_outlines[name], ops, strict=True):
            assert all(abs(p - q) <= 4 for pa, pb in zip(a, b, strict=True)
                       for p, q in zip(pa, pb, strict=True)), name


def test_axes_the_font_lacks_are_ignored():
    """Source Sans 3 has no optical-size axis; asking for one must not leave it variable."""
    data = small_subset(SANS)
    static = instancer.instantiate(TTFont(io.BytesIO(data)), {"wght": 700, "opsz": 12})
    assert "fvar" not in static
    bold = instantiateVariableFont(TTFont(io.BytesIO(data)), {"wght": 700}, static=True)
    assert ({n: m[0] for n, m in static["hmtx"].metrics.items()}
            == {n: m[0] for n, m in bold["hmtx"].metrics.items()})


def test_falls_back_to_fonttools_without_harfbuzz(monkeypatch):
    monkeypatch.setattr(instancer, "_harfbuzz", lambda: None)
    data = small_subset(SANS)
    static = instancer.instantiate(TTFont(io.BytesIO(data)), {"wght": 600, "opsz": 12},
                                   static=True)
    assert "fvar" not in static


def test_pdf_embeds_only_static_fonts(bundled):
    embedded = {}
    for page in reader(bundled["pdf"]).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            data = descriptor["/FontFile2"].get_object().get_data()
            embedded[str(font["/BaseFont"]).split("+")[-1]] = TTFont(io.BytesIO(data))
    assert {"Literata", "Literata-Italic", "Source-Sans-3-Bold"} <= set(embedded)
    assert [name for name, font in embedded.items() if "fvar" in font] == []


def test_pin_axes_can_cut_a_font_to_some_characters_for_an_ebook():
    from booklet.render.fonts import Face

    data = Face("Literata", "Literata").path.read_bytes()
    cut = instancer.pin_axes(data, {"wght": 700, "opsz": 12}, [ord(c) for c in "Hola"])
    font = TTFont(io.BytesIO(cut))
    assert "fvar" not in font and "gvar" not in font
    assert set(font.getBestCmap()) == {ord(c) for c in "Hola"}
    assert len(cut) < len(data) / 20
    names = {record.nameID for record in font["name"].names}
    assert {0, 13} <= names  # copyright and licence description travel with the font
