"""Translations against their original: `booklet translated` stamps, `booklet check`
reports stale text (what changed) and structure that differs (with both lines)."""

from __future__ import annotations

import shutil

import pytest
from lxml import etree

from booklet.authoring.parity import parity_problems
from booklet.authoring.stale import stale_problems
from booklet.authoring.stamp import stamped_text
from booklet.cli import main
from booklet.options import BuildOptions
from booklet.render.html import Renderer
from booklet.source.digest import fingerprint
from booklet.source.loader import load_booklet

from ..helpers import BUNDLED, ROOT

BUNDLED_ES = "content/partner-pushing-away-es"

ORIGINAL = """\
---
title: Sleep
language: en
summary: Why worry keeps you awake.
reviewed_by: Dr Ana Ruiz
sources:
  - One book.
  - Another book.
---

# Worry and sleep

Worry keeps you awake.

::: key-points
- Worry is normal.
:::

## The body

An alert body does not sleep.

## The mind

A busy mind does not rest.

::: worksheet Notes
- What I worry about
- What helps
:::

# Questions

::: faq
### Is it normal?

Yes.

### Will it pass?

Often.
:::
"""

TRANSLATION = """\
---
title: El sueño
language: es
translation_of: sleep
summary: Por qué la preocupación te quita el sueño.
sources:
  - Un libro.
  - Otro libro.
  - title: Un recurso en español.
    added: true
---

# La preocupación y el sueño

La preocupación te quita el sueño.

::: key-points
- Preocuparse es normal.
:::

## El cuerpo

Un cuerpo alerta no duerme.

## La mente

Una mente ocupada no descansa.

::: worksheet Notas
- Lo que me preocupa
- Lo que me ayuda
:::

# Preguntas

::: faq
### ¿Es normal?

Sí.

### ¿Pasará?

A menudo.
:::
"""


@pytest.fixture
def project(tmp_project):
    return tmp_project({"content/sleep/booklet.md": ORIGINAL,
                        "content/sleep-es/booklet.md": TRANSLATION})


def problems(root, found):
    return [str(p) for p in found(load_booklet(root / "content/sleep-es"),
                                  load_booklet(root / "content/sleep"))]


# Structure parity

def test_same_structure_no_problems(project):
    assert problems(project, parity_problems) == []


def test_every_difference_with_the_line_in_each_file(project):
    path = project / "content/sleep-es/booklet.md"
    text = path.read_text()
    text = text.replace("## La mente\n", "")                            # one section
    text = text.replace("- Lo que me ayuda\n", "")                      # one prompt
    text = text.replace("### ¿Pasará?\n\nA menudo.\n", "")              # one question
    text = text.replace("::: key-points", "::: note")                   # another box
    text = text.replace("  - Otro libro.\n", "")                        # one source
    path.write_text(text)
    assert problems(project, parity_problems) == [
        "content/sleep-es/booklet.md:12: part 1 'La preocupación y el sueño' has 1 section; "
        "the original's has 2 (content/sleep/booklet.md:11)",
        "content/sleep-es/booklet.md:12: part 1 'La preocupación y el sueño' has 0 "
        "'::: key-points' boxes; the original's has 1 (content/sleep/booklet.md:15)",
        "content/sleep-es/booklet.md:16: part 1 'La preocupación y el sueño' has 1 "
        "'::: note' box; the original's has 0 (content/sleep/booklet.md:11)",
        "content/sleep-es/booklet.md:27: this '::: worksheet' box has 1 prompt; the "
        "original's has 2 (content/sleep/booklet.md:27)",
        "content/sleep-es/booklet.md:33: this '::: faq' box has 1 question; the original's "
        "has 2 (content/sleep/booklet.md:34)",
        "content/sleep-es/booklet.md:6: 1 source; the original has 2 "
        "(content/sleep/booklet.md:6); mark a reference only this edition has with "
        "'added: true'"]


def test_parts_that_differ_are_counted_in_all(project):
    path = project / "content/sleep-es/booklet.md"
    path.write_text(path.read_text().replace("# Preguntas\n\n::: faq\n### ¿Es normal?\n\nSí."
                                             "\n\n### ¿Pasará?\n\nA menudo.\n:::\n", ""))
    assert problems(project, parity_problems) == [
        "content/sleep-es/booklet.md:13: 1 part; the original has 2 "
        "(content/sleep/booklet.md:11)",
        "content/sleep-es/booklet.md: 0 '::: faq' boxes in all; the original has 1 "
        "(content/sleep/booklet.md:34)",
        "content/sleep-es/booklet.md: 0 FAQ questions in all; the original has 2 "
        "(content/sleep/booklet.md:35)"]


def test_help_region_must_match_unless_set_here(project):
    original = project / "content/sleep/booklet.md"
    original.write_text(original.read_text().replace("language: en", "language: en\n"
                                                     "help_region: UK"))
    assert problems(project, parity_problems) == [
        "content/sleep-es/booklet.md:4: lists the help contacts for default, the original "
        "those for UK (content/sleep/booklet.md:4); set 'help_region' here to keep a "
        "different region"]
    path = project / "content/sleep-es/booklet.md"
    path.write_text(path.read_text().replace("language: es", "language: es\nhelp_region: US"))
    assert problems(project, parity_problems) == []


def test_help_region_must_be_known(project, capsys):
    path = project / "content/sleep-es/booklet.md"
    path.write_text(path.read_text().replace("language: es", "language: es\nhelp_region: ES"))
    assert main(["check", "content/sleep-es"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/sleep-es/booklet.md:4: 'help_region' must be one of IE, UK, US (or leave it "
        "out for booklet.toml's), not 'ES'")


# Stamping

def stamp_of(root) -> tuple[str, str]:
    found = fingerprint(load_booklet(root / "content/sleep"))
    return found.digest, found.sections()


def test_translated_adds_the_stamp_after_translation_of(project, capsys):
    path = project / "content/sleep-es/booklet.md"
    assert main(["translated", "content/sleep-es"]) == 0
    digest, sections = stamp_of(project)
    assert capsys.readouterr().out == (f"stamped content/sleep-es/booklet.md: source_digest "
                                       f"{digest} (sleep as it is now)\n")
    lines = TRANSLATION.splitlines(keepends=True)
    head, tail, stamped = "".join(lines[:4]), "".join(lines[4:]), path.read_text()
    assert stamped.startswith(head) and stamped.endswith(tail)
    added = stamped[len(head):-len(tail)]
    assert added.startswith(f"source_digest: {digest}\nsource_sections: ")
    assert " ".join(added.split()) == f"source_digest: {digest} source_sections: {sections}"
    meta = load_booklet(path.parent).meta
    assert (meta.source_digest, meta.source_sections) == (digest, sections)


def test_translated_replaces_a_stamp_and_keeps_every_other_byte(tmp_path):
    text = TRANSLATION.replace("\n", "\r\n").replace(
        "translation_of: sleep\r\n", "translation_of: sleep\r\nsource_digest: "
        "0123456789abcdef   # checked by MG\r\nsource_sections: title=000000\r\n"
        "  1=000000 1.1=000000\r\nreviewed_by: Dra. Marta Gil\r\n")
    original = tmp_path / "sleep"
    original.mkdir()
    (original / "booklet.md").write_text(ORIGINAL)
    found = fingerprint(load_booklet(original))
    stamped = stamped_text(text, tmp_path / "booklet.md", found)
    long = found.sections()
    assert len(long) > 88, "wrapped over lines"
    wrapped = stamped.split("source_sections: ")[1].split("\r\nreviewed_by")[0]
    assert all(len(line) <= 88 for line in wrapped.split("\r\n"))
    assert " ".join(wrapped.split()) == long
    assert stamped.replace(wrapped, "SECTIONS").replace(found.digest, "DIGEST") == \
        text.replace("title=000000\r\n  1=000000 1.1=000000", "SECTIONS").replace(
            "0123456789abcdef", "DIGEST")
    assert stamped_text(stamped, tmp_path / "booklet.md", found) == stamped


def test_translated_writes_new_lines_in_the_file_s_line_endings(tmp_path):
    original = tmp_path / "sleep"
    original.mkdir()
    (original / "booklet.md").write_text(ORIGINAL)
    text = TRANSLATION.replace("\n", "\r\n")
    found = fingerprint(load_booklet(original))
    stamped = stamped_text(text, tmp_path / "booklet.md", found)
    assert f"translation_of: sleep\r\nsource_digest: {found.digest}\r\nsource_sections: " \
        in stamped
    assert stamped.count("\n") == stamped.count("\r\n") > text.count("\r\n") + 1


def test_translated_twice_changes_nothing(project, capsys):
    main(["translated", "content/sleep-es"])
    before = (project / "content/sleep-es/booklet.md").read_bytes()
    capsys.readouterr()
    assert main(["translated", "content/sleep-es"]) == 0
    digest, _ = stamp_of(project)
    assert capsys.readouterr().out == ("content/sleep-es/booklet.md: already stamped with "
                                       f"sleep's current digest {digest}\n")
    assert (project / "content/sleep-es/booklet.md").read_bytes() == before


def test_translated_refuses_an_original(project, capsys):
    assert main(["translated", "content/sleep"]) == 1
    assert capsys.readouterr().err == (
        "content/sleep/booklet.md:2: not a translation: 'booklet translated' stamps a booklet "
        "whose front matter names its original with 'translation_of'\nfailed: sleep\n")


def test_translated_warns_of_structure_it_stamps_anyway(project, capsys):
    path = project / "content/sleep-es/booklet.md"
    path.write_text(path.read_text().replace("- Lo que me ayuda\n", ""))
    assert main(["translated", "content/sleep-es"]) == 0
    assert capsys.readouterr().err == (
        "content/sleep-es/booklet.md:29: warning: this '::: worksheet' box has 1 prompt; the "
        "original's has 2 (content/sleep/booklet.md:27)\n")


# Stale translations

def test_unstamped_translation_is_reported(project):
    assert problems(project, stale_problems) == [
        "content/sleep-es/booklet.md:4: no 'source_digest': once this translation matches its "
        "original, run `booklet translated content/sleep-es` to record it"]


def test_stale_names_what_changed(project, capsys):
    main(["translated", "content/sleep-es"])
    original = project / "content/sleep/booklet.md"
    text = original.read_text()
    text = text.replace("Why worry keeps you awake.", "Why worry keeps you up.")
    text = text.replace("A busy mind does not rest.", "A busy mind does not rest well.")
    text = text.replace("## The body\n\nAn alert body does not sleep.\n\n", "")
    text = text.replace("# Questions\n", "## Breathing\n\nBreathe out slowly.\n\n# Questions\n")
    original.write_text(text)
    assert problems(project, stale_problems) == [
        "content/sleep-es/booklet.md:5: stale translation: content/sleep/booklet.md has "
        "changed since it was stamped; update this translation, then run `booklet translated "
        "content/sleep-es`",
        "content/sleep-es/booklet.md:8: the original's 'summary' changed "
        "(content/sleep/booklet.md:4)",
        "content/sleep-es/booklet.md:24: the original no longer has section 1.1 ('El cuerpo' "
        "here)",
        "content/sleep-es/booklet.md:28: section 1.1 'The mind' changed in the original "
        "(content/sleep/booklet.md:19)",
        "content/sleep-es/booklet.md:28: the original has a new section 1.2 'Breathing' "
        "(content/sleep/booklet.md:28): add it after section 1.2 'La mente'"]


@pytest.mark.parametrize("edit, wanted", [
    (("## The body\n\nAn alert body does not sleep.",
      "## Your body\n\nAn alert body does not sleep at all."),
     "content/sleep-es/booklet.md:24: section 1.1 'Your body' changed in the original "
     "(content/sleep/booklet.md:19)"),
    (("Worry keeps you awake.\n", "Worry can keep you awake.\n"),
     "content/sleep-es/booklet.md:16: the opening of part 1 'Worry and sleep' changed in the "
     "original (content/sleep/booklet.md:11)"),
    (("# Worry and sleep\n", "# Before\n\nFirst.\n\n# Worry and sleep\n"),
     "content/sleep-es/booklet.md:16: the original has a new part 1 'Before' "
     "(content/sleep/booklet.md:11): add it before part 1 'La preocupación y el sueño'"),
    ((":::\n\n## The body", ":::\n\n## New\n\nNew text.\n\n## The body"),
     "content/sleep-es/booklet.md:16: the original has a new section 1.1 'New' "
     "(content/sleep/booklet.md:19): add it after the opening of part 1 'La preocupación y "
     "el sueño'"),
    (("# Questions\n\n::: faq\n### Is it normal?\n\nYes.\n\n### Will it pass?\n\n"
      "Often.\n:::\n", ""),
     "content/sleep-es/booklet.md:37: the original no longer has part 2 ('Preguntas' here)"),
], ids=["renamed", "opening", "new-part", "new-first-section", "part-removed"])
def test_each_kind_of_change_is_named(project, edit, wanted):
    main(["translated", "content/sleep-es"])
    original = project / "content/sleep/booklet.md"
    original.write_text(original.read_text().replace(*edit))
    assert problems(project, stale_problems)[1:] == [wanted]


def test_a_stamp_not_as_written_is_reported(project):
    path = project / "content/sleep-es/booklet.md"
    path.write_text(path.read_text().replace("translation_of: sleep", "translation_of: sleep\n"
                                             "source_sections: title=xyz"))
    assert problems(project, stale_problems) == [
        "content/sleep-es/booklet.md:5: 'source_sections' is not as `booklet translated` "
        "writes it: run `booklet translated content/sleep-es` again"]


def test_a_stamp_outside_a_translation_is_reported(project, capsys):
    path = project / "content/sleep/booklet.md"
    path.write_text(path.read_text().replace("language: en", "language: en\n"
                                             "source_digest: 0123456789abcdef"))
    assert main(["check", "content/sleep"]) == 0
    assert capsys.readouterr().err == ("content/sleep/booklet.md:4: warning: 'source_digest' "
                                       "belongs in a translation, beside 'translation_of'\n")


def test_stale_and_mismatched_are_errors_with_strict(project, capsys):
    assert main(["check", "content/sleep-es"]) == 0
    assert main(["check", "--strict", "content/sleep-es"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == "failed: sleep-es"


# Per-language reviewer

def colophon_reviewer(folder) -> str:
    booklet = load_booklet(folder)
    doc = next(d for d in Renderer().ebook_documents(booklet, BuildOptions())
               if d.file_name == "colophon.xhtml")
    tree = etree.fromstring(doc.xhtml.encode())
    return tree.xpath("string(//x:p[@class='review-line'])",
                      namespaces={"x": "http://www.w3.org/1999/xhtml"})


def test_a_translation_never_inherits_the_reviewer(project):
    assert colophon_reviewer(project / "content/sleep") == "Reviewed by Dr Ana Ruiz."
    assert colophon_reviewer(project / "content/sleep-es") == ""
    path = project / "content/sleep-es/booklet.md"
    path.write_text(path.read_text().replace("language: es", "language: es\n"
                                             "reviewed_by: Dra. Marta Gil"))
    assert colophon_reviewer(project / "content/sleep-es") == "Revisado por Dra. Marta Gil."


# End to end, on a copy of the bundled booklets

def test_bundled_spanish_edition_is_stamped_and_in_step():
    spanish = load_booklet(ROOT / BUNDLED_ES)
    english = load_booklet(BUNDLED)
    assert spanish.meta.source_digest == fingerprint(english).digest
    assert stale_problems(spanish, english) == []
    assert parity_problems(spanish, english) == []


def test_editing_the_english_makes_the_spanish_stale_until_stamped(tmp_path, monkeypatch,
                                                                   capsys):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copy(ROOT / "booklet.toml", tmp_path)
    shutil.copytree(ROOT / "branding", tmp_path / "branding")
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0
    assert "warning" not in capsys.readouterr().err
    english = tmp_path / "content/partner-pushing-away/booklet.md"
    english.write_text(english.read_text(encoding="utf-8").replace(
        "Depression can make it very hard", "Depression can make it hard"), encoding="utf-8")
    spanish = (tmp_path / "content/partner-pushing-away-es/booklet.md").read_text().split("\n")
    stamp, section = (next(n for n, line in enumerate(spanish, 1) if line.startswith(start))
                      for start in ("source_digest: ", "## Infórmate sobre la depresión"))
    assert main(["check"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"content/partner-pushing-away-es/booklet.md:{stamp}: warning: stale translation: "
        "content/partner-pushing-away/booklet.md has changed since it was stamped; update "
        "this translation, then run `booklet translated content/partner-pushing-away-es`",
        f"content/partner-pushing-away-es/booklet.md:{section}: warning: section 2.2 'Learn about "
        "depression' changed in the original (content/partner-pushing-away/booklet.md:93)"]
    assert main(["check", "--strict"]) == 1
    capsys.readouterr()
    assert main(["translated", "content/partner-pushing-away-es"]) == 0
    capsys.readouterr()
    assert main(["check"]) == 0
    assert "warning" not in capsys.readouterr().err
