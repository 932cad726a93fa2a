"""The reading PDF written in a forked child beside the EPUB: same files, same errors."""

from __future__ import annotations

import logging
import os
import threading

import pytest
from pypdf import PdfReader

from booklet.build import overlap
from booklet.build.pipeline import build
from booklet.build.workers import Workers
from booklet.errors import BookletError, Problem
from booklet.pdf import writer as pdf

from ..helpers import booklet_md

needs_fork = pytest.mark.skipif(not overlap.can_fork(), reason="needs Linux and two cores")


def no_children_left(pids: list[int]) -> bool:
    """Whether every one of these children has ended and been reaped."""
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        return False
    return True


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """The process ids of the children forked while the test runs."""
    children: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return children


@needs_fork
def test_forked_pdf_and_epub_are_the_files_one_process_writes(
        tmp_project, options_at_epoch, forks):
    root = tmp_project({"content/a/booklet.md": booklet_md(
        "title: Side by side", body="# Part\n\nText with a \"quote\".\n\n# Two\n\nMore.\n")})
    [alone] = build([root / "content/a"], options_at_epoch(root / "one", overlap=False))
    assert forks == []
    [beside] = build([root / "content/a"], options_at_epoch(root / "two"))
    assert len(forks) == 1 and no_children_left(forks)
    assert beside.ok and beside.pages == alone.pages
    for fmt in ("pdf", "booklet", "large-print", "epub"):
        assert beside.written[fmt].read_bytes() == alone.written[fmt].read_bytes(), fmt


def test_an_epub_alone_writes_no_whole_pdf(tmp_project, options_at_epoch, monkeypatch):
    """The EPUB's cover comes from the first page: the whole PDF is not written."""
    root = tmp_project({"content/a/booklet.md": booklet_md("title: Only an ebook")})
    monkeypatch.setattr(pdf, "write", lambda *a, **k: pytest.fail("whole PDF written"))
    [outcome] = build([root / "content/a"], options_at_epoch(root / "dist", formats=("epub",)))
    assert outcome.ok and list(outcome.written) == ["epub"]


@needs_fork
def test_a_problem_in_the_child_is_the_booklets_problem(
        tmp_project, options_at_epoch, monkeypatch, forks):
    root = tmp_project({"content/a/booklet.md": booklet_md("title: Broken in the child")})

    def write(*args, **kwargs):
        raise BookletError(Problem(root / "content/a/booklet.md", 2, "cannot write this"))

    monkeypatch.setattr(pdf, "write", write)
    [outcome] = build([root / "content/a"], options_at_epoch(root / "dist"))
    assert len(forks) == 1 and no_children_left(forks)
    assert [p.message for p in outcome.problems] == ["cannot write this"]
    assert not (root / "dist").exists() or not any((root / "dist").iterdir())


@needs_fork
def test_a_child_that_dies_is_replaced_by_the_parent(
        tmp_project, options_at_epoch, monkeypatch, forks):
    root = tmp_project({"content/a/booklet.md": booklet_md("title: A child dies")})
    parent, real_write = os.getpid(), pdf.write

    def write(*args, **kwargs):
        if os.getpid() != parent:
            os._exit(7)
        logging.getLogger("weasyprint").warning("written by the parent")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(pdf, "write", write)
    [outcome] = build([root / "content/a"], options_at_epoch(root / "dist", formats=("pdf",)))
    assert len(forks) == 1 and no_children_left(forks)
    assert outcome.ok and outcome.warnings == ["written by the parent"]
    assert len(PdfReader(outcome.written["pdf"]).pages) == outcome.pages["pdf"] > 0


@needs_fork
def test_warnings_logged_in_the_child_are_reported(
        tmp_project, options_at_epoch, monkeypatch, forks):
    root = tmp_project({"content/a/booklet.md": booklet_md("title: Warned in the child")})
    parent, real_write = os.getpid(), pdf.write

    def write(*args, **kwargs):
        if os.getpid() != parent:
            logging.getLogger("weasyprint").warning("an image could not be read")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(pdf, "write", write)
    [outcome] = build([root / "content/a"], options_at_epoch(root / "dist", formats=("pdf",)))
    assert len(forks) == 1
    assert outcome.ok and outcome.warnings == ["an image could not be read"]


@needs_fork
def test_a_strict_failure_stops_the_child(tmp_project, options_at_epoch, forks):
    root = tmp_project({"content/a/booklet.md": booklet_md(body="# Part\n\nOm ☯ shanti.\n")})
    [outcome] = build([root / "content/a"], options_at_epoch(root / "dist", strict=True))
    assert len(forks) == 1 and no_children_left(forks)
    assert "U+262F" in str(outcome.problems[0])
    assert not (root / "dist").exists() or not any((root / "dist").iterdir())


def test_no_fork_while_another_thread_runs(monkeypatch):
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not overlap.can_fork()
        job = overlap.start(lambda: b"made here")
        assert job.result() == b"made here"
    finally:
        stop.set()
        thread.join()


def test_a_job_not_forked_runs_at_once_and_once():
    calls: list[int] = []
    job = overlap.start(lambda: calls.append(1) or b"x", allowed=False)
    assert calls == [1]  # before whatever the caller does next, as a child would
    assert job.result() == job.result() == b"x" and calls == [1]


def test_workers_side_by_side_do_not_fork(options_at_epoch, tmp_path):
    """Two workers fill the cores; a lone one (a contained build of one booklet)
    leaves one for its PDF writer."""
    from booklet.sandbox.limits import RenderBudget

    with Workers(options_at_epoch(tmp_path), RenderBudget(), 2, None) as workers:
        assert workers.overlap is False
    with Workers(options_at_epoch(tmp_path), RenderBudget(), 1, None) as workers:
        assert workers.overlap is True


@needs_fork
def test_fonts_the_child_prepared_come_back(tmp_project, options_at_epoch, forks):
    """A warm process (`booklet watch`) keeps what its forked children prepared."""
    from booklet.engine import fontcache

    root = tmp_project({"content/a/booklet.md": booklet_md(
        "title: Fonts come back", body="# Part\n\n*Italic* and **bold** text.\n")})
    fontcache._prepared.clear()
    build([root / "content/a"], options_at_epoch(root / "one", formats=("pdf",),
                                                 overlap=False))
    here = set(fontcache._prepared)
    fontcache._prepared.clear()
    build([root / "content/a"], options_at_epoch(root / "two", formats=("pdf",)))
    assert len(forks) == 1
    assert set(fontcache._prepared) == here and len(here) >= 3


def test_with_crop_marks_the_pdf_is_the_same_written_beside_the_epub_or_not(
        tmp_project, options_at_epoch):
    # WeasyPrint draws a document with crop marks differently a second time; the
    # EPUB's cover is a drawing of the first page, so the reading PDF must come first
    # whether a forked child writes it or this process does.
    from dataclasses import replace

    root = tmp_project({"content/a/booklet.md": booklet_md("title: A")})
    written = []
    for forked in (True, False):
        options = replace(options_at_epoch(root / f"out-{forked}", formats=("pdf", "epub")),
                          marks=True, bleed=3.0, overlap=forked)
        [outcome] = build([root / "content/a"], options)
        assert outcome.ok, outcome.problems
        written.append(outcome.written["pdf"].read_bytes())
    assert written[0] == written[1]
