"""`booklet translated TRANSLATION_DIR`: record that a translation matches its original.

A translator runs it after bringing the translation up to date. It writes the
original's current content digest into the translation's front matter as
`source_digest`, and the digest of each of its fields and pieces as `source_sections`
(`booklet.source.digest`). The file is edited as text: the two values are replaced
where they are, or added after `translation_of:`, in the file's own line endings;
every other byte stays as it was, and the file is replaced atomically.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import BookletError, Problem
from ..options import BuildOptions
from ..output import write_atomic
from ..source import frontmatter
from ..source.config import Config
from ..source.digest import Fingerprint, fingerprint
from ..source.loader import load_booklet
from ..source.model import Booklet
from ..source.outline import NEWLINE

#: Width of the `source_sections` lines (continuation lines are indented two spaces).
WIDTH = 88


@dataclass
class Stamped:
    """What `translated` did: the translation, its original's digest, whether the file
    changed, and the structure differences it still has (warnings)."""

    booklet: Booklet
    digest: str
    changed: bool
    warnings: list[Problem]


def stamp(folder: Path, options: BuildOptions | None = None, config: Config | None = None
          ) -> Stamped:
    """Stamp the translation in `folder` with its original's current digest."""
    from .parity import parity_problems

    translation = load_booklet(folder, options, config)
    name = translation.meta.translation_of
    if name is None:
        raise BookletError.at(translation.source, translation.meta_lines.of("title"),
                              "not a translation: 'booklet translated' stamps a booklet "
                              "whose front matter names its original with 'translation_of'")
    original = load_booklet(translation.folder.parent / name, options, config)
    found = fingerprint(original)
    text = stamped_text(translation.text, translation.source, found)
    changed = text != translation.text
    if changed:
        write_atomic(translation.source, text.encode("utf-8"))
    return Stamped(translation, found.digest, changed, parity_problems(translation, original))


def stamped_text(text: str, path: Path, found: Fingerprint) -> str:
    """`text` (a translation's booklet.md) with `source_digest` and `source_sections`
    set to `found`, and nothing else changed."""
    yaml_text, _, _ = frontmatter.split(text, path)
    start = len(text.splitlines(True)[0])  # the front matter follows the first '---'
    nodes = {key.value: (key, value) for key, value in
             yaml.compose(yaml_text, Loader=yaml.SafeLoader).value}
    newline = _newline(text)
    values = {"source_digest": found.digest,
              "source_sections": _wrapped(found.sections(), newline)}
    edits: list[tuple[int, int, str]] = []
    missing = []
    for key, value in values.items():
        if key in nodes:
            key_node, value_node = nodes[key]
            edits.append((start + key_node.start_mark.index, start + value_node.end_mark.index,
                          f"{key}: {value}"))
        else:
            missing.append(f"{key}: {value}{newline}")
    if missing:
        after = nodes.get("source_digest") or nodes["translation_of"]
        at = _line_end(text, start + after[1].end_mark.index)
        edits.append((at, at, "".join(missing)))
    for begin, end, new in sorted(edits, reverse=True):
        text = text[:begin] + new + text[end:]
    return text


def _wrapped(sections: str, newline: str) -> str:
    """`source_sections`' value as plain YAML lines of at most `WIDTH` characters."""
    lines = textwrap.wrap(sections, WIDTH - 2, initial_indent=" " * 17,
                          break_long_words=False, break_on_hyphens=False)
    return (newline + "  ").join(line.strip() for line in lines)


def _newline(text: str) -> str:
    """The line ending the file uses (that of its first line)."""
    first = text.splitlines(True)[0]
    return first[len(first.rstrip("\r\n")):] or "\n"


def _line_end(text: str, index: int) -> int:
    """The index just after the line break that ends the line holding `index`."""
    found = NEWLINE.search(text, index)
    return found.end() if found else len(text)
