"""Edition history: `changes:` in the colophon, and the build warning when the text of
a published edition changes without a new edition."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from lxml import etree

from booklet.build.editions import EditionLog
from booklet.build.pipeline import build
from booklet.errors import BookletError
from booklet.options import BuildOptions
from booklet.render.html import Renderer
from booklet.source.loader import load_booklet

from ..helpers import booklet_md

XHTML = {"x": "http://www.w3.org/1999/xhtml"}
CHANGES = """\
title: T
language: {language}
edition: 2
changes:
  - {{edition: 1, date: 2024-03-01, change: First edition.}}
  - edition: 2
    date: 2025-09-15
    change: New crisis numbers for the UK.
"""


def colophon(booklet) -> etree._Element:
    doc = next(d for d in Renderer().ebook_documents(booklet, BuildOptions())
               if d.file_name == "colophon.xhtml")
    return etree.fromstring(doc.xhtml.encode())


@pytest.mark.parametrize("language, title, lines", [
    ("en", "Edition history", ["Edition 1, March 1, 2024: First edition.",
                               "Edition 2, September 15, 2025: New crisis numbers for the UK."]),
    ("es", "Historial de ediciones", [
        "Edición 1, 1 de marzo de 2024: First edition.",
        "Edición 2, 15 de septiembre de 2025: New crisis numbers for the UK."]),
])
def test_changes_are_listed_in_the_colophon(tmp_project, language, title, lines):
    root = tmp_project({"content/x/booklet.md": booklet_md(CHANGES.format(language=language))})
    booklet = load_booklet(root / "content/x")
    tree = colophon(booklet)
    assert tree.xpath("string(//x:h2[@class='changes-title'])", namespaces=XHTML) == title
    items = tree.xpath("//x:ul[@class='changes']/x:li", namespaces=XHTML)
    assert [" ".join(item.xpath("string()").split()) for item in items] == lines


def test_no_changes_no_history(tmp_project):
    root = tmp_project({"content/x/booklet.md": booklet_md()})
    assert not colophon(load_booklet(root / "content/x")).xpath("//x:ul[@class='changes']",
                                                                namespaces=XHTML)


@pytest.mark.parametrize("entry, message", [
    ("  - First edition.",
     "content/x/booklet.md:4: 'changes' item 1: must be a mapping {edition, date, change}, "
     "not text"),
    ("  - {edition: 1, change: First}",
     "content/x/booklet.md:4: 'changes' item 1: 'date' is required"),
    ("  - {edition: 1, date: 2024-03-01, change: First, by: me}",
     "content/x/booklet.md:4: 'changes' item 1: unknown key 'by'"),
])
def test_changes_are_validated(tmp_project, entry, message):
    root = tmp_project({"content/x/booklet.md": booklet_md(f"title: T\nchanges:\n{entry}")})
    with pytest.raises(BookletError) as error:
        load_booklet(root / "content/x")
    assert str(error.value) == message


# The edition log

def options(root, day: str) -> BuildOptions:
    return BuildOptions(out=root / "dist", formats=("epub",),
                        build_time=datetime.fromisoformat(day + "T09:00:00+00:00"))


def edited(root, old: str, new: str) -> None:
    path = root / "content/x/booklet.md"
    path.write_text(path.read_text().replace(old, new))


def test_build_warns_when_the_text_changes_within_an_edition(tmp_project):
    root = tmp_project({"content/x/booklet.md": booklet_md(
        "title: T\nedition: 1\ndate: 2026-01-01", "# Part\n\nCall us any time.\n")})
    folder = root / "content/x"
    [first] = build([folder], options(root, "2026-02-01"))
    assert first.ok and first.warnings == []
    edited(root, "any time", "on weekdays")
    [second] = build([folder], options(root, "2026-02-03"))
    assert second.ok and second.warnings == [
        "content/x/booklet.md:3: the text has changed since edition 1 was first built "
        "(2026-02-01), but 'edition' is still 1: raise it, and say what changed under "
        "'changes:'"]
    edited(root, "edition: 1", "edition: 2")
    [third] = build([folder], options(root, "2026-02-04"))
    assert third.ok and third.warnings == []
    edited(root, "date: 2026-01-01", "date: 2026-01-01\nreviewed: 2026-02-04")  # not text
    [fourth] = build([folder], options(root, "2026-02-05"))
    assert fourth.ok and fourth.warnings == []


def test_a_changed_edition_fails_with_strict(tmp_project):
    root = tmp_project({"content/x/booklet.md": booklet_md("title: T\nedition: 1")})
    build([root / "content/x"], options(root, "2026-02-01"))
    edited(root, "Text.", "Other text.")
    strict = BuildOptions(out=root / "dist", formats=("epub",), strict=True,
                          build_time=datetime(2026, 2, 2, tzinfo=UTC))
    [outcome] = build([root / "content/x"], strict)
    assert [str(p) for p in outcome.problems] == [
        "content/x/booklet.md:3: the text has changed since edition 1 was first built "
        "(2026-02-01), but 'edition' is still 1: raise it, and say what changed under "
        "'changes:'"]


def test_drafts_before_the_publication_date_are_not_logged(tmp_path, tmp_project):
    root = tmp_project({"content/x/booklet.md": booklet_md(
        "title: T\nedition: 1\ndate: 2026-03-01")})
    booklet = load_booklet(root / "content/x")
    log = EditionLog(tmp_path / "editions.json")
    log.record(booklet, "aaaa", date(2026, 2, 28))
    assert log.entries == {} and log.problem(booklet, "bbbb") is None
    log.record(booklet, "aaaa", date(2026, 3, 1))
    log.record(booklet, "bbbb", date(2026, 3, 2))  # the first build of the edition counts
    assert log.problem(booklet, "aaaa") is None
    assert log.problem(booklet, "bbbb") is not None
    log.save()
    assert EditionLog.load(tmp_path).entries == log.entries


def test_booklets_without_an_edition_are_not_logged(tmp_path, tmp_project):
    root = tmp_project({"content/x/booklet.md": booklet_md()})
    booklet = load_booklet(root / "content/x")
    log = EditionLog(tmp_path / "editions.json")
    log.record(booklet, "aaaa", date(2026, 3, 1))
    assert log.entries == {}
    log.save()
    assert not (tmp_path / "editions.json").exists()


def test_change_lines_are_checked_for_glyphs(tmp_project):
    from booklet.render.glyphs import check_glyphs

    root = tmp_project({"content/x/booklet.md": booklet_md(
        "title: T\nchanges:\n  - {edition: 2, date: 2026-01-01, change: Added 漢.}")})
    assert [str(p) for p in check_glyphs(load_booklet(root / "content/x"))] == [
        "content/x/booklet.md:4: '漢' (U+6F22 CJK UNIFIED IDEOGRAPH-6F22) has no glyph in "
        "Literata; it would print in a fallback font"]
