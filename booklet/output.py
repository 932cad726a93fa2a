"""Writing files into the output folder atomically.

Each file is written to a temporary file beside its target (`.<name>.<pid>.<random>.tmp`)
and renamed into place, so a failed or killed build never leaves a partial file nor
replaces a good one. A build killed outright (SIGKILL, power loss) cannot remove its
temporary file; the next write of the same target removes it, once the process named
in it is gone.
"""

from __future__ import annotations

import glob
import os
import tempfile
from pathlib import Path


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
