"""Writing the reading PDF in a forked process while this one makes the other outputs.

Once the reading edition is laid out, drawing and writing its PDF (about half a
second for a 15-page booklet) needs nothing more from the build, and the EPUB, the
glyph check and the large-print edition need nothing from it. Where a second core is
free, `start` forks: the child writes the PDF and sends its bytes (and the warnings
it logged) back through a pipe, while the parent goes on. The forked child shares
the laid-out pages with the parent, so nothing is laid out twice.

The same bytes come out either way: the child runs the very function the parent
would. If the child fails for any reason other than a problem booklet reports
(`BookletError`, passed on as it is), the parent does the work itself, so a failure
looks as it would without the fork.

Forking is left out where it is not safe or not worth it: off Linux, with other
Python threads running (a fork copies only the calling thread), with one CPU, and in
`--jobs` workers side by side, which already keep every core busy
(`BuildOptions.overlap`). The child dies with its parent, even one killed outright
(`booklet.build.lifeline`), shares its rendering process's memory limit, and counts
as failed when WeasyPrint caught a MemoryError or a signal while it drew; the parent
does not do again the work a signal stopped.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

from ..errors import BookletError
from . import interrupt
from .logs import captured

_running: list[Job] = []


class Job:
    """A result (picklable) being made, here when asked for, or in a forked child."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self._work = work
        self._pid: int | None = None
        self._pipe: int | None = None
        self._result: Any = None

    def result(self) -> Any:
        """The result, waiting for the child if there is one; its warnings are logged."""
        if self._result is None:
            self._result = self._collect() if self._pid is not None else None
        if self._result is None:
            interrupt.check()  # the child failed on a signal: not worth doing again
            self._result = self._work()
        return self._result

    def cancel(self) -> None:
        """Stop a child whose bytes are no longer wanted (a failed build)."""
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._reap()

    def _fork(self) -> None:
        read, write = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: never returns, nor outlives this process
            os.close(read)
            _child(self._work, write, parent)
        os.close(write)
        self._pid, self._pipe = pid, read
        _running.append(self)

    def _collect(self) -> Any:
        """The child's result; None when it failed (the caller then does the work)."""
        assert self._pipe is not None
        with os.fdopen(self._pipe, "rb") as pipe:
            self._pipe = None
            payload = pipe.read()
        status = self._reap()
        try:
            kind, value, warnings = pickle.loads(payload) if status == 0 else (None, None, [])
        except Exception:  # a child killed mid-write: do the work here
            return None
        for name, level, message in warnings:
            logging.getLogger(name).log(level, "%s", message)
        if kind == "problem":
            raise value
        return value if kind == "value" else None

    def _reap(self) -> int | None:
        pid, self._pid = self._pid, None
        if self in _running:
            _running.remove(self)
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        if pid is None:
            return None
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status)


def start(work: Callable[[], Any], allowed: bool = True) -> Job:
    """A job for `work`: started in a forked child when `allowed` and possible, else run
    here and now, as the child would have, before anything the caller does next (with
    crop marks, a WeasyPrint document drawn a second time comes out different: the
    reading PDF must be its first drawing, before the EPUB's cover, either way)."""
    job = Job(work)
    if allowed and can_fork():
        job._fork()
    else:
        job.result()
    return job


def can_fork() -> bool:
    """Whether a forked child may safely run beside this process, on a core of its own."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    if threading.active_count() > 1:
        return False
    return len(os.sched_getaffinity(0)) > 1


def cancel_all() -> None:
    """Stop every child still running (called when a booklet's build fails)."""
    for job in list(_running):
        job.cancel()


def _child(work: Callable[[], Any], pipe: int, parent: int) -> None:
    """Run `work` in the forked child, send the outcome down `pipe`, and exit."""
    from ..engine.messages import raise_fatal
    from .lifeline import die_with_parent

    die_with_parent(parent)
    status = 0
    warnings: list[tuple[str, int, str]] = []

    def keep(record: logging.LogRecord) -> None:
        warnings.append((record.name, record.levelno, record.getMessage()))

    try:
        with captured(keep):
            try:
                value = work()
                raise_fatal()  # out of memory where WeasyPrint caught it: no worse PDF
                outcome: tuple = ("value", value, warnings)
            except BookletError as error:
                outcome = ("problem", error, warnings)
            except BaseException:  # the parent runs `work` again and shows the real error
                outcome = ("failed", None, [])
        with os.fdopen(pipe, "wb") as out:
            out.write(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException:
        status = 1
    finally:
        os._exit(status)
