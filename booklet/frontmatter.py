"""Front matter: split it from the Markdown, parse it safely, validate it against SCHEMA.

Every problem is reported at once, each with the file and line it comes from.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .errors import BookletError, Problem
from .model import Meta

FENCE = "---"
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be text, not {_kind(value)}")
    if not value.strip():
        raise ValueError("must not be empty")
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
        items.append(item.strip())
    return tuple(items)


def _language(value: Any) -> str:
    tag = _text(value)
    if not LANGUAGE_TAG.match(tag):
        raise ValueError(f"must be a BCP 47 language tag such as 'en' or 'es-MX', not {tag!r}")
    return tag


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"must be a date written YYYY-MM-DD, not {value!r}")


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
    "reading_grade": Field(_grade, "Target reading grade for `booklet check`; default: 8."),
}


class _Loader(yaml.SafeLoader):
    """Safe loader that refuses aliases (they could expand without bound)."""

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None, None, "YAML aliases (*name) are not allowed in front matter",
                event.start_mark)
        return super().compose_node(parent, index)


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
    try:
        node = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        line = first_line + _error_line(error, yaml_text)
        raise BookletError.at(path, line, f"front matter is not valid YAML: {error.problem}")\
            from None
    except yaml.YAMLError as error:
        raise BookletError.at(path, first_line, f"front matter is not valid YAML: {error}")\
            from None
    if node is None:
        raise BookletError.at(path, first_line - 1, "'title' is required")
    if not isinstance(node, yaml.MappingNode):
        raise BookletError.at(path, first_line + node.start_mark.line,
                              "front matter must be 'key: value' lines")
    return _validate(node, path, first_line)


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
            problems.append(Problem(path, line, f"'{key}' is not valid YAML: {error}"))
    for key, spec in SCHEMA.items():
        if spec.required and key not in seen:
            problems.append(Problem(path, first_line - 1, f"'{key}' is required"))
    if problems:
        raise BookletError(*sorted(problems, key=lambda p: p.line or 0))
    return Meta(**values)


def _unknown_key_message(key: object) -> str:
    if not isinstance(key, str):
        return f"front matter keys must be text, not {key!r}"
    close = difflib.get_close_matches(key, SCHEMA, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown key '{key}'{hint}"
