"""Pyphen's hyphenation dictionaries, parsed once per machine instead of once per build.

Print text is hyphenated (`hyphens: auto`), and WeasyPrint asks Pyphen for the
patterns of the booklet's language; Pyphen reads and parses the `hyph_*.dic` file
each time a process starts: a tenth of a second for English, every build. With
`install()`, the parsed patterns are kept in the user's cache folder
(`$XDG_CACHE_HOME/booklet`, else `~/.cache/booklet`) as a `marshal` file named after
the dictionary file, its size and time, and the Pyphen and Python versions, much
as Python keeps compiled `.pyc` files; a stale or unreadable copy is parsed afresh.
Dictionaries with nonstandard hyphenation (values that are not plain numbers) are
never cached.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from pathlib import Path

import pyphen

from ..output import cache_dir, write_atomic
from .counters import hits

_original = pyphen.HyphDict


class CachedHyphDict(_original):  # type: ignore[misc, valid-type]
    """A `pyphen.HyphDict` read from a parsed copy when there is a current one."""

    def __init__(self, path: Path) -> None:
        copy = _copy_path(Path(path))
        try:
            patterns, maxlen = marshal.loads(copy.read_bytes()) if copy else (None, 0)
        except (OSError, ValueError, EOFError, TypeError):
            patterns, maxlen = None, 0
        if isinstance(patterns, dict) and patterns:
            self.patterns, self.maxlen, self.cache = patterns, maxlen, {}
            hits["hyphenation"] += 1
            return
        super().__init__(path)
        if copy is not None and all(type(v) is int for _, values in self.patterns.values()
                                    for v in values):
            try:
                write_atomic(copy, marshal.dumps((self.patterns, self.maxlen)))
            except OSError:
                pass


def install() -> None:
    """Make Pyphen read dictionaries through `CachedHyphDict` (idempotent)."""
    pyphen.HyphDict = CachedHyphDict


def _copy_path(path: Path) -> Path | None:
    """Where the parsed copy of the dictionary at `path` lives, or None if unknown."""
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{pyphen.VERSION}|"
           f"{sys.version_info[:2]}")
    name = hashlib.sha256(key.encode()).hexdigest()[:20]
    return cache_dir() / f"hyph-{path.stem}-{name}.marshal"
