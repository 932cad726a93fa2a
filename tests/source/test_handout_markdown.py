"""Parsing the clinic-handout blocks and front matter into the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from booklet.errors import BookletError
from booklet.source import frontmatter
from booklet.source.markdown import parse_body
from booklet.source.model import (
    Callout,
    HelpNow,
    Html,
    Practice,
    Prompt,
    Quote,
    Source,
    Table,
    Worksheet,
)

SOURCE = Path("content/demo/booklet.md")


def blocks(text: str):
    parts, _ = parse_body(f"# T\n\n{text}", SOURCE, 10)
    return parts[0].blocks


def errors(text: str) -> list[str]:
    with pytest.raises(BookletError) as caught:
        parse_body(f"# T\n\n{text}", SOURCE, 10)
    return [str(p) for p in caught.value.problems]


def meta_errors(yaml_text: str) -> list[str]:
    with pytest.raises(BookletError) as caught:
        frontmatter.parse(yaml_text, SOURCE)
    return [str(p) for p in caught.value.problems]


def test_try_this_and_warning_are_boxes():
    try_this, warning = blocks("::: try-this A pause\nBreathe.\n:::\n\n"
                               "::: warning\nCareful.\n:::\n")
    assert try_this == Callout("try-this", "A pause", (Html("<p>Breathe.</p>"),))
    assert warning == Callout("warning", None, (Html("<p>Careful.</p>"),))


def test_worksheet_prompts_intro_and_outro():
    [sheet] = blocks("::: worksheet My notes\nA few words.\n\n- What I *notice*\n- What I need\n\n"
                     "Bring it along.\n:::\n")
    assert sheet == Worksheet(
        "My notes",
        (Prompt("what-i-notice", "What I notice", "What I <em>notice</em>"),
         Prompt("what-i-need", "What I need", "What I need")),
        (Html("<p>A few words.</p>"),), (Html("<p>Bring it along.</p>"),))


def test_worksheet_field_names_are_unique_in_the_booklet():
    first, second = blocks("::: worksheet\n- What I need\n:::\n\n"
                           "::: worksheet\n- What I need\n:::\n")
    assert [first.prompts[0].id, second.prompts[0].id] == ["what-i-need", "what-i-need-2"]


def test_worksheet_mistakes():
    assert errors("::: worksheet\nJust text.\n:::\n") == [
        "content/demo/booklet.md:12: '::: worksheet' holds no prompts: list them as '- ' items"]
    assert errors("::: worksheet\n- One\n\nThen:\n\n1. Two\n:::\n") == [
        "content/demo/booklet.md:17: '::: worksheet' holds more than one list: put every "
        "prompt in one list"]
    assert errors("::: worksheet\n- One\n  - nested\n- Two\n:::\n") == [
        "content/demo/booklet.md:13: a worksheet prompt must be one paragraph of text"]


def test_help_now_keeps_the_authors_words():
    [box] = blocks("::: help-now Get help today\nIf you are worried, act now.\n:::\n")
    assert box == HelpNow("Get help today", (Html("<p>If you are worried, act now.</p>"),))
    assert blocks("::: help-now\n:::\n") == (HelpNow(None, ()),)


def test_quote_with_and_without_attribution():
    quoted, _, plain = blocks("> Be kind to yourself.\n>\n> -- A client\n\nBetween.\n\n"
                              "> Just words.\n")
    assert quoted == Quote((Html("<p>Be kind to yourself.</p>"),), "A client")
    assert plain == Quote((Html("<p>Just words.</p>"),), None)


def test_a_lone_or_inner_dash_is_not_an_attribution():
    [quote] = blocks("> — an opening dash, on its own\n")
    assert quote == Quote((Html("<p>— an opening dash, on its own</p>"),), None)
    [quote] = blocks("> Words -- with a dash inside.\n")
    assert quote.attribution_html is None


def test_tables_are_blocks_and_their_images_are_collected():
    parts, images = parse_body("# T\n\n| Day | Mood |\n|---|--:|\n| Mon | ![sun](sun.png) |\n",
                               SOURCE, 10)
    [table] = parts[0].blocks
    assert isinstance(table, Table)
    assert '<th style="text-align:right">Mood</th>' in table.html
    assert images == (("sun.png", 14),)


def test_sources_reviewer_online_url_and_practice():
    meta = frontmatter.parse(
        "title: T\nsources:\n  - Plain text reference.\n"
        "  - {publisher: NHS, title: Depression in adults, year: 2023,"
        " url: 'https://www.nhs.uk/mental-health/conditions/depression-in-adults/'}\n"
        "reviewed_by: Dr Ana Ruiz\nreview_date: 2026-01-10\n"
        "online_url: https://example.org/x/\npractice: {name: Lakeside, address: One Road}\n",
        SOURCE)
    assert meta.sources == (
        Source("Plain text reference."),
        Source("Depression in adults", "NHS", "2023",
               "https://www.nhs.uk/mental-health/conditions/depression-in-adults/"))
    assert meta.reviewed_by == "Dr Ana Ruiz" and meta.review_date.isoformat() == "2026-01-10"
    assert meta.online_url == "https://example.org/x/"
    assert meta.practice == Practice(name="Lakeside", address=("One Road",))


def test_bad_sources_and_practice_are_reported_together():
    assert meta_errors(
        "title: T\nsources:\n  - {titel: Depression, url: nimh.nih.gov}\n"
        "online_url: ftp://example.org\npractice: {phon: 1, email: nobody}\n"
        "review_date: soon\n") == [
        "content/demo/booklet.md:4: 'sources' item 1: unknown key 'titel' (did you mean "
        "'title'?)",
        "content/demo/booklet.md:4: 'sources' item 1: 'url' must be a web address starting "
        "with https://, not 'nimh.nih.gov'",
        "content/demo/booklet.md:4: 'sources' item 1: 'title' is required",
        "content/demo/booklet.md:5: 'online_url' must be a web address starting with "
        "https://, not 'ftp://example.org'",
        "content/demo/booklet.md:6: unknown key 'phon' (did you mean 'phone'?)",
        "content/demo/booklet.md:6: 'email' must be an email address such as "
        "'name@example.org', not 'nobody'",
        "content/demo/booklet.md:7: 'review_date' must be a date written YYYY-MM-DD, not 'soon'",
    ]
    assert meta_errors("title: T\nsources: NIMH\n") == [
        "content/demo/booklet.md:3: 'sources' must be a list of references, not text"]
