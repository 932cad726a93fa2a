"""Reading TOML files (booklet.toml, the help-contacts data) with line numbers.

`tomllib` parses but gives no positions; `KeyLines` scans the text for the line of
each key so that every problem can be reported as `file:line: message`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import BookletError
from ..sandbox.limits import MAX_TOML_BYTES, MAX_TOML_DEPTH
from .schema import KeyLines, KeyPath

HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$")
KEY_PART = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
KEY = re.compile(rf"^\s*({KEY_PART}(?:\s*\.\s*{KEY_PART})*)\s*=")
TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)$|\s*\(at end of document\)$")

def load(path: Path, roots: Sequence[Path] | None = None) -> tuple[dict[str, Any], KeyLines]:
    """Parse a TOML file (a regular file inside `roots`, by default anywhere, within
    `MAX_TOML_BYTES`); raise `BookletError` naming the file and line when it is broken."""
    from ..sandbox.files import Refused, read_local

    if not path.exists() and not path.is_symlink():
        raise BookletError.at(path, None, "file not found")
    try:
        raw = read_local(path, roots or (path.resolve().parent,), limit=MAX_TOML_BYTES)
    except Refused as refusal:
        raise BookletError.at(path, None, f"the file {refusal}") from None
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark is not content
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise BookletError.at(path, line, "the file is not UTF-8 text") from None
    if (line := too_deep(text)) is not None:
        raise BookletError.at(path, line, f"arrays and tables nest deeper than "
                              f"{MAX_TOML_DEPTH} levels, the limit")
    try:
        data = tomllib.loads(text)
    except RecursionError:  # `too_deep` should have caught it first
        raise BookletError.at(path, None, "arrays and tables nest too deeply") from None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = TOML_POSITION.search(message)
        line = int(match[1]) if match and match[1] else text.count("\n") + 1
        reason = TOML_POSITION.sub("", message)
        raise BookletError.at(path, line, f"not valid TOML: {reason}") from None
    return data, key_lines(text)


#: What changes how deep TOML values nest, or starts a string or a comment.
_NESTING = re.compile(r"""\"\"\"|'''|["'#\[\]{}]""")
#: Where each kind of string (or a comment) ends, from just after its start.
_SKIP = {'"': re.compile(r'(?:[^"\\\n]|\\.)*"'),
         "'": re.compile(r"[^'\n]*'"),
         '"""': re.compile(r'(?s)(?:[^\\]|\\.)*?"""'),
         "'''": re.compile(r"(?s).*?'''"),
         "#": re.compile(r"[^\n]*")}


def too_deep(text: str) -> int | None:
    """The line where arrays and inline tables first nest deeper than `MAX_TOML_DEPTH`
    (Python's TOML parser recurses at each level), or None; in one pass."""
    depth, pos = 0, 0
    while match := _NESTING.search(text, pos):
        token, pos = match.group(), match.end()
        if token in _SKIP:
            end = _SKIP[token].match(text, pos)
            if end is None:
                return None  # an unclosed string: the parser reports it
            pos = end.end()
        elif token in "[{":
            depth += 1
            if depth > MAX_TOML_DEPTH:
                return text.count("\n", 0, match.start()) + 1
        else:
            depth = max(0, depth - 1)
    return None


def key_lines(text: str) -> KeyLines:
    """Find the line of every table header and `key =` in `text`."""
    found: dict[KeyPath, int] = {}
    arrays: dict[KeyPath, int] = {}
    prefix: KeyPath = ()
    in_string = False
    for number, line in enumerate(text.splitlines(), start=1):
        quotes = line.count('"""') + line.count("'''")
        if in_string:
            in_string = quotes % 2 == 0
            continue
        if header := HEADER.match(line):
            table = _split_key(header[2])
            if header[1] == "[[":
                index = arrays.get(table, -1) + 1
                arrays[table] = index
                found.setdefault(table, number)
                prefix = (*table, index)
            else:
                prefix = table
            found.setdefault(prefix, number)
        elif key := KEY.match(line):
            found.setdefault((*prefix, *_split_key(key[1])), number)
        in_string = quotes % 2 == 1
    return KeyLines(found)


def _split_key(dotted: str) -> tuple[str, ...]:
    parts = re.findall(KEY_PART, dotted)
    return tuple(p[1:-1] if p[0] in "\"'" else p for p in parts)
