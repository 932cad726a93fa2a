"""Skipping booklets whose outputs are up to date.

A booklet is rebuilt only when something its outputs depend on has changed: a file
in its folder (text, images), a template or stylesheet (theme and built-in), a
config file, the booklet package's own code, the installed version of a library or
font package that renders it, or a build option. A digest of all of these is kept
per booklet in `.cache/booklet/build-<id of the output folder>.json` (beside the
project, not in the output folder, which is often published as it is), with the
size and modification time of each output written. A booklet whose digest matches
and whose outputs are all still there, untouched, is skipped. The check only reads
and hashes files: it imports neither WeasyPrint nor the writers, so a build with
nothing to do is quick.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import time
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from pathlib import Path

from .. import __version__
from ..engine.patches import ENV as ENGINE_SWITCH
from ..engine.patches import switched_on
from ..options import BuildOptions
from ..output import write_atomic
from ..sandbox.limits import MAX_IMAGE_BYTES

#: Where build caches live, relative to the working directory (the project).
CACHE_DIR = Path(".cache") / "booklet"
#: Bump when the cache file's layout changes; older files are then ignored.
CACHE_FORMAT = 1
#: Project config files that would change every build when present.
CONFIG_FILES = ("booklet.toml",)
#: Installed distributions (dist-info name prefixes) whose version changes the output.
RENDERING_PACKAGES = ("weasyprint", "pydyf", "fonttools", "tinycss2", "tinyhtml5",
                      "cssselect2", "pyphen", "ebooklib", "jinja2", "markupsafe",
                      "markdown_it_py", "mdit_py_plugins", "pyyaml", "fontpkg")
PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: Largest file whose content counts: the build reads none larger (images and other
#: resources: 20 MB; booklet.md: 256 KB), so a larger one counts by its size and time.
MAX_HASHED_FILE = MAX_IMAGE_BYTES
#: Most bytes one tree's digest reads (hashed a chunk at a time); files past it count by
#: their size and time.
MAX_TREE_BYTES = 512 * 1024 * 1024
#: Most files and folders one tree's digest looks at.
MAX_TREE_ENTRIES = 20_000
#: Bytes hashed at a time.
CHUNK = 1024 * 1024
#: Options that do not change what is written: where to, how many workers, whether to
#: skip, whether in a child process, and the build time (counted through
#: SOURCE_DATE_EPOCH instead).
IGNORED_OPTIONS = ("out", "jobs", "incremental", "build_time", "overlap", "contain")


@dataclass
class Entry:
    """What the cache remembers about one booklet's last good build."""

    digest: str
    #: Format -> {"path", "size", "mtime_ns"} of each output written.
    outputs: dict[str, dict] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: The day (ISO) from which the build is out of date even with nothing changed:
    #: a review falls due (`booklet.build.pipeline.expiry`).
    expires: str | None = None


class BuildCache:
    """The digests of the last good build of each booklet, kept beside the outputs."""

    def __init__(self, path: Path, entries: dict[str, Entry] | None = None) -> None:
        self.path = path
        self.entries = entries or {}

    @classmethod
    def load(cls, out: Path) -> BuildCache:
        """Read the cache of builds into `out`; a missing or unreadable file is empty."""
        path = cache_path(out)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("format") != CACHE_FORMAT:
                return cls(path)
            return cls(path, {key: Entry(**value) for key, value in raw["booklets"].items()})
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return cls(path)

    def fresh(self, folder: Path, digest: str, formats: tuple[str, ...],
              today: date | None = None) -> Entry | None:
        """The entry for `folder` if its digest matches, its outputs are untouched and
        (on `today`) it has not expired."""
        entry = self.entries.get(_key(folder))
        if entry is None or entry.digest != digest or set(entry.outputs) != set(formats):
            return None
        if entry.expires and today and today.isoformat() >= entry.expires:
            return None
        for output in entry.outputs.values():
            try:
                stat = os.stat(output["path"])
            except OSError:
                return None
            if (stat.st_size, stat.st_mtime_ns) != (output["size"], output["mtime_ns"]):
                return None
        return entry

    def record(self, folder: Path, digest: str, written: dict[str, Path],
               pages: dict[str, int], warnings: list[str], expires: date | None = None
               ) -> None:
        """Remember a good build of `folder` and the outputs it wrote (until `expires`)."""
        outputs = {}
        for fmt, path in written.items():
            stat = path.stat()
            outputs[fmt] = {"path": str(path.resolve()), "size": stat.st_size,
                            "mtime_ns": stat.st_mtime_ns}
        self.entries[_key(folder)] = Entry(digest, outputs, dict(pages), list(warnings),
                                           expires.isoformat() if expires else None)

    def save(self) -> None:
        """Write the cache file atomically (a killed build leaves the old one)."""
        data = {"format": CACHE_FORMAT, "tool": __version__,
                "booklets": {key: asdict(entry) for key, entry in sorted(self.entries.items())}}
        write_atomic(self.path, json.dumps(data, indent=1, sort_keys=True).encode())


def cache_path(out: Path) -> Path:
    """The cache file for builds into the output folder `out`."""
    name = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:16]
    return CACHE_DIR / f"build-{name}.json"


def shared_digest(options: BuildOptions, project: Path | None = None) -> str:
    """Digest of every input shared by all booklets of a build.

    The whole theme folder counts, with the built-in templates and styles, so the
    digest needs no knowledge of how the renderer looks files up (nor jinja2).
    """
    digest = hashlib.sha256()
    _add(digest, "tool", __version__)
    _add_tree(digest, "code", PACKAGE_DIR)  # modules, and data files such as locales
    for folder in (PACKAGE_DIR.parent / "templates", PACKAGE_DIR.parent / "styles"):
        _add_tree(digest, str(folder.resolve()), folder)
    configs = [(project or Path.cwd()) / name for name in CONFIG_FILES]
    for path in _option_paths(options):  # the theme folder, a config file...
        if path.is_file():
            _add_file(digest, f"option:{path.resolve()}", path)
            configs.append(path)
        else:
            _add_tree(digest, f"option:{path.resolve()}", path)
    for config in configs:
        if not config.is_file():
            continue
        _add_file(digest, f"config/{config.name}", config)
        for path in config_references(config):  # the help contacts, the logo, a theme
            label = f"config-file:{path.resolve()}"
            if path.is_file():
                _add_file(digest, label, path)
            else:
                _add_tree(digest, label, path)
    _add(digest, "packages", "\n".join(installed_versions()))
    # the engine's patches change the PDF's bytes (not what it shows)
    _add(digest, "engine patches", ",".join(sorted(switched_on(os.environ.get(ENGINE_SWITCH)))))
    _add(digest, "options", json.dumps(_option_values(options), sort_keys=True))
    return digest.hexdigest()


def booklet_digest(folder: Path, shared: str) -> str:
    """Digest of one booklet's inputs: its folder's files plus the shared inputs."""
    digest = hashlib.sha256(shared.encode())
    _add_tree(digest, "booklet", folder)
    return digest.hexdigest()


def installed_versions() -> list[str]:
    """`name-version` of each installed rendering package, from dist-info folder names."""
    found = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            lower = name.lower()
            if lower.endswith(".dist-info") and lower.startswith(RENDERING_PACKAGES):
                found.add(lower.removesuffix(".dist-info"))
    return sorted(found)


def _option_values(options: BuildOptions) -> dict[str, object]:
    """Every option that can change what a build writes, as JSON-able values.

    All fields count except `IGNORED_OPTIONS`, so an option added later counts too.
    Dates count only through SOURCE_DATE_EPOCH: otherwise "now" is no input.
    """
    values: dict[str, object] = {
        item.name: _plain(getattr(options, item.name)) for item in fields(options)
        if item.name not in IGNORED_OPTIONS}
    values["source_date_epoch"] = os.environ.get("SOURCE_DATE_EPOCH")
    return values


def _option_paths(options: BuildOptions) -> list[Path]:
    """Files and folders named by options (their contents are inputs too)."""
    return [value for item in fields(options) if item.name not in IGNORED_OPTIONS
            and isinstance(value := getattr(options, item.name), Path) and value.exists()]


def config_references(config: Path) -> list[Path]:
    """Files and folders a config file names (`help_contacts`, the practice's `logo`,
    `theme`): their contents are inputs too. Any string value naming an existing path
    beside the config counts, so a key added later counts too; the project folder
    itself (`.`) does not, nor a file outside it (the build refuses those) other than
    the theme. A config that does not parse names nothing here: the build reports it."""
    import tomllib

    from ..sandbox.files import Refused, read_local
    from ..sandbox.limits import MAX_TOML_BYTES

    try:
        raw = read_local(config, (config.resolve().parent,), limit=MAX_TOML_BYTES)
        data = tomllib.loads(raw.decode("utf-8"))
    except (Refused, OSError, UnicodeDecodeError, RecursionError, tomllib.TOMLDecodeError):
        return []
    base = config.parent.resolve()
    found: list[Path] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and 0 < len(value) < 1024 and "\n" not in value:
            try:
                path = (base / value).resolve()
                named = path.exists() and not base.is_relative_to(path) and (
                    path.is_relative_to(base) or value == data.get("theme"))
            except (OSError, ValueError):
                named = False
            if named and path not in found:
                found.append(path)

    walk(data)
    return found


def _plain(value: object) -> object:
    if isinstance(value, Path):
        return str(value.resolve())
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def _add(digest: hashlib._Hash, label: str, value: str | bytes) -> None:
    data = value.encode() if isinstance(value, str) else value
    digest.update(f"{label}\0{len(data)}\0".encode())
    digest.update(data)


def _add_tree(digest: hashlib._Hash, label: str, folder: Path) -> None:
    """Add every file under `folder` (hidden files, editor backups and caches aside),
    as the build could read it: see `_add_file`. Links are not followed into folders;
    a link is counted by where it leads, and only the files of one leading inside
    `folder` are read. At most `MAX_TREE_ENTRIES` entries are looked at: a larger tree
    counts as changed at every build (always rebuilt, never wrongly skipped)."""
    if not folder.is_dir():
        _add(digest, f"{label}/", "absent")
        return
    root = folder.resolve()
    budget = _Budget()
    for path in _walk(folder, budget):
        relative = path.relative_to(folder).as_posix()
        _add_file(digest, f"{label}/{relative}", path, root, budget)
    if budget.entries > MAX_TREE_ENTRIES:
        _add(digest, f"{label}/", f"too many files: {time.time_ns()}")


def _walk(folder: Path, budget: _Budget) -> list[Path]:
    """The entries under `folder` in a stable order, not entering links to folders."""
    found: list[Path] = []
    pending = [folder]
    while pending and budget.entries <= MAX_TREE_ENTRIES:
        current = pending.pop()
        try:
            with os.scandir(current) as entries:
                for entry in entries:
                    if entry.name.startswith(".") or entry.name.endswith("~") or \
                            entry.name == "__pycache__":
                        continue
                    budget.entries += 1
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(Path(entry.path))
                    else:
                        found.append(Path(entry.path))
        except OSError:
            continue
    return sorted(found)


@dataclass
class _Budget:
    """What one tree's digest has looked at and read so far."""

    entries: int = 0
    read: int = 0


def _add_file(digest: hashlib._Hash, label: str, path: Path, root: Path | None = None,
              budget: _Budget | None = None) -> None:
    """Add one file as the build could read it, never blocking or taking more memory
    than a chunk: a link leading outside `root`, a pipe or a device by what it is (the
    build refuses to read them); a file larger than any the build reads, or past the
    tree's read budget, by its size and time; any other by its content, in chunks."""
    budget = budget or _Budget()
    try:
        if path.is_symlink():
            target = path.resolve()
            if root is not None and not target.is_relative_to(root):
                return _add(digest, label, "a link leading outside")
            _add(digest, f"{label}->", os.path.relpath(target, root or path.parent))
        info = path.stat()
    except (OSError, RuntimeError, ValueError):
        return _add(digest, label, "unreadable")
    if not stat.S_ISREG(info.st_mode):
        return _add(digest, label, "not a regular file")
    if info.st_size > MAX_HASHED_FILE or budget.read + info.st_size > MAX_TREE_BYTES:
        return _add(digest, label, f"size {info.st_size}, time {info.st_mtime_ns}")
    budget.read += info.st_size
    _add_content(digest, label, path, info.st_size)


def _add_content(digest: hashlib._Hash, label: str, path: Path, size: int) -> None:
    """Hash a regular file's content in chunks (opened without blocking: a file that
    would block, like /proc/kmsg, counts as unreadable)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC
    try:
        fd = os.open(path.resolve(), flags)
    except OSError:
        return _add(digest, label, "unreadable")
    with os.fdopen(fd, "rb", buffering=0) as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return _add(digest, label, "not a regular file")
        digest.update(f"{label}\0{size}\0".encode())
        left = MAX_HASHED_FILE + 1
        try:
            while left > 0 and (chunk := handle.read(min(CHUNK, left))):
                digest.update(chunk)
                left -= len(chunk)
        except OSError:
            digest.update(b"\0unreadable")


def _key(folder: Path) -> str:
    return str(folder.resolve())
