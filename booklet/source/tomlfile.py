"""Reading TOML files (booklet.toml, the help-contacts data) with line numbers.

`tomllib` parses but gives no positions; `KeyLines` scans the text for the line of
each key so that every problem can be reported as `file:line: message`.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from ..errors import BookletError
from .schema import KeyLines, KeyPath

HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$")
KEY_PART = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
KEY = re.compile(rf"^\s*({KEY_PART}(?:\s*\.\s*{KEY_PART})*)\s*=")
TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)$|\s*\(at end of document\)$")

def load(path: Path) -> tuple[dict[str, Any], KeyLines]:
    """Parse a TOML file; raise `BookletError` naming the file and line when it is broken."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark is not content
    except FileNotFoundError:
        raise BookletError.at(path, None, "file not found") from None
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise BookletError.at(path, line, "the file is not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = TOML_POSITION.search(message)
        line = int(match[1]) if match and match[1] else text.count("\n") + 1
        reason = TOML_POSITION.sub("", message)
        raise BookletError.at(path, line, f"not valid TOML: {reason}") from None
    return data, key_lines(text)


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
