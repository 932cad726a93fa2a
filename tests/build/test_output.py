"""Atomic output: a build killed mid-write leaves the previous good file and no partial one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from booklet.cli import main
from booklet.output import sweep_stale, write_atomic

from ..helpers import ROOT, booklet_md

#: Runs the real command line, stalling once the output's bytes are in the temporary
#: file but before the rename, and says so on stdout.
STALLING_BUILD = """
import os, sys, time
sys.path.insert(0, {root!r})
def stall(fd):
    print("writing", flush=True)
    time.sleep(120)
os.fsync = stall
from booklet.cli import main
sys.exit(main(["build", "--format", "pdf"]))
"""


@pytest.fixture
def project(tmp_project):
    root = tmp_project({"content/demo/booklet.md": booklet_md("title: Demo"),
                        "dist/demo.pdf": b"previous good build"})
    return root


def stalled_build(root: Path) -> subprocess.Popen:
    """A build of `root` that is now stalled between writing its PDF and renaming it."""
    child = subprocess.Popen([sys.executable, "-c", STALLING_BUILD.format(root=str(ROOT))],
                             cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    watchdog = threading.Timer(300, child.kill)
    watchdog.start()
    line = child.stdout.readline()
    watchdog.cancel()
    assert line == "writing\n", child.stderr.read()
    return child


def test_a_build_killed_mid_write_keeps_the_previous_file(project):
    child = stalled_build(project)
    [temporary] = [p for p in (project / "dist").iterdir() if p.name != "demo.pdf"]
    assert temporary.read_bytes().startswith(b"%PDF")
    child.send_signal(signal.SIGKILL)
    child.wait()
    dist = project / "dist"
    assert (dist / "demo.pdf").read_bytes() == b"previous good build"
    assert temporary.exists()  # nobody can clean up after SIGKILL ...
    assert main(["build", "--format", "pdf"]) == 0
    assert sorted(p.name for p in dist.iterdir()) == ["demo.pdf"]  # ... the next build does
    assert (dist / "demo.pdf").read_bytes().startswith(b"%PDF")


def test_a_terminated_build_removes_its_temporary_file(project):
    child = stalled_build(project)
    child.send_signal(signal.SIGTERM)
    assert child.wait() == 128 + signal.SIGTERM
    assert sorted(p.name for p in (project / "dist").iterdir()) == ["demo.pdf"]
    assert (project / "dist/demo.pdf").read_bytes() == b"previous good build"


def test_sweep_removes_only_files_of_processes_that_are_gone(tmp_path):
    target = tmp_path / "demo.pdf"
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    names = [f".demo.pdf.{gone}.x1.tmp", f".demo.pdf.{os.getpid()}.x2.tmp",
             ".demo.pdf.legacy.tmp", f".other.pdf.{gone}.x3.tmp"]
    for name in names:
        (tmp_path / name).write_bytes(b"partial")
    assert sweep_stale(target) == [tmp_path / names[0]]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[1:])


def test_write_failure_leaves_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "demo.pdf"
    target.write_bytes(b"previous good build")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, b"new")
    assert [p.name for p in tmp_path.iterdir()] == ["demo.pdf"]
    assert target.read_bytes() == b"previous good build"
