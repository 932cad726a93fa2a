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


#: Body text (serif, designed for long reading) and headings/labels (sans).
FACES: tuple[Face, ...] = (
    Face("Literata", "Literata"),
    Face("Literata", "Literata", "italic"),
    Face("Source Sans 3", "Source Sans 3"),
    Face("Source Sans 3", "Source Sans 3", "italic"),
)


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
        # WeasyPrint 70 takes one weight (100...900) here, not a range: a variable face
        # goes without, and fontconfig matches each weight to the file's named instances.
        weight = "" if " " in face.weights else f" font-weight: {face.weights};"
        rules.append(
            "@font-face { "
            f"font-family: '{face.css_family}'; src: url('{face.path.as_uri()}'); "
            f"font-style: {face.style};{weight} }}")
    return "\n".join(rules) + "\n"


def font_dirs(faces: tuple[Face, ...] = FACES) -> tuple[Path, ...]:
    """Folders holding the packaged font files (resources the renderer may read)."""
    return tuple(sorted({face.path.parent for face in faces}))
