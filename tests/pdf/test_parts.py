"""`booklet watch` lays out only the sections a save changed (`booklet.pdf.parts`),
once per page-break plan, in its own process or in its rendering process, and what it
writes is what a full build of the same text writes, byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from booklet import engine
from booklet.build.pipeline import build
from booklet.build.watch import Watcher
from booklet.pdf.parts import independent
from booklet.render.html import BUILTIN_STYLES, Renderer

from ..helpers import BUNDLED, ROOT, SPANISH, booklet_md

FORMATS = ("pdf", "epub")
#: Edits, one after another, of the bundled booklet: (text replaced, by what).
EDITS = [
    # a heading of the first part: the contents page changes too
    ("## Low energy", "## Very low energy"),
    # a paragraph of the second part, which keeps its pages
    ("\n## Talk to someone\n", "\nOne more sentence here.\n\n## Talk to someone\n"),
    # half a page more in the first part: every later page number moves
    ("\n## Trouble being present\n",
     "\n" + "Another sentence that makes this part longer. " * 30 + "\n\n"
     "## Trouble being present\n"),
    # a new part before the last one
    ("\n# Questions and answers\n", "\n# A new part\n\nIts text.\n\n# Questions and answers\n"),
]


def _full_build(folder: Path, watcher: Watcher, out: Path) -> dict[str, bytes]:
    """What `booklet build` writes for the booklet as it is now, in a fresh process's
    way: no sections kept, no forked child."""
    from dataclasses import replace

    options = replace(watcher.options, out=out, incremental=False, overlap=False)
    [outcome] = build([folder], options)
    assert outcome.ok, outcome.problems
    return {fmt: path.read_bytes() for fmt, path in outcome.written.items()}


@pytest.fixture
def project(tmp_path, options_at_epoch):
    folder = tmp_path / "content" / BUNDLED.name
    shutil.copytree(BUNDLED, folder)
    shutil.copy(ROOT / "booklet.toml", tmp_path / "booklet.toml")
    shutil.copytree(ROOT / "branding", tmp_path / "branding")  # the practice's logo
    options = options_at_epoch(tmp_path / "dist", formats=FORMATS,
                               config=tmp_path / "booklet.toml")
    watcher = Watcher(tmp_path / "content", options, on_done=lambda outcome: None)
    return folder, watcher


def test_each_save_writes_what_a_full_build_writes(project, tmp_path):
    folder, watcher = project
    watcher.build_all()
    watcher.idle()  # laid out part by part once, and compared
    # the English booklet is laid out twice by the page-break policy (its second plan
    # runs a part on below the one before): its sections are kept for both plans
    assert watcher.parts.counts["composed"] == 2 and not watcher.parts.pending()
    source = folder / "booklet.md"
    hits_before = engine.hits["parts"]
    for n, (old, new) in enumerate(EDITS):
        text = source.read_text(encoding="utf-8")
        assert old in text
        source.write_text(text.replace(old, new, 1), encoding="utf-8")
        before = watcher.parts.counts.copy()
        [outcome] = watcher.rebuild([source])
        assert outcome.ok and not outcome.skipped, outcome.problems
        used = watcher.parts.counts - before
        assert used["composed"] >= 1, (n, used)
        written = {fmt: path.read_bytes() for fmt, path in outcome.written.items()}
        assert written == _full_build(folder, watcher, tmp_path / f"full-{n}"), n
        if n == 0:  # the contents were told where the other sections' headings lie
            assert engine.hits["parts"] > hits_before
        if n == 1:  # only the edited part was laid out again, once per plan
            assert used["laid out"] == 2 and used["composed"] == 2, used


def test_a_style_that_ties_sections_together_is_laid_out_whole(tmp_project,
                                                                options_at_epoch):
    """A running figure number passes the scan only if the scan misses it; it is
    caught there, so the booklet is laid out whole and verify has nothing to do."""
    root = tmp_project({
        "content/a/booklet.md": booklet_md(body="# One\n\nText.\n\n# Two\n\nMore.\n"),
        "theme/styles/print.css": (BUILTIN_STYLES / "print.css").read_text()
        + "\n.part { counter-increment: chapter; }\n"
          ".part > h1::before { content: counter(chapter) '. '; }\n"})
    watcher = Watcher(root / "content", options_at_epoch(root / "dist", formats=("pdf",),
                                                         theme=root / "theme"),
                      on_done=lambda outcome: None)
    watcher.build_all()
    watcher.idle()
    assert not watcher.parts.counts and not watcher.parts.pending()


def test_sections_that_differ_from_the_whole_are_not_used(tmp_project, options_at_epoch):
    """Something the scan does not look for, but that makes pages differ (generated
    content on the body, repeated by every section): the comparison catches it."""
    root = tmp_project({
        "content/a/booklet.md": booklet_md(body="# One\n\nText.\n\n# Two\n\nMore.\n"),
        "theme/styles/print.css": (BUILTIN_STYLES / "print.css").read_text()
        + "\nbody::after { content: 'The end.'; }\n"})
    watcher = Watcher(root / "content", options_at_epoch(root / "dist", formats=("pdf",),
                                                         theme=root / "theme"),
                      on_done=lambda outcome: None)
    watcher.build_all()
    watcher.idle()
    source = root / "content/a/booklet.md"
    source.write_text(source.read_text() + "\nEdited.\n")
    [outcome] = watcher.rebuild([source])
    assert outcome.ok and not outcome.composed
    assert watcher.parts.counts["laid out"] > 0  # tried once, in verify


def test_a_reused_section_reports_its_warnings_again(tmp_project, options_at_epoch):
    """A section laid out at the first build and reused at the next still reports
    what its layout logged, as a full build would (and `--strict` fails alike)."""
    root = tmp_project({
        "content/a/booklet.md": booklet_md(
            body="# One\n\nSee [the end](#nowhere).\n\n# Two\n\nMore.\n"),
        "theme/styles/print.css": (BUILTIN_STYLES / "print.css").read_text()
        + "\np a::after { content: ' (page ' target-counter(attr(href url), page) ')'; }\n"})
    watcher = Watcher(root / "content", options_at_epoch(root / "dist", formats=("pdf",),
                                                         theme=root / "theme"),
                      on_done=lambda outcome: None)
    [first] = watcher.build_all()
    assert any("nowhere" in warning for warning in first.warnings), first.warnings
    watcher.idle()
    source = root / "content/a/booklet.md"
    source.write_text(source.read_text().replace("More.", "More, edited."))
    [outcome] = watcher.rebuild([source])
    assert watcher.parts.counts["composed"] >= 1 and watcher.parts.counts["reused"] >= 1
    assert outcome.warnings == first.warnings


def test_with_the_patch_off_watch_lays_out_whole(project, monkeypatch):
    folder, watcher = project
    monkeypatch.setattr(engine, "install", lambda warn=True: frozenset({"gc"}))
    watcher.build_all()
    watcher.idle()
    source = folder / "booklet.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nOne more line.\n")
    [outcome] = watcher.rebuild([source])
    assert outcome.ok and not watcher.parts.counts and not watcher.parts.pending()


@pytest.mark.parametrize("css, expected", [
    ((BUILTIN_STYLES / "print.css").read_text(), True),
    ("table { table-layout: fixed } .figure { position: absolute }", True),
    ("@page :left { @bottom-left { content: counter(page) } }", True),
    (".toc a::after { content: leader('.') target-counter(attr(href url), page) }", True),
    ("body { string-set: title attr(data-title) }", True),
    ("h2 { string-set: section content() }", False),
    (".item { string-set: label attr(data-label) } .end { string-set: label '' }", True),
    (".part { counter-increment: chapter }", False),
    ("@page { counter-reset: page 3 }", False),
    ("@page :first { margin-top: 4cm }", False),
    ("@page :nth(2) { margin-top: 4cm }", False),
    (".part { break-before: right }", False),
    ("@media print { .part { page-break-before: left } }", False),
    ("header { position: fixed }", False),
    ("header { position: running(top) }", False),
    (".note { float: footnote }", False),
    ("@page { @bottom-right { content: counter(page) ' of ' counter(pages) } }", False),
    ("a::after { content: target-text(attr(href url)) }", False),
])
def test_what_ties_sections_together(css, expected):
    assert independent(css) is expected


def test_the_spanish_booklet_laid_out_once_is_composed_too(tmp_path, options_at_epoch):
    folder = tmp_path / "content" / SPANISH.name
    shutil.copytree(SPANISH, folder)
    shutil.copytree(BUNDLED, tmp_path / "content" / BUNDLED.name)  # what it translates
    watcher = Watcher(tmp_path / "content", options_at_epoch(tmp_path / "dist",
                                                             formats=FORMATS),
                      on_done=lambda outcome: None)
    watcher.build_all()
    watcher.idle()
    source = folder / "booklet.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nUna línea más.\n")
    [outcome] = watcher.rebuild([source])
    assert outcome.ok and outcome.composed, outcome.problems
    written = {fmt: path.read_bytes() for fmt, path in outcome.written.items()}
    assert written == _full_build(folder, watcher, tmp_path / "full")


def test_the_rendering_process_lays_out_part_by_part_too(project, tmp_path):
    """`booklet watch` on the command line renders in a rendering process held to the
    budget: it keeps the sections there, compares once while idle, then composes."""
    from dataclasses import replace

    folder, watcher = project
    contained = Watcher(watcher.content_dir, replace(watcher.options, contain=True),
                        on_done=lambda outcome: None)
    try:
        assert contained.workers is not None and contained.parts is None
        [first] = contained.build_all()
        assert first.ok and not first.composed
        source = folder / "booklet.md"
        for n, (old, new) in enumerate(EDITS[:2]):
            text = source.read_text(encoding="utf-8")
            source.write_text(text.replace(old, new, 1), encoding="utf-8")
            [outcome] = contained.rebuild([source])
            assert outcome.ok and outcome.composed, (n, outcome.problems)
            written = {fmt: path.read_bytes() for fmt, path in outcome.written.items()}
            assert written == _full_build(folder, watcher, tmp_path / f"full-{n}"), n
    finally:
        contained.close()


def test_the_setting_follows_the_booklets_files_without_reading_them(tmp_project,
                                                                     options_at_epoch,
                                                                     monkeypatch):
    """An image replaced changes the setting (its sections are laid out again); the
    text does not (it is what sections are compared by); no file is read whole for
    it, so an unused video in the folder costs nothing at each save."""
    import time

    from booklet.pdf.parts import setting_digest
    from booklet.source.loader import load_booklet

    from ..helpers import PNG

    root = tmp_project({"content/a/booklet.md": booklet_md(body="# One\n\n![A dot](dot.png)\n"),
                        "content/a/dot.png": PNG})
    options = options_at_epoch(root / "dist", formats=("pdf",))
    booklet = load_booklet(root / "content/a", options)
    renderer = Renderer(None)
    first = setting_digest(booklet, renderer, options)
    (root / "content/a/booklet.md").write_text(
        booklet_md(body="# One, edited\n\n![A dot](dot.png)\n"))
    read = []
    whole = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: read.append(path.name) or whole(path))
    assert setting_digest(booklet, renderer, options) == first
    assert "dot.png" not in read
    time.sleep(0.01)
    (root / "content/a/dot.png").write_bytes(PNG + b"\0")
    assert setting_digest(booklet, renderer, options) != first
