"""A client's details for a personal copy, from the command line or a row of a CSV file.

A client's name is health information. Nothing here logs, prints or repeats what a
cell holds: a problem names the row and the column (`clients.csv: row 4, column
'next': longer than 80 characters`), and the records' `repr` withholds their values,
so a traceback or a debug print shows none of them either.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first client
row 2. A row with a problem is reported and left out; the others are still made.
A problem with the file itself (not UTF-8, an unknown or repeated column) stops the
batch before anything is made.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BookletError, Problem
from ..sandbox.limits import CONTROL_CHARACTERS

if TYPE_CHECKING:
    from .model import Booklet, Prompt

#: The columns a clients file may have, besides `field:<prompt>` (`FIELD_PREFIX`).
COLUMNS = ("for", "by", "note", "next", "booklets", "language", "file")
FIELD_PREFIX = "field:"
#: Longest value of each column, in characters: a name, a signature and an appointment
#: fit one line of the cover or back cover, a note one page, an answer its field.
LIMITS = {"for": 80, "by": 80, "next": 80, "note": 1500, "field": 600, "file": 100,
          "language": 35, "booklets": 2000}
#: Columns whose value is one line.
ONE_LINE = ("for", "by", "next", "language", "file", "booklets")
#: Largest clients file read, in bytes (some 5,000 rows with long notes).
MAX_CSV_BYTES = 8_000_000
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_FILE = re.compile(r"[^/\\:*?\"<>|]+")
_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True, repr=False)
class Personal:
    """What one client's copy adds to the generic edition, given to the templates as
    `personal`: the cover's "Prepared for `name` by `by`, `prepared`", the note page,
    the back cover's `next` appointment, and worksheet `answers` by prompt id
    (`for_edition`)."""

    name: str
    by: str | None = None
    note: str | None = None
    next: str | None = None
    #: The day the copy is made (the cover line); None: not yet known.
    prepared: date | None = None
    #: (prompt id, answer) for one edition's worksheet prompts.
    answers: tuple[tuple[str, str], ...] = ()

    def answer(self, prompt_id: str) -> str | None:
        """The answer to the prompt with this id, if the client has one."""
        return dict(self.answers).get(prompt_id)

    @property
    def paragraphs(self) -> tuple[tuple[str, ...], ...]:
        """The note as paragraphs (split at blank lines), each a tuple of its lines."""
        if not self.note:
            return ()
        blocks = re.split(r"\n\s*\n", self.note.strip())
        return tuple(tuple(line.strip() for line in block.splitlines() if line.strip())
                     for block in blocks if block.strip())

    def texts(self) -> Iterator[str]:
        """Every value this record holds (to keep them out of messages)."""
        yield from (v for v in (self.name, self.by, self.note, self.next) if v)
        yield from (answer for _, answer in self.answers)

    def __repr__(self) -> str:
        return "Personal(<client details withheld>)"


@dataclass(frozen=True)
class Answer:
    """A worksheet answer as asked for: the column (or option) it came from, the
    prompt it names, and the answer (withheld from `repr`)."""

    column: str
    prompt: str
    text: str = field(repr=False)


@dataclass(frozen=True, repr=False)
class Client:
    """One request for personal copies: a CSV row (`row`), or the command line (None).

    `booklets` names folders (empty: every booklet given); `language` asks for that
    language's edition where there is one; `file` is the output name without its
    extension (None: `<row>-<slug>`, or `<slug>` for the command line)."""

    row: int | None
    personal: Personal
    fields: tuple[Answer, ...] = ()
    booklets: tuple[str, ...] = ()
    language: str | None = None
    file: str | None = None

    def texts(self) -> Iterator[str]:
        """Every value of the request (to keep them out of messages)."""
        yield from self.personal.texts()
        yield from (a.text for a in self.fields if a.text.strip())

    def __repr__(self) -> str:
        return f"Client(row={self.row}, <client details withheld>)"


class ClientProblem(Exception):
    """A problem with one value of a request: its column and what is wrong."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(f"{column}: {message}")
        self.column, self.message = column, message


@dataclass(frozen=True)
class RowProblem(Problem):
    """A problem with one row of a clients file (`row`), or with the command line."""

    row: int | None = None


def where(source: Path | None, row: int | None, column: str, message: str) -> RowProblem:
    """A problem at a CSV row and column, or at a command-line option (row None)."""
    if row is None:
        option = "--field" if column.startswith(FIELD_PREFIX) else OPTIONS.get(column, column)
        return RowProblem(None, None, f"{option}: {message}")
    return RowProblem(source, None, f"row {row}, column '{column}': {message}", row=row)


def check_value(column: str, value: str) -> str | None:
    """What is wrong with a value for `column` (a `field:` column checks as `field`),
    or None. The message never repeats the value."""
    kind = "field" if column.startswith(FIELD_PREFIX) or column == "--field" else column
    if match := CONTROL_CHARACTERS.search(value.replace("\n", "").replace("\r", "")
                                          .replace("\t", "")):
        return f"holds a control character (U+{ord(match.group()):04X})"
    if kind in ONE_LINE and ("\n" in value or "\r" in value):
        return "must be one line"
    if len(value) > LIMITS[kind]:
        return f"longer than {LIMITS[kind]:,} characters"
    if kind == "language" and not _LANGUAGE.fullmatch(value):
        return "is not a language tag such as en, es or es-MX"
    if kind == "file" and (not _FILE.fullmatch(value) or value.startswith(".")):
        return ("must be a plain file name: no folders, no leading dot, none of "
                "/ \\ : * ? \" < > |")
    return None


def client_from_values(row: int | None, values: dict[str, str], answers: list[Answer],
                       slugs: frozenset[str]) -> Client:
    """A request from its column values (`for`, `by` ...; empty ones left out) and
    answers; raise `ClientProblem` at the first bad value."""
    for column, value in [*values.items(), *((a.column, a.text) for a in answers)]:
        if problem := check_value(column, value):
            raise ClientProblem(column, problem)
    if not values.get("for", "").strip():
        raise ClientProblem("for", "the client's name is required")
    booklets = tuple(dict.fromkeys(n for n in _SEPARATORS.split(values.get("booklets", ""))
                                   if n))
    for name in booklets:
        if name not in slugs:
            # (the cell is not repeated: a row shifted by a column could hold a name)
            raise ClientProblem("booklets", "names a booklet that is not among those given"
                                f" ({', '.join(sorted(slugs))})" + _suggest(name, slugs))
    file = values.get("file", "").strip() or None
    if file:
        file = re.sub(r"\.(pdf|epub)$", "", file, flags=re.IGNORECASE)
    personal = Personal(name=values["for"].strip(), by=_text(values.get("by")),
                        note=_text(values.get("note")), next=_text(values.get("next")))
    return Client(row, personal, tuple(a for a in answers if a.text.strip()), booklets,
                  _text(values.get("language")), file)


#: The command-line option behind each column.
OPTIONS = {"for": "--for", "by": "--by", "note": "--note", "next": "--next", "file": "--file"}


def client_from_options(name: str, by: str | None = None, note: str | None = None,
                        note_file: Path | None = None, next: str | None = None,
                        fields: list[str] | tuple[str, ...] = (), file: str | None = None
                        ) -> Client:
    """The request the command line makes (`--for`, `--by` ...); raise `BookletError`
    naming the option at fault, never its value."""
    values = {"for": name, "by": by, "note": note, "next": next, "file": file}
    if note_file is not None:
        values["note"] = _read_note(note_file)
    answers = []
    for number, given in enumerate(fields, start=1):
        prompt, equals, answer = given.partition("=")
        if not equals or not prompt.strip():
            raise BookletError(where(None, None, "--field", f"--field number {number} must be "
                                     "PROMPT=ANSWER, e.g. --field \"What I need=Time to talk\""))
        answers.append(Answer("--field", prompt.strip(), answer))
    try:
        return client_from_values(None, {k: v for k, v in values.items() if v and v.strip()},
                                  answers, frozenset())
    except ClientProblem as problem:
        column = OPTIONS.get(problem.column, problem.column)
        if problem.column == "note" and note_file is not None:
            column = "--note-file"
        raise BookletError(where(None, None, column, problem.message)) from None


def _read_note(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            data = handle.read(LIMITS["note"] * 4 + 1)  # a character takes 4 bytes at most
        if len(data) > LIMITS["note"] * 4:
            raise BookletError(where(None, None, "--note-file",
                                     f"longer than {LIMITS['note']:,} characters"))
        return data.decode("utf-8-sig")
    except OSError as error:
        raise BookletError(where(None, None, "--note-file",
                                 f"cannot read {path} ({error.strerror})")) from None
    except UnicodeDecodeError:
        raise BookletError(where(None, None, "--note-file", "not UTF-8 text")) from None


def _text(value: str | None) -> str | None:
    return value.strip() or None if value else None


def _suggest(name: str, known: frozenset[str] | list[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def for_edition(client: Client, booklet: Booklet) -> Personal:
    """The client's details for one edition: each answer matched to that edition's
    worksheet prompt (spaces and case aside); raise `ClientProblem` for an answer
    whose prompt the edition lacks."""
    prompts = list(worksheet_prompts(booklet))
    by_text = {_key(p.text): p for p in prompts}
    answers = []
    for answer in client.fields:
        prompt = by_text.get(_key(answer.prompt))
        if prompt is None:
            if not prompts:
                raise ClientProblem(answer.column, f"{booklet.slug} has no worksheet")
            texts = [p.text for p in prompts]
            hint = _suggest(answer.prompt, texts) or \
                f" (its prompts: {'; '.join(texts)})"
            raise ClientProblem(answer.column, f"no worksheet prompt '{answer.prompt}' in "
                                f"{booklet.slug}{hint}")
        answers.append((prompt.id, answer.text.strip()))
    return replace(client.personal, answers=tuple(answers))


def worksheet_prompts(booklet: Booklet) -> Iterator[Prompt]:
    """Every worksheet prompt of the booklet, in order."""
    from .model import Worksheet

    for part in booklet.parts:
        for blocks in (part.blocks, *(section.blocks for section in part.sections)):
            for block in blocks:
                if isinstance(block, Worksheet):
                    yield from block.prompts


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- the clients file ----------------------------------------------------------------

def read_clients(path: Path, slugs: frozenset[str]
                 ) -> tuple[list[Client], list[RowProblem]]:
    """The requests in a clients CSV file, and a problem for each row left out.

    `slugs` are the booklet folders a row's `booklets` may name. Raises `BookletError`
    when the file cannot be read as a whole (then nothing should be made)."""
    text = _read_text(path)
    dialect = _dialect(text)
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise BookletError.at(path, None, f"row 1: not valid CSV ({error})") from None
    if not header or not any(cell.strip() for cell in header):
        raise BookletError.at(path, None, "no header row (the first row names the columns: "
                              f"{', '.join(COLUMNS)}, field:<prompt>)")
    columns = _columns(path, header)
    clients, problems = [], []
    row = 1
    while True:
        row += 1
        try:
            cells = next(reader, None)
        except csv.Error as error:
            problems.append(RowProblem(path, None, f"row {row}: not valid CSV ({error}); "
                                       "the rest of the file was not read", row=row))
            break
        if cells is None:
            break
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
            problems.append(RowProblem(path, None, f"row {row}: {len(cells)} cells, but the "
                                       f"header names {len(columns)} columns", row=row))
            continue
        values = {}
        answers = []
        for number, (column, cell) in enumerate(zip(columns, cells, strict=False), start=1):
            if not column and cell.strip():
                problems.append(RowProblem(path, None, f"row {row}, column {number}: a "
                                           "value under a column with no name", row=row))
                break
            if column.startswith(FIELD_PREFIX):
                answers.append(Answer(column, column[len(FIELD_PREFIX):], cell))
            elif column and cell.strip():
                values[column] = cell
        else:
            try:
                clients.append(client_from_values(row, values, answers, slugs))
            except ClientProblem as problem:
                problems.append(where(path, row, problem.column, problem.message))
    return clients, problems


def _read_text(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_CSV_BYTES + 1)
    except OSError as error:
        raise BookletError.at(path, None, f"cannot read the file ({error.strerror})") from None
    if len(data) > MAX_CSV_BYTES:
        raise BookletError.at(path, None, f"larger than {MAX_CSV_BYTES // 1_000_000} MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        raise BookletError.at(path, None, f"line {row}: not UTF-8 text (save the sheet as "
                              "'CSV UTF-8')") from None


def _dialect(text: str) -> type[csv.Dialect]:
    """Comma-separated, or semicolons or tabs when the header uses those (spreadsheets
    set to a language with decimal commas write semicolons)."""
    header = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=header.count)

    class Dialect(csv.excel):
        pass

    Dialect.delimiter = delimiter if header.count(delimiter) else ","
    Dialect.strict = True
    return Dialect


def _columns(path: Path, header: list[str]) -> list[str]:
    """The header's column names (known names lower-cased, prompts as written); raise
    `BookletError` naming every unknown or repeated column."""
    columns, problems = [], []
    for number, cell in enumerate(header, start=1):
        name = cell.strip()
        if name.lower().startswith(FIELD_PREFIX):
            prompt = name[len(FIELD_PREFIX):].strip()
            name = FIELD_PREFIX + prompt
            if not prompt:
                problems.append(f"column {number}: 'field:' needs the prompt it fills, "
                                "e.g. 'field:What I need'")
        elif name.lower() in COLUMNS:
            name = name.lower()
        elif name:
            problems.append(f"column {number}: unknown column '{name}'"
                            + (_suggest(name.lower(), list(COLUMNS)) or
                               f" (use {', '.join(COLUMNS)} or field:<prompt>)"))
        if name and name in columns:
            problems.append(f"column {number}: '{name}' is named twice")
        columns.append(name)
    if "for" not in columns:
        problems.append("no 'for' column (the client's name)")
    if problems:
        raise BookletError(*(Problem(path, None, f"row 1, {p}") for p in problems))
    return columns
