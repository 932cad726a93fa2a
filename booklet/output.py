"""Writing files into the output folder atomically.

Each file is written to a temporary file beside its target (`.<name>.<pid>.<random>.tmp`)
and renamed into place, so a failed or killed build never leaves a partial file nor
replaces a good one. A build killed outright (SIGKILL, power loss) cannot remove its
temporary file; the next write of the same target removes it, once the process named
in it is gone.
"""

from __future__ import annotations

import errno
import glob
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import BookletError, Problem

#: What a failed write means to a person, by errno (the system's words follow).
WRITE_ERRORS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "the file is larger than the file system (or this process) allows",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EEXIST: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder",
}


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write `data` to `path` through a temporary file and an atomic rename; the file
    gets permissions `mode` (the temporary file is the owner's alone until then)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sweep_stale(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp",
                               dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def write_problem(error: OSError) -> str:
    """Why a file could not be written, in words: `the disk is full (No space left on
    device)`."""
    reason = error.strerror or type(error).__name__
    meaning = WRITE_ERRORS.get(error.errno or 0)
    return f"cannot be written: {meaning} ({reason})" if meaning else \
        f"cannot be written ({reason})"


def os_problem(error: OSError) -> str:
    """A failed file operation in words, naming the file when the system did:
    `/tmp/x: cannot be written: the disk is full (No space left on device)`."""
    where = f"{error.filename}: " if error.filename else "a file "
    return where + write_problem(error)


@dataclass
class Writing:
    """The file being written, for the problem a failure names (`unwritable_as_problem`)."""

    path: Path | None = None


@contextmanager
def unwritable_as_problem() -> Iterator[Writing]:
    """Within the block, a file that cannot be written (set `.path` before each) raises
    `BookletError` naming it: `dist/x.pdf: cannot be written: the disk is full (...)`."""
    writing = Writing()
    try:
        yield writing
    except OSError as error:
        raise BookletError(Problem(writing.path, None, write_problem(error))) from None


class OutputFolderError(BookletError):
    """The output folder cannot hold the build's files: nothing can be built."""


def check_output_folder(out: Path) -> None:
    """Check that the output folder can take files, before anything is rendered: an
    `OutputFolderError` naming it says why not (a file, read-only, no permission). A
    folder not there yet is not made here (a build that fails leaves nothing): the
    folder it would be made in is checked instead."""
    if out.exists() and not out.is_dir():
        raise OutputFolderError.at(out, None, "the output folder (--out) is a file, not a "
                                   "folder")
    try:
        if out.is_dir():
            fd, probe = tempfile.mkstemp(prefix=f".probe.{os.getpid()}.", suffix=".tmp",
                                         dir=out)
            os.close(fd)
            os.unlink(probe)
            return
        parent = next(p for p in Path(os.path.abspath(out)).parents if p.exists())
        if not parent.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(parent))
        if not os.access(parent, os.W_OK | os.X_OK):
            code = errno.EROFS if _read_only(parent) else errno.EACCES
            raise OSError(code, os.strerror(code), str(parent))
    except OSError as error:
        reason = write_problem(error).replace("cannot be written", "cannot be written into")
        raise OutputFolderError.at(out, None, f"the output folder {reason}") from None


def _read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def sweep_stale(path: Path) -> list[Path]:
    """Remove temporary files left for `path` by builds that were killed; return them."""
    removed = []
    prefix = f".{path.name}."
    for stray in path.parent.glob(f"{glob.escape(prefix)}*.tmp"):
        pid = stray.name[len(prefix):].split(".", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            stray.unlink(missing_ok=True)
            removed.append(stray)
    return removed


def sweep_folder(folder: Path) -> list[Path]:
    """Remove every temporary file that killed builds left in `folder`; return them."""
    removed = []
    for stray in folder.glob(".*.tmp"):
        parts = stray.name[1:-len(".tmp")].rsplit(".", 2)
        if len(parts) == 3 and parts[1].isdigit() and not _running(int(parts[1])):
            stray.unlink(missing_ok=True)
            removed.append(stray)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the system allows syncing a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def cache_dir() -> Path:
    """The folder for machine-level caches of parsed data."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "booklet"
