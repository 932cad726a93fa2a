"""The web edition's typefaces: static WOFF2 files shared by every page in `assets/fonts/`.

The EPUB's faces (`booklet.epub.fonts`), pinned at the same weights, are cut to fixed
Unicode ranges rather than to one booklet's characters, so every handout page of a
practice's site loads the same few files and a browser caches them once. Each range
gets an `@font-face` with its `unicode-range`, so a browser downloads only the files
a page uses (an English page: the `latin` files alone). Compressing WOFF2 (Brotli)
takes a quarter of a second per file, so each file is made once per machine and kept
in `~/.cache/booklet/web-fonts/`, keyed by the font package file it comes from.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..epub.fonts import OPTICAL_SIZE, EbookFace, _static_subset, ebook_faces
from ..output import cache_dir, write_atomic
from ..render.fonts import TEXT_FAMILY, families_for

#: Unicode ranges (the split Google Fonts uses): name -> list of (first, last) code points.
RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "latin": ((0x0000, 0x00FF), (0x0131, 0x0131), (0x0152, 0x0153), (0x02BB, 0x02BC),
              (0x02C6, 0x02C6), (0x02DA, 0x02DA), (0x02DC, 0x02DC), (0x2000, 0x206F),
              (0x20AC, 0x20AC), (0x2122, 0x2122), (0x2190, 0x2193), (0x2212, 0x2212),
              (0xFEFF, 0xFEFF), (0xFFFD, 0xFFFD)),
    "latin-ext": ((0x0100, 0x0130), (0x0132, 0x0151), (0x0154, 0x024F), (0x0259, 0x0259),
                  (0x1E00, 0x1EFF), (0x20A0, 0x20AB), (0x20AD, 0x20CF), (0x2C60, 0x2C7F),
                  (0xA720, 0xA7FF)),
    "arabic": ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF),
               (0xFE70, 0xFEFF), (0x200C, 0x200F)),
}

#: Folder of the font files, relative to the output folder.
FONT_FOLDER = "assets/fonts"


@dataclass(frozen=True)
class WebFont:
    """One WOFF2 file: a face pinned at its weight, cut to one Unicode range."""

    face: EbookFace
    range_name: str

    @property
    def file_name(self) -> str:
        """`Literata-Regular-latin.woff2`."""
        stem = Path(self.face.file_name).stem
        return f"{stem}-{self.range_name}.woff2"

    @property
    def unicode_range(self) -> str:
        """The CSS `unicode-range` value: `U+0-FF, U+131, ...`."""
        return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}"
                         for a, b in RANGES[self.range_name])


def web_fonts(language: str) -> tuple[WebFont, ...]:
    """The files a page in `language` may load: each face in each range of its script."""
    names = ("latin", "latin-ext") if families_for(language)[0] == TEXT_FAMILY \
        else ("arabic", "latin")
    return tuple(WebFont(face, name) for face in ebook_faces(language) for name in names)


def font_face_css(fonts: tuple[WebFont, ...], prefix: str = "fonts/") -> str:
    """@font-face rules for `fonts`, their files relative to the stylesheet."""
    return "".join(
        f"@font-face {{ font-family: '{f.face.face.css_family}'; font-style: "
        f"{f.face.css_style}; font-weight: {f.face.weight}; font-display: swap; "
        f"src: url('{prefix}{f.file_name}') format('woff2'); "
        f"unicode-range: {f.unicode_range}; }}\n" for f in fonts)


def woff2(font: WebFont) -> bytes:
    """The WOFF2 file's bytes: from the machine's cache, else made and kept there."""
    path = cache_dir() / "web-fonts" / f"{_key(font)}.woff2"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = _make(font)
    try:
        write_atomic(path, data)
    except OSError:  # a read-only home: make it again next time
        pass
    return data


def _make(font: WebFont) -> bytes:
    from fontTools.ttLib import TTFont

    chars = frozenset(chr(c) for a, b in RANGES[font.range_name] for c in range(a, b + 1)
                      if not 0xD800 <= c <= 0xDFFF)
    static = TTFont(io.BytesIO(_static_subset(font.face, chars)), recalcTimestamp=False)
    static.flavor = "woff2"
    out = io.BytesIO()
    static.save(out, reorderTables=False)
    return out.getvalue()


@cache
def _key(font: WebFont) -> str:
    """What the file depends on: the source font file, weight, size axis and range."""
    import fontTools

    source = Path(font.face.face.path)
    stat = source.stat()
    text = (f"{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{font.face.weight}|"
            f"{OPTICAL_SIZE}|{font.range_name}|{RANGES[font.range_name]}|"
            f"{fontTools.version}")
    name = f"{Path(font.face.file_name).stem}-{font.range_name}"
    return f"{name}-{hashlib.sha256(text.encode()).hexdigest()[:16]}"
