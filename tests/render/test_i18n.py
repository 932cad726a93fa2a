from __future__ import annotations

import logging
import tomllib
from datetime import date
from pathlib import Path

import jinja2
import pytest
from jinja2.ext import extract_from_ast

from booklet.build.pipeline import build
from booklet.errors import BookletError
from booklet.render import i18n
from booklet.render.html import BUILTIN_TEMPLATES
from booklet.source.help_contacts import BUILTIN as HELP_CONTACTS

from ..helpers import booklet_md

#: Languages whose catalogue must hold every template string.
COMPLETE = ("en", "es")


def template_strings() -> dict[str, list[str]]:
    """Every literal `_()` / `_n()` message in templates/, with where it is used."""
    env = jinja2.Environment()
    found: dict[str, list[str]] = {}
    for path in sorted(BUILTIN_TEMPLATES.rglob("*")):
        if not path.is_file():
            continue
        name = str(path.relative_to(BUILTIN_TEMPLATES))
        tree = env.parse(path.read_text(encoding="utf-8"))
        for line, function, message in extract_from_ast(tree, i18n.GETTEXT_FUNCTIONS,
                                                         babel_style=False):
            where = f"templates/{name}:{line}"
            first = message[0] if isinstance(message, tuple) else message
            assert isinstance(first, str), f"{where}: {function}() needs a literal string"
            found.setdefault(first, []).append(where)
    return found


def help_contact_strings() -> dict[str, list[str]]:
    """Every contact name and sentence in the help-contacts data file."""
    data = tomllib.loads(HELP_CONTACTS.read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {}
    for code, region in data.items():
        for contact in region.get("contacts", []):
            for key in ("name", "text"):
                found.setdefault(contact[key], []).append(f"{HELP_CONTACTS.name} [{code}]")
    return found


def test_templates_use_words_through_the_catalogue():
    strings = template_strings()
    assert {"Contents", "Key points", "Also available in {language}"} <= set(strings)


@pytest.mark.parametrize("language", COMPLETE)
def test_every_template_string_is_in_the_catalogue(language):
    catalogue = i18n.load_catalogue(i18n.LOCALES / f"{language}.yaml")
    missing = {s: w for s, w in template_strings().items() if s not in catalogue}
    assert not missing, (f"add these to booklet/locales/{language}.yaml: "
                         + "; ".join(f"{s!r} ({', '.join(w)})" for s, w in missing.items()))


def test_spanish_has_no_stale_entries_and_every_entry_is_translated():
    english = i18n.load_catalogue(i18n.LOCALES / "en.yaml")
    spanish = i18n.load_catalogue(i18n.LOCALES / "es.yaml")
    assert set(spanish) == set(english)
    same = [k for k, v in spanish.items() if v == english[k] and k not in ("Nota", "Samaritans")]
    assert not same, f"not translated: {same}"


def test_every_shipped_catalogue_is_valid():
    for path in i18n.LOCALES.glob("*.yaml"):
        assert i18n.load_catalogue(path), path


def test_spanish_words():
    words = i18n.Translator("es")
    assert words("Contents") == "Índice"
    assert words("Key points") == "Puntos clave"
    assert words("Also available in {language}", language="español") == \
        "También disponible en español"
    assert i18n.Translator("es-MX")("Contents") == "Índice"


def catalogue_dir(tmp_path: Path, files: dict[str, str]) -> tuple[Path, ...]:
    folder = tmp_path / "locales"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return (i18n.LOCALES, folder)


def test_missing_string_falls_back_to_english_with_a_warning(tmp_path, caplog):
    dirs = catalogue_dir(tmp_path, {"xx.yaml": "Contents: Sisältö\n"})
    words = i18n.Translator("xx", dirs)
    with caplog.at_level(logging.WARNING, logger="booklet"):
        assert words("Contents") == "Sisältö"
        assert words("Key points") == "Key points"
    assert [r.getMessage() for r in caplog.records] == [
        f"{dirs[1] / 'xx.yaml'} has no translation of 'Key points'; using the English text"]


def test_language_without_catalogue_warns_that_words_are_english(caplog):
    with caplog.at_level(logging.WARNING, logger="booklet"):
        assert i18n.Translator("de")("Contents") == "Contents"
    assert caplog.records[0].getMessage() == (
        "no message catalogue for language 'de' (add booklet/locales/de.yaml); "
        "template words are in English")


def test_english_never_warns(caplog):
    with caplog.at_level(logging.WARNING, logger="booklet"):
        i18n.Translator("en-GB")("Something new")
    assert not caplog.records


def test_theme_catalogue_overrides_single_entries(tmp_path):
    dirs = catalogue_dir(tmp_path, {"es.yaml": "Key points: Lo esencial\n"})
    words = i18n.Translator("es", dirs)
    assert words("Key points") == "Lo esencial"
    assert words("Contents") == "Índice"


def test_a_bad_catalogue_names_file_and_line(tmp_path):
    dirs = catalogue_dir(tmp_path, {"xx.yaml": "Contents: Índice\n"
                                    "'Also available in {language}': También en {idioma}\n"})
    with pytest.raises(BookletError) as error:
        i18n.Translator("xx", dirs)
    assert str(error.value).endswith(
        "xx.yaml:2: 'Also available in {language}': the translation must use the "
        "placeholders ['language']")


def test_a_catalogue_that_is_not_yaml_names_file_line_and_the_problem(tmp_path):
    dirs = catalogue_dir(tmp_path, {"xx.yaml": "Contents: Índice\nNote: [Nota\n"})
    with pytest.raises(BookletError) as error:
        i18n.Translator("xx", dirs)
    message = str(error.value)
    assert "xx.yaml:3: message catalogue is not valid YAML: while parsing a flow sequence" \
        in message
    assert "expected ',' or ']', but got '<stream end>'" in message


def test_a_stray_brace_is_a_catalogue_error(tmp_path):
    dirs = catalogue_dir(tmp_path, {"xx.yaml": "Note: 'Nota {'\n"})
    with pytest.raises(BookletError) as error:
        i18n.Translator("xx", dirs)
    assert str(error.value).endswith(
        "xx.yaml:1: 'Note': a brace must belong to a {placeholder} (write {{ for a brace)")


def test_counted_messages_use_the_languages_plural_rules(tmp_path):
    dirs = catalogue_dir(tmp_path, {
        "en.yaml": "'{n} page': {one: '{n} page', other: '{n} pages'}\n",
        "ar.yaml": "'{n} page': {one: 'صفحة واحدة', two: 'صفحتان', few: '{n} صفحات',"
                   " other: '{n} صفحة'}\n"})
    english, arabic = i18n.Translator("en", dirs), i18n.Translator("ar", dirs)
    assert english.plural("{n} page", "{n} pages", 1) == "1 page"
    assert english.plural("{n} page", "{n} pages", 1200) == "1,200 pages"
    assert arabic.plural("{n} page", "{n} pages", 2) == "صفحتان"
    assert arabic.plural("{n} page", "{n} pages", 5) == "5 صفحات"


def test_dates_numbers_and_language_names_by_locale():
    day = date(2026, 11, 25)
    assert i18n.format_day(day, "es") == "25 de noviembre de 2026"
    assert i18n.format_day(day, "es", "month") == "noviembre de 2026"
    assert i18n.format_day(day, "en") == "November 25, 2026"
    assert i18n.format_day(day, "en-GB") == "25 November 2026"
    assert i18n.format_number(1234.5, "en") == "1,234.5"
    assert i18n.format_number(1234.5, "es-MX") == "1,234.5"
    assert i18n.format_number(1234.5, "es") == "1234,5"
    assert i18n.format_number(12345.5, "es") == "12.345,5"
    assert i18n.language_name("es") == "español"
    assert i18n.language_name("en") == "English"
    assert [i18n.text_direction(t) for t in ("en", "es", "ar", "he", "fa", "ur")] == \
        ["ltr", "ltr", "rtl", "rtl", "rtl", "rtl"]


def test_missing_catalogue_warns_in_the_build_and_fails_strict(tmp_project, options_at_epoch,
                                                             tmp_path):
    root = tmp_project({"content/demo/booklet.md": booklet_md("title: Démo\nlanguage: de")})
    [outcome] = build([root / "content/demo"], options_at_epoch(tmp_path / "a",
                                                                 formats=("epub",)))
    assert outcome.ok
    assert outcome.warnings == ["no message catalogue for language 'de' (add booklet/locales/"
                                "de.yaml); template words are in English"]
    [strict] = build([root / "content/demo"], options_at_epoch(tmp_path / "b", strict=True,
                                                                formats=("epub",)))
    assert [str(p) for p in strict.problems] == [
        "content/demo/booklet.md: warning (strict): no message catalogue for language 'de' "
        "(add booklet/locales/de.yaml); template words are in English"]
    assert not (tmp_path / "b").exists()


def test_the_command_line_reports_a_missing_catalogue(tmp_project, capsys, caplog):
    """The CLI sets the root logger to ERROR; booklet's own warnings must still show."""
    from booklet.cli import main

    caplog.set_level(logging.ERROR)
    tmp_project({"content/demo/booklet.md": booklet_md("title: Demo\nlanguage: de")})
    assert main(["build", "--format", "epub"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "demo: warning: no message catalogue for language 'de' (add booklet/locales/de.yaml); "
        "template words are in English"]
    assert main(["build", "--format", "epub", "--strict"]) == 1
