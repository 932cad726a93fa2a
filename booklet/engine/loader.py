"""The patches that make importing WeasyPrint quick, and cffi's array types.

Applied by `booklet.engine.install` (patches `libraries`, `lazy-fonttools`,
`cffi-arrays`, `gc`).

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
`booklet.engine.instancer`): a tenth of a second together. While WeasyPrint loads, the
subsetter is a lazy module (loaded on first use) and the instancer a stand-in holding
booklet's function; afterwards the real instancer is imported as usual.

Every miss used to run `ldconfig -p` again (two dozen times per build); here it runs
once and its listing answers every name.

cffi parses the C type named in each `ffi.new` call the first time it sees that text,
with a full C parser primed with all of WeasyPrint's declarations: 10-15 ms a time.
WeasyPrint's font subsetting asks for `hb_codepoint_t[N]` with N the number of glyphs
kept, a new text for nearly every font, which made a third of a second per PDF. Its
`ffi.new` now asks for `T[]` with the same length instead: one parse per type.

Laying out a booklet allocates some million short-lived objects; with Python's
default thresholds the cyclic garbage collector runs 250 times per booklet, 7% of the
time, so a rendering process collects less often (`GC_THRESHOLDS`).
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

from .counters import hits

#: Collect the youngest objects every 20,000 allocations (Python's default: 700).
GC_THRESHOLDS = (20_000, 20, 100)
_SUBSET = "fontTools.subset"
_INSTANCER = "fontTools.varLib.instancer"


@contextmanager
def quick_library_lookup() -> Iterator[None]:
    """Within the block, `ctypes.util.find_library` only asks ldconfig (Linux)."""
    import ctypes.util

    if not sys.platform.startswith("linux") or not os.path.exists(LDCONFIG):
        yield
        return
    original = ctypes.util.find_library
    ctypes.util.find_library = LdconfigListing().find
    try:
        yield
    finally:
        ctypes.util.find_library = original


#: Where glibc's ldconfig lives (ctypes asks the same one).
LDCONFIG = "/sbin/ldconfig"
#: The ABI ldconfig names for 64-bit platforms, as in `ctypes.util` (default libc6).
_ABI = {"x86_64": "libc6,x86-64", "ppc64": "libc6,64bit", "sparc64": "libc6,64bit",
        "s390x": "libc6,64bit", "ia64": "libc6,IA-64"}


class LdconfigListing:
    """`ctypes.util.find_library` as answered from ldconfig's cache, read only once."""

    def __init__(self) -> None:
        self._listing: bytes | None = None

    def find(self, name: str) -> str | None:
        """The file name of library `name` (`pango-1.0` -> `libpango-1.0.so.0`), or None."""
        if self._listing is None:
            try:
                self._listing = subprocess.run(
                    [LDCONFIG, "-p"], capture_output=True, check=False,
                    env={"LC_ALL": "C", "LANG": "C"}).stdout
            except OSError:
                self._listing = b""
        machine = os.uname().machine
        abi = _ABI.get(machine, "libc6") if sys.maxsize > 2**32 else "libc6"
        pattern = rb"\s+(lib%s\.[^\s]+)\s+\(%s" % (re.escape(name).encode(), abi.encode())
        found = re.search(pattern, self._listing)
        hits["libraries"] += 1
        return os.fsdecode(found.group(1)) if found else None


#: `T[N]`: an array type of fixed length (what `parse_arrays_once` rewrites).
_FIXED_ARRAY = re.compile(r"^\s*([A-Za-z_][\w ]*?)\s*\[\s*(\d+)\s*\]\s*$")


def parse_arrays_once(ffi) -> None:
    """Make `ffi.new("T[N]", ...)` ask for `T[]` of length N (idempotent)."""
    original = ffi.new
    if getattr(original, "booklet_arrays", False):
        return

    # Type text -> (open array type, length), or None: layout calls `new` thousands
    # of times with a handful of texts, so each is matched once.
    arrays: dict[str, tuple[str, int] | None] = {}

    def new(cdecl, init=None):
        if isinstance(cdecl, str):
            if cdecl not in arrays:
                fixed = _FIXED_ARRAY.match(cdecl)
                arrays[cdecl] = (f"{fixed.group(1)}[]", int(fixed.group(2))) if fixed else None
            if (array := arrays[cdecl]) is not None:
                hits["cffi-arrays"] += 1
                if init is None:
                    return original(array[0], array[1])
                if hasattr(init, "__len__") and len(init) == array[1]:
                    return original(array[0], init)
        return original(cdecl, init)

    new.booklet_arrays = True  # type: ignore[attr-defined]
    ffi.new = new


@contextmanager
def light_font_tools(stand_in: bool = True) -> Iterator[None]:
    """Within the block, fontTools' subsetter loads lazily and, with `stand_in`, its
    instancer is booklet's (`booklet.engine.instancer`)."""
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
    module = ModuleType(_INSTANCER)
    module.instantiateVariableFont = instantiate  # type: ignore[attr-defined]
    if stand_in:
        sys.modules[_INSTANCER] = module
    try:
        yield
        fonts = sys.modules.get("weasyprint.pdf.fonts")
        if stand_in and getattr(fonts, "instantiateVariableFont", None) is instantiate:
            hits["lazy-fonttools"] += 1  # WeasyPrint took the stand-in's function
    finally:
        if sys.modules.get(_INSTANCER) is module:
            del sys.modules[_INSTANCER]
