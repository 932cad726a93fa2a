"""The one validator for front matter and booklet.toml: typed fields, every problem at once.

A schema maps each key to a `Field`: a converter from the raw value (the table of
converters below, like Pelican's METADATA_PROCESSORS), a sentence of documentation
(`booklet new` writes it into the scaffold), whether the key is required, and for a
nested table (`practice`) the schema of its keys. `validate` converts a parsed mapping
(from YAML or TOML) against a schema and reports unknown keys (with the closest known
key), bad values and missing keys, each at the line of its own key (`KeyLines`).
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import Problem
from ..sandbox.limits import CONTROL_CHARACTERS
from .paper import check_paper

KeyPath = tuple[str | int, ...]

LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LOGO_TYPES = (".svg", ".png")
#: A value its parser could not read: its problem is already reported, so the
#: validator passes over it (and does not call its key missing).
UNREADABLE = object()


@dataclass(frozen=True)
class KeyLines:
    """The 1-based file line of each key path, e.g. ('practice', 'name') or
    ('sources', 0): the one place that knows where a key was written."""

    lines: Mapping[KeyPath, int]
    #: The line reported for a path with no line of its own (the start of the text).
    start: int | None = None

    def of(self, *path: str | int) -> int | None:
        """The line of `path`, else of its nearest enclosing key, else `start`."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return self.start


@dataclass(frozen=True)
class Field:
    """One key: how its value is converted, what it means, whether it is required.

    A nested table (`table`: its schema) is validated key by key and built into a
    record with `build`; a list (`items`: the schema of its table entries) takes text
    entries through `convert` and table entries through `items` and `build`. `shape`
    says what such a value must be ("a mapping of practice details")."""

    convert: Callable[[Any], Any] | None
    doc: str
    required: bool = False
    table: Mapping[str, Field] | None = None
    items: Mapping[str, Field] | None = None
    build: Callable[..., Any] | None = None
    shape: str = ""


def validate(data: Mapping[str, Any], schema: Mapping[str, Field], lines: KeyLines,
             path: Path | None, prefix: KeyPath = (), label: str = ""
             ) -> tuple[dict[str, Any], list[Problem]]:
    """`data` converted with `schema`: (values by key, every problem found)."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, raw in data.items():
        where = lines.of(*prefix, key)
        if raw is UNREADABLE:
            continue
        if not isinstance(key, str) or key not in schema:
            problems.append(Problem(path, where, label + unknown_key(key, schema)))
            continue
        spec = schema[key]
        if mistakes := _colon_mistakes(raw, key, spec, lines, path, (*prefix, key), label):
            problems.extend(mistakes)
            continue
        try:
            if spec.table is not None:
                values[key] = _table(raw, spec, lines, path, (*prefix, key), problems)
            elif spec.items is not None:
                values[key] = _items(raw, key, spec, lines, path, (*prefix, key), problems)
            else:
                assert spec.convert is not None
                values[key] = spec.convert(raw)
        except ValueError as error:
            problems.append(Problem(path, where, f"{label}'{key}' {error}"))
    for key, spec in schema.items():
        if spec.required and key not in data:
            problems.append(Problem(path, lines.of(*prefix), f"{label}'{key}' is required"))
    return values, problems


def _colon_mistakes(raw: Any, key: str, spec: Field, lines: KeyLines, path: Path | None,
                    at: KeyPath, label: str) -> list[Problem]:
    """List entries YAML read as a key and a value because they hold ': ' (`- NHS:
    Depression` in a list of text or references), each at its own line, with the fix."""
    if not isinstance(raw, list):
        return []
    found = []
    for index, item in enumerate(raw):
        meant = colon_mistake(item)
        if meant is None or spec.items is not None and (
                next(iter(item)) in spec.items
                or difflib.get_close_matches(next(iter(item)), list(spec.items), n=1)):
            continue
        found.append(Problem(path, lines.of(*at, index), f"{label}'{key}' item {index + 1} "
                             "holds ': ', which YAML reads as a key: put this value in "
                             f"quotes: - {quoted(meant)}"))
    return found


def colon_mistake(value: object) -> str | None:
    """The text a writer meant, when YAML read a value holding ': ' as a one-entry
    mapping (`- NHS: Depression in adults`); else None."""
    if not isinstance(value, dict) or len(value) != 1:
        return None
    [(key, inner)] = value.items()
    if not isinstance(key, str) or isinstance(inner, (dict, list)):
        return None
    return key if inner is None else f"{key}: {inner}"


def quoted(value: str) -> str:
    """`value` as a double-quoted string (YAML's and TOML's)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _table(raw: Any, spec: Field, lines: KeyLines, path: Path | None, at: KeyPath,
           problems: list[Problem]) -> Any:
    """A nested table: its own keys validated at their own lines, then built."""
    if not isinstance(raw, Mapping):
        raise ValueError(f"must be {spec.shape}, not {kind(raw)}")
    assert spec.table is not None and spec.build is not None
    values, found = validate(raw, spec.table, lines, path, at)
    problems.extend(found)
    return spec.build(**values)


def _items(raw: Any, key: str, spec: Field, lines: KeyLines, path: Path | None,
           at: KeyPath, problems: list[Problem]) -> tuple[Any, ...]:
    """A list of text or tables, each entry reported as `'key' item N: ...` at its line."""
    if not isinstance(raw, list):
        raise ValueError(f"must be {spec.shape}, not {kind(raw)}")
    assert spec.items is not None and spec.build is not None and spec.convert is not None
    entries = []
    for index, item in enumerate(raw):
        label = f"'{key}' item {index + 1}: "
        if isinstance(item, Mapping):
            values, found = validate(item, spec.items, lines, path, (*at, index), label)
            problems.extend(found)
            if not found:
                entries.append(spec.build(**values))
            continue
        try:
            entries.append(spec.convert(item))
        except ValueError as error:
            problems.append(Problem(path, lines.of(*at, index), f"{label}{error}"))
    return tuple(entries)


def unknown_key(key: object, known: Iterable[str]) -> str:
    """'unknown key ...', suggesting the closest of the `known` keys."""
    if not isinstance(key, str):
        return f"keys must be text, not {key!r}"
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown key '{key}'{hint}"


# Converters: raw value -> typed value, or ValueError saying what the value must be.

def text(value: Any) -> str:
    """Non-empty text without control characters, stripped."""
    if not isinstance(value, str):
        raise ValueError(f"must be text, not {kind(value)}")
    if not value.strip():
        raise ValueError("must not be empty")
    if match := CONTROL_CHARACTERS.search(value):
        raise ValueError(f"holds a control character (U+{ord(match.group()):04X}) that "
                         "readers cannot show")
    return value.strip()


def label(value: Any) -> str:
    """Text, also accepting a bare number (`edition: 2`)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return text(value)


def text_list(value: Any) -> tuple[str, ...]:
    """A list of text; a single text value counts as a list of one."""
    if isinstance(value, str):
        return (text(value),)
    if not isinstance(value, list):
        raise ValueError(f"must be a list of text, not {kind(value)}")
    items = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise ValueError(f"must be a list of text, but holds {kind(item)}")
        items.append(text(item))
    return tuple(items)


def language(value: Any) -> str:
    """A BCP 47 language tag such as `en` or `es-MX`."""
    tag = text(value)
    if not LANGUAGE_TAG.match(tag):
        raise ValueError(f"must be a BCP 47 language tag such as 'en' or 'es-MX', not {tag!r}")
    return tag


def folder_name(value: Any) -> str:
    """The name of a booklet folder beside this one."""
    name = text(value)
    if "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"must be the name of a booklet folder beside this one, not {name!r}")
    return name


def day(value: Any) -> date:
    """A date written YYYY-MM-DD (YAML may have parsed it already)."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    meant = _other_date_forms(str(value))
    hint = f": write {' or '.join(d.isoformat() for d in meant)}" if meant else ""
    raise ValueError(f"must be a date written YYYY-MM-DD, not {value!r}{hint}")


#: Ways of writing a date that people use, read to suggest the YYYY-MM-DD form.
DATE_FORMS = ("%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%Y", "%m-%d-%Y", "%d %B %Y",
              "%B %d, %Y", "%B %d %Y", "%d %b %Y", "%b %d, %Y", "%Y/%m/%d")


def _other_date_forms(text: str) -> list[date]:
    """The dates `text` can mean in a common form other than YYYY-MM-DD (two when the
    day and month could be either way round)."""
    from datetime import datetime

    found: list[date] = []
    for form in DATE_FORMS:
        try:
            meant = datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
        if meant not in found:
            found.append(meant)
    return found


PERIOD = re.compile(r"^(?:(\d+)y)?(?:(\d+)m)?$")
DIGEST = re.compile(r"^[0-9a-f]{16}$")


def period(value: Any) -> int:
    """A review period such as `3y`, `18m` or `1y6m`, in months."""
    found = PERIOD.match(value.strip().lower()) if isinstance(value, str) else None
    months = int(found[1] or 0) * 12 + int(found[2] or 0) if found else 0
    if not months:
        raise ValueError(f"must be a period such as '3y' or '18m', not {value!r}")
    return months


def digest(value: Any) -> str:
    """A content digest as `booklet translated` writes it: 16 hexadecimal digits."""
    if not isinstance(value, str) or not DIGEST.match(value.strip()):
        raise ValueError(f"must be the 16-digit digest `booklet translated` writes, not "
                         f"{value!r}")
    return value.strip()


def url(value: Any) -> str:
    """A web address: http(s), with a host."""
    address = text(value)
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in address:
        raise ValueError(f"must be a web address starting with https://, not {address!r}")
    return address


def email(value: Any) -> str:
    """An email address."""
    address = text(value)
    if not EMAIL.match(address):
        raise ValueError(f"must be an email address such as 'name@example.org', not {address!r}")
    return address


def logo(value: Any) -> Path:
    """An SVG or PNG file name; the caller resolves and checks the file."""
    name = text(value)
    if Path(name).suffix.lower() not in LOGO_TYPES:
        raise ValueError(f"must be an SVG or PNG file, not {name!r}")
    return Path(name)


#: A colour as `#RRGGBB` (or the short `#RGB`).
HEX_COLOUR = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
#: The least contrast white text needs on a brand colour (WCAG 2 AA, normal text).
MIN_CONTRAST = 4.5


def colour(value: Any) -> str:
    """A brand colour `#RRGGBB` dark enough for white text on it (contrast 4.5:1)."""
    written = text(value)
    if not HEX_COLOUR.match(written):
        raise ValueError(f"must be a colour written #RRGGBB, such as '#1d3a4f', not "
                         f"{written!r}")
    digits = written[1:]
    if len(digits) == 3:
        digits = "".join(2 * d for d in digits)
    rgb = tuple(int(digits[i:i + 2], 16) for i in (0, 2, 4))
    contrast = contrast_with_white(rgb)
    if contrast < MIN_CONTRAST:
        shown = math.floor(contrast * 10) / 10
        raise ValueError(f"{written} is too light for white text on it: their contrast is "
                         f"{shown}:1, and at least {MIN_CONTRAST}:1 is needed; try a darker "
                         f"shade, such as {_darker(rgb)}")
    return "#" + digits.lower()


def contrast_with_white(rgb: tuple[int, ...]) -> float:
    """The WCAG 2 contrast ratio of white against an sRGB colour."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2])
    return 1.05 / (luminance + 0.05)


def _darker(rgb: tuple[int, ...]) -> str:
    """The same hue darkened until white text on it has enough contrast."""
    for step in range(100, -1, -1):
        shade = tuple(round(c * step / 100) for c in rgb)
        if contrast_with_white(shade) >= MIN_CONTRAST:
            return "#" + "".join(f"{c:02x}" for c in shade)
    return "#000000"


def paper(value: Any) -> str:
    """A paper size name (a5, a4, letter, half-letter)."""
    return check_paper(text(value))


def flag(value: Any) -> bool:
    """true or false."""
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {kind(value)}")
    return value


def grade(value: Any) -> float:
    """A reading grade: a number from 1 to 18 (US school grades; 13+ is college)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"must be a number such as 8, not {kind(value)}")
    if not 1 <= value <= 18:
        raise ValueError(f"must be a school grade from 1 to 18, not {value}")
    return float(value)


def kind(value: Any) -> str:
    """What a raw value is, in words: text, a number, a list ..."""
    names = {bool: "true/false", int: "a number", float: "a number", str: "text",
             list: "a list", dict: "a mapping", type(None): "nothing"}
    return names.get(type(value), type(value).__name__)
