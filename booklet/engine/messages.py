"""WeasyPrint's log messages that booklet recognises by their text (WeasyPrint 70).

WeasyPrint reports what it could not do only as log lines; two of them booklet
already reports better itself, with the file and line:

- a resource booklet refused to fetch: WeasyPrint logs "Failed to load image at ...:
  <exception class>: <reason>" (`weasyprint.urls` names the class of the fetcher's
  error, here booklet's `Refused`); booklet reports the refusal itself;
- a character no font has: ".notdef glyph rendered for Unicode string ..."
  (`weasyprint.draw.text`); `booklet.render.glyphs` names the file and line.

And one it must not miss: WeasyPrint catches what goes wrong drawing an SVG image or
loading an image, font or stylesheet (`except BaseException` in `SVGImage.draw`),
logs it with the exception at DEBUG level, and goes on, leaving a worse file. When
that exception (or its cause) is a MemoryError, Ctrl-C's KeyboardInterrupt or a
SystemExit, `fatal_errors` notes it and `raise_fatal` raises it again, so a booklet
out of memory, or a build told to stop, fails instead.

Only reads log records: no switch. A WeasyPrint that words them otherwise shows
them twice, nothing worse.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

#: Exceptions that must stop a rendering, even when WeasyPrint caught them.
FATAL = (MemoryError, KeyboardInterrupt, SystemExit)

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


class _NoteFatal(logging.Handler):
    """Keeps the first fatal exception in a logged record's exception chain."""

    def __init__(self, found: list[BaseException]) -> None:
        super().__init__(level=logging.DEBUG)
        self.found = found

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        seen = 0
        while error is not None and seen < 20 and not self.found:
            if isinstance(error, FATAL):
                self.found.append(error)
            error, seen = error.__cause__ or error.__context__, seen + 1


_fatal: list[BaseException] = []


@contextmanager
def fatal_errors() -> Iterator[None]:
    """Within the block, note each fatal exception WeasyPrint catches and logs (see
    the module docstring); `raise_fatal` raises it. A process forked inside the
    block (the PDF writer) notes its own."""
    logger = logging.getLogger("weasyprint")
    handler = _NoteFatal(_fatal)
    level, propagate = logger.level, logger.propagate
    _fatal.clear()
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)  # WeasyPrint logs the exception itself at DEBUG ...
    logger.propagate = False  # ... and its debug lines go nowhere else
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


def raise_fatal() -> None:
    """Raise the fatal exception WeasyPrint caught, if it caught one in the block."""
    if _fatal:
        error = _fatal[0]
        _fatal.clear()
        raise error
