"""Per-process caches of what was read from a file, kept while the file is unchanged.

`booklet watch` runs for hours in one process: a catalogue or contacts file saved in
the meantime must be read again, and one left alone need not be.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, wraps
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def stamp(path: Path) -> tuple[int, int]:
    """What tells an edited file from the one read before: its mtime and size."""
    status = path.stat()
    return status.st_mtime_ns, status.st_size


def while_unchanged(read: Callable[[Path], T]) -> Callable[[Path], T]:
    """`read(path)`, remembered until the file at `path` changes."""

    @cache
    def remembered(path: Path, _stamp: tuple[int, int]) -> T:
        return read(path)

    @wraps(read)
    def cached(path: Path) -> T:
        return remembered(path, stamp(path))

    cached.cache_clear = remembered.cache_clear  # type: ignore[attr-defined]
    return cached
