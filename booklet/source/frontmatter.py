"""Front matter: split it from the Markdown, parse it safely, validate it against SCHEMA.

Every problem is reported at once, each with the file and line it comes from.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..errors import BookletError, Problem
from ..sandbox.limits import MAX_FRONT_MATTER_BYTES, MAX_FRONT_MATTER_DEPTH, forbidden_character
from .model import Meta, Practice, Source
from .paper import check_paper

FENCE = "---"
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LOGO_TYPES = (".svg", ".png")


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be text, not {_kind(value)}")
    if not value.strip():
        raise ValueError("must not be empty")
    if found := forbidden_character(value):
        raise ValueError(f"holds {found[1]} that readers cannot show")
    return value.strip()


def _label(value: Any) -> str:
    """Text, also accepting a bare number (`edition: 2`)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return _text(value)


def _text_list(value: Any) -> tuple[str, ...]:
    """A list of text; a single text value counts as a list of one."""
    if isinstance(value, str):
        return (_text(value),)
    if not isinstance(value, list):
        raise ValueError(f"must be a list of text, not {_kind(value)}")
    items = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise ValueError(f"must be a list of text, but holds {_kind(item)}")
        items.append(_text(item))
    return tuple(items)


def _language(value: Any) -> str:
    tag = _text(value)
    if not LANGUAGE_TAG.match(tag):
        raise ValueError(f"must be a BCP 47 language tag such as 'en' or 'es-MX', not {tag!r}")
    return tag


def _folder_name(value: Any) -> str:
    name = _text(value)
    if "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"must be the name of a booklet folder beside this one, not {name!r}")
    return name


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"must be a date written YYYY-MM-DD, not {value!r}")


def _url(value: Any) -> str:
    """A web address: http(s), with a host."""
    url = _text(value)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in url:
        raise ValueError(f"must be a web address starting with https://, not {url!r}")
    return url


def _email(value: Any) -> str:
    address = _text(value)
    if not EMAIL.match(address):
        raise ValueError(f"must be an email address such as 'name@example.org', not {address!r}")
    return address


def _logo(value: Any) -> Path:
    """An SVG or PNG file name; the caller resolves and checks it."""
    name = _text(value)
    if Path(name).suffix.lower() not in LOGO_TYPES:
        raise ValueError(f"must be an SVG or PNG file, not {name!r}")
    return Path(name)


def _table(value: Any, table: dict[str, Field], what: str) -> dict[str, Any]:
    """Convert a mapping with a Field table; one ValueError names every problem."""
    if not isinstance(value, dict):
        raise ValueError(f"must be {what}, not {_kind(value)}")
    values, problems = {}, []
    for key, item in value.items():
        if key not in table:
            problems.append(unknown_key(key, table))
            continue
        try:
            values[key] = table[key].convert(item)
        except ValueError as error:
            problems.append(f"a bad '{key}': {error}")
    problems += [f"no '{k}'" for k, f in table.items() if f.required and k not in value]
    if problems:
        raise ValueError("has " + "; ".join(problems))
    return values


def _practice(value: Any) -> Practice:
    return Practice(**_table(value, PRACTICE, "a mapping of practice details"))


def _sources(value: Any) -> tuple[Source, ...]:
    """A list of references, each plain text or a mapping with at least a title."""
    if not isinstance(value, list):
        raise ValueError(f"must be a list of references, not {_kind(value)}")
    sources = []
    for number, item in enumerate(value, start=1):
        try:
            if isinstance(item, str):
                sources.append(Source(_text(item)))
            else:
                sources.append(Source(**_table(item, SOURCE, "text or a mapping with a title")))
        except ValueError as error:
            raise ValueError(f"item {number} {error}") from None
    return tuple(sources)


def _paper(value: Any) -> str:
    return check_paper(_text(value))


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {_kind(value)}")
    return value


def _grade(value: Any) -> float:
    """A reading grade: a number from 1 to 18 (US school grades; 13+ is college)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"must be a number such as 8, not {_kind(value)}")
    if not 1 <= value <= 18:
        raise ValueError(f"must be a school grade from 1 to 18, not {value}")
    return float(value)


def _kind(value: Any) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "text",
             list: "a list", dict: "a mapping", type(None): "nothing"}
    return names.get(type(value), type(value).__name__)


@dataclass(frozen=True)
class Field:
    """One front-matter key: how its value is converted and whether it is required."""

    convert: Callable[[Any], Any]
    doc: str
    required: bool = False


#: The one schema for front matter. Keys map to `Meta` fields of the same name.
SCHEMA: dict[str, Field] = {
    "title": Field(_text, "The booklet's title, on the cover and in metadata.", required=True),
    "subtitle": Field(_text, "A line under the title on the cover."),
    "short_title": Field(_text, "Title for the running footer; default: the title."),
    "language": Field(_language, "BCP 47 tag of the text's language; default: en."),
    "authors": Field(_text_list, "Author names (text or a list)."),
    "date": Field(_date, "Publication date, YYYY-MM-DD."),
    "edition": Field(_label, "Edition label, e.g. 2 or 'Second edition'."),
    "summary": Field(_text, "One or two sentences: PDF subject, EPUB description."),
    "keywords": Field(_text_list, "Keywords for the PDF and EPUB metadata."),
    "audience": Field(_text, "Who the booklet is for, shown on the cover."),
    "translation_of": Field(_folder_name, "Folder name of the booklet this one translates "
                                          "(a folder beside it), e.g. partner-pushing-away."),
    "sources": Field(_sources, "References: text, or {title, publisher, year, url}."),
    "reviewed_by": Field(_text, "Who reviewed the content, e.g. 'Dr Ana Ruiz, psychologist'."),
    "review_date": Field(_date, "When the content was last reviewed, YYYY-MM-DD."),
    "online_url": Field(_url, "Web address of the latest version (printed as a QR code)."),
    "practice": Field(_practice, "Practice details overriding booklet.toml's [practice]."),
    "paper": Field(_paper, "Paper size: a5, a4, letter or half-letter; default: the "
                   "project's (a5). `--paper` overrides it."),
    "allow_html": Field(_flag, "Let raw HTML in the text through the allow-list sanitiser "
                               "(booklet/sandbox/sanitize.py); default: false, shown as text."),
    "reading_grade": Field(_grade, "Target reading grade for `booklet check`; default: 8."),
}

#: Practice details: booklet.toml `[practice]` and front matter `practice:` share them.
PRACTICE: dict[str, Field] = {
    "name": Field(_text, "The practice's name, on the cover and back cover."),
    "address": Field(_text_list, "Postal address: text, or a list of lines."),
    "phone": Field(_text, "Phone number, as it should be printed."),
    "email": Field(_email, "Email address."),
    "website": Field(_url, "Web address, starting with https://."),
    "logo": Field(_logo, "SVG or PNG logo, relative to the file that names it."),
}

#: The keys of one `sources:` entry written as a mapping.
SOURCE: dict[str, Field] = {
    "title": Field(_text, "Title of the page, article or book.", required=True),
    "publisher": Field(_text, "Who published it, e.g. 'NHS' or 'NIMH'."),
    "year": Field(_label, "Year of publication or last update."),
    "url": Field(_url, "Web address."),
}


class _Loader(yaml.SafeLoader):
    """Safe loader that refuses aliases (they could expand without bound) and nesting
    deeper than `MAX_FRONT_MATTER_DEPTH`."""

    depth = 0

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None, None, "YAML aliases (*name) are not allowed in front matter",
                event.start_mark)
        if self.depth >= MAX_FRONT_MATTER_DEPTH:
            raise yaml.MarkedYAMLError(
                None, None, f"front matter nests deeper than {MAX_FRONT_MATTER_DEPTH} levels",
                self.peek_event().start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def split(text: str, path: Path) -> tuple[str, str, int]:
    """Split a booklet.md into (yaml text, markdown body, first body line, 1-based)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        raise BookletError.at(path, 1, "front matter missing: the file must start with a "
                              "'---' line, then at least 'title: ...', then '---'")
    for index in range(1, len(lines)):
        if lines[index].strip() in (FENCE, "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1:]), index + 2
    raise BookletError.at(path, 1, "front matter is not closed: add a '---' line after it")


def parse(yaml_text: str, path: Path, first_line: int = 2) -> Meta:
    """Parse and validate front matter; `first_line` is the file line of its first line."""
    size = len(yaml_text.encode("utf-8"))
    if size > MAX_FRONT_MATTER_BYTES:
        raise BookletError.at(path, first_line - 1, f"front matter is {size // 1024} KB; "
                              f"the limit is {MAX_FRONT_MATTER_BYTES // 1024} KB")
    try:
        node = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        line = first_line + _error_line(error, yaml_text)
        raise BookletError.at(path, line, f"front matter is not valid YAML: {error.problem}")\
            from None
    except yaml.reader.ReaderError as error:
        line = first_line + yaml_text.count("\n", 0, error.position)
        raise BookletError.at(path, line, "front matter holds a character YAML does not "
                              f"allow (U+{error.character:04X})") from None
    except yaml.YAMLError as error:
        reason = str(error).splitlines()[0]
        raise BookletError.at(path, first_line, f"front matter is not valid YAML: {reason}")\
            from None
    if node is None:
        raise BookletError.at(path, first_line - 1, "'title' is required")
    if not isinstance(node, yaml.MappingNode):
        raise BookletError.at(path, first_line + node.start_mark.line,
                              "front matter must be 'key: value' lines")
    return _validate(node, path, first_line)


def key_line(yaml_text: str, key: str, first_line: int = 2) -> int | None:
    """The file line of a top-level key in front matter that has parsed cleanly."""
    node = yaml.compose(yaml_text, Loader=_Loader)
    for key_node, _ in node.value if isinstance(node, yaml.MappingNode) else ():
        if key_node.value == key:
            return first_line + key_node.start_mark.line
    return None


def _error_line(error: yaml.MarkedYAMLError, yaml_text: str) -> int:
    """0-based line of a YAML error: where the broken construct starts when the
    parser only noticed at the end of the text."""
    problem, context = error.problem_mark, error.context_mark
    if problem is None:
        return context.line if context else 0
    at_end = problem.index >= len(yaml_text.rstrip())
    return context.line if at_end and context else problem.line


def _validate(node: yaml.MappingNode, path: Path, first_line: int) -> Meta:
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    seen: dict[str, int] = {}
    constructor = _Loader("")
    for key_node, value_node in node.value:
        line = first_line + key_node.start_mark.line
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str) or key not in SCHEMA:
            problems.append(Problem(path, line, _unknown_key_message(key)))
            continue
        if key in seen:
            problems.append(Problem(path, line, f"'{key}' is given twice (first on line "
                                                f"{seen[key]})"))
            continue
        seen[key] = line
        try:
            raw = constructor.construct_object(value_node, deep=True)
            values[key] = SCHEMA[key].convert(raw)
        except ValueError as error:
            problems.append(Problem(path, line, f"'{key}' {error}"))
        except yaml.YAMLError as error:
            reason = getattr(error, "problem", None) or error
            problems.append(Problem(path, line, f"'{key}' is not valid YAML: {reason}"))
    for key, spec in SCHEMA.items():
        if spec.required and key not in seen:
            problems.append(Problem(path, first_line - 1, f"'{key}' is required"))
    if problems:
        raise BookletError(*sorted(problems, key=lambda p: p.line or 0))
    return Meta(**values)


def _unknown_key_message(key: object) -> str:
    if not isinstance(key, str):
        return f"front matter keys must be text, not {key!r}"
    return unknown_key(key, SCHEMA)


def unknown_key(key: object, known: Iterable[str]) -> str:
    """'unknown key ...', suggesting the closest of the `known` keys."""
    close = difflib.get_close_matches(str(key), list(known), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown key '{key}'{hint}"
