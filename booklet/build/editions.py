"""The edition log: the content each booklet's edition was published with.

A reprint with new advice must not pass for the old one. The first good build of an
edition on or after its publication date (`date:`; at once when there is none) records
the edition and its content digest (`booklet.source.digest`) in
`.cache/booklet/editions.json`. A later build whose content differs while `edition` is
the same warns, until the edition is raised. Before its publication date an edition is
a draft: its text may change freely. Booklets without `edition` are not logged.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from ..errors import Problem
from ..output import write_atomic
from ..source.model import Booklet
from .cache import CACHE_DIR

LOG_NAME = "editions.json"


@dataclass(frozen=True)
class Logged:
    """One booklet's published edition: its label, content digest and first build day."""

    edition: str
    digest: str
    built: str


class EditionLog:
    """The logged edition of each booklet, by folder."""

    def __init__(self, path: Path, entries: dict[str, Logged] | None = None) -> None:
        self.path = path
        self.entries = entries or {}
        self.changed = False

    @classmethod
    def load(cls, folder: Path = CACHE_DIR) -> EditionLog:
        """Read the log; a missing or unreadable file is an empty log."""
        path = folder / LOG_NAME
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls(path, {key: Logged(**value) for key, value in raw.items()})
        except (OSError, ValueError, TypeError, AttributeError):
            return cls(path)

    def problem(self, booklet: Booklet, digest: str) -> Problem | None:
        """A warning when `booklet`'s content is not what its edition was logged with."""
        edition = booklet.meta.edition
        logged = self.entries.get(_key(booklet))
        if edition is None or logged is None or logged.edition != edition or \
                logged.digest == digest:
            return None
        return Problem(booklet.source, booklet.meta_lines.of("edition"),
                       f"the text has changed since edition {edition} was first built "
                       f"({logged.built}), but 'edition' is still {edition}: raise it, and "
                       "say what changed under 'changes:'")

    def record(self, booklet: Booklet, digest: str, today: date) -> None:
        """Log `booklet`'s edition, if it is published and not logged yet."""
        edition, published = booklet.meta.edition, booklet.meta.date
        logged = self.entries.get(_key(booklet))
        if edition is None or (published is not None and published > today) or \
                (logged is not None and logged.edition == edition):
            return
        self.entries[_key(booklet)] = Logged(edition, digest, today.isoformat())
        self.changed = True

    def save(self) -> None:
        """Write the log atomically, when anything was logged."""
        if self.changed:
            data = {key: asdict(entry) for key, entry in sorted(self.entries.items())}
            write_atomic(self.path, json.dumps(data, indent=1).encode())


def _key(booklet: Booklet) -> str:
    return str(booklet.folder.resolve())
