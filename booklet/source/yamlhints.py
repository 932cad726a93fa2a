"""Front-matter mistakes that YAML reports in its own terms, told in a writer's.

YAML's messages ("mapping values are not allowed here", "found character '\\t' that
cannot start any token") name the parser's state, not the writer's mistake. When
parsing fails, `explain` looks at the lines up to the failure for the usual causes
(a tab used to indent, a colon with no space after a key, a colon inside an unquoted
value) and says what to write instead, at the line to change. `straighten_quotes`
reads a value wrapped in curly quotes (as word processors and phones type them) as a
quoted value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .schema import quoted

#: Curly quotes that may wrap a whole value, opening -> closing.
CURLY = {"“": "”", "‘": "’", "«": "»", "„": "“"}
#: `key: ` or `- ` (or both) before a value.
_LEAD = r"(?P<lead>\s*(?:-\s+)?(?:[A-Za-z_][\w-]*:\s+)?)"
_WRAPPED = re.compile(_LEAD + r"(?P<open>[“‘«„])(?P<inner>.*)(?P<close>[”’»“])"
                      r"(?P<tail>\s*(?:#.*)?)$")
_KEYED = re.compile(r"^(?P<indent>\s*)(?P<dash>-\s+)?(?P<key>[A-Za-z_][\w-]*):(?P<rest>.*)$")
_ITEM = re.compile(r"^(?P<indent>\s*)-\s+(?P<rest>.*)$")


def straighten_quotes(text: str) -> str:
    """`text` with each value wrapped whole in curly quotes given straight ones instead,
    so YAML reads them as quotes, not as part of the value (lines keep their number)."""
    return "\n".join(_straight(line) for line in text.split("\n"))


def _straight(line: str) -> str:
    match = _WRAPPED.match(line)
    if not match or CURLY[match["open"]] != match["close"] and match["open"] != "„":
        return line
    inner = match["inner"]
    if match["open"] in inner or match["close"] in inner:
        return line  # “Yes” and “No”: quotes inside the value, not around it
    return f'{match["lead"]}{quoted(inner)}{match["tail"]}'


def explain(yaml_text: str, error_line: int, known_keys: Iterable[str]
            ) -> tuple[int, str] | None:
    """(0-based line, advice) for a YAML failure at `error_line`, when the cause is a
    mistake writers make; None when it is not one of them."""
    lines = yaml_text.split("\n")
    known = set(known_keys)
    for number, line in enumerate(lines[: error_line + 1]):
        indent = line[: len(line) - len(line.lstrip())]
        if "\t" in indent:
            return number, "this line is indented with a tab: indent with spaces, not tabs"
    # The failure shows on the line itself, or on the next key after it.
    for number in range(max(0, error_line - 1), min(error_line + 1, len(lines))):
        line = lines[number]
        keyed = _KEYED.match(line)
        if keyed and keyed["key"] in known and keyed["rest"][:1] not in ("", " ", "\t"):
            return number, (f"put a space after the colon: "
                            f"'{keyed['dash'] or ''}{keyed['key']}: {keyed['rest'].strip()}'")
    if error_line < len(lines):
        advice = _colon_in_value(lines, error_line, known)
        if advice:
            return error_line, advice
    return None


def _colon_in_value(lines: list[str], number: int, known: set[str]) -> str | None:
    """Advice for a value holding ': ' (which YAML reads as the start of another key)."""
    line = lines[number]
    keyed = _KEYED.match(line)
    if keyed and keyed["key"] in known and ": " in keyed["rest"].strip():
        value = keyed["rest"].strip()
        item = "" if not keyed["dash"] else "- "
        return (f"'{keyed['key']}' holds ': ' in its value, which YAML reads as another "
                f"key: put this value in quotes: {item}{keyed['key']}: {quoted(value)}")
    item = _ITEM.match(line)
    if item and ": " in item["rest"]:
        return (f"{_list_item(lines, number)} holds ': ', which YAML reads as a key: put "
                f"this value in quotes: - {quoted(item['rest'].strip())}")
    return None


def _list_item(lines: list[str], number: int) -> str:
    """'the 'sources' item 2' for the list entry on line `number`."""
    indent = len(lines[number]) - len(lines[number].lstrip())
    position = 1
    for above in range(number - 1, -1, -1):
        text = lines[above]
        depth = len(text) - len(text.lstrip())
        if not text.strip() or depth > indent:
            continue
        if depth == indent and _ITEM.match(text):
            position += 1
            continue
        keyed = _KEYED.match(text)
        if keyed and depth <= indent:
            return f"'{keyed['key']}' item {position}"
        break
    return "this list item"



