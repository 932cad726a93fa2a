"""Language editions: check `translation_of` and find a booklet's other editions.

An original and its translations form one family: the original's folder, and every
folder beside it whose front matter says `translation_of: <original's folder>`. Each
edition lists all the others, so the English booklet names its Spanish edition and the
Spanish one names the English (EPUB metadata and a line on the back cover).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import BookletError, display_path
from . import frontmatter
from .model import Edition, Meta
from .schema import KeyLines


def editions_of(source: Path, lines: KeyLines, meta: Meta) -> tuple[Edition, ...]:
    """Check `translation_of` in `source`'s front matter (whose key lines are `lines`);
    return the other editions."""
    folder = source.parent
    if meta.translation_of is not None:
        _check_original(source, lines.of("translation_of"), meta)
    root = meta.translation_of or folder.name
    family = [folder.parent / root, *_translations(folder.parent, root, source.name)]
    editions = []
    for member in family:
        found = _front_matter(member / source.name)
        if member != folder and found is not None:
            other, lines = found
            editions.append(Edition(member.name, other.language, other.title,
                                    lines.of("title")))
    return tuple(editions)


def _check_original(source: Path, line: int | None, meta: Meta) -> None:
    name = meta.translation_of
    original = source.parent.parent / str(name)
    if original == source.parent:
        raise BookletError.at(source, line, "'translation_of' names this booklet itself; "
                              "name the folder of the booklet it translates")
    if not (original / source.name).is_file():
        raise BookletError.at(source, line, f"'translation_of' names '{name}', but there is "
                              f"no booklet folder {display_path(original)}")
    found = _front_matter(original / source.name)
    if found is None:
        return
    other = found[0]
    if other.translation_of is not None:
        raise BookletError.at(source, line, f"'{name}' is itself a translation of "
                              f"'{other.translation_of}'; name the original instead")
    if other.language == meta.language:
        raise BookletError.at(source, line, f"'{name}' is in the same language "
                              f"({meta.language}); a translation needs its own 'language'")


def _translations(parent: Path, root: str, source_name: str) -> list[Path]:
    """Folders beside `root` whose booklet says `translation_of: root`, sorted."""
    found = []
    for folder in sorted(p for p in parent.iterdir() if p.is_dir() and p.name != root):
        path = folder / source_name
        if path.is_file() and "translation_of" in _head(path):
            other = _front_matter(path)
            if other is not None and other[0].translation_of == root:
                found.append(folder)
    return found


def _head(path: Path) -> str:
    """The start of a file, enough to hold its front matter."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        return handle.read(16_384)


def _front_matter(path: Path) -> tuple[Meta, KeyLines] | None:
    """Another booklet's front matter and its key lines, or None when it is broken (it
    reports itself)."""
    try:
        yaml_text, _, _ = frontmatter.split(_head(path), path)
        return frontmatter.read(yaml_text, path)
    except (BookletError, OSError):
        return None
