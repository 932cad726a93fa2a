"""Front matter: split it from the Markdown, parse it safely, validate it against SCHEMA.

Every problem is reported at once, each with the file and line it comes from (the
validator and the converters are `booklet.source.schema`'s, shared with booklet.toml).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import BookletError, Problem
from ..sandbox.limits import MAX_FRONT_MATTER_BYTES, MAX_FRONT_MATTER_DEPTH
from . import schema, yamlhints
from .model import Change, Meta, Practice, Source
from .schema import UNREADABLE, Field, KeyLines, validate

FENCE = "---"


def _source_text(value: Any) -> Source:
    return Source(schema.text(value))


#: Practice details: booklet.toml `[practice]` and front matter `practice:` share them.
PRACTICE: dict[str, Field] = {
    "name": Field(schema.text, "The practice's name, on the cover and back cover."),
    "address": Field(schema.text_list, "Postal address: text, or a list of lines."),
    "phone": Field(schema.text, "Phone number, as it should be printed."),
    "email": Field(schema.email, "Email address."),
    "website": Field(schema.url, "Web address, starting with https://."),
    "logo": Field(schema.logo, "SVG or PNG logo, relative to the file that names it."),
    "colour": Field(schema.colour, "Brand colour of the cover band and rules, written "
                                   "#RRGGBB; dark enough for white text on it."),
}

#: The keys of one `sources:` entry written as a mapping.
SOURCE: dict[str, Field] = {
    "title": Field(schema.text, "Title of the page, article or book.", required=True),
    "publisher": Field(schema.text, "Who published it, e.g. 'NHS' or 'NIMH'."),
    "year": Field(schema.label, "Year of publication or last update."),
    "url": Field(schema.url, "Web address."),
    "added": Field(schema.flag, "In a translation: true for a reference this edition adds "
                                "for its readers (not in the original)."),
}


def _change_text(value: Any) -> Change:
    raise ValueError(f"must be a mapping {{edition, date, change}}, not {schema.kind(value)}")


#: The keys of one `changes:` entry.
CHANGE: dict[str, Field] = {
    "edition": Field(schema.label, "The edition, e.g. 2.", required=True),
    "date": Field(schema.day, "When it was published, YYYY-MM-DD.", required=True),
    "change": Field(schema.text, "What changed, in one line.", required=True),
}

#: The one schema for front matter. Keys map to `Meta` fields of the same name.
SCHEMA: dict[str, Field] = {
    "title": Field(schema.text, "The booklet's title, on the cover and in metadata.",
                   required=True),
    "subtitle": Field(schema.text, "A line under the title on the cover."),
    "short_title": Field(schema.text, "Title for the running footer; default: the title."),
    "language": Field(schema.language, "Language of the text, with the country: en-GB, "
                      "en-US, en-IE, es-MX, es-ES ... It sets how dates are written; "
                      "default: en (American English)."),
    "authors": Field(schema.text_list, "Author names (text or a list)."),
    "date": Field(schema.day, "Publication date, YYYY-MM-DD."),
    "edition": Field(schema.label, "Edition label, e.g. 2 or 'Second edition'."),
    "summary": Field(schema.text, "One or two sentences: PDF subject, EPUB description."),
    "keywords": Field(schema.text_list, "Keywords for the PDF and EPUB metadata."),
    "audience": Field(schema.text, "Who the booklet is for, shown on the cover."),
    "translation_of": Field(schema.folder_name, "Folder name of the booklet this one "
                            "translates (a folder beside it), e.g. partner-pushing-away."),
    "sources": Field(_source_text, "References, listed at the back: one line of text "
                     "each, or a title with a publisher, year and url.",
                     items=SOURCE, build=Source, shape="a list of references"),
    "reviewed_by": Field(schema.text, "Who reviewed the content, e.g. 'Dr Ana Ruiz, "
                                      "psychologist'."),
    "reviewed": Field(schema.day, "When the content was last reviewed, YYYY-MM-DD."),
    "review_date": Field(schema.day, "The older name of 'reviewed' (give one of them)."),
    "review_every": Field(schema.period, "Time between reviews, e.g. 2y or 18m; default: "
                                         "booklet.toml's review_every, else 3y."),
    "review_due": Field(schema.day, "When the next review is due, instead of "
                                    "review_every, YYYY-MM-DD."),
    "changes": Field(_change_text, "Edition history: {edition, date, change} for each "
                                   "edition, one line each.",
                     items=CHANGE, build=Change, shape="a list of {edition, date, change}"),
    "help_region": Field(schema.text, "Region of the help contacts (US, UK, IE ...), "
                                      "overriding booklet.toml's help_region."),
    "source_digest": Field(schema.digest, "In a translation: the original's content digest "
                                          "it was checked against (`booklet translated`)."),
    "source_sections": Field(schema.text, "In a translation: the digest of each part of "
                                          "the original then (`booklet translated`)."),
    "online_url": Field(schema.url, "Web address of the latest version, printed as a QR "
                                    "code; default: from booklet.toml's base_url."),
    "practice": Field(None, "Practice details overriding booklet.toml's [practice].",
                      table=PRACTICE, build=Practice, shape="a mapping of practice details"),
    "paper": Field(schema.paper, "Paper size: a5, a4, letter or half-letter; default: the "
                   "project's (a5). `--paper` overrides it."),
    "allow_html": Field(schema.flag, "true lets HTML tags in the text through a safety "
                        "filter; default: false (tags are printed as they are typed)."),
    "reading_grade": Field(schema.grade, "How easy the text should be to read, as a "
                           "school grade `booklet check` measures; default: 8."),
}


#: Every key front matter knows, at any depth (to recognise them in broken YAML).
KNOWN_KEYS = frozenset((*SCHEMA, *PRACTICE, *SOURCE))


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
    return read(yaml_text, path, first_line)[0]


def read(yaml_text: str, path: Path, first_line: int = 2) -> tuple[Meta, KeyLines]:
    """Parse and validate front matter: the metadata, and the line of every key."""
    size = len(yaml_text.encode("utf-8"))
    if size > MAX_FRONT_MATTER_BYTES:
        raise BookletError.at(path, first_line - 1, f"front matter is {size // 1024} KB; "
                              f"the limit is {MAX_FRONT_MATTER_BYTES // 1024} KB")
    yaml_text = yamlhints.straighten_quotes(yaml_text)
    try:
        node = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        at = _error_line(error, yaml_text)
        if hint := yamlhints.explain(yaml_text, at, KNOWN_KEYS):
            raise BookletError.at(path, first_line + hint[0], hint[1]) from None
        raise BookletError.at(path, first_line + at, "front matter is not valid YAML: "
                              f"{error.problem}") from None
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
    data, lines, problems = _values(node, path, first_line)
    values, found = validate(data, SCHEMA, lines, path)
    problems += found
    if problems:
        raise BookletError(*sorted(problems, key=lambda p: p.line or 0))
    return Meta(**values), lines


def _values(node: yaml.MappingNode, path: Path, first_line: int
            ) -> tuple[dict[str, Any], KeyLines, list[Problem]]:
    """The top-level keys' values, every key's line, and the problems YAML itself has:
    keys that are not text or are given twice, values that do not construct."""
    found: dict[tuple, int] = {}
    _record_lines(node, (), first_line, found)
    data: dict[str, Any] = {}
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    constructor = _Loader("")
    for key_node, value_node in node.value:
        line = first_line + key_node.start_mark.line
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str):
            problems.append(Problem(path, line, f"front matter keys must be text, not {key!r}"))
        elif key in seen:
            problems.append(Problem(path, line, f"'{key}' is given twice (first on line "
                                                f"{seen[key]})"))
        else:
            seen[key] = line
            try:
                data[key] = constructor.construct_object(value_node, deep=True)
            except yaml.YAMLError as error:
                reason = getattr(error, "problem", None) or error
                problems.append(Problem(path, line, f"'{key}' is not valid YAML: {reason}"))
                data[key] = UNREADABLE
    return data, KeyLines(found, start=first_line - 1), problems


def _record_lines(node: yaml.Node, at: tuple, first_line: int, found: dict[tuple, int]) -> None:
    """The file line of every key and list entry under `node`, by key path."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                path = (*at, key_node.value)
                found.setdefault(path, first_line + key_node.start_mark.line)
                _record_lines(value_node, path, first_line, found)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found.setdefault((*at, index), first_line + item.start_mark.line)
            _record_lines(item, (*at, index), first_line, found)


def _error_line(error: yaml.MarkedYAMLError, yaml_text: str) -> int:
    """0-based line of a YAML error: where the broken construct starts when the
    parser only noticed at the end of the text."""
    problem, context = error.problem_mark, error.context_mark
    if problem is None:
        return context.line if context else 0
    at_end = problem.index >= len(yaml_text.rstrip())
    return context.line if at_end and context else problem.line
