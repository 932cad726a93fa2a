"""Ctrl-C and SIGTERM stop a build, and nothing is written after either.

A signal raises `Interrupted` where the build is, as Ctrl-C raises KeyboardInterrupt.
Python code may catch it there: WeasyPrint's SVG drawing catches BaseException, logs
and draws on, and would leave a worse file to be written. So each signal is also
recorded, and `check()` (called before any output is written and between booklets)
raises again once one has come: the build stops whoever caught the first exception.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: The signals that stop a build.
SIGNALS = (signal.SIGINT, signal.SIGTERM)

_received: int | None = None


class Interrupted(KeyboardInterrupt):
    """The build was stopped by a signal (`signum`); the exit status is 128 + signum."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _stop(signum: int, _frame: object) -> None:
    global _received
    _received = signum
    raise Interrupted(signum)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise `Interrupted` and are remembered for
    `check`. Outside the main thread (signals go only there) this does nothing."""
    global _received
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _stop) for signum in SIGNALS}
    _received = None
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _received = None


def check() -> None:
    """Raise `Interrupted` if a signal has come since `stop_on_signals` began."""
    if _received is not None:
        raise Interrupted(_received)


def status(error: Interrupted | KeyboardInterrupt) -> int:
    """The exit status for a build stopped by `error`: 128 + the signal's number."""
    return 128 + getattr(error, "signum", signal.SIGINT)
