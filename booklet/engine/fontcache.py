"""Reusing fonts prepared for earlier PDFs in the same process.

Before a font goes into a PDF, WeasyPrint cuts it down to the glyphs used and turns it
into a static instance (`Font.clean`): some 30 ms per font, and a booklet embeds
eight (each face at each size it is set in). `booklet watch` and the `--jobs`
workers build booklet after booklet in one process, and the result is often the
same as last time: an edit rarely brings in a letter the booklet did not use. With
`install()`, each result is remembered under everything it depends on (the font
file, the glyphs, the axis location, hinting) and reused.

`Font.clean` may log warnings (a font it cannot subset or instantiate). They are
recorded with the result and logged again each time it is reused, so a warm process
reports, and `--strict` fails on, exactly what a cold build does.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .counters import hits

#: How many prepared fonts to keep (a booklet uses about eight, of 20-30 KB each).
LIMIT = 64
#: A warning as logged: (logger name, level, message).
Logged = tuple[str, int, str]
#: A prepared font: its file, its axis location, and the warnings preparing it logged.
Prepared = tuple[bytes, dict, tuple[Logged, ...]]
_prepared: OrderedDict[tuple, Prepared] = OrderedDict()
#: The logger WeasyPrint's `Font.clean` logs to.
WEASYPRINT_LOGGER = "weasyprint"


def install() -> None:
    """Make WeasyPrint's `Font.clean` reuse earlier results (idempotent)."""
    from weasyprint.pdf.fonts import Font

    if getattr(Font.clean, "booklet_reuses", False):
        return
    Font.clean = reusing(Font.clean)


def reusing(original: Callable[[Any, dict, bool], None]) -> Callable[[Any, dict, bool], None]:
    """`Font.clean` that reuses the result (and replays the warnings) of an earlier call
    with the same inputs."""

    def clean(self: Any, to_unicode: dict, hinting: bool) -> None:
        key = _key(self, to_unicode, hinting)
        if (found := _prepared.get(key)) is not None:
            _prepared.move_to_end(key)
            self.file_content, variations, warnings = found
            self.variations = dict(variations)
            for name, level, message in warnings:
                logging.getLogger(name).log(level, "%s", message)
            hits["fontcache"] += 1
            return
        with _recorded(logging.getLogger(WEASYPRINT_LOGGER)) as warnings:
            original(self, to_unicode, hinting)
        _prepared[key] = (self.file_content, dict(self.variations), tuple(warnings))
        if len(_prepared) > LIMIT:
            _prepared.popitem(last=False)

    clean.booklet_reuses = True  # type: ignore[attr-defined]
    return clean


@contextmanager
def _recorded(logger: logging.Logger) -> Iterator[list[Logged]]:
    """The warnings `logger` is given within the block, whether or not it passes them
    on: a result prepared while warnings are off may be reused while they are on."""
    warnings: list[Logged] = []
    shown = logger.getEffectiveLevel()

    class Record(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            if record.levelno >= logging.WARNING:
                warnings.append((record.name, record.levelno, record.getMessage()))
            return record.levelno >= shown  # on as before: only what it showed

    record, level = Record(), logger.level
    logger.addFilter(record)
    if shown > logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        yield warnings
    finally:
        logger.removeFilter(record)
        if logger.level != level:
            logger.setLevel(level)


def prepared_since(known: set[tuple]) -> dict[tuple, Prepared]:
    """The fonts prepared since `known` (a set of `snapshot()`), to hand to `adopt`."""
    return {key: value for key, value in _prepared.items() if key not in known}


def snapshot() -> set[tuple]:
    """The keys of the fonts prepared so far."""
    return set(_prepared)


def adopt(prepared: dict[tuple, Prepared]) -> None:
    """Keep fonts another process prepared (the forked child that wrote a PDF), so
    the next PDF written from this process, or a child of it, reuses them."""
    for key, value in prepared.items():
        _prepared[key] = value
        _prepared.move_to_end(key)
    while len(_prepared) > LIMIT:
        _prepared.popitem(last=False)


def _key(font: Any, to_unicode: dict, hinting: bool) -> tuple:
    """Everything `Font.clean` reads: the result is the same when these are."""
    return (hashlib.blake2b(font.file_content, digest_size=16).digest(), font.index,
            tuple(sorted(to_unicode)), bool(hinting), tuple(sorted(font.missing.items())),
            tuple(sorted(font.variations.items())), font.weight, font.font_size, font.style,
            tuple(font.tables), bool(font.png), bool(font.svg), bool(font.colr))
