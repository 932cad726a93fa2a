"""The book's typefaces for the EPUB: static instances cut to the characters it uses.

The packaged files are variable fonts, which e-readers handle unevenly, so the EPUB
carries one static TrueType file per style (`EBOOK_FACES`), each holding every
character of the book, plus each family's OFL licence text. The stylesheet names the
families on `body` and headings only, without `!important`, so a reader's own font
choice still wins. The licences become pages linked from the colophon.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import BookletError
from ..render.fonts import TEXT_FAMILY, Face, families_for

#: The optical size the text is drawn at, as in print (Literata has an 'opsz' axis).
OPTICAL_SIZE = 12
#: Characters always kept: spaces and the hyphens and dashes a reader may break with.
ALWAYS = " \u00a0-\u2010\u2011\u2013\u2014\u00ad0123456789"


@dataclass(frozen=True)
class EbookFace:
    """One embedded font file: a packaged face pinned at one weight."""

    face: Face
    weight: int
    file_name: str

    @property
    def css_style(self) -> str:
        return self.face.style


#: Text (regular, italic, bold) in Literata, headings in Source Sans 3 Bold.
EBOOK_FACES: tuple[EbookFace, ...] = (
    EbookFace(Face("Literata", "Literata"), 400, "fonts/Literata-Regular.ttf"),
    EbookFace(Face("Literata", "Literata", "italic"), 400, "fonts/Literata-Italic.ttf"),
    EbookFace(Face("Literata", "Literata"), 700, "fonts/Literata-Bold.ttf"),
    EbookFace(Face("Source Sans 3", "Source Sans 3"), 700, "fonts/SourceSans3-Bold.ttf"),
)


def ebook_faces(language: str) -> tuple[EbookFace, ...]:
    """The faces a booklet in `language` embeds: `EBOOK_FACES`, or its script family's
    regular and bold (fonts.SCRIPT_FAMILIES, e.g. Noto Sans Arabic)."""
    family = families_for(language)[0]
    if family == TEXT_FAMILY:
        return EBOOK_FACES
    slug = family.replace(" ", "")
    return (EbookFace(Face(family, family), 400, f"fonts/{slug}-Regular.ttf"),
            EbookFace(Face(family, family), 700, f"fonts/{slug}-Bold.ttf"))


def family_css(language: str) -> str:
    """CSS naming the script family on body and headings, when the booklet has one."""
    family = families_for(language)[0]
    if family == TEXT_FAMILY:
        return ""
    return f"body, h1, h2, h3, h4, h5, h6 {{ font-family: '{family}', sans-serif; }}\n"


def font_files(text: str, faces: tuple[EbookFace, ...] = EBOOK_FACES) -> dict[str, bytes]:
    """File name -> font bytes for each face, holding every character of `text`."""
    found = {*text, *text.upper(), *text.lower()}  # each distinct character tested once
    chars = frozenset(c for c in found if c.isprintable()).union(ALWAYS)
    return {face.file_name: _static_subset(face, chars) for face in faces}


def font_face_css(faces: tuple[EbookFace, ...] = EBOOK_FACES) -> str:
    """@font-face rules for the embedded files, relative to the stylesheet."""
    return "".join(
        f"@font-face {{ font-family: '{f.face.css_family}'; font-style: {f.css_style}; "
        f"font-weight: {f.weight}; src: url('{f.file_name}'); }}\n" for f in faces)


def licences(faces: tuple[EbookFace, ...] = EBOOK_FACES) -> dict[str, str]:
    """Family name -> its licence text (the OFL), for each embedded family."""
    found: dict[str, str] = {}
    for face in faces:
        family = face.face.package_family
        path = Path(face.face.path).parents[1] / "LICENSE"
        if not path.is_file():
            raise BookletError.at(None, None, f"the font package for '{family}' has no "
                                  "LICENSE file; its fonts cannot be embedded without it")
        found[face.face.css_family] = path.read_text(encoding="utf-8")
    return found


@cache
def _static_subset(face: EbookFace, chars: frozenset[str]) -> bytes:
    """The face's variable font cut to `chars` and pinned at its weight: with HarfBuzz
    in milliseconds (`instancer.pin_axes`), else with fontTools."""
    from ..engine.instancer import pin_axes

    data = Path(face.face.path).read_bytes()
    location = {"wght": face.weight, "opsz": OPTICAL_SIZE}
    axes = _axes(data)
    pinned = pin_axes(data, {tag: v for tag, v in location.items() if tag in axes},
                      sorted(ord(c) for c in chars)) if axes else None
    return pinned if pinned is not None else _fonttools_subset(face, chars)


def _axes(data: bytes) -> set[str]:
    """The variation axes of a font file (empty for a static font)."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), lazy=True)
    return {axis.axisTag for axis in font["fvar"].axes} if "fvar" in font else set()


def _fonttools_subset(face: EbookFace, chars: frozenset[str]) -> bytes:
    """`_static_subset` without HarfBuzz: fontTools' subsetter and instancer (slow)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = TTFont(str(face.face.path), recalcTimestamp=False, lazy=True)
    options = subset.Options()
    options.hinting = False
    options.name_IDs = ["*"]  # keeps the copyright and licence fields
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    if "fvar" in font:
        axes = {axis.axisTag for axis in font["fvar"].axes}
        location = {"wght": face.weight, "opsz": OPTICAL_SIZE}
        font = instancer.instantiateVariableFont(
            font, {tag: value for tag, value in location.items() if tag in axes},
            static=True, updateFontNames=True, inplace=True)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
