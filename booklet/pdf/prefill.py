"""A personal copy's worksheet answers, put into the PDF's form fields.

WeasyPrint writes each worksheet prompt's answer box as an empty multi-line text field
named after the prompt's id; text inside the HTML field would also be drawn on the
page, where it would stay under anything the client types. So the answers are set
afterwards, with pikepdf, in each named field: its value (`/V`, which the client can
edit or delete) and an appearance (`/AP`) that draws it on the field's ruled lines, for
viewers and printers that draw fields from their appearance alone.

The field's font is embedded whole (WeasyPrint does so for form fields), so the
appearance names its glyphs by the font's own character map. The text is set without
shaping: an answer with characters that need it (right-to-left scripts, combining
marks) or that the font lacks gets only the value, which viewers draw themselves (the
form keeps asking them to: `NeedAppearances`, which is turned off otherwise, so that
viewers show the answers on the lines as printed).
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pikepdf

#: Ruled lines under each prompt (templates/blocks/worksheet.html, `lines_per_prompt`):
#: an answer that fits is written on them. They divide the field's padding box
#: equally; the field's rectangle is its content box, inside `PADDING` (print.css,
#: `.worksheet-field`: 1mm above and below).
RULED_LINES = 4
PADDING = 72 / 25.4
#: Room left of the text, and between a line's baseline and its rule (clear of
#: descenders), the height above the baseline and the least distance between lines,
#: as shares of the font size.
INSET, RAISE, ASCENT, LEADING = 0.25, 0.5, 0.8, 1.15
#: Lines of an answer set between two rules at most (smaller each time); what does not
#: fit then is left out of the appearance (the value holds it, and viewers scroll).
MOST_PER_BAND = 3
_TF = re.compile(r"/(\S+)\s+(\d+(?:\.\d+)?)\s+Tf")


def prefill(data: bytes, answers: Mapping[str, str], lines: int = RULED_LINES) -> bytes:
    """The PDF `data` with each text field named in `answers` holding its answer."""
    if not answers:
        return data
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        form = pdf.Root.get("/AcroForm")
        if form is None:
            return data
        drawn = True
        for field in form.get("/Fields", ()):
            answer = answers.get(str(field.get("/T", "")))
            if answer is None or field.get("/FT") != "/Tx":
                continue
            field.V = pikepdf.String(answer)
            appearance = _appearance(pdf, form, field, answer, lines)
            if appearance is not None:
                field.AP = pikepdf.Dictionary(N=appearance)
            drawn = drawn and appearance is not None
        if drawn:  # viewers show our appearances (on the lines) rather than their own
            form.NeedAppearances = False
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)  # the same answers give the same bytes
        return out.getvalue()


@dataclass(frozen=True)
class _Metrics:
    """What setting text in an embedded font needs: glyph ids and advances."""

    glyphs: dict[str, int]
    advances: dict[int, float]  # in thousandths of the font size

    def width(self, text: str, size: float) -> float:
        return sum(self.advances[self.glyphs[c]] for c in text) * size / 1000

    def hex(self, text: str) -> str:
        return "".join(f"{self.glyphs[c]:04x}" for c in text)


def _appearance(pdf: pikepdf.Pdf, form: pikepdf.Dictionary, field: pikepdf.Dictionary,
                answer: str, lines: int) -> pikepdf.Stream | None:
    """A form XObject drawing `answer` in the field, or None where it cannot be set."""
    import pikepdf

    appearance = str(field.get("/DA", form.get("/DA", "")))
    found = _TF.search(appearance)
    resources = form.get("/DR")
    if found is None or resources is None or "/Font" not in resources:
        return None
    font = resources.Font.get("/" + found[1])
    metrics = _metrics(font) if font is not None else None
    text = answer.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").strip()
    if metrics is None or not _settable(text, metrics):
        return None
    left, bottom, right, top = (float(v) for v in field.Rect)
    width, height = abs(right - left), abs(top - bottom)
    size = float(found[2])
    band = (height + 2 * PADDING) / lines
    room = band - PADDING  # the top band starts PADDING above the field
    for per_band in range(1, MOST_PER_BAND + 1):  # too long for the lines: 2 a line, 3 ...
        size = min(size, room / (RAISE + ASCENT + LEADING * (per_band - 1)))
        wrapped = _wrap(text, metrics, size, width - 2 * INSET * size)
        if len(wrapped) <= lines * per_band:
            break
    pitch = (room - (RAISE + ASCENT) * size) / (per_band - 1) if per_band > 1 else 0
    # Each line's baseline just above its rule (several to a band: above each other).
    baselines = [height + PADDING - (n // per_band + 1) * band + RAISE * size
                 + (per_band - 1 - n % per_band) * pitch for n in range(len(wrapped))]
    x = INSET * size
    shown = [f"1 0 0 1 {x:.2f} {y:.2f} Tm <{metrics.hex(line)}> Tj"
             for line, y in zip(wrapped, baselines, strict=True) if y > -size]
    content = "\n".join([
        "/Tx BMC", "q", f"0 0 {width:.2f} {height:.2f} re W n", "BT", appearance,
        f"/{found[1]} {size:g} Tf", *shown, "ET", "Q", "EMC"]).encode("ascii")
    return pikepdf.Stream(pdf, content, Type=pikepdf.Name.XObject,
                          Subtype=pikepdf.Name.Form,
                          BBox=pikepdf.Array([0, 0, round(width, 2), round(height, 2)]),
                          Resources=resources)


def _settable(text: str, metrics: _Metrics) -> bool:
    """Whether every character has a glyph and none needs shaping or reordering."""
    return all(c == "\n" or (c in metrics.glyphs and not unicodedata.combining(c)
                             and unicodedata.bidirectional(c) not in ("R", "AL", "AN"))
               for c in text)


def _wrap(text: str, metrics: _Metrics, size: float, width: float) -> list[str]:
    """`text` broken into lines no wider than `width` (at spaces; inside a word only
    when the word alone is wider)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if metrics.width(candidate, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = word
            while metrics.width(line, size) > width and len(line) > 1:
                cut = len(line) - 1
                while cut > 1 and metrics.width(line[:cut], size) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines


_METRICS: dict[bytes, _Metrics | None] = {}


def _metrics(font: pikepdf.Dictionary) -> _Metrics | None:
    """Glyph ids and advances of a Type 0 font whose TrueType program is embedded with
    glyph ids as character ids (WeasyPrint's fonts); None for any other font."""
    try:
        descendant = font.DescendantFonts[0]
        if str(descendant.get("/CIDToGIDMap", "/Identity")) != "/Identity":
            return None
        program = descendant.FontDescriptor.FontFile2.read_bytes()
    except (AttributeError, IndexError, KeyError, TypeError):
        return None
    key = hashlib.blake2b(program, digest_size=16).digest()
    if key not in _METRICS:  # a font, not a client's text: kept while the process runs
        _METRICS[key] = _read_metrics(program)
    return _METRICS[key]


def _read_metrics(program: bytes) -> _Metrics | None:
    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(io.BytesIO(program), lazy=True)
        cmap = font.getBestCmap() or {}
        scale = 1000 / font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        glyphs = {chr(code): font.getGlyphID(name) for code, name in cmap.items()}
        advances = {font.getGlyphID(name): metrics[name][0] * scale
                    for name in set(cmap.values())}
    except (TTLibError, KeyError, AssertionError):
        return None
    return _Metrics(glyphs, advances)
