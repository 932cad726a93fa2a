"""Typefaces from pip-installed font packages, never from the system.

`FACES` lists the families the stylesheets may name and the font package behind each,
so output is the same on every machine and the PDF names the real typefaces.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import fontpkg

from ..errors import BookletError


@dataclass(frozen=True)
class Face:
    """One @font-face: a CSS family name and the packaged file behind one style."""

    css_family: str
    package_family: str
    style: str = "normal"
    #: The weight to pick among static files (None: a variable file, else the first).
    weight: int | None = None

    @property
    def path(self) -> Path:
        """The font file from the package (variable files cover every weight)."""
        return _font_file(self.package_family, self.style, self.weight)

    @property
    def weights(self) -> str:
        """The CSS weight range the file covers: `200 900` for variable fonts."""
        chosen = _font_record(self.package_family, self.style, self.weight)
        if chosen.variable and chosen.wght_min and chosen.wght_max:
            return f"{chosen.wght_min} {chosen.wght_max}"
        return str(chosen.weight or 400)


#: Body text (serif, designed for long reading), headings/labels (sans), form fields.
FACES: tuple[Face, ...] = (
    Face("Literata", "Literata"),
    Face("Literata", "Literata", "italic"),
    Face("Source Sans 3", "Source Sans 3"),
    Face("Source Sans 3", "Source Sans 3", "italic"),
    # Worksheet form fields: a PDF embeds a field's font whole, so a small one.
    Face("Atkinson Hyperlegible", "Atkinson Hyperlegible"),
)


#: The family set in running text and the one for headings and labels (see print.css).
TEXT_FAMILY = "Literata"
HEADING_FAMILY = "Source Sans 3"

#: Packaged families that set the whole booklet when it is written in a script (ISO
#: 15924 code) the text and heading faces lack. Noto Sans Arabic also covers Latin.
SCRIPT_FAMILIES: dict[str, str] = {
    "Arab": "Noto Sans Arabic",
}

#: Every page-margin box, so the script family reaches running footers too.
MARGIN_BOXES = tuple(f"{edge}-{spot}" for edge in ("top", "bottom")
                     for spot in ("left-corner", "left", "center", "right", "right-corner")) + \
    tuple(f"{edge}-{spot}" for edge in ("left", "right") for spot in ("top", "middle", "bottom"))


def script_of(language: str) -> str:
    """The ISO 15924 script a language tag is written in: `Latn`, `Arab`, `Hebr` ..."""
    from babel.core import get_global

    parts = language.replace("_", "-").split("-")
    explicit = [p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()]
    if explicit:
        return explicit[0]
    likely = get_global("likely_subtags").get(parts[0].lower(), "")
    return next((p for p in likely.split("_")[1:] if len(p) == 4), "Latn")


def families_for(language: str) -> tuple[str, str]:
    """The (text, heading) CSS families a booklet in `language` is set in."""
    family = SCRIPT_FAMILIES.get(script_of(language))
    return (family, family) if family else (TEXT_FAMILY, HEADING_FAMILY)


def faces_for(language: str) -> tuple[Face, ...]:
    """`FACES`, plus the script family's faces when the language needs one. Its file
    also answers for italic: the script has no italics, and none are faked."""
    family = SCRIPT_FAMILIES.get(script_of(language))
    if family is None:
        return FACES
    return (*FACES, Face(family, family), Face(family, family, "italic"))


def script_css(language: str) -> str:
    """CSS that sets every box, margin boxes included, in the script's family (or '')."""
    family = SCRIPT_FAMILIES.get(script_of(language))
    if family is None:
        return ""
    rule = f"font-family: '{family}', sans-serif !important;"
    margins = " ".join(f"@{box} {{ {rule} }}" for box in MARGIN_BOXES)
    return (f"\n/* {family} sets this booklet: its script is not in the text faces. */\n"
            f"html, html *, html ::before, html ::after, html ::marker {{ {rule} }}\n"
            f"@page {{ {margins} }}\n")
#: The large-print edition: Atkinson Hyperlegible, drawn for low-vision readers
#: (Braille Institute), for text and headings alike.
LARGE_PRINT_FACES: tuple[Face, ...] = (
    Face("Atkinson Hyperlegible", "Atkinson Hyperlegible"),
    Face("Atkinson Hyperlegible", "Atkinson Hyperlegible", "italic"),
    Face("Atkinson Hyperlegible", "Atkinson Hyperlegible", weight=700),
    Face("Atkinson Hyperlegible", "Atkinson Hyperlegible", "italic", weight=700),
)


@cache
def _font_record(family: str, style: str, weight: int | None = None) -> fontpkg.FontFile:
    try:
        files = fontpkg.family(family).files
    except fontpkg.FontpkgError:
        raise BookletError.at(None, None, f"font package for '{family}' is not installed "
                              "(pip install -e . installs it)") from None
    matching = [f for f in files if f.style == style] or list(files)
    if weight is not None:
        matching = [f for f in matching if f.weight == weight] or matching
    return next((f for f in matching if f.variable), matching[0])


def _font_file(family: str, style: str, weight: int | None = None) -> Path:
    return Path(_font_record(family, style, weight).path)


def font_face_css(faces: tuple[Face, ...] | None = None) -> str:
    """@font-face rules pointing at the packaged files (default `FACES`), for the PDF."""
    rules = []
    for face in faces or FACES:
        rules.append(
            "@font-face { "
            f"font-family: '{face.css_family}'; src: url('{face.path.as_uri()}'); "
            f"font-style: {face.style};{_weight_descriptor(face)} }}")
    return "\n".join(rules) + "\n"


def _weight_descriptor(face: Face) -> str:
    """` font-weight: 700;` for a static file; nothing for a variable one.

    WeasyPrint 70 takes a single weight here, not a range: a variable face goes without
    and fontconfig matches every weight to the file, which is then instanced at it.
    """
    return "" if " " in face.weights else f" font-weight: {face.weights};"


def font_dirs(faces: tuple[Face, ...] | None = None) -> tuple[Path, ...]:
    """Folders holding the packaged font files (resources the renderer may read)."""
    return tuple(sorted({face.path.parent for face in faces or FACES}))
