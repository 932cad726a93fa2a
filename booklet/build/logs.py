"""The warnings WeasyPrint and booklet log while a booklet renders, caught for it.

A build reports warnings with the booklet they belong to (and turns them into
failures with `--strict`), so while one renders they go to a callback instead of on
to the root logger's handlers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Loggers whose warnings belong to the booklet being rendered.
LOGGERS = ("weasyprint", "booklet")


@contextmanager
def captured(on_record: Callable[[logging.LogRecord], None]) -> Iterator[None]:
    """Within the block, each warning (or worse) of `LOGGERS` goes to `on_record`."""

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            on_record(record)

    handler = Catch(level=logging.WARNING)
    loggers = [logging.getLogger(name) for name in LOGGERS]
    saved = [(logger.level, logger.propagate) for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        # Without a level of its own a logger takes the root's (ERROR under the CLI),
        # and warnings would be dropped before reaching the handler; they are reported
        # with the booklet, so they are not passed on to the root's handlers too.
        if not logger.level or logger.level > logging.WARNING:
            logger.setLevel(logging.WARNING)
        logger.propagate = False
    try:
        yield
    finally:
        for logger, (level, propagate) in zip(loggers, saved, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.propagate = propagate
