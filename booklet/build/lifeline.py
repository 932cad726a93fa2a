"""Child processes that end with the build: none outlives the process that started it.

A build starts rendering processes (`booklet.build.workers`) and forks a PDF writer
(`booklet.build.overlap`). If the build is killed outright (SIGKILL, the OOM killer),
nothing runs its clean-up, so each child asks Linux to kill it when its parent goes
(`prctl(PR_SET_PDEATHSIG)`), and checks that the parent had not already gone before
it asked. Elsewhere the workers still stop at the next message, when the pipe to the
parent reads as closed.
"""

from __future__ import annotations

import os
import signal
import sys

#: prctl's option number for the signal sent when the parent exits (linux/prctl.h).
PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Have this process killed when `parent` (its parent) exits; exit now if it has.

    Linux sends the signal when the *thread* that started this process ends: booklet
    starts its children from the thread that then waits for them."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent went before the request was made
        os._exit(1)
