"""Warnings at load time: what builds, but is probably not what the writer meant.

Each check returns a located `Problem` (a warning; `--strict` fails on it) or None.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..errors import Problem
from .model import Meta, Region
from .schema import KeyLines

#: A date that shows how a language writes dates (day and month told apart).
SAMPLE_DAY = date(2026, 3, 2)
#: Help regions whose code is not the country's ISO code.
TERRITORIES = {"UK": "GB"}


def language_for_region(meta: Meta, lines: KeyLines, region: Region | None, source: Path
                        ) -> Problem | None:
    """A language without a country (`en`) that writes dates otherwise than the
    practice's country does (`en-GB` for a UK practice)."""
    from babel import Locale, UnknownLocaleError
    from babel.dates import format_date

    language = meta.language
    if region is None or "-" in language:
        return None
    territory = TERRITORIES.get(region.code.upper(), region.code.upper())
    local = f"{language}-{territory}"
    try:
        bare, there = Locale.parse(language, sep="-"), Locale.parse(local, sep="-")
    except (UnknownLocaleError, ValueError):
        return None
    if there.territory != territory:
        return None
    written, wanted = (format_date(SAMPLE_DAY, "long", locale=loc) for loc in (bare, there))
    if written == wanted:
        return None
    given = ("language",) in lines.lines
    return Problem(source, lines.of("language"), (
        f"language '{language}'{'' if given else ' (the default)'} writes dates as "
        f"{written}, but the practice's help region is {region.code}, where it is "
        f"{wanted}: write 'language: {local}'"))


def logo_overflow(logo: Path | None, data: bytes | None, path: Path | None,
                  line: int | None) -> Problem | None:
    """An SVG logo (`data`, as checked) whose drawing reaches outside its viewBox (it
    prints cut off)."""
    from .svgbox import overflow

    if logo is None or data is None or logo.suffix.lower() != ".svg":
        return None
    how = overflow(data)
    return Problem(path, line, f"the logo '{logo.name}' {how}") if how else None
