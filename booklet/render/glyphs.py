"""Glyph coverage: every character a booklet prints must be in the typeface that sets it.

A character missing from the packaged fonts would be drawn from whatever system font
happens to have it (or as a blank box), so the build reports it, with the file and
line of its first use: a warning, or an error with `--strict`. Running text is checked
against the text face, titles, headings and the template's labels against the heading
face; the typographic quotes and dashes the Markdown produces are checked too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from html import unescape
from pathlib import Path

from fontTools.ttLib import TTFont

from ..engine.instancer import code_points
from ..errors import Problem
from ..source.markdown import quotes_for
from ..source.model import (
    Block,
    Booklet,
    Callout,
    Faq,
    Figure,
    Heading,
    HelpNow,
    Html,
    Quote,
    Table,
    Worksheet,
)
from . import i18n
from .fonts import Face, faces_for, families_for

#: What the Markdown typographer turns ASCII into (markdown-it `replacements`).
REPLACEMENTS = {"--": "–—", "...": "…", "(c)": "©", "(C)": "©", "(r)": "®", "(R)": "®",
                "(tm)": "™", "(TM)": "™", "+-": "±"}
_TAG = re.compile(r"<[^>]*>")


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
        if drawn.issuperset(text):  # most strings: nothing more to look at
            continue
        for char in text:
            if (char, role) in seen or not _needs_glyph(char) or char in drawn:
                continue
            seen.add((char, role))
            name = unicodedata.name(char, "unnamed character")
            where = line if path != booklet.source else _first_line(booklet, char)
            problems.append(Problem(path, where, f"'{char}' (U+{ord(char):04X} {name}) has "
                                                 f"no glyph in {family}; it would print in a "
                                                 "fallback font"))
    # The booklet's own lines first, in file order; then catalogues and other editions.
    return sorted(problems, key=lambda p: (p.path != booklet.source, p.line or 0))


def _needs_glyph(char: str) -> bool:
    """Control and format characters (tabs, bidi marks, joiners) draw nothing."""
    return unicodedata.category(char) not in ("Cc", "Cf") and char != " "


def _printed_text(booklet: Booklet, locale_dirs: tuple[Path, ...]
                  ) -> Iterator[tuple[Path, int | None, str, str]]:
    """(file, line, role, text) for everything the booklet prints: its model's text
    (whose line is looked up only for a missing character), then the words the
    templates add."""
    for role, text in _model_text(booklet):
        yield booklet.source, None, role, text
    yield from _template_words(booklet, locale_dirs)


def _model_text(booklet: Booklet) -> Iterator[tuple[str, str]]:
    """(role, text) of what the booklet's front matter and body print: titles and
    headings in the heading face, the rest in the text face."""
    meta = booklet.meta
    for value in (meta.title, meta.short_title, meta.audience, meta.edition):
        if value:
            yield "heading", value
    for value in (meta.subtitle, meta.summary, meta.reviewed_by):
        if value:
            yield "text", value
    for change in meta.changes:
        yield "text", f"{change.edition} {change.change}"
    for source in meta.sources:
        yield "text", " ".join(v for v in (source.title, source.publisher, source.year,
                                           source.url) if v)
    if meta.practice:
        practice = meta.practice
        yield "text", " ".join((practice.name or "", *practice.address, practice.phone or "",
                                practice.email or "", practice.website or ""))
    for part in booklet.parts:
        yield "heading", part.title
        yield from _blocks(part.blocks)
        for section in part.sections:
            yield "heading", section.title
            yield from _blocks(section.blocks)


def _blocks(blocks: tuple[Block, ...]) -> Iterator[tuple[str, str]]:
    """(role, text) of each block, boxes and their titles included."""
    for block in blocks:
        if isinstance(block, (Html, Table)):
            yield "text", _plain(block.html)
        elif isinstance(block, Heading):
            yield "heading", _plain(block.title_html)
        elif isinstance(block, Figure):
            yield "text", block.caption or ""
        elif isinstance(block, (Callout, HelpNow)):
            yield "heading", block.title or ""
            yield from _blocks(block.blocks)
        elif isinstance(block, Faq):
            yield "heading", block.title or ""
            for question in block.questions:
                yield "heading", _plain(question.title_html)
                yield from _blocks(question.blocks)
        elif isinstance(block, Quote):
            yield from _blocks(block.blocks)
            yield "text", _plain(block.attribution_html or "")
        elif isinstance(block, Worksheet):
            yield "heading", block.title or ""
            yield from _blocks(block.intro)
            for prompt in block.prompts:
                yield "text", prompt.text
            yield from _blocks(block.outro)


def _plain(html: str) -> str:
    """The characters an HTML fragment prints."""
    return unescape(_TAG.sub(" ", html))


def _first_line(booklet: Booklet, char: str) -> int | None:
    """The first line of booklet.md holding `char`, or what the typographer turns into
    it (straight quotes, `--`, `...`)."""
    quotes = quotes_for(booklet.meta.language) + "’"
    sources = [char, *(src for src, out in REPLACEMENTS.items() if char in out)]
    if char in quotes:
        sources += ['"', "'"]
    for number, line in enumerate(booklet.text.splitlines(), start=1):
        if any(source in line for source in sources):
            return number
    return None


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
        yield other, edition.title_line, "heading", f"{announce}: {edition.title}"
