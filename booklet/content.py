"""Read booklet folders from disk into validated `Booklet` models.

A booklet is a folder holding `booklet.md` (YAML front matter + Markdown) and the
images it uses. Loading checks everything a writer will need, so writers never fail
on content.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import BookletError, Problem
from .model import Booklet

SOURCE_NAME = "booklet.md"
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".svg": "image/svg+xml"}


def find_booklets(content_dir: Path) -> list[Path]:
    """Every folder directly under `content_dir` that holds a booklet.md, sorted."""
    if not content_dir.is_dir():
        return []
    return sorted(p for p in content_dir.iterdir() if (p / SOURCE_NAME).is_file())


def load_booklet(folder: Path) -> Booklet:
    """Load and validate one booklet folder; raise `BookletError` naming every problem."""
    # Imported here: listing booklets (and a build with nothing to do) stays quick.
    from . import frontmatter
    from .markdown import parse_body

    folder = folder.resolve()
    source = folder / SOURCE_NAME
    if not source.is_file():
        raise BookletError.at(folder, None, f"no {SOURCE_NAME} in this folder")
    try:
        text = source.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        line = source.read_bytes()[: error.start].count(b"\n") + 1
        raise BookletError.at(source, line, "the file is not UTF-8 text") from None
    yaml_text, body, body_line = frontmatter.split(text, source)
    meta = frontmatter.parse(yaml_text, source)
    parts, image_refs = parse_body(body, source, body_line, meta.language)
    problems = [p for src, line in image_refs if (p := _check_image(folder, source, src, line))]
    if problems:
        raise BookletError(*problems)
    images = tuple(dict.fromkeys(src for src, _ in image_refs))
    return Booklet(slug=folder.name, folder=folder, source=source, meta=meta, parts=parts,
                   images=images)


def _check_image(folder: Path, source: Path, src: str, line: int) -> Problem | None:
    parsed = urlsplit(src)
    if parsed.scheme or parsed.netloc or src.startswith("/"):
        return Problem(source, line, f"image '{src}' must be a file in the booklet's folder")
    path = (folder / unquote(parsed.path)).resolve()
    if not path.is_relative_to(folder):
        return Problem(source, line, f"image '{src}' lies outside the booklet's folder")
    if path.suffix.lower() not in IMAGE_TYPES:
        kinds = ", ".join(sorted(IMAGE_TYPES))
        return Problem(source, line, f"image '{src}' has an unsupported type (use {kinds})")
    if not path.is_file():
        return Problem(source, line, f"image '{src}' not found")
    return None
