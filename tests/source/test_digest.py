"""The content digest: the same across line endings and whitespace, different after any
change to the text, blind to settings that are not content."""

from __future__ import annotations

import unicodedata

import pytest

from booklet.source.digest import fingerprint, normalise, parse_sections
from booklet.source.loader import load_booklet

from ..helpers import BUNDLED

TEXT = """\
---
title: Sleep and worry
summary: Why worry keeps you awake, and what helps.
keywords: [sleep, worry]
edition: 1
date: 2026-01-01
---

# Why worry keeps you up

Worry makes the body alert. An alert body does not sleep well.

## What helps

- Write the worry down.
- Get up if you cannot sleep.

::: try-this A short pause
Breathe out slowly, five times.
:::

# Questions

::: faq
### Is it normal?

Yes. Most people sleep badly when they worry.
:::
"""


def digest_of(tmp_path, text: str, name: str = "x") -> tuple[str, str]:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "booklet.md").write_bytes(text.encode("utf-8"))
    found = fingerprint(load_booklet(folder))
    return found.digest, found.sections()


@pytest.mark.parametrize("change", [
    lambda t: t.replace("\n", "\r\n"),                                  # Windows line ends
    lambda t: t.replace("\n", "\r"),                                    # old Mac line ends
    lambda t: t.replace("alert. An", "alert.\nAn"),                     # re-wrapped
    lambda t: t.replace("well.\n", "well.   \n"),                       # trailing spaces
    lambda t: t.replace("\n\n## What", "\n\n\n\n## What"),              # blank lines
    lambda t: t.replace("Breathe out", "Breathe  out"),                 # doubled space
    lambda t: t.replace("summary: Why", "summary:    Why"),
    lambda t: t.replace("edition: 1", "edition: 2"),                    # not content
    lambda t: t.replace("date: 2026-01-01", "date: 2026-02-01\nreviewed: 2026-01-15"),
    lambda t: t.replace("keywords:", "paper: a4\nkeywords:"),
    lambda t: unicodedata.normalize("NFD", t),                          # decomposed accents
], ids=["crlf", "cr", "rewrap", "trailing", "blank-lines", "spaces", "yaml-space",
        "edition", "dates", "paper", "nfd"])
def test_digest_is_stable_across_whitespace_and_settings(tmp_path, change):
    assert digest_of(tmp_path, change(TEXT), "a") == digest_of(tmp_path, TEXT, "b")


@pytest.mark.parametrize("change, unit", [
    (lambda t: t.replace("sleep well", "sleep at all"), "1"),
    (lambda t: t.replace("well.", "well!"), "1"),
    (lambda t: t.replace("Write the", "Write *the*"), "1.1"),           # markup is text
    (lambda t: t.replace("## What helps", "## What can help"), "1.1"),
    (lambda t: t.replace("A short pause", "A pause"), "1.1"),           # a box title
    (lambda t: t.replace("Most people", "Many people"), "2"),
    (lambda t: t.replace("alert. An", "alert.An"), "1"),                # words joined
    (lambda t: t.replace("keeps you awake", "keeps you up"), "summary"),
    (lambda t: t.replace("[sleep, worry]", "[sleep, worries]"), "keywords"),
    (lambda t: t.replace("title: Sleep", "title: Sleeping"), "title"),
], ids=["word", "punctuation", "markup", "heading", "box-title", "part-2", "joined",
        "summary", "keywords", "title"])
def test_any_text_change_changes_the_digest_and_that_unit_only(tmp_path, change, unit):
    before, before_units = digest_of(tmp_path, TEXT, "a")
    after, after_units = digest_of(tmp_path, change(TEXT), "b")
    assert after != before
    changed = [label for (label, old, _), (_, new, _) in zip(
        parse_sections(before_units), parse_sections(after_units), strict=True) if old != new]
    assert changed == [unit]


def test_units_of_the_bundled_booklet():
    found = fingerprint(load_booklet(BUNDLED))
    assert [unit.label for unit in found.units] == [
        "title", "subtitle", "short_title", "audience", "summary", "keywords", "sources",
        "1", "1.1", "1.2", "1.3", "1.4", "1.5", "2", "2.1", "2.2", "2.3", "2.4", "2.5",
        "2.6", "2.7", "3"]
    titles = {unit.label: unit.title for unit in found.units}
    assert (titles["1.3"], titles["3"]) == ("Shame and feeling like a burden",
                                            "Questions and answers")
    assert len(found.digest) == 16


def test_normalise():
    assert normalise(" a\r\n\tb  c\u00a0d \n") == "a b c d"
    assert normalise("e\u0301") == "\u00e9"


@pytest.mark.parametrize("value", ["", "title=abc", "1.1=abcdeg", "title=abcdef junk",
                                   "Title=abcdef"])
def test_sections_not_as_written_are_refused(value):
    assert parse_sections(value) is None
