"""The engine's patches, the versions each was written for, and the one `install()`.

`install()` imports WeasyPrint and applies every patch that is switched on (see
`BOOKLET_ENGINE_PATCHES` in the package docstring) and whose libraries are at a
version it was written for. A patch whose library is at another version is left
out, and one warning per library says so: the build then runs on plain WeasyPrint
for that part, slower but correct, rather than on a patch that may no longer fit.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from types import ModuleType

#: The environment variable that switches patches off: `off`, or `-name,-name`.
ENV = "BOOKLET_ENGINE_PATCHES"


@dataclass(frozen=True)
class Requirement:
    """A distribution and the versions a patch was written for: `minimum` <= v < `below`."""

    distribution: str
    minimum: str
    below: str
    #: How the distribution is named to people.
    shown: str

    def admits(self, version: str) -> bool:
        """Whether `version` lies in the range (pre-releases count as their release)."""
        return _release(self.minimum) <= _release(version) < _release(self.below)

    def __str__(self) -> str:
        return f"{self.shown} >= {self.minimum}, < {self.below}"


WEASYPRINT = Requirement("weasyprint", "70.0", "71", "WeasyPrint")
FONTTOOLS = Requirement("fonttools", "4.40", "5", "fontTools")
PYPHEN = Requirement("pyphen", "0.14", "0.19", "Pyphen")
CFFI = Requirement("cffi", "1.15", "3", "cffi")


@dataclass(frozen=True)
class Patch:
    """One change to another library: its switch name and what it was written for."""

    name: str
    requires: tuple[Requirement, ...]
    #: Applied around WeasyPrint's first import (so only if this process has not
    #: imported it yet), not after it.
    at_import: bool = False


#: Every patch, in the order `install` applies them. The package docstring says
#: what each touches and why.
PATCHES = (
    Patch("gc", ()),
    Patch("libraries", (WEASYPRINT,), at_import=True),
    Patch("lazy-fonttools", (WEASYPRINT, FONTTOOLS), at_import=True),
    Patch("cffi-arrays", (WEASYPRINT, CFFI)),
    Patch("instancer", (WEASYPRINT, FONTTOOLS)),
    Patch("fontcache", (WEASYPRINT,)),
    Patch("hyphenation", (PYPHEN,)),
    Patch("leaders", (WEASYPRINT,)),
    Patch("attributes", (WEASYPRINT,)),
    Patch("parts", (WEASYPRINT,)),
)
NAMES = tuple(patch.name for patch in PATCHES)
#: Code that reads (does not change) another library's internals, with no switch:
#: booklet needs it and there is no public way. Checked against the same versions.
READERS = (WEASYPRINT,)
#: Every requirement, in the order problems are reported.
REQUIREMENTS = (WEASYPRINT, FONTTOOLS, PYPHEN, CFFI)

LOG = logging.getLogger("booklet.engine")
_installed: frozenset[str] | None = None


def install(warn: bool = True) -> frozenset[str]:
    """Import WeasyPrint with the patches that are switched on and fit the installed
    versions; return their names. Only the first call in a process does anything."""
    global _installed
    if _installed is not None:
        return _installed
    chosen, problems = choose(os.environ.get(ENV), installed_versions())
    if warn:
        for problem in problems:
            _warn(problem)
    applied = set(chosen)
    if "gc" in chosen:  # before the import, which allocates much too
        _gc()
    _import_weasyprint(chosen, applied)
    for name in NAMES:
        if name in chosen and name in _APPLY:
            _APPLY[name]()
    _installed = frozenset(applied)
    return _installed


def active() -> frozenset[str]:
    """The patches installed in this process (none before `install`)."""
    return _installed or frozenset()


def check() -> None:
    """Warn about switches and versions now, as `install` would (in a parent process
    whose workers install quietly)."""
    for problem in choose(os.environ.get(ENV), installed_versions())[1]:
        _warn(problem)


def choose(setting: str | None, versions: Mapping[str, str | None]
           ) -> tuple[frozenset[str], list[str]]:
    """The patches to apply under `setting` (the environment variable) and the
    installed `versions`, and a message for each problem found."""
    switched_on, problems = _switched_on(setting)
    blocked: set[str] = set()
    for requirement in REQUIREMENTS:
        version = versions.get(requirement.distribution)
        if version is not None and requirement.admits(version):
            continue
        names = [p.name for p in PATCHES if requirement in p.requires]
        blocked.update(names)
        left_out = [name for name in names if name in switched_on]
        consequences = [f"building without {', '.join(left_out)}"] if left_out else []
        if requirement in READERS:
            consequences.append("the EPUB's print page list may be wrong and the PDFs "
                                "claim no PDF/UA conformance")
        if consequences:
            problems.append(f"{requirement.shown} {version or '(not installed)'} is not a "
                            f"version booklet's engine was written for ({requirement}): "
                            + "; ".join(consequences))
    return frozenset(switched_on - blocked), problems


def installed_versions() -> dict[str, str | None]:
    """The installed version of every distribution a patch requires (None: missing)."""
    from importlib.metadata import PackageNotFoundError, version

    found: dict[str, str | None] = {}
    for requirement in REQUIREMENTS:
        try:
            found[requirement.distribution] = version(requirement.distribution)
        except PackageNotFoundError:
            found[requirement.distribution] = None
    return found


def switched_on(setting: str | None) -> frozenset[str]:
    """The patches the environment variable's value `setting` leaves on."""
    return frozenset(_switched_on(setting)[0])


def _switched_on(setting: str | None) -> tuple[set[str], list[str]]:
    """The patches `setting` leaves on: all (unset, `on`), none (`off`), all but the
    `-name`s, or only the bare `name`s listed (less any `-name`)."""
    value = (setting or "").strip().lower()
    if value in ("", "on", "all"):
        return set(NAMES), []
    if value in ("off", "none"):
        return set(), []
    words = [word.strip() for word in value.split(",") if word.strip()]
    unknown = [word for word in words if word.lstrip("+-") not in NAMES]
    problems = [f"{ENV}: unknown patch '{word.lstrip('+-')}' ignored; the patches are "
                f"{', '.join(NAMES)}" for word in unknown]
    named = {word.lstrip("+") for word in words if not word.startswith("-")} & set(NAMES)
    off = {word[1:] for word in words if word.startswith("-")}
    return (named or set(NAMES)) - off, problems


def _release(version: str) -> tuple[int, ...]:
    """The release numbers of a version string (`70.0b1` -> (70, 0)), for comparing."""
    found = re.match(r"\d+(?:\.\d+)*", version.strip())
    numbers = tuple(int(part) for part in found.group().split(".")) if found else (0,)
    while len(numbers) > 1 and numbers[-1] == 0:  # 70.0 == 70
        numbers = numbers[:-1]
    return numbers


def _import_weasyprint(chosen: Iterable[str], applied: set[str]) -> ModuleType:
    """Import WeasyPrint under the import-time patches that are chosen."""
    from contextlib import ExitStack

    from . import loader

    chosen = set(chosen)
    if "weasyprint" in sys.modules:  # imported before install: too late for these
        applied -= {patch.name for patch in PATCHES if patch.at_import}
        return sys.modules["weasyprint"]
    with ExitStack() as stack:
        if "libraries" in chosen:
            stack.enter_context(loader.quick_library_lookup())
        if "lazy-fonttools" in chosen:
            stack.enter_context(loader.light_font_tools(stand_in="instancer" in chosen))
        import weasyprint
    return weasyprint


def _gc() -> None:
    import gc

    from .loader import GC_THRESHOLDS

    gc.set_threshold(*GC_THRESHOLDS)


def _cffi_arrays() -> None:
    from weasyprint.text.ffi import ffi

    from .loader import parse_arrays_once

    parse_arrays_once(ffi)


def _install_module(name: str) -> None:
    """Run `install()` of the engine module of the same name as the patch."""
    from importlib import import_module

    import_module(f".{name}", __package__).install()


#: How each patch applied after the import (all but the first three) is applied.
_APPLY: dict[str, Callable[[], None]] = {
    "cffi-arrays": _cffi_arrays,
    **{name: partial(_install_module, name)
       for name in ("instancer", "fontcache", "hyphenation", "leaders", "attributes",
                                  "parts")}}


class _Stderr(logging.Handler):
    """Writes to the current `sys.stderr` (so pytest's capture sees it)."""

    def emit(self, record: logging.LogRecord) -> None:
        sys.stderr.write(f"warning: {self.format(record)}\n")


def _warn(message: str) -> None:
    """One line on stderr, once per process; not a booklet's warning: it is about this
    machine, so it neither counts against a booklet nor fails `--strict`."""
    if message in _warned:
        return
    _warned.add(message)
    if not LOG.handlers:  # its own level: the command line's root logger shows errors only
        LOG.addHandler(_Stderr())
        LOG.setLevel(logging.WARNING)
        LOG.propagate = False
    LOG.warning(message)


_warned: set[str] = set()
