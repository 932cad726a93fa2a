"""Keeping a long-lived build process at its size: `booklet watch` and `--jobs` workers.

Rendering processes collect garbage rarely (the engine's `gc` patch: layout allocates
a million short-lived objects, and collecting them often costs a tenth of a second a
booklet). With those thresholds the oldest generation is almost never collected, and
what one build leaves behind is mostly cycles (WeasyPrint's boxes, styles and pages
point at one another: some 24,000 objects a booklet), so a watch process grew by
about 4 MB a save. `settle()`, called once a booklet is built, collects them all at
once and hands the freed pages back to the system (glibc keeps freed memory inside
the process otherwise, so the size only ever grew). `freeze()`, called once the
renderers are imported, moves what lives as long as the process (modules, classes,
WeasyPrint's default stylesheets) out of the collector's sight, so each collection
scans only what builds made since: about 25 ms instead of 80.
"""

from __future__ import annotations

import atexit
import ctypes
import gc
import os
import sys
from functools import cache
from typing import NoReturn


def freeze() -> None:
    """Collect, then exempt every object alive now from later collections."""
    settle()
    gc.freeze()


def thaw() -> None:
    """Let the collector see the objects `freeze` exempted again (before dropping
    long-lived ones, such as the renderer of a booklet.toml that changed)."""
    gc.unfreeze()


def settle() -> None:
    """Collect the garbage a build left and give free memory back to the system."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def resident() -> int | None:
    """This process's resident memory in bytes (None where /proc is missing)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


@cache
def _malloc_trim():
    """glibc's `malloc_trim`, or None on another C library or system."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim = ctypes.CDLL(None).malloc_trim  # the C library the process runs on
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def exit_now(status: int) -> NoReturn:
    """End this process with `status` without freeing every object one by one.

    A Python process frees every object and module as it ends: after a build,
    WeasyPrint's boxes, styles, fonts and Pango's font maps, 0.1-0.2 s of CPU for
    memory the system takes back anyway. The exit handlers still run (WeasyPrint's
    temporary font folders are removed, logs flushed), and so do the standard
    streams' last writes."""
    handlers = getattr(atexit, "_run_exitfuncs", None)  # CPython's, as `sys.exit` runs them
    if handlers is None:
        sys.exit(status)
    handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # the reader left, or a closed stream
            pass
        except OSError:  # a full disk, say: the output is lost, as Python's exit reports
            status = status or 120
    os._exit(status)
