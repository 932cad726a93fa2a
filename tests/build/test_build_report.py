"""What `booklet build` prints: per-booklet lines, the summary table, warnings."""

from __future__ import annotations

import re

import pytest

from booklet.build.outputs import Outcome
from booklet.build.report import build_progress, summarize
from booklet.cli import main

from ..helpers import ROOT, booklet_md

BAD_CSS = "p { colour: red; }\n"


@pytest.fixture
def themed(tmp_project):
    """One booklet and a theme whose print stylesheet has a typo WeasyPrint warns about."""
    print_css = (ROOT / "styles/print.css").read_text(encoding="utf-8") + BAD_CSS
    return tmp_project({"content/a/booklet.md": booklet_md("title: A"),
                        "theme/styles/print.css": print_css})


def test_renderer_warnings_reach_the_report(themed, capsys):
    assert main(["build", "--format", "pdf", "--theme", "theme"]) == 0
    out, err = capsys.readouterr()
    assert re.fullmatch(r"a: warning: Ignored `colour: red` at \d+:5, unknown property\.\n", err)
    assert out.splitlines()[0].startswith("built a: dist/a.pdf (")
    assert out.splitlines()[2].split() == ["a", "built", "pdf", "pdf", "4",
                                           out.splitlines()[2].split()[5], "KB", "1"]


def test_strict_fails_on_renderer_warnings(themed, capsys):
    assert main(["build", "--format", "pdf", "--theme", "theme", "--strict"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line for line in err if re.fullmatch(
        r"content/a/booklet\.md: warning \(strict\): Ignored `colour: red` at \d+:5, "
        r"unknown property\.", line)]
    assert err[-1] == "failed: a"
    assert not (themed / "dist/a.pdf").exists()


def test_relative_theme_folder(themed, capsys):
    (themed / "theme/styles/print.css").write_text(
        (ROOT / "styles/print.css").read_text(encoding="utf-8"))
    assert main(["build", "--format", "pdf", "--theme", "theme"]) == 0
    assert capsys.readouterr().err == ""


def test_missing_theme_folder_is_a_usage_error(themed, capsys):
    with pytest.raises(SystemExit):
        main(["build", "--theme", "nowhere"])
    assert "argument --theme: no folder 'nowhere'" in capsys.readouterr().err


def test_summary_table_lists_every_booklet(tmp_project, capsys):
    tmp_project({"content/good/booklet.md": booklet_md("title: Good"),
                 "content/broken/booklet.md": booklet_md("subtitle: No title")})
    assert main(["build", "--format", "epub"]) == 1
    out, err = capsys.readouterr()
    table = [line.split() for line in out.splitlines()[1:]]
    assert table[0] == ["booklet", "status", "outputs", "pages", "sizes", "warnings"]
    assert table[1] == ["broken", "FAILED", "-", "-", "-", "0"]
    assert table[2][:4] == ["good", "built", "epub", "-"]
    assert table[3][:4] == ["1", "built,", "1", "failed"]
    assert err.splitlines()[-1] == "failed: broken"


def test_terminal_progress_prints_the_same_lines(tmp_path, capsys):
    path = tmp_path / "a.epub"
    path.write_bytes(b"x" * 4096)
    outcomes = [Outcome(tmp_path / "a", written={"epub": path}), Outcome(tmp_path / "b")]
    outcomes[1].skipped = True
    with build_progress(2, fancy=True) as done:
        for outcome in outcomes:
            done(outcome)
    assert summarize(outcomes, 1.0, fancy=True) == 0
    out = capsys.readouterr().out
    assert f"built a: {path} (4 KB)" in out
    assert "1 built, 1 unchanged in 1.0 s" in out


def test_the_progress_bar_runs_no_thread(tmp_path):
    """A thread would keep each booklet's PDF from being written beside its EPUB."""
    import threading

    path = tmp_path / "a.epub"
    path.write_bytes(b"x")
    with build_progress(3, fancy=True) as done:
        done(Outcome(tmp_path / "a", written={"epub": path}))
        assert threading.active_count() == 1


def test_the_pages_column_names_each_output_in_a_fixed_order():
    from booklet.build.report import page_counts

    assert page_counts({"booklet": 8, "large-print": 19, "pdf": 15}) == \
        "pdf 15, large 19, booklet 4 sheets"
    assert page_counts({"booklet": 2}) == "booklet 1 sheet"
    assert page_counts({}) == "-"
