"""The images a booklet (or booklet.toml) names: where each is, what it really is, and
what all of them together ask the renderer to draw.

Each image must be a file inside its folder (links followed and checked), of a
supported kind, and pass `booklet.sandbox.images`. Each file is read and checked once,
however often it is used; a booklet may use `MAX_IMAGES` files, and its SVG images may
draw `MAX_BOOKLET_SVG_ELEMENTS` elements in all (an image counted at every use).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import Problem
from ..sandbox.files import BOOKLET_SCOPE, IMAGE_TYPES, REMOTE_HINT, Refused, read_local, within
from ..sandbox.images import check_image
from ..sandbox.limits import MAX_BOOKLET_SVG_ELEMENTS, MAX_IMAGES
from ..sandbox.raster import Checked


def check_images(folder: Path, source: Path, refs: Iterable[tuple[str, int]],
                 allow_remote: bool) -> list[Problem]:
    """Problems with the images a booklet uses, each reported at its first use."""
    checked: dict[str, Checked] = {}
    problems: list[Problem] = []
    drawn = 0
    for src, line in refs:
        if src not in checked:
            if len(checked) == MAX_IMAGES:
                problems.append(Problem(source, line, f"the booklet uses more than "
                                        f"{MAX_IMAGES} different images, the limit"))
                break
            checked[src] = check_image_file(folder, source, src, line, allow_remote)
            if checked[src].problem:
                problems.append(Problem(source, line, checked[src].problem))
        drawn += 0 if checked[src].problem else checked[src].elements
        if drawn > MAX_BOOKLET_SVG_ELEMENTS:
            problems.append(Problem(source, line, f"the booklet's SVG images draw more than "
                                    f"{MAX_BOOKLET_SVG_ELEMENTS:,} elements in all (each "
                                    "counted at every use), the limit"))
            break
    return problems


def check_image_file(folder: Path, source: Path, src: str, line: int | None,
                     allow_remote: bool, label: str = "image",
                     scope: str = BOOKLET_SCOPE) -> Checked:
    """Check one image reference; the problem, if any, is the whole message
    (`image 'x.png' lies outside the booklet's folder`)."""
    parsed = urlsplit(src)
    if parsed.scheme.lower() in ("http", "https") and parsed.netloc:
        return Checked(None, 0) if allow_remote else Checked(f"{label} '{src}' {REMOTE_HINT}")
    if parsed.scheme or parsed.netloc or src.startswith(("/", "\\")):
        return Checked(f"{label} '{src}' must be a file in {scope}")
    path = folder / unquote(parsed.path)
    try:
        within(path, (folder,), scope)
        if path.suffix.lower() not in IMAGE_TYPES:
            kinds = ", ".join(sorted(IMAGE_TYPES))
            raise Refused(f"has an unsupported type (use {kinds})")
        result = check_image(read_local(path, (folder,), scope), path.suffix.lower())
    except Refused as refusal:
        problem = str(refusal)
        if problem == "not found":
            problem += _did_you_mean(src, path)
        result = Checked(problem)
    if result.problem:
        return Checked(f"{label} '{src}' {result.problem}", result.elements)
    return result


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


def image_problem(folder: Path, source: Path, src: str, line: int | None,
                  allow_remote: bool = False, label: str = "image",
                  scope: str = BOOKLET_SCOPE) -> Problem | None:
    """The located problem with one image reference (a logo), or None."""
    result = check_image_file(folder, source, src, line, allow_remote, label, scope)
    return Problem(source, line, result.problem) if result.problem else None
