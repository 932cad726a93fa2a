"""The content digest: what a reader reads, as a short hash, and piece by piece.

It covers the front-matter fields a translator translates (`TRANSLATED`) and the whole
body. The body counts in pieces (`booklet.source.outline.Piece`): each part's opening
(its heading and the text before its first section) and each section, headings
included. Each piece and field is compared as written (Markdown, not rendered), in
Unicode NFC, with every run of whitespace made one space and the ends trimmed: line
endings, indentation, re-wrapped lines and blank lines do not change the digest;
any other change to the text does, markup included. Dates, edition, review, practice,
paper and the other settings are not content and do not count.

A translation keeps the digest of its original when it was last checked against it
(`source_digest`) and a short digest of each field and piece then, with one of each
piece's heading (`source_sections: title=1a2b3c 1=4d5e6f-90ab 1.1=...`), so that a
later check can name what changed, and tell an edited section from one removed and
another added, without git or a cache.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from .model import Booklet
from .outline import Outline, Piece, outline

#: Front-matter fields that are content: a translator translates (or keeps) them.
TRANSLATED = ("title", "subtitle", "short_title", "audience", "summary", "keywords",
              "sources")
#: Hex digits of the whole digest, and of each piece in `source_sections`.
DIGEST_LENGTH = 16
PIECE_LENGTH = 6
HEADING_LENGTH = 4
WHITESPACE = re.compile(r"\s+")
STAMP_ENTRY = re.compile(rf"^([a-z_]+|\d+(?:\.\d+)?)=([0-9a-f]{{{PIECE_LENGTH}}})"
                         rf"(?:-([0-9a-f]{{{HEADING_LENGTH}}}))?$")


@dataclass(frozen=True)
class Unit:
    """One field or piece: its label (`summary`, `2`, `2.3`), kind (`field`, `part`,
    `section`), title (field name or heading), line, and digest (hex)."""

    label: str
    kind: str
    title: str
    line: int | None
    digest: str

    @property
    def short(self) -> str:
        return self.digest[:PIECE_LENGTH]

    @property
    def heading(self) -> str:
        """A short digest of a piece's heading ("" for a field)."""
        if self.kind == "field":
            return ""
        return _hash("heading", normalise(self.title))[:HEADING_LENGTH]

    @property
    def stamp(self) -> str:
        """This unit in `source_sections`: `label=short` or `label=short-heading`."""
        return f"{self.label}={self.short}" + (f"-{self.heading}" if self.heading else "")


@dataclass(frozen=True)
class Fingerprint:
    """A booklet's content digest and its units, in order."""

    digest: str
    units: tuple[Unit, ...]

    def sections(self) -> str:
        """The units' short digests as `source_sections` holds them."""
        return " ".join(unit.stamp for unit in self.units)


def normalise(text: str) -> str:
    """Text as the digest sees it: NFC, whitespace runs made one space, trimmed."""
    return WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fingerprint(booklet: Booklet, shape: Outline | None = None) -> Fingerprint:
    """The content digest of a loaded booklet."""
    meta, lines = booklet.meta, booklet.meta_lines
    units = []
    for name in TRANSLATED:
        value = getattr(meta, name)
        if value in (None, ()):
            continue
        text = json.dumps(_plain(value), ensure_ascii=False, sort_keys=True)
        units.append(Unit(name, "field", name, lines.of(name), _hash(name, text)))
    pieces = (shape or outline(booklet)).pieces
    units += [_piece(piece) for piece in pieces]
    whole = hashlib.sha256()
    for unit in units:
        whole.update(f"{unit.kind}\0{unit.label if unit.kind == 'field' else ''}\0"
                     f"{unit.digest}\n".encode())
    return Fingerprint(whole.hexdigest()[:DIGEST_LENGTH], tuple(units))


def parse_sections(value: str) -> list[tuple[str, str, str]] | None:
    """`source_sections` as (label, short digest, heading digest or "") triples; None
    when it is not in the form `booklet translated` writes."""
    entries = [STAMP_ENTRY.match(item) for item in value.split()]
    if not entries or not all(entries):
        return None
    return [(m[1], m[2], m[3] or "") for m in entries if m]


def _piece(piece: Piece) -> Unit:
    return Unit(piece.label, piece.kind, piece.title, piece.line,
                _hash(piece.kind, normalise(piece.text)))


def _hash(kind: str, text: str) -> str:
    return hashlib.sha256(f"{kind}\0{text}".encode()).hexdigest()


def _plain(value: Any) -> Any:
    """A field's value as normalised JSON-able data (sources as mappings)."""
    if isinstance(value, str):
        return normalise(value)
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if hasattr(value, "__dataclass_fields__"):
        return {key: _plain(item) for key, item in asdict(value).items() if item is not None}
    return value
