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


#: Body text (serif, designed for long reading) and headings/labels (sans).
FACES: tuple[Face, ...] = (
    Face("Literata", "Literata"),
    Face("Literata", "Literata", "italic"),
    Face("Source Sans 3", "Source Sans 3"),
    Face("Source Sans 3", "Source Sans 3", "italic"),
)


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
            f"font-style: {face.style}; font-weight: {face.weights}; }}")
    return "\n".join(rules) + "\n"


def font_dirs(faces: tuple[Face, ...] | None = None) -> tuple[Path, ...]:
    """Folders holding the packaged font files (resources the renderer may read)."""
    return tuple(sorted({face.path.parent for face in faces or FACES}))
