"""Skipping up-to-date booklets: what counts as a change, and what the no-op costs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import make_dataclass
from pathlib import Path

import pytest

from booklet.build.cache import cache_path, shared_digest
from booklet.build.pipeline import build
from booklet.cli import main
from booklet.options import BuildOptions

from ..helpers import PNG, ROOT, booklet_md


@pytest.fixture
def project(tmp_project):
    return tmp_project({
        "content/a/booklet.md": booklet_md("title: A", "# A\n\n![Dot](dot.png)\n"),
        "content/a/dot.png": PNG,
        "content/b/booklet.md": booklet_md("title: B"),
    })


def run(project, *formats, **options):
    folders = [project / "content/a", project / "content/b"]
    outcomes = build(folders, BuildOptions(out=project / "dist", formats=formats or ("epub",),
                                           incremental=True, **options))
    assert all(o.ok for o in outcomes), [o.problems for o in outcomes]
    return {o.slug: o.skipped for o in outcomes}


def test_second_build_skips_and_leaves_outputs_alone(project):
    assert run(project) == {"a": False, "b": False}
    before = (project / "dist/a.epub").stat().st_mtime_ns
    assert run(project) == {"a": True, "b": True}
    assert (project / "dist/a.epub").stat().st_mtime_ns == before


@pytest.mark.parametrize("change", [
    lambda p: (p / "content/a/booklet.md").write_text(booklet_md("title: A2", "# A\n")),
    lambda p: (p / "content/a/dot.png").write_bytes(PNG + b"\0"),
    lambda p: (p / "content/a/new-picture.png").write_bytes(PNG),
    lambda p: (p / "dist/a.epub").unlink(),
    lambda p: (p / "dist/a.epub").write_bytes(b"someone else's file"),
])
def test_a_change_to_one_booklet_rebuilds_only_it(project, change):
    run(project)
    change(project)
    assert run(project) == {"a": False, "b": True}


def test_ignored_files_do_not_count(project):
    run(project)
    (project / "content/a/.booklet.md.swp").write_text("editor state")
    (project / "content/a/booklet.md~").write_text("backup")
    assert run(project) == {"a": True, "b": True}


def test_shared_inputs_rebuild_every_booklet(project, monkeypatch):
    run(project)
    theme = project / "theme"
    (theme / "styles").mkdir(parents=True)
    assert run(project, theme=theme) == {"a": False, "b": False}
    assert run(project, theme=theme) == {"a": True, "b": True}
    (theme / "styles/ebook.css").write_text("p { margin: 0 }")
    assert run(project, theme=theme) == {"a": False, "b": False}
    (project / "booklet.toml").write_text("# project config\n")
    assert run(project, theme=theme) == {"a": False, "b": False}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    assert run(project, theme=theme) == {"a": False, "b": False}
    assert run(project, theme=theme) == {"a": True, "b": True}


def test_options_that_change_outputs_rebuild(project):
    run(project)
    assert run(project, strict=True) == {"a": False, "b": False}
    assert run(project, strict=True, jobs=3) == {"a": True, "b": True}


def test_a_broken_cache_file_means_a_full_build(project):
    run(project)
    cache_path(project / "dist").write_text("{not json")
    assert run(project) == {"a": False, "b": False}
    assert json.loads(cache_path(project / "dist").read_text())["format"] == 1


def test_a_failed_booklet_is_tried_again(project, capsys):
    (project / "content/b/booklet.md").write_text(booklet_md("subtitle: no title"))
    assert main(["build", "--format", "epub"]) == 1
    assert main(["build", "--format", "epub"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err.count("content/b/booklet.md:1: 'title' is required") == 2


def test_force_rebuilds(project, capsys):
    assert main(["build", "--format", "epub"]) == 0
    assert "built a: dist/a.epub" in capsys.readouterr().out
    assert main(["build", "--format", "epub"]) == 0
    out = capsys.readouterr().out
    assert "built a:" not in out
    assert "a        unchanged  epub" in out
    # The time is the machine's, not the build's: only its form is checked here.
    assert re.fullmatch(r"2 unchanged in \d+\.\d s \(all up to date; --force rebuilds\)",
                        out.splitlines()[-1])
    assert main(["build", "--format", "epub", "--force"]) == 0
    assert "built a: dist/a.epub" in capsys.readouterr().out


def test_nothing_to_do_imports_no_renderer(project):
    """The no-op build hashes files only: WeasyPrint, Jinja, Markdown, the image and
    network libraries stay unloaded."""
    code = ("import sys; from booklet.cli import main; code = main(['build']); "
            "print(code, sorted(m for m in ('weasyprint', 'jinja2', 'markdown_it', 'yaml', "
            "'ebooklib', 'rich', 'PIL', 'lxml', 'urllib.request') if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True,
                           text=True, env=env, check=True)
    assert "markdown_it" in first.stdout.splitlines()[-1]  # it loaded booklets (workers rendered)
    second = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True,
                            text=True, env=env, check=True)
    assert second.stdout.splitlines()[-1] == "0 []"


def test_every_option_counts_even_ones_added_later(tmp_path):
    """Options that change the output count, whatever they are; out and jobs do not."""
    extra = make_dataclass("Extra", [("paper", str, "a5"), ("config", Path | None, None)],
                           bases=(BuildOptions,), frozen=True)
    assert shared_digest(extra(paper="a5")) != shared_digest(extra(paper="letter"))
    assert (shared_digest(BuildOptions(out=tmp_path / "a", jobs=1))
            == shared_digest(BuildOptions(out=tmp_path / "b", jobs=4)))
    config = tmp_path / "practice.toml"
    config.write_text("name = 'A'\n")
    before = shared_digest(extra(config=config))
    config.write_text("name = 'B'\n")
    assert shared_digest(extra(config=config)) != before


def test_files_the_config_names_count(project):
    """Editing the help contacts, the logo or the theme booklet.toml names rebuilds."""
    contacts = (ROOT / "booklet/data/help-contacts.toml").read_text(encoding="utf-8")
    logo = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" ' \
           'height="4" fill="{}"/></svg>'
    (project / "contacts.toml").write_text(contacts, encoding="utf-8")
    (project / "logo.svg").write_text(logo.format("black"), encoding="utf-8")
    (project / "look/styles").mkdir(parents=True)
    (project / "booklet.toml").write_text(
        'help_region = "US"\nhelp_contacts = "contacts.toml"\ntheme = "look"\n'
        '[practice]\nname = "A practice"\nlogo = "logo.svg"\n', encoding="utf-8")
    config = project / "booklet.toml"
    assert run(project, config=config) == {"a": False, "b": False}
    assert run(project, config=config) == {"a": True, "b": True}
    (project / "contacts.toml").write_text(contacts.replace("Call or text 988",
                                                            "Call or text 988 now"))
    assert run(project, config=config) == {"a": False, "b": False}
    (project / "logo.svg").write_text(logo.format("navy"), encoding="utf-8")
    assert run(project, config=config) == {"a": False, "b": False}
    (project / "look/styles/ebook.css").write_text("p { margin: 0 }", encoding="utf-8")
    assert run(project, config=config) == {"a": False, "b": False}
    assert run(project, config=config) == {"a": True, "b": True}
