"""Worksheet answers put into a PDF's form fields (booklet.pdf.prefill): the value a
viewer shows and the client can edit, and an appearance that draws it on the lines."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
from fontTools.ttLib import TTFont

from booklet.pdf.prefill import prefill

NEED = "what-i-need"
NOTICE = "what-i-notice-when-my-partner-withdraws"


_OPEN: list[pikepdf.Pdf] = []  # kept open while a test reads their objects


def fields(data: bytes) -> dict[str, pikepdf.Dictionary]:
    pdf = pikepdf.open(io.BytesIO(data))
    _OPEN.append(pdf)
    return {str(f.T): f for f in pdf.Root.AcroForm.Fields}


def field_page(data: bytes, name: str) -> int:
    """The index of the page a field is on."""
    pdf = pikepdf.open(io.BytesIO(data))
    field = next(f for f in pdf.Root.AcroForm.Fields if str(f.T) == name)
    return next(i for i, page in enumerate(pdf.pages) if page.obj.objgen == field.P.objgen)


def appearance_lines(field: pikepdf.Dictionary) -> list[str]:
    """The text an appearance stream draws, line by line (glyph ids read back through
    the embedded font's own character map)."""
    stream = field.AP.N
    commands = pikepdf.parse_content_stream(stream)
    font_name = [ops[0] for ops, op in commands if str(op) == "Tf"][-1]
    font = stream.Resources.Font[font_name]
    program = font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()
    ttf = TTFont(io.BytesIO(program))
    chars = {ttf.getGlyphID(name): chr(code) for code, name in ttf.getBestCmap().items()}
    lines = []
    for operands, op in commands:
        if str(op) == "Tj":
            data = bytes(operands[0])
            lines.append("".join(chars[int.from_bytes(data[i:i + 2], "big")]
                                 for i in range(0, len(data), 2)))
    return lines


def test_the_answer_is_the_value_and_is_drawn_on_the_lines(bundled):
    data = prefill(Path(bundled["pdf"]).read_bytes(),
                   {NEED: "Time to talk about the week without being rushed, and a long walk "
                          "on Sunday afternoon with the dog.\nSleep."})
    found = fields(data)
    assert str(found[NEED].V).startswith("Time to talk")
    assert int(found[NEED].get("/Ff", 0)) & 1 == 0  # not read-only: still editable
    assert found[NEED].FT == "/Tx"
    lines = appearance_lines(found[NEED])
    assert " ".join(lines[:-1]) == ("Time to talk about the week without being rushed, and a "
                                    "long walk on Sunday afternoon with the dog.")
    assert lines[-1] == "Sleep." and 2 < len(lines) <= 4
    assert str(found[NOTICE].V) == "" and "/AP" not in found[NOTICE]
    assert pikepdf.open(io.BytesIO(data)).Root.AcroForm.NeedAppearances is False


def test_the_appearance_is_what_a_viewer_shows(bundled):
    """PDFium, drawing form fields from their appearances, darkens the answer's box."""
    original = Path(bundled["pdf"]).read_bytes()
    filled = prefill(original, {NEED: "Time to talk"})

    def ink(data: bytes) -> int:
        pdf = pdfium.PdfDocument(data)
        pdf.init_forms()
        image = pdf[field_page(data, NEED)].render(scale=1, may_draw_forms=True).to_pil()
        image = image.convert("L")
        return sum(image.histogram()[:128])

    assert ink(filled) > ink(original) + 100


def test_a_long_answer_is_set_smaller_two_to_a_line(bundled):
    answer = " ".join(["He goes quiet and stays in his room most evenings."] * 5)
    found = fields(prefill(Path(bundled["pdf"]).read_bytes(), {NOTICE: answer}))
    lines = appearance_lines(found[NOTICE])
    assert " ".join(lines) == answer
    sizes = [float(ops[1]) for ops, op in pikepdf.parse_content_stream(found[NOTICE].AP.N)
             if str(op) == "Tf"]
    assert sizes[-1] < sizes[0]


def test_text_that_needs_shaping_gets_only_the_value(bundled):
    """Arabic is not set by hand: the value is there and viewers draw it themselves."""
    found = fields(prefill(Path(bundled["pdf"]).read_bytes(), {NEED: "وقت للحديث"}))
    assert str(found[NEED].V) == "وقت للحديث" and "/AP" not in found[NEED]
    assert pikepdf.open(io.BytesIO(prefill(Path(bundled["pdf"]).read_bytes(),
                                           {NEED: "وقت"}))).Root.AcroForm.NeedAppearances


def test_the_same_answers_give_the_same_bytes(bundled):
    original = Path(bundled["pdf"]).read_bytes()
    assert prefill(original, {NEED: "Rest"}) == prefill(original, {NEED: "Rest"})
    assert prefill(original, {}) is original
