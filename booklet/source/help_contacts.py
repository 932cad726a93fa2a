"""Who to contact for help now, by region: the data behind "When to get help now".

The contacts are data in one file, `booklet/data/help-contacts.toml` (a clinic may
name its own file in booklet.toml); templates only lay them out. The file is
validated like front matter: unknown keys and missing fields are errors with lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import BookletError, Problem
from .filecache import while_unchanged
from .model import Contact, Region
from .schema import KeyLines, unknown_key
from .tomlfile import load

BUILTIN = Path(__file__).resolve().parent.parent / "data" / "help-contacts.toml"
DEFAULT_REGION = "default"
REGION_KEYS = ("name", "aliases", "contacts")
CONTACT_KEYS = ("number", "name", "text")
#: The smallest [default] region, shown when a contacts file lacks one.
DEFAULT_EXAMPLE = (
    f"[{DEFAULT_REGION}]",
    'name = "Anywhere"',
    'contacts = [{ name = "Emergency services", text = "Call your local emergency number '
    'if someone\'s life is in danger." }]',
)


def regions(path: Path = BUILTIN) -> dict[str, Region]:
    """Every region of a contacts file by code and alias (upper case), validated; kept
    while the file is unchanged."""
    return _regions(path)


@while_unchanged
def _regions(path: Path) -> dict[str, Region]:
    data, lines = load(path)
    problems: list[Problem] = []
    found: dict[str, Region] = {}
    for code, table in data.items():
        region = _region(code, table, lines, path, problems)
        if region is not None:
            for key in (code, *table.get("aliases", ())):
                found[str(key).upper()] = region
    if DEFAULT_REGION.upper() not in found and not problems:
        problems.append(Problem(path, None, (
            f"a help-contacts file needs a [{DEFAULT_REGION}] region, the contacts printed "
            "when booklet.toml sets no help_region; add one, for example:"),
            example=DEFAULT_EXAMPLE))
    if problems:
        raise BookletError(*problems)
    return found


def region(code: str | None, path: Path = BUILTIN) -> Region:
    """The region for a code such as 'US' or 'uk'; the default region for None."""
    return regions(path)[(code or DEFAULT_REGION).upper()]


def _region(code: str, table: Any, lines: KeyLines, path: Path,
            problems: list[Problem]) -> Region | None:
    before = len(problems)
    if not isinstance(table, dict):
        problems.append(Problem(path, lines.of(code), f"'{code}' must be a [table]"))
        return None
    _check_keys(table, REGION_KEYS, (code,), lines, path, problems)
    name = table.get("name")
    if not isinstance(name, str):
        problems.append(Problem(path, lines.of(code), f"region '{code}' needs a name"))
    aliases = table.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        problems.append(Problem(path, lines.of(code, "aliases"), "'aliases' must be a list "
                                "of text"))
    contacts = []
    for index, item in enumerate(table.get("contacts", [])):
        where = (code, "contacts", index)
        if not isinstance(item, dict):
            problems.append(Problem(path, lines.of(*where), "each contact must be a table"))
            continue
        _check_keys(item, CONTACT_KEYS, where, lines, path, problems)
        for key in CONTACT_KEYS:
            value = item.get(key)
            if value is None and key != "number":
                problems.append(Problem(path, lines.of(*where), f"a contact needs a '{key}'"))
            elif value is not None and (not isinstance(value, str) or not value.strip()):
                problems.append(Problem(path, lines.of(*where, key),
                                        f"contact '{key}' must be text"))
        contacts.append(Contact(item.get("name", ""), item.get("text", ""), item.get("number")))
    if len(problems) > before:
        return None
    return Region(code, name, tuple(contacts))


def _check_keys(table: dict, allowed: tuple[str, ...], where: tuple, lines: KeyLines,
                path: Path, problems: list[Problem]) -> None:
    for key in table:
        if key not in allowed:
            problems.append(Problem(path, lines.of(*where, key),
                                    unknown_key(key, allowed)))
