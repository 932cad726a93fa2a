"""Planning a batch of personal copies: for each client and booklet, the edition in
the client's language, the client's details for it, and the copy's file names.

Each row's problems are found here, before anything is rendered: a worksheet prompt
the edition lacks, a file name another row takes, a character no font has (a warning,
or with `--strict` a problem). Each is located by row and column, never by value.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BookletError, Problem, display_path
from ..options import BuildOptions
from ..source.clients import Client, ClientProblem, Personal, for_edition, where
from .outputs import output_name

if TYPE_CHECKING:
    from ..source.config import Config
    from ..source.model import Booklet

#: The family of worksheet form fields and large print (print.css, large-print.css).
FIELD_FAMILY = "Atkinson Hyperlegible"


@dataclass(frozen=True, repr=False)
class Task:
    """One copy to make: a client's details for one edition, and where it goes."""

    row: int | None
    booklet: Booklet
    personal: Personal
    folder: Path
    #: (format, file name) in the order of the build options' formats.
    names: tuple[tuple[str, str], ...]
    #: Warnings for the row (no edition in its language, a glyph a font lacks), located.
    notes: tuple[str, ...] = ()

    @property
    def source(self) -> Path:
        """The booklet's source file (for messages about this copy)."""
        return self.booklet.source

    def __repr__(self) -> str:
        return f"Task(row={self.row}, booklet={self.booklet.slug!r}, <client withheld>)"


@dataclass(frozen=True)
class Rejected:
    """A row left out, and why (each problem located by row and column)."""

    row: int | None
    problems: tuple[str, ...]

def plan(clients: list[Client], booklets: dict[str, Booklet], options: BuildOptions,
         config: Config, source: Path | None) -> Iterator[Task | Rejected]:
    """A task for each client and booklet, or the row's problems."""
    editions = _Editions(booklets, options, config)
    taken: dict[str, int | None] = {}
    for client in clients:
        slugs = client.booklets or tuple(booklets)
        tasks, problems, warnings, made = [], [], [], set()
        for slug in slugs:
            try:
                booklet, note = editions.for_client(slug, client)
                personal = replace(for_edition(client, booklet), prepared=prepared_on(options))
            except ClientProblem as problem:
                problems.append(where(source, client.row, problem.column, problem.message))
                continue
            if booklet.slug in made:  # an original and its translation given, one asked for
                continue
            made.add(booklet.slug)
            if note:
                warnings.append(where(source, client.row, "language", f"warning: {note}"))
            for column, message in _missing_glyphs(booklet, client):
                if options.strict:
                    problems.append(where(source, client.row, column, message))
                else:
                    warnings.append(where(source, client.row, column, f"warning: {message}"))
            names = _file_names(client, booklet.slug, len(slugs) > 1, options.formats)
            for _, name in names:
                if name in taken:
                    other = taken[name]
                    problems.append(where(source, client.row, "file", f"the same file name as "
                                          f"{'row ' + str(other) if other else 'another'}"))
                taken[name] = client.row
            tasks.append(Task(client.row, booklet, personal, options.out, names,
                              tuple(str(w) for w in warnings)))
            warnings = []  # noted once per row, with its first copy
        if problems:
            yield Rejected(client.row, tuple(str(p) for p in problems))
        else:
            yield from tasks


class _Editions:
    """The booklets given, and the other language editions rows ask for, each loaded
    once."""

    def __init__(self, booklets: dict[str, Booklet], options: BuildOptions,
                 config: Config) -> None:
        self.given, self.options, self.config = booklets, options, config
        self.loaded: dict[str, Booklet | BookletError] = dict(booklets)

    def for_client(self, slug: str, client: Client) -> tuple[Booklet, str | None]:
        """The edition of `slug` in the client's language (where there is one), and a
        note when there is none."""
        from ..render.i18n import language_name, primary

        booklet = self.given[slug]
        wanted = client.language
        if not wanted or wanted.lower() == booklet.meta.language.lower():
            return booklet, None
        editions = sorted(booklet.editions, key=lambda e: e.language.lower() != wanted.lower())
        match = next((e for e in editions if primary(e.language) == primary(wanted)), None)
        if match is None:
            if primary(wanted) == primary(booklet.meta.language):
                return booklet, None
            return booklet, (f"no edition of {slug} in {_language(wanted)}; made in "
                             f"{language_name(booklet.meta.language)}")
        return self._load(match.slug, booklet), None

    def _load(self, slug: str, original: Booklet) -> Booklet:
        from ..source.loader import load_booklet

        if slug not in self.loaded:
            try:
                edition = load_booklet(original.folder.parent / slug, self.options, self.config)
                vet(edition, self.options)  # its warnings are the booklet's, not the row's
                self.loaded[slug] = edition
            except BookletError as error:
                self.loaded[slug] = error
        found = self.loaded[slug]
        if isinstance(found, BookletError):
            raise ClientProblem("language", f"the edition {slug} has problems (run "
                                f"`booklet check {display_path(original.folder.parent / slug)}`)")
        return found


def vet(booklet: Booklet, options: BuildOptions) -> list[str]:
    """The booklet's warnings (from loading, a review due soon); raise `BookletError`
    if it may not be handed out: its review is overdue (unless `allow_overdue`), or
    with `strict` any warning."""
    from ..source.review import review_problems

    errors, warnings = review_problems(booklet, options.allow_overdue)
    warnings = [*booklet.warnings, *warnings]
    if options.strict:
        errors, warnings = [*errors, *warnings], []
    if errors:
        raise BookletError(*errors)
    return [str(Problem(w.path, w.line, f"warning: {w.message}")) for w in warnings]


def _language(tag: str) -> str:
    """A language's name when CLDR knows the tag, else "the language asked for" (the
    cell is not repeated: a row shifted by a column could hold a name)."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return "the language asked for"
    return f"{locale.get_display_name('en')} ({tag})"


def prepared_on(options: BuildOptions) -> date:
    """The day on a copy's cover: today here, or SOURCE_DATE_EPOCH's day (UTC) when it
    is set, so a reproducible build does not depend on the time zone."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return options.build_time.date()
    return date.today()


def _file_names(client: Client, slug: str, several: bool, formats: tuple[str, ...]
                ) -> tuple[tuple[str, str], ...]:
    """(format, file name): `<row>-<slug>`, the `file` column's name (with `-<slug>`
    when the row makes several booklets), or `<slug>` for a copy from the command line."""
    if client.file:
        stem = f"{client.file}-{slug}" if several else client.file
    else:
        stem = f"{client.row}-{slug}" if client.row is not None else slug
    return tuple((fmt, output_name(stem, fmt)) for fmt in formats)


def _missing_glyphs(booklet: Booklet, client: Client) -> Iterator[tuple[str, str]]:
    """(column, message) for each character of the client's details that a font
    setting it lacks (by code point only: the message must not spell the name)."""
    from ..render.fonts import LARGE_PRINT_FACES, TEXT_FAMILY, faces_for, families_for
    from ..render.glyphs import coverage

    language = booklet.meta.language
    faces = (*faces_for(language), *LARGE_PRINT_FACES)
    text, heading = families_for(language)
    # Form fields and large print are set in Atkinson Hyperlegible, or in the script's family.
    families = dict.fromkeys((text, heading, FIELD_FAMILY if text == TEXT_FAMILY else text))
    drawn = [(family, coverage(faces, family)) for family in families]
    personal = client.personal
    values = [("for", personal.name), ("by", personal.by), ("note", personal.note),
              ("next", personal.next), *((a.column, a.text) for a in client.fields)]
    for column, value in values:
        for char in sorted(set(value or "")):
            if unicodedata.category(char) in ("Cc", "Cf", "Zs"):
                continue
            lacking = next((family for family, points in drawn if ord(char) not in points),
                           None)
            if lacking:
                yield column, (f"U+{ord(char):04X} has no glyph in {lacking}; it would print "
                               "in a fallback font")
