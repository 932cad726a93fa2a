"""Importing WeasyPrint quickly, once per process, set up for booklet.

WeasyPrint finds Pango, HarfBuzz and fontconfig by trying several library names per
platform. Each name that does not exist on this one (`libpango-1.0-0` on Linux, and
every name of the optional `harfbuzz-vector`) goes through `ctypes.util.find_library`,
which on Linux asks `ldconfig` and then runs the C compiler and the linker to look:
about 60 ms per miss, a third of a second per build. While WeasyPrint loads, the
lookup here stops after `ldconfig`. The names WeasyPrint tries last are the real
file names (`libpango-1.0.so.0`), which the dynamic loader opens directly, so
libraries outside ldconfig's cache (LD_LIBRARY_PATH) are still found.

WeasyPrint also imports fontTools' subsetter (used only when libharfbuzz-subset is
missing) and variable-font instancer (which booklet replaces with HarfBuzz,
`booklet.instancer`): a tenth of a second together. While WeasyPrint loads, the
subsetter is a lazy module (loaded on first use) and the instancer a stand-in holding
booklet's function; afterwards the real instancer is imported as usual.

`load()` also makes WeasyPrint reuse fonts it prepared for earlier PDFs of the
process (`booklet.fontcache`) and read hyphenation patterns already parsed
(`booklet.hyphenation`). Laying out a booklet allocates some million short-lived
objects; with Python's default thresholds the cyclic garbage collector runs 250
times per booklet, 7% of the time, so a rendering process collects less often.
"""

from __future__ import annotations

import gc
import importlib.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

#: Collect the youngest objects every 20,000 allocations (Python's default: 700).
GC_THRESHOLDS = (20_000, 20, 100)
_SUBSET = "fontTools.subset"
_INSTANCER = "fontTools.varLib.instancer"


def load() -> ModuleType:
    """Import WeasyPrint (quickly, the first time) and install booklet's font instancer."""
    if "weasyprint" not in sys.modules:
        gc.set_threshold(*GC_THRESHOLDS)
        with _quick_library_lookup(), _light_font_tools():
            import weasyprint  # noqa: F401
    from . import fontcache, hyphenation, instancer

    instancer.install()
    fontcache.install()
    hyphenation.install()
    return sys.modules["weasyprint"]


@contextmanager
def _quick_library_lookup() -> Iterator[None]:
    """Within the block, `ctypes.util.find_library` only asks ldconfig (Linux)."""
    import ctypes.util

    ldconfig = getattr(ctypes.util, "_findSoname_ldconfig", None)
    if not sys.platform.startswith("linux") or ldconfig is None:
        yield
        return
    original = ctypes.util.find_library
    ctypes.util.find_library = ldconfig
    try:
        yield
    finally:
        ctypes.util.find_library = original


@contextmanager
def _light_font_tools() -> Iterator[None]:
    """Within the block, fontTools' subsetter loads lazily and its instancer is ours."""
    if _SUBSET in sys.modules or _INSTANCER in sys.modules:
        yield
        return
    import fontTools

    from .instancer import instantiate

    spec = importlib.util.find_spec(_SUBSET)
    if spec is None or spec.loader is None:
        yield
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    subset = importlib.util.module_from_spec(spec)
    sys.modules[_SUBSET] = subset
    fontTools.subset = subset
    spec.loader.exec_module(subset)
    stand_in = ModuleType(_INSTANCER)
    stand_in.instantiateVariableFont = instantiate  # type: ignore[attr-defined]
    sys.modules[_INSTANCER] = stand_in
    try:
        yield
    finally:
        if sys.modules.get(_INSTANCER) is stand_in:
            del sys.modules[_INSTANCER]
