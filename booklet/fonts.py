"""Typefaces from pip-installed font packages, never from the system.

`FACES` lists the families the stylesheets may name and the font package behind each,
so output is the same on every machine and the PDF names the real typefaces.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import fontpkg

from .errors import BookletError


@dataclass(frozen=True)
class Face:
    """One @font-face: a CSS family name and the packaged file behind one style."""

    css_family: str
    package_family: str
    style: str = "normal"

    @property
    def path(self) -> Path:
        """The font file from the package (variable files cover every weight)."""
        return _font_file(self.package_family, self.style)

    @property
    def weights(self) -> str:
        """The CSS weight range the file covers: `200 900` for variable fonts."""
        chosen = _font_record(self.package_family, self.style)
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


@cache
def _font_record(family: str, style: str) -> fontpkg.FontFile:
    try:
        files = fontpkg.family(family).files
    except fontpkg.FontpkgError:
        raise BookletError.at(None, None, f"font package for '{family}' is not installed "
                              "(pip install -e . installs it)") from None
    matching = [f for f in files if f.style == style] or list(files)
    return next((f for f in matching if f.variable), matching[0])


def _font_file(family: str, style: str) -> Path:
    return Path(_font_record(family, style).path)


def font_face_css(faces: tuple[Face, ...] = FACES) -> str:
    """@font-face rules pointing at the packaged files, for the PDF renderer."""
    rules = []
    for face in faces:
        rules.append(
            "@font-face { "
            f"font-family: '{face.css_family}'; src: url('{face.path.as_uri()}'); "
            f"font-style: {face.style}; font-weight: {face.weights}; }}")
    return "\n".join(rules) + "\n"


def font_dirs(faces: tuple[Face, ...] = FACES) -> tuple[Path, ...]:
    """Folders holding the packaged font files (resources the renderer may read)."""
    return tuple(sorted({face.path.parent for face in faces}))
