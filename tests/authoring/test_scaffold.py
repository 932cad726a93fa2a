"""`booklet new` (where it writes, what it teaches), `booklet blocks` and `--help`."""

from __future__ import annotations

import pytest

from booklet.authoring.blocks import BLOCKS
from booklet.cli import main
from booklet.source.loader import load_booklet
from booklet.source.markdown import CONTAINERS
from booklet.source.model import Callout, Faq, Figure, HelpNow, Quote, Table, Worksheet

from ..helpers import booklet_md


def test_new_in_a_project_says_what_it_made(tmp_project, capsys):
    tmp_project({"content/.keep": ""})
    assert main(["new", "sleep"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "created content/sleep/booklet.md",
        "Fill in the lines at the top, then write; `booklet watch` rebuilds it as you save, "
        "and `booklet blocks` lists the boxes you can use."]


def test_new_outside_a_project_says_it_starts_one_and_where(tmp_project, capsys):
    root = tmp_project({})
    assert main(["new", "sleep"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        f"created content/sleep/booklet.md, starting a new project in {root} (there was no "
        "content/ folder or booklet.toml here)")


@pytest.mark.parametrize("where", ["content", "content/sleep", "branding"])
def test_new_inside_a_project_refuses_and_says_where_to_run_it(tmp_project, capsys,
                                                              monkeypatch, where):
    root = tmp_project({"booklet.toml": "", "content/sleep/booklet.md": booklet_md(),
                        "branding/.keep": ""})
    monkeypatch.chdir(root / where)
    assert main(["new", "worry"]) == 1
    assert capsys.readouterr().err == (
        f"this folder is inside the booklet project in {root}: run `booklet new worry` "
        "there, so the booklet goes in its content/ folder\n")
    assert not (root / where / "content").exists()


def test_new_and_the_build_share_one_folder_name_rule(tmp_project, capsys):
    root = tmp_project({"content/Bad_Name/booklet.md": booklet_md()})
    assert main(["new", "ansiedad-niños"]) == 0  # letters of any alphabet
    assert main(["new", "Bad_Name"]) == 1
    assert main(["check"]) == 1
    err = capsys.readouterr().err.splitlines()
    rule = "cannot name a booklet: use lower-case letters, digits and hyphens, like 'bad-name'"
    assert err[0] == f"'Bad_Name' {rule}"
    assert err[1] == f"content/Bad_Name: the folder name 'Bad_Name' {rule}; rename the folder"
    assert load_booklet(root / "content/ansiedad-niños").slug == "ansiedad-niños"


def test_a_folder_name_typed_on_a_mac_is_the_same_name(tmp_project):
    """macOS stores 'ñ' as 'n' and a combining tilde: still a letter of the name."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "niños")
    root = tmp_project({f"content/{decomposed}/booklet.md": booklet_md()})
    assert load_booklet(root / "content" / decomposed).meta.title == "A small booklet"


def test_the_scaffold_shows_every_block_with_a_comment(tmp_project):
    root = tmp_project({})
    main(["new", "panic-attacks"])
    text = (root / "content/panic-attacks/booklet.md").read_text(encoding="utf-8")
    for kind in BLOCKS:
        assert f"<!-- {kind.name}: {kind.says} -->\n{kind.example}\n" in text
    assert "BCP 47" not in text and "booklet/" not in text
    booklet = load_booklet(root / "content/panic-attacks")
    kinds = {type(block) for part in booklet.parts for block in part.blocks} | {
        type(block) for part in booklet.parts for section in part.sections
        for block in section.blocks}
    assert {HelpNow, Callout, Worksheet, Faq, Quote, Table, Figure} <= kinds
    assert [p.title for p in booklet.parts] == ["Panic attacks", "Questions and answers"]
    assert booklet.warnings == ()


def test_every_box_kind_has_an_example_and_every_example_loads(tmp_project):
    names = [kind.name for kind in BLOCKS]
    assert set(CONTAINERS) <= set(names)
    for kind in BLOCKS:
        root = tmp_project({f"content/{kind.name}/booklet.md": booklet_md(
            body=f"# Part\n\n{kind.example}\n"), f"content/{kind.name}/picture.svg":
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>'})
        [part] = load_booklet(root / "content" / kind.name).parts
        assert part.blocks, kind.name


def test_blocks_lists_each_kind_with_its_example(capsys):
    assert main(["blocks"]) == 0
    out = capsys.readouterr().out
    assert "help-now: Who to call in an emergency." in out
    assert "    ::: worksheet My week\n    - What helped this week?\n" in out
    assert out.count("\n    :::\n") == 7  # every box is shown closed


def test_help_speaks_to_writers(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "Build handouts from Markdown: each folder content/<name>/ holding a booklet.md" in out
    assert "booklet new panic-attacks" in out and "BuildOptions" not in out
    for command in ("new", "blocks", "check", "build", "watch"):
        assert f"\n    {command} " in out
