"""Glyph coverage: every character a booklet prints must be in the typeface that sets it.

A character missing from the packaged fonts would be drawn from whatever system font
happens to have it (or as a blank box), so the build reports it, with the file and
line of its first use: a warning, or an error with `--strict`. Running text is checked
against the text face, titles, headings and the template's labels against the heading
face; the typographic quotes and dashes the Markdown produces are checked too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

from ..engine.instancer import code_points
from ..errors import Problem
from ..source.markdown import quotes_for
from ..source.model import Booklet
from . import i18n
from .fonts import Face, faces_for, families_for

#: Front-matter keys printed in the heading face; others printed are in the text face.
HEADING_KEYS = ("title:", "short_title:", "audience:", "edition:")
#: Keys that only reach metadata, never the page.
UNPRINTED_KEYS = ("keywords:", "date:", "language:", "translation_of:", "authors:")
#: What the Markdown typographer turns ASCII into (markdown-it `replacements`).
REPLACEMENTS = {"--": "–—", "...": "…", "(c)": "©", "(C)": "©", "(r)": "®", "(R)": "®",
                "(tm)": "™", "(TM)": "™", "+-": "±"}


@cache
def _cmap(path: Path) -> frozenset[int]:
    found = code_points(path)
    return found if found is not None else frozenset(TTFont(str(path), lazy=True).getBestCmap())


def coverage(faces: tuple[Face, ...], css_family: str) -> frozenset[int]:
    """Code points the upright face behind a CSS family maps to a glyph."""
    for face in faces:
        if face.css_family == css_family and face.style == "normal":
            return _cmap(face.path)
    return frozenset()


def check_glyphs(booklet: Booklet, locale_dirs: tuple[Path, ...] = (i18n.LOCALES,)
                 ) -> list[Problem]:
    """One problem per character that the booklet's fonts cannot draw, at first use."""
    faces = faces_for(booklet.meta.language)
    text, heading = families_for(booklet.meta.language)
    # Each role's family and the characters its face draws.
    roles = {role: (family, frozenset(map(chr, coverage(faces, family))))
             for role, family in (("text", text), ("heading", heading))}
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for path, line, role, text in _printed_text(booklet, locale_dirs):
        family, drawn = roles[role]
        if drawn.issuperset(text):  # most lines: nothing more to look at
            continue
        for char in text:
            if (char, role) in seen or not _needs_glyph(char) or char in drawn:
                continue
            seen.add((char, role))
            name = unicodedata.name(char, "unnamed character")
            problems.append(Problem(path, line, f"'{char}' (U+{ord(char):04X} {name}) has no "
                                                f"glyph in {family}; it would print in a "
                                                "fallback font"))
    return problems


def _needs_glyph(char: str) -> bool:
    """Control and format characters (tabs, bidi marks, joiners) draw nothing."""
    return unicodedata.category(char) not in ("Cc", "Cf") and char != " "


def _printed_text(booklet: Booklet, locale_dirs: tuple[Path, ...]
                  ) -> Iterator[tuple[Path, int | None, str, str]]:
    """(file, line, role, text) for everything the booklet prints, in source order."""
    quotes = quotes_for(booklet.meta.language)
    in_front = False
    lines = booklet.source.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if number == 1 or in_front and stripped in ("---", "..."):
            in_front = number == 1
            continue
        if in_front and stripped.startswith(UNPRINTED_KEYS):
            continue
        heading = stripped.startswith(("#", ":::")) or in_front and stripped.startswith(
            HEADING_KEYS)
        role = "heading" if heading else "text"
        yield booklet.source, number, role, line + _typographer(line, quotes)
    yield from _template_words(booklet, locale_dirs)


def _typographer(line: str, quotes: str) -> str:
    """The characters the Markdown typographer will put into this line."""
    added = "".join(out for src, out in REPLACEMENTS.items() if src in line)
    if '"' in line:
        added += quotes[:2]
    if "'" in line:
        added += quotes[2:] + "’"
    return added


def _template_words(booklet: Booklet, locale_dirs: tuple[Path, ...]
                    ) -> Iterator[tuple[Path, int | None, str, str]]:
    """The catalogue entries the templates print, at their catalogue file and line."""
    for path in i18n.catalogue_paths(booklet.meta.language, locale_dirs):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            if line.strip() and not line.lstrip().startswith("#"):
                yield path, number, "heading", line
    for edition in booklet.editions:
        other = booklet.folder.parent / edition.slug / booklet.source.name
        words = i18n.translator(edition.language, locale_dirs)
        announce = words("Also available in {language}",
                         language=i18n.language_name(edition.language))
        yield other, _line_of(other, "title:"), "heading", f"{announce}: {edition.title}"


def _line_of(path: Path, prefix: str) -> int | None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(prefix):
            return number
    return None
