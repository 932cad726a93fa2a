"""`booklet new` and `booklet check` through the command line."""

from __future__ import annotations

import subprocess
import sys

from booklet.cli import main
from booklet.source.frontmatter import SCHEMA
from booklet.source.loader import load_booklet

from ..helpers import ROOT, booklet_md

HARD = """\
# Part

Notwithstanding considerable institutional complexity, comprehensive psychological
interventions demonstrably ameliorate characteristic depressive symptomatology.
"""


def test_new_writes_every_front_matter_field(tmp_project, capsys):
    root = tmp_project({})
    assert main(["new", "panic-attacks"]) == 0
    source = root / "content/panic-attacks/booklet.md"
    assert capsys.readouterr().out.startswith("created content/panic-attacks/booklet.md")
    text = source.read_text(encoding="utf-8")
    front = text.split("---")[1]
    for key, spec in SCHEMA.items():
        assert f"{key}:" in front
        assert f"# {spec.doc}" in front
    booklet = load_booklet(source.parent)
    assert booklet.meta.title == "Panic attacks"
    assert [p.title for p in booklet.parts] == ["Panic attacks", "Questions and answers"]


def test_new_booklet_passes_check_and_builds(tmp_project, capsys):
    tmp_project({})
    main(["new", "sleep"])
    assert main(["check", "--strict"]) == 0
    assert main(["build", "--format", "epub"]) == 0
    assert "built sleep: dist/sleep.epub" in capsys.readouterr().out


def test_new_never_overwrites(tmp_project, capsys):
    root = tmp_project({"content/sleep/booklet.md": "mine"})
    assert main(["new", "sleep"]) == 1
    assert capsys.readouterr().err == "content/sleep: already exists; choose another name\n"
    assert (root / "content/sleep/booklet.md").read_text() == "mine"


def test_new_refuses_a_bad_slug(tmp_project, capsys):
    tmp_project({})
    assert main(["new", "Panic Attacks"]) == 1
    assert capsys.readouterr().err == ("'Panic Attacks' cannot name a booklet: use lower-case "
                                       "letters, digits and hyphens, like 'panic-attacks'\n")


def test_check_reports_words_time_and_grades(tmp_project, capsys):
    tmp_project({"content/easy/booklet.md": booklet_md(
        body="# Part\n\nSad people often sleep badly. They feel weak all day.\n")})
    assert main(["check"]) == 0
    assert capsys.readouterr().out == ("easy: 10 words, about 1 min to read; "
                                       "Flesch–Kincaid grade 1.7, SMOG 3.1 (target 8)\n")


def test_grade_above_target_is_a_warning(tmp_project, capsys):
    tmp_project({"content/hard/booklet.md": booklet_md(body=HARD)})
    assert main(["check"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("hard: 12 words")
    assert err.splitlines()[0].startswith(
        "content/hard/booklet.md: warning: Flesch–Kincaid reading grade ")
    assert "is above the target 8 (reading_grade); use shorter sentences" in err
    assert err.splitlines()[-1] == ("  hardest sentence (grade 41.2): Notwithstanding considerable "
                                    "institutional complexity, comprehensive psychological inte...")


def test_a_booklet_after_one_with_hard_sentences_is_reported_too(tmp_project, capsys):
    tmp_project({"content/a-hard/booklet.md": booklet_md(body=HARD),
                 "content/b-hard/booklet.md": booklet_md(body=HARD)})
    assert main(["check"]) == 0
    err = capsys.readouterr().err
    assert err.count("warning: Flesch–Kincaid reading grade") == 2
    assert err.count("  hardest sentence (grade 41.2)") == 2


def test_grade_above_target_fails_under_strict(tmp_project, capsys):
    tmp_project({"content/hard/booklet.md": booklet_md(body=HARD)})
    assert main(["check", "--strict"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("content/hard/booklet.md: Flesch–Kincaid reading grade ")
    assert err[1].startswith("content/hard/booklet.md: SMOG reading grade ")
    assert err[-1] == "failed: hard"


def test_reading_grade_sets_the_target(tmp_project, capsys):
    # Flesch–Kincaid 10.4, SMOG 11.2: above the default 8, within a target of 12.
    body = ("# Part\n\nDepression is a common illness that can affect your relationships "
            "and your concentration. Treatment usually helps.\n")
    tmp_project({"content/default/booklet.md": booklet_md("title: T", body),
                 "content/twelve/booklet.md": booklet_md("title: T\nreading_grade: 12", body)})
    assert main(["check", "--strict", "content/twelve"]) == 0
    assert capsys.readouterr().out.endswith("Flesch–Kincaid grade 10.4, SMOG 11.2 (target 12)\n")
    assert main(["check", "--strict", "content/default"]) == 1


def test_reading_grade_must_be_a_school_grade(tmp_project, capsys):
    tmp_project({"content/hard/booklet.md": booklet_md("title: T\nreading_grade: 20.5",
                                                       HARD)})
    assert main(["check"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "content/hard/booklet.md:3: 'reading_grade' must be a school grade from 1 to 18, "
        "not 20.5", "failed: hard"]


def test_reading_grade_must_be_a_number(tmp_project, capsys):
    tmp_project({"content/x/booklet.md": booklet_md("title: T\nreading_grade: easy")})
    assert main(["check"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/x/booklet.md:3: 'reading_grade' must be a number such as 8, not text")


def test_check_reports_content_errors_like_build(tmp_project, capsys):
    tmp_project({"content/good/booklet.md": booklet_md("title: Good"),
                 "content/broken/booklet.md": booklet_md("subtitle: No title here")})
    assert main(["check"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("good: 1 words")
    assert err.splitlines() == ["content/broken/booklet.md:1: 'title' is required",
                                "failed: broken"]


def test_grades_only_for_english(tmp_project, capsys):
    tmp_project({"content/es/booklet.md": booklet_md("title: T\nlanguage: es",
                                                     "# Parte\n\nHola a todos.\n")})
    assert main(["check", "--strict"]) == 0
    assert capsys.readouterr().out == ("es: 3 words, about 1 min to read; reading grades are "
                                       "computed for English text only\n")


def test_bundled_booklet_passes_strict_check(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert main(["check", "--strict"]) == 0


def test_check_renders_nothing(tmp_project):
    root = tmp_project({"content/a/booklet.md": booklet_md()})
    code = ("import sys; from booklet.cli import main; main(['check']); "
            "print(sorted(m for m in ('weasyprint', 'ebooklib', 'jinja2') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                            text=True, env={"PYTHONPATH": str(ROOT)}, check=True)
    assert result.stdout.splitlines()[-1] == "[]"
    assert not (root / "dist").exists()
