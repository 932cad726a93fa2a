"""Reading local files safely: inside allowed folders, regular, and within a size limit.

Every file a booklet's build reads from the booklet's folder, a theme, or the font
packages goes through `read_local`: links are followed and the target checked against
the allowed folders, devices and pipes are refused, and at most the limit is read.
"""

from __future__ import annotations

import mimetypes
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .limits import MAX_IMAGE_BYTES, megabytes

BOOKLET_SCOPE = "the booklet's folder"
REMOTE_HINT = "is on the network: put the file in the booklet's folder, or build with " \
              "--allow-remote"

#: Image files the outputs can hold, by file ending, with their media types.
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".svg": "image/svg+xml"}
#: The same the other way round: the file ending an image of each type is stored under.
IMAGE_MEDIA_TYPES = {media: suffix for suffix, media in IMAGE_TYPES.items()
                     if suffix != ".jpeg"}


class Refused(Exception):  # noqa: N818 (a refusal, not a failure of the tool)
    """A resource the policy does not allow; the message says why, after the reference."""


@dataclass(frozen=True)
class Resource:
    """Bytes the policy let through, with the URL they came from and their media type."""

    url: str
    data: bytes
    media_type: str


def media_type(path: Path) -> str:
    """The media type of a resource file from its name."""
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _inside(path: Path, roots: Iterable[Path]) -> bool:
    return any(path.is_relative_to(root) for root in roots)


def within(path: Path, roots: Sequence[Path], scope: str = BOOKLET_SCOPE) -> Path:
    """`path` with links followed, if it lies inside one of `roots`; else raise `Refused`."""
    try:
        resolved = path.resolve()
    except (OSError, ValueError, RuntimeError):
        raise Refused("is not a usable file name") from None
    if not _inside(resolved, roots):
        if _inside(Path(os.path.normpath(path.absolute())), roots):
            raise Refused(f"is a link to a file outside {scope}")
        raise Refused(f"lies outside {scope}")
    return resolved


def local_file(path: Path, roots: Sequence[Path], scope: str = BOOKLET_SCOPE,
               limit: int = MAX_IMAGE_BYTES) -> Path:
    """The regular file `path` names, links followed, if it lies inside one of `roots`.

    Raises `Refused` for a path outside (directly, or through a link), a missing file,
    anything that is not a regular file (devices, pipes, folders) and files over the
    size limit.
    """
    resolved = within(path, roots, scope)
    try:
        info = resolved.stat()
    except FileNotFoundError:
        raise Refused("not found") from None
    except OSError as error:
        raise Refused(f"cannot be read ({error.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise Refused("is not a regular file")
    _check_size(info.st_size, limit)
    return resolved


def read_local(path: Path, roots: Sequence[Path], scope: str = BOOKLET_SCOPE,
               limit: int = MAX_IMAGE_BYTES) -> bytes:
    """The bytes of an allowed local file, read without following a last-moment link."""
    resolved = local_file(path, roots, scope, limit)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC
    try:
        fd = os.open(resolved, flags)
    except OSError as error:
        raise Refused(f"cannot be read ({error.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Refused("is not a regular file")
        data = handle.read(limit + 1)
    _check_size(len(data), limit)
    return data


def _check_size(size: int, limit: int) -> None:
    if size > limit:
        raise Refused(f"is {megabytes(size)}; the limit is {megabytes(limit)}")
