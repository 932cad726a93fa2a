"""Reusing fonts prepared for earlier PDFs in the same process.

Before a font goes into a PDF, WeasyPrint cuts it down to the glyphs used and turns it
into a static instance (`Font.clean`): some 30 ms per font, and a booklet embeds
eight (each face at each size it is set in). `booklet watch` and the `--jobs`
workers build booklet after booklet in one process, and the result is often the
same as last time: an edit rarely brings in a letter the booklet did not use. With
`install()`, each result is remembered under everything it depends on (the font
file, the glyphs, the axis location, hinting) and reused.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any

#: How many prepared fonts to keep (a booklet uses about eight, of 20-30 KB each).
LIMIT = 64
_prepared: OrderedDict[tuple, tuple[bytes, dict]] = OrderedDict()


def install() -> None:
    """Make WeasyPrint's `Font.clean` reuse earlier results (idempotent)."""
    from weasyprint.pdf.fonts import Font

    if getattr(Font.clean, "booklet_reuses", False):
        return
    original = Font.clean

    def clean(self: Any, to_unicode: dict, hinting: bool) -> None:
        key = _key(self, to_unicode, hinting)
        if (found := _prepared.get(key)) is not None:
            _prepared.move_to_end(key)
            self.file_content, variations = found
            self.variations = dict(variations)
            return
        original(self, to_unicode, hinting)
        _prepared[key] = (self.file_content, dict(self.variations))
        if len(_prepared) > LIMIT:
            _prepared.popitem(last=False)

    clean.booklet_reuses = True  # type: ignore[attr-defined]
    Font.clean = clean


def prepared_since(known: set[tuple]) -> dict[tuple, tuple[bytes, dict]]:
    """The fonts prepared since `known` (a set of `snapshot()`), to hand to `adopt`."""
    return {key: value for key, value in _prepared.items() if key not in known}


def snapshot() -> set[tuple]:
    """The keys of the fonts prepared so far."""
    return set(_prepared)


def adopt(prepared: dict[tuple, tuple[bytes, dict]]) -> None:
    """Keep fonts another process prepared (the forked child that wrote a PDF), so
    the next PDF written from this process, or a child of it, reuses them."""
    for key, value in prepared.items():
        _prepared[key] = value
        _prepared.move_to_end(key)
    while len(_prepared) > LIMIT:
        _prepared.popitem(last=False)


def _key(font: Any, to_unicode: dict, hinting: bool) -> tuple:
    """Everything `Font.clean` reads: the result is the same when these are."""
    return (hashlib.blake2b(font.file_content, digest_size=16).digest(), font.index,
            tuple(sorted(to_unicode)), bool(hinting), tuple(sorted(font.missing.items())),
            tuple(sorted(font.variations.items())), font.weight, font.font_size, font.style,
            tuple(font.tables), bool(font.png), bool(font.svg), bool(font.colr))
