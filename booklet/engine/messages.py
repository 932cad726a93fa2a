"""WeasyPrint's log messages that booklet recognises by their text (WeasyPrint 70).

WeasyPrint reports what it could not do only as log lines; two of them booklet
already reports better itself, with the file and line:

- a resource booklet refused to fetch: WeasyPrint logs "Failed to load image at ...:
  <exception class>: <reason>" (`weasyprint.urls` names the class of the fetcher's
  error, here booklet's `Refused`); booklet reports the refusal itself;
- a character no font has: ".notdef glyph rendered for Unicode string ..."
  (`weasyprint.draw.text`); `booklet.render.glyphs` names the file and line.

Only reads log records: no switch. A WeasyPrint that words them otherwise shows
them twice, nothing worse.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

#: The start of WeasyPrint's warning for a character no font has.
MISSING_GLYPH = ".notdef glyph rendered"


def is_missing_glyph(message: str) -> bool:
    """Whether a WeasyPrint warning is about a character no font has."""
    return message.startswith(MISSING_GLYPH)


class _DropFetchErrors(logging.Filter):
    """Drops WeasyPrint's "failed to load" lines whose reason is a given error class."""

    def __init__(self, error: type[Exception]) -> None:
        super().__init__()
        self.marker = f"{error.__name__}: "

    def filter(self, record: logging.LogRecord) -> bool:
        return self.marker not in record.getMessage()


@contextmanager
def quiet_fetch_errors(error: type[Exception]) -> Iterator[None]:
    """Within the block, WeasyPrint does not log resources the URL fetcher refused
    with `error` (the caller reports them itself)."""
    logger = logging.getLogger("weasyprint")
    drop = _DropFetchErrors(error)
    logger.addFilter(drop)
    try:
        yield
    finally:
        logger.removeFilter(drop)
