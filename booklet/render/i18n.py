"""Words the templates add ("Contents", "Key points" ...) and locale formats, by language.

Templates write English through `_('Key points')` (`_n('{n} page', '{n} pages', n)` for
counts). Each language has one data file, `booklet/locales/<tag>.yaml`, mapping that
English text to its own; `en.yaml` is the master list every other file follows. A
theme's `locales/` folder may override single entries. A string a language lacks falls
back to English with a warning on the "booklet" logger (the build collects it and
`--strict` fails on it). Dates, numbers and language names come from Babel's CLDR data.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

from ..errors import BookletError, Problem, display_path
from ..source.filecache import stamp, while_unchanged

LOCALES = Path(__file__).resolve().parent.parent / "locales"
SOURCE_LANGUAGE = "en"
LOG = logging.getLogger("booklet")
#: CLDR plural categories a counted entry may give (`one`, `other` ...).
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")

Message = str | Mapping[str, str]


def primary(language: str) -> str:
    """The primary subtag of a BCP 47 tag: `es` for `es-MX`."""
    return language.split("-")[0].lower()


@cache
def babel_locale(language: str) -> Locale:
    """The CLDR locale for a BCP 47 tag; English formats for a tag CLDR does not know."""
    for tag in (language, primary(language)):
        try:
            return Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse(SOURCE_LANGUAGE)


def text_direction(language: str) -> str:
    """`rtl` for languages written right to left (ar, he, fa, ur ...), else `ltr`."""
    return "rtl" if babel_locale(language).character_order == "right-to-left" else "ltr"


def language_name(language: str) -> str:
    """The language's own name for itself: `español`, `English`, `العربية`."""
    locale = babel_locale(language)
    return locale.get_language_name(locale) or language


def catalogue_paths(language: str, dirs: tuple[Path, ...] = (LOCALES,)) -> list[Path]:
    """Catalogue files for a tag, most specific last: `es.yaml`, then `es-mx.yaml`."""
    tags = dict.fromkeys((primary(language), language.lower()))
    return [d / f"{tag}.yaml" for d in dirs for tag in tags if (d / f"{tag}.yaml").is_file()]


@while_unchanged
def load_catalogue(path: Path) -> dict[str, Message]:
    """Read and check one catalogue file: English text -> translation (or plural forms)."""
    text = path.read_text(encoding="utf-8")
    try:
        node = _compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise BookletError.at(path, mark.line + 1 if mark else None,
                              f"message catalogue is not valid YAML: {error}") from None
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise BookletError.at(path, node.start_mark.line + 1,
                              "a message catalogue holds 'English text: translation' lines")
    messages: dict[str, Message] = {}
    problems = []
    constructor = yaml.SafeLoader("")
    for key, value in node.value:
        line = key.start_mark.line + 1
        data = constructor.construct_object(value, deep=True)
        if problem := _entry_problem(key.value, data):
            problems.append(Problem(path, line, problem))
        else:
            messages[str(key.value)] = data
    if problems:
        raise BookletError(*problems)
    return messages


def _compose(text: str) -> yaml.Node | None:
    """The YAML node tree, parsed by libyaml when PyYAML has it (ten times faster);
    a document libyaml rejects is parsed again in Python, for PyYAML's own message."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _entry_problem(key: str, value: Any) -> str | None:
    texts = [key, *(value.values() if isinstance(value, dict) else [value])]
    if any(isinstance(t, str) and not _well_formed(t) for t in texts):
        return f"'{key}': a brace must belong to a {{placeholder}} (write {{{{ for a brace)"
    if isinstance(value, str) and value.strip():
        wanted = placeholders(key)
    elif isinstance(value, dict) and value and set(value) <= set(PLURAL_CATEGORIES) \
            and "other" in value and all(isinstance(v, str) for v in value.values()):
        wanted = placeholders(key) | {"n"}
        if placeholders(value["other"]) != wanted or any(
                not placeholders(v) <= wanted for v in value.values()):
            return (f"'{key}': plural forms may use only the placeholders {sorted(wanted)}, "
                    "and 'other' all of them")
        return None
    else:
        return (f"'{key}' needs its translation as text, or plural forms "
                f"({', '.join(PLURAL_CATEGORIES)}) with at least 'other'")
    if placeholders(value) != wanted:
        return f"'{key}': the translation must use the placeholders {sorted(wanted)}"
    return None


def _well_formed(text: str) -> bool:
    try:
        placeholders(text)
    except ValueError:
        return False
    return True


def placeholders(text: str) -> set[str]:
    """The `{name}` placeholders in a message."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Translator:
    """`_()` for templates: template words in one language, English where it lacks them."""

    def __init__(self, language: str, dirs: tuple[Path, ...] = (LOCALES,)) -> None:
        self.language = language
        self.locale = babel_locale(language)
        self.english = _merged(catalogue_paths(SOURCE_LANGUAGE, dirs))
        self.paths = catalogue_paths(language, dirs)
        self.messages = _merged(self.paths) if primary(language) != SOURCE_LANGUAGE \
            else self.english
        self._dirs = dirs

    def __call__(self, text: str, in_language: str | None = None, **values: Any) -> str:
        """`text` translated, its `{placeholders}` filled; `in_language` picks another."""
        if in_language and primary(in_language) != primary(self.language):
            return translator(in_language, self._dirs)(text, **values)
        message = self._lookup(text)
        if not isinstance(message, str):
            message = message["other"]
        return self._fill(message, values)

    def plural(self, singular: str, plural: str, n: int, **values: Any) -> str:
        """The form of a counted message for `n` (`{n}` is formatted for the locale)."""
        message = self._lookup(singular)
        if isinstance(message, str):
            message = {"one": singular, "other": plural} if message == singular else \
                {"other": message}
        form = message.get(self.locale.plural_form(n)) or message["other"]
        return self._fill(form, {"n": format_number(n, self.language), **values})

    def _lookup(self, text: str) -> Message:
        if text in self.messages:
            return self.messages[text]
        if primary(self.language) != SOURCE_LANGUAGE:
            if not self.paths:
                LOG.warning("no message catalogue for language '%s' (add booklet/locales/"
                            "%s.yaml); template words are in English", self.language,
                            primary(self.language))
            else:
                LOG.warning("%s has no translation of '%s'; using the English text",
                            display_path(self.paths[-1]), text)
        return self.english.get(text, text)

    def _fill(self, message: str, values: dict[str, Any]) -> str:
        if values:
            return message.format_map(values)
        if "{" not in message and "}" not in message:
            return message
        try:  # `{{` in a template's message is a brace
            return message.format_map({})
        except (KeyError, IndexError, ValueError, AttributeError):
            return message  # data (a help contact's text) with braces of its own


def translator(language: str, dirs: tuple[Path, ...] = (LOCALES,)) -> Translator:
    """The translator for a language and catalogue search path, kept per process while
    its catalogue files are unchanged."""
    paths = (*catalogue_paths(SOURCE_LANGUAGE, dirs), *catalogue_paths(language, dirs))
    return _translator(language, dirs, tuple((path, stamp(path)) for path in paths))


@cache
def _translator(language: str, dirs: tuple[Path, ...], stamps: tuple) -> Translator:
    return Translator(language, dirs)


def _merged(paths: list[Path]) -> dict[str, Message]:
    merged: dict[str, Message] = {}
    for path in paths:
        merged.update(load_catalogue(path))
    return merged


#: Locales that group digits only from five up (CLDR minimumGroupingDigits 2, which
#: Babel does not apply): Spanish writes 1234 but 12 345 / 12.345.
LATE_GROUPING = {("es", None), ("es", "ES"), ("pl", None), ("pl", "PL")}


def format_number(value: float, language: str) -> str:
    """A number as the language writes it: 1,234.5 (en), 1234,5 and 12.345 (es)."""
    locale = babel_locale(language)
    grouped = abs(value) >= 10_000 or (locale.language, locale.territory) not in LATE_GROUPING
    return format_decimal(value, locale=locale, group_separator=grouped)


#: Date styles a template may ask for: Babel's named formats or a CLDR skeleton.
DATE_STYLES = {"long": "long", "medium": "medium", "short": "short", "month": "yMMMM"}


def format_day(value: date, language: str, style: str = "long") -> str:
    """A date as the language writes it: `25 de noviembre de 2026`, `noviembre de 2026`."""
    pattern = DATE_STYLES.get(style, style)
    locale = babel_locale(language)
    if pattern in ("long", "medium", "short", "full"):
        return format_date(value, pattern, locale=locale)
    return format_skeleton(pattern, value, locale=locale)


def _language_of(context: jinja2.runtime.Context) -> str:
    return context["_"].language


@jinja2.pass_context
def _date_filter(context: jinja2.runtime.Context, value: date, style: str = "long") -> str:
    return format_day(value, _language_of(context), style)


@jinja2.pass_context
def _number_filter(context: jinja2.runtime.Context, value: float) -> str:
    return format_number(value, _language_of(context))


#: Jinja filters: `{{ meta.date | date('month') }}`, `{{ count | number }}`,
#: `{{ 'es' | language_name }}` (español), `{{ 'ar' | text_direction }}` (rtl).
FILTERS: dict[str, Callable[..., str]] = {
    "date": _date_filter,
    "number": _number_filter,
    "language_name": language_name,
    "text_direction": text_direction,
}

#: `_()` calls whose first argument a catalogue must hold (templates are parsed for them).
GETTEXT_FUNCTIONS = ("_", "_n")
