from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from booklet.errors import BookletError
from booklet.source import frontmatter

SOURCE = Path("content/demo/booklet.md")


def messages(yaml_text: str) -> list[str]:
    with pytest.raises(BookletError) as caught:
        frontmatter.parse(yaml_text, SOURCE)
    return [str(p) for p in caught.value.problems]


def test_valid_front_matter_is_converted():
    meta = frontmatter.parse(
        "title: Hi\nsubtitle: There\nlanguage: es-MX\nauthors: Ana Ruiz\ndate: 2026-03-01\n"
        "edition: 2\nkeywords: [a, b]\naudience: Partners\nsummary: S\n", SOURCE)
    assert meta.title == "Hi" and meta.subtitle == "There"
    assert meta.language == "es-MX"
    assert meta.authors == ("Ana Ruiz",)
    assert meta.date == date(2026, 3, 1)
    assert meta.edition == "2"
    assert meta.keywords == ("a", "b")
    assert meta.running_title == "Hi"


def test_defaults():
    meta = frontmatter.parse("title: Hi\n", SOURCE)
    assert meta.language == "en" and meta.authors == () and meta.subtitle is None


def test_missing_title():
    assert messages("subtitle: x\n") == ["content/demo/booklet.md:1: 'title' is required"]


def test_unknown_key_is_reported_with_a_suggestion():
    assert messages("title: x\nsubtitel: y\n") == [
        "content/demo/booklet.md:3: unknown key 'subtitel' (did you mean 'subtitle'?)"]


def test_every_problem_is_reported_at_once():
    assert messages("subtitle: 3\nkeywords: {a: 1}\nlanguage: english!\n") == [
        "content/demo/booklet.md:1: 'title' is required",
        "content/demo/booklet.md:2: 'subtitle' must be text, not a number",
        "content/demo/booklet.md:3: 'keywords' must be a list of text, not a mapping",
        "content/demo/booklet.md:4: 'language' must be a BCP 47 language tag such as 'en' or "
        "'es-MX', not 'english!'",
    ]


def test_broken_yaml_names_the_line():
    assert messages("title: x\nsubtitle: [unclosed\n") == [
        "content/demo/booklet.md:3: front matter is not valid YAML: "
        "expected ',' or ']', but got '<stream end>'"]


def test_duplicate_key():
    assert messages("title: x\ntitle: y\n") == [
        "content/demo/booklet.md:3: 'title' is given twice (first on line 2)"]


def test_aliases_are_refused():
    assert messages("title: &t x\nsubtitle: *t\n") == [
        "content/demo/booklet.md:3: front matter is not valid YAML: "
        "YAML aliases (*name) are not allowed in front matter"]


def test_not_a_mapping():
    assert messages("- a\n- b\n") == [
        "content/demo/booklet.md:2: front matter must be 'key: value' lines"]


def test_bad_date():
    assert messages("title: x\ndate: next week\n") == [
        "content/demo/booklet.md:3: 'date' must be a date written YYYY-MM-DD, not 'next week'"]


def test_split_requires_front_matter():
    with pytest.raises(BookletError, match="front matter missing"):
        frontmatter.split("# Just text\n", SOURCE)
    with pytest.raises(BookletError, match="front matter is not closed"):
        frontmatter.split("---\ntitle: x\n# Body\n", SOURCE)


def test_split_reports_body_line():
    yaml_text, body, line = frontmatter.split("---\ntitle: x\n---\n# Body\n", SOURCE)
    assert yaml_text == "title: x\n" and body == "# Body\n" and line == 4
