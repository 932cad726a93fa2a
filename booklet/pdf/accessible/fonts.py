"""ToUnicode maps with a value for every glyph shown (Matterhorn 10-001).

WeasyPrint 70 leaves two kinds of holes. A font also used by form fields gets the map
of its `cmap` table only, so glyphs reached by OpenType features (the tabular figures
of list markers in Atkinson Hyperlegible) have no entry. And a glyph that shares its
cluster with another gets an empty value (`<>`): Noto Sans Arabic draws many letters as
a dotless base plus dots, and only one of the glyphs gets the letter. A hole is filled
from the text of a run that shows it when that run's other glyphs account for all but
one stretch of its text; a glyph that stands for no character of its own maps to
U+034F COMBINING GRAPHEME JOINER, a default-ignorable character, and every run that
shows such a glyph gets /ActualText, so readers still get its words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pikepdf

from ...engine.marks import Mark
from .content import Content, FontKey, Key

#: The value for a glyph that stands for no character of its own.
IGNORABLE = "\u034f"
ENTRY = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")
BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
CODE = re.compile(rb"[0-9a-f]{4}")


def repair(content: Content, marks: Mapping[Key, Mark], actual: dict[Key, str]) -> None:
    """Fill every ToUnicode hole of the fonts shown; add /ActualText (into `actual`) for
    runs showing a glyph whose value is only a placeholder."""
    runs: dict[FontKey, list[tuple[Key, bytes]]] = {}
    for index, page in enumerate(content.pages):
        for mcid, strings in page.shown.items():
            for font, data in strings:
                runs.setdefault(font, []).append(((index, mcid), data.lower()))
    for font, shown in runs.items():
        obj = content.fonts[font]
        if not _is_identity(obj):
            continue
        mapping = _read_map(obj)
        codes = set(CODE.findall(b"".join(data for _, data in shown)))
        holes = {code for code in codes if not mapping.get(code)}
        if not holes:
            continue
        showing = {code: [key for key, data in shown if code in _codes(data)]
                   for code in holes}
        fills = _infer(holes, showing, mapping, content, marks, font)
        for code in holes - fills.keys():
            fills[code] = IGNORABLE
            for key in showing[code]:
                if key in marks and key not in actual and marks[key].text:
                    actual[key] = marks[key].text
        _write_map(obj, fills)


def _infer(holes: set[bytes], codes: dict[bytes, list[Key]], mapping: dict[bytes, str],
           content: Content, marks: Mapping[Key, Mark], font: FontKey) -> dict[bytes, str]:
    """Values for holes read off left-to-right runs whose other glyphs are all known."""
    found: dict[bytes, str] = {}
    for code in sorted(holes):
        for key in codes[code]:
            mark = marks.get(key)
            if mark is None or mark.rtl or not mark.text:
                continue
            shown = [c for f, data in content.pages[key[0]].shown[key[1]] if f == font
                     for c in _codes(data)]
            if any(f != font for f, _ in content.pages[key[0]].shown[key[1]]):
                continue
            value = _middle(shown, code, mark.text, {**mapping, **found})
            if value:
                found[code] = value
                break
    return found


def _middle(shown: list[bytes], hole: bytes, text: str, mapping: dict[bytes, str]
            ) -> str | None:
    """The text of `hole` in a run showing `shown` codes, if the run holds it once and
    every other code's value is known and lines up with `text`."""
    if shown.count(hole) != 1 or any(not mapping.get(c) for c in shown if c != hole):
        return None
    at = shown.index(hole)
    before = "".join(mapping[c] for c in shown[:at])
    after = "".join(mapping[c] for c in shown[at + 1:])
    text = text.strip()
    if not text.startswith(before) or not text.endswith(after) or \
            len(before) + len(after) >= len(text):
        return None
    return text[len(before):len(text) - len(after)]


def _is_identity(font: pikepdf.Object) -> bool:
    return font.get("/Subtype") == pikepdf.Name.Type0 and \
        font.get("/Encoding") == pikepdf.Name("/Identity-H") and "/ToUnicode" in font


def _codes(data: bytes) -> list[bytes]:
    """The two-byte codes of a shown string, as four lower-case hex digits each."""
    return CODE.findall(data.lower())


def _code(digits: bytes) -> bytes:
    return digits.lower().rjust(4, b"0")


def _read_map(font: pikepdf.Object) -> dict[bytes, str]:
    data = font.ToUnicode.read_bytes()
    return {_code(code): bytes.fromhex(value.decode()).decode("utf-16-be", errors="replace")
            for section in BFCHAR.findall(data) for code, value in ENTRY.findall(section)}


def _write_map(font: pikepdf.Object, fills: dict[bytes, str]) -> None:
    """Give the holes their values: empty entries filled in place, missing ones added."""
    data = font.ToUnicode.read_bytes()

    def hexa(text: str) -> bytes:
        return text.encode("utf-16-be").hex().encode()

    pending = dict(fills)

    def fill(match: re.Match[bytes]) -> bytes:
        code = _code(match.group(1))
        if not match.group(2) and code in pending:
            return b"<%s> <%s>" % (match.group(1), hexa(pending.pop(code)))
        return match.group(0)

    data = BFCHAR.sub(lambda m: ENTRY.sub(fill, m.group(0)), data)
    entries = [b"<%s> <%s>" % (code, hexa(text))
               for code, text in sorted(pending.items())]
    blocks = [b"%d beginbfchar\n%s\nendbfchar\n" % (len(entries[i:i + 100]),
                                                     b"\n".join(entries[i:i + 100]))
              for i in range(0, len(entries), 100)]  # at most 100 a block (PDF Ref. 5.9.2)
    if blocks:
        data = data.replace(b"endcmap", b"".join(blocks) + b"endcmap", 1)
    font.ToUnicode.write(data)
