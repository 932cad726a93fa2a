"""The images a booklet (or booklet.toml) names: where each is, what it really is, and
what all of them together ask the renderer to draw.

Each image must be a file inside its folder (links followed and checked), of a
supported kind, and pass `booklet.sandbox.images`. Each file is read and checked once,
however often it is used, and the bytes checked are the bytes used: a logo's are kept,
an image's digest is, and the renderers refuse an image whose bytes changed since.
A booklet may use `MAX_IMAGES` files, and its SVG images may draw
`MAX_BOOKLET_SVG_ELEMENTS` elements in all (an image counted at every use).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import Problem
from ..sandbox.files import BOOKLET_SCOPE, IMAGE_TYPES, REMOTE_HINT, Refused, read_local, within
from ..sandbox.images import check_image
from ..sandbox.limits import MAX_BOOKLET_SVG_ELEMENTS, MAX_IMAGES
from ..sandbox.raster import Checked


def check_images(folder: Path, source: Path, refs: Iterable[tuple[str, int]],
                 allow_remote: bool) -> tuple[list[Problem], dict[Path, str]]:
    """Problems with the images a booklet uses, each reported at its first use; and the
    SHA-256 of each local image as it was checked, by its path as referenced (the
    renderers use an image only if it still has those bytes: `booklet.sandbox.policy`)."""
    checked: dict[str, Checked] = {}
    digests: dict[Path, str] = {}
    problems: list[Problem] = []
    drawn = 0
    for src, line in refs:
        if src not in checked:
            if len(checked) == MAX_IMAGES:
                problems.append(Problem(source, line, f"the booklet uses more than "
                                        f"{MAX_IMAGES} different images, the limit"))
                break
            checked[src], data = checked_image(folder, src, allow_remote)
            if checked[src].problem:
                problems.append(Problem(source, line, checked[src].problem))
            elif data is not None:
                digests[referenced_path(folder, src)] = hashlib.sha256(data).hexdigest()
        drawn += 0 if checked[src].problem else checked[src].elements
        if drawn > MAX_BOOKLET_SVG_ELEMENTS:
            problems.append(Problem(source, line, f"the booklet's SVG images draw more than "
                                    f"{MAX_BOOKLET_SVG_ELEMENTS:,} elements in all (each "
                                    "counted at every use), the limit"))
            break
    return problems, digests


def referenced_path(folder: Path, src: str) -> Path:
    """The absolute path a local image reference names (links not followed)."""
    return Path(os.path.normpath(folder / unquote(urlsplit(src).path)))


def checked_image(folder: Path, src: str, allow_remote: bool, label: str = "image",
                  scope: str = BOOKLET_SCOPE) -> tuple[Checked, bytes | None]:
    """Check one image reference; the problem, if any, is the whole message (`image
    'x.png' lies outside the booklet's folder`). With the bytes checked, for a local
    image that passed: whoever uses it must use these."""
    parsed = urlsplit(src)
    if parsed.scheme.lower() in ("http", "https") and parsed.netloc:
        return (Checked(None, 0) if allow_remote else
                Checked(f"{label} '{src}' {REMOTE_HINT}")), None
    if parsed.scheme or parsed.netloc or src.startswith(("/", "\\")):
        return Checked(f"{label} '{src}' must be a file in {scope}"), None
    path = folder / unquote(parsed.path)
    data = None
    try:
        within(path, (folder,), scope)
        if path.suffix.lower() not in IMAGE_TYPES:
            kinds = ", ".join(sorted(IMAGE_TYPES))
            raise Refused(f"has an unsupported type (use {kinds})")
        data = read_local(path, (folder,), scope)
        result = check_image(data, path.suffix.lower())
    except Refused as refusal:
        problem = str(refusal)
        if problem == "not found":
            problem += _did_you_mean(src, path)
        result = Checked(problem)
    if result.problem:
        return Checked(f"{label} '{src}' {result.problem}", result.elements), None
    return result, data


def _did_you_mean(src: str, path: Path) -> str:
    """' (did you mean 'x.png'?)': the file beside `path` the reference most likely
    meant, one that differs only in capitals, else the closest name."""
    import difflib

    try:
        names = sorted(p.name for p in path.parent.iterdir()
                       if p.is_file() and p.suffix.lower() in IMAGE_TYPES)
    except OSError:
        return ""
    lowered = {name.lower(): name for name in reversed(names)}
    close = difflib.get_close_matches(path.name.lower(), list(lowered), n=1, cutoff=0.6)
    if path.name.lower() in lowered:
        close = [path.name.lower()]
    if not close:
        return ""
    folder, slash, _ = src.rpartition("/")
    return f" (did you mean '{folder}{slash}{lowered[close[0]]}'?)"


def checked_logo(folder: Path, source: Path, src: str, line: int | None,
                 label: str = "logo", scope: str = BOOKLET_SCOPE) -> Problem | bytes:
    """The located problem with a logo reference, or the logo's bytes as checked (the
    outputs carry these bytes, never the file read again)."""
    result, data = checked_image(folder, src, False, label, scope)
    if result.problem or data is None:
        return Problem(source, line, result.problem or f"{label} '{src}' cannot be read")
    return data
