from __future__ import annotations

import pytest

from booklet.cli import main

from ..helpers import booklet_md


@pytest.fixture
def two_booklets(tmp_project):
    return tmp_project({
        "content/good/booklet.md": booklet_md("title: Good"),
        "content/broken/booklet.md": booklet_md("subtitle: No title here"),
    })


def test_one_broken_booklet_does_not_stop_the_others(two_booklets, capsys):
    assert main(["build", "--format", "epub"]) == 1
    err = capsys.readouterr().err
    assert "content/broken/booklet.md:1: 'title' is required" in err.splitlines()
    assert err.splitlines()[-1] == "failed: broken"
    dist = two_booklets / "dist"
    assert sorted(p.name for p in dist.iterdir()) == ["good.epub"]


def test_a_failed_build_keeps_the_previous_good_file(two_booklets):
    dist = two_booklets / "dist"
    dist.mkdir()
    (dist / "broken.epub").write_bytes(b"previous good build")
    main(["build", "--format", "epub"])
    assert (dist / "broken.epub").read_bytes() == b"previous good build"
    assert not [p for p in dist.iterdir() if p.name.startswith(".")]


def test_format_and_out_select_outputs(two_booklets, capsys):
    assert main(["build", "content/good", "--format", "pdf", "--out", "public"]) == 0
    assert [p.name for p in (two_booklets / "public").iterdir()] == ["good.pdf"]
    assert "built good: public/good.pdf" in capsys.readouterr().out


def test_unknown_format_is_a_usage_error(two_booklets, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--format", "pdf,docx"])
    assert exit_.value.code == 2
    assert "unknown format 'docx'; choose from pdf, booklet, large-print, epub" in \
        capsys.readouterr().err


@pytest.mark.parametrize("source, message", [
    ("---\ntitle: [broken\n---\n# T\n",
     "content/demo/booklet.md:2: front matter is not valid YAML"),
    (booklet_md("title: x\nsubtitel: y"), "content/demo/booklet.md:3: unknown key 'subtitel'"),
    (booklet_md(body="# T\n\n::: sidebar\nx\n:::\n"), "content/demo/booklet.md:6: unknown block "
     "'::: sidebar'"),
    (booklet_md(body="# T\n\n![Chart](chart.png)\n"), "content/demo/booklet.md:6: image "
     "'chart.png' not found"),
])
def test_bad_input_is_one_located_line(tmp_project, capsys, source, message):
    tmp_project({"content/demo/booklet.md": source})
    assert main(["build", "--format", "epub"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(message)
    assert err[1:] == ["failed: demo"]


def test_no_booklets(tmp_project, capsys):
    tmp_project({"README.md": "nothing here"})
    assert main(["build"]) == 1
    assert "no booklets found" in capsys.readouterr().err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_command_ends_at_once_and_leaves_no_temporary_font_folder(two_booklets, tmp_path,
                                                                      jobs):
    # `booklet.cli.run` ends the process without freeing objects, and the rendering
    # processes are told to end, not killed: each removes WeasyPrint's font folders.
    import os
    import subprocess
    import sys

    from ..helpers import ROOT

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    (two_booklets / "content/broken").rename(two_booklets / "content/other")
    (two_booklets / "content/other/booklet.md").write_text(booklet_md("title: Other"))
    result = subprocess.run(
        [sys.executable, "-m", "booklet", "build", "--format", "pdf,epub", "--jobs", jobs],
        cwd=two_booklets, capture_output=True, text=True, timeout=300,
        env={**os.environ, "TMPDIR": str(temporary), "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (two_booklets / "dist").iterdir()) == \
        ["good.epub", "good.pdf", "other.epub", "other.pdf"]
    assert list(temporary.iterdir()) == []
