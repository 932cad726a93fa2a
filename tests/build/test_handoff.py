"""`booklet build` hands its work to a running `booklet watch` of the same project
(`booklet.build.handoff`), gets the files a build of its own writes, and builds by
itself when no watch of this project answers."""

from __future__ import annotations

import os
import stat
import threading
from dataclasses import replace

import pytest

from booklet.build import handoff
from booklet.build.pipeline import build
from booklet.build.watch import Watcher, warm_up

from ..helpers import booklet_md

BODY = "# One\n\nSome text.\n\n## A section\n\nMore text.\n\n# Two\n\nThe end.\n"


@pytest.fixture
def served(tmp_project, options_at_epoch):
    """A project with a watch listening: (project root, watcher, server)."""
    root = tmp_project({"content/a/booklet.md": booklet_md("title: A", BODY),
                        "content/b/booklet.md": booklet_md("title: B", BODY)})
    watcher = Watcher(root / "content", options_at_epoch(root / "dist", formats=("pdf", "epub")),
                      on_done=lambda outcome: None)
    warm_up()
    watcher.build_all()
    watcher.idle()
    server = handoff.Server.open(watcher)
    assert server is not None
    yield root, watcher, server
    server.close()


def _hand_over(server, folders, options):
    """`hand_over` from another thread while this one serves, as the watch loop does."""
    result, done = {}, []

    def client():
        result["outcomes"] = handoff.hand_over(folders, options, done.append)

    thread = threading.Thread(target=client)
    thread.start()
    while thread.is_alive():
        server.poll()
        thread.join(0.02)
    return result["outcomes"], done


def test_the_watch_builds_what_a_build_of_its_own_writes(served, options_at_epoch):
    root, _, server = served
    folders = [root / "content/a", root / "content/b"]
    options = options_at_epoch(root / "handed", formats=("pdf", "epub"))
    outcomes, heard = _hand_over(server, folders, options)
    assert outcomes is not None and [o.slug for o in heard] == ["a", "b"]
    assert all(o.ok and not o.skipped for o in outcomes)
    local = build(folders, replace(options, out=root / "local", overlap=False))
    for ours, theirs in zip(outcomes, local, strict=True):
        assert ours.pages == theirs.pages and ours.warnings == theirs.warnings
        for fmt, path in ours.written.items():
            assert path.parent == root / "handed"
            assert path.read_bytes() == theirs.written[fmt].read_bytes(), fmt


def test_problems_come_back_as_a_build_reports_them(served, options_at_epoch):
    root, _, server = served
    (root / "content/a/booklet.md").write_text(booklet_md("title: A\nsubtitel: x", BODY))
    outcomes, _ = _hand_over(server, [root / "content/a"],
                             options_at_epoch(root / "handed", formats=("pdf",)))
    [outcome] = outcomes
    assert not outcome.ok
    assert "unknown key 'subtitel'" in str(outcome.problems[0])
    assert outcome.problems[0].path == root / "content/a/booklet.md"


def test_the_socket_is_the_users_own(served):
    mode = stat.S_IMODE(os.stat(handoff.SOCKET).st_mode)
    assert mode & 0o077 == 0


@pytest.mark.parametrize("change", ["config", "theme", "code", "epoch"])
def test_a_watch_of_another_project_or_code_refuses(served, options_at_epoch, monkeypatch,
                                                    change):
    root, _, server = served
    options = options_at_epoch(root / "handed", formats=("pdf",))
    if change == "config":
        (root / "other.toml").write_text('help_region = "UK"\n')
        options = replace(options, config=root / "other.toml")
    elif change == "theme":
        (root / "theme").mkdir()
        options = replace(options, theme=root / "theme")
    elif change == "code":
        monkeypatch.setattr(server, "environment", "older code")
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    outcomes, heard = _hand_over(server, [root / "content/a"], options)
    assert outcomes is None and heard == []
    assert not (root / "handed").exists()


def test_without_a_watch_the_build_is_its_own(tmp_project, options_at_epoch):
    root = tmp_project({"content/a/booklet.md": booklet_md("title: A", BODY)})
    options = options_at_epoch(root / "dist", formats=("pdf",))
    assert handoff.hand_over([root / "content/a"], options, print) is None
    handoff.SOCKET.parent.mkdir(parents=True)
    handoff.SOCKET.write_text("")  # left by a watch that was killed: not a socket
    assert handoff.hand_over([root / "content/a"], options, print) is None


def test_a_killed_watch_leaves_a_socket_the_next_one_takes_over(served):
    _, watcher, server = served
    server.listener.close()  # as if killed: the file stays, nobody listens
    assert handoff.SOCKET.exists()
    again = handoff.Server.open(watcher)
    assert again is not None
    again.close()


def test_a_second_watch_does_not_take_the_socket(served):
    _, watcher, server = served
    assert handoff.Server.open(watcher) is None
    server.poll()  # the second watch's look is no request: the first goes on serving


def test_a_watch_builds_what_it_is_handed_in_its_rendering_process(served, options_at_epoch):
    """The command line's watch renders in a rendering process held to the budget:
    a handed-over build goes through it too, and writes the same files."""
    root, watcher, server = served
    server.close()
    contained = Watcher(root / "content", replace(watcher.options, contain=True),
                        on_done=lambda outcome: None)
    again = handoff.Server.open(contained)
    assert again is not None and contained.workers is not None
    try:
        folders = [root / "content/a"]
        options = options_at_epoch(root / "handed", formats=("pdf", "epub"))
        outcomes, _ = _hand_over(again, folders, options)
        [local] = build(folders, replace(options, out=root / "local", overlap=False))
        [ours] = outcomes
        assert ours.ok and ours.written.keys() == local.written.keys()
        for fmt, path in ours.written.items():
            assert path.read_bytes() == local.written[fmt].read_bytes(), fmt
    finally:
        again.close()
        contained.close()


def test_booklet_build_hands_its_work_to_a_running_watch(tmp_path):
    """The command line end to end: `booklet build` while `booklet watch` runs in the
    same project prints what it would print and writes the same files."""
    import subprocess
    import sys
    import time

    from ..helpers import ROOT

    root = tmp_path / "project"
    (root / "content/a").mkdir(parents=True)
    (root / "content/a/booklet.md").write_text(booklet_md("title: A", BODY))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1764547200"}
    command = [sys.executable, "-m", "booklet"]
    alone = subprocess.run([*command, "build", "--format", "pdf", "--out", "alone"],
                           cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert alone.returncode == 0, alone.stderr
    watch = subprocess.Popen([*command, "watch", "--format", "pdf"], cwd=root, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        end = time.monotonic() + 120
        while not (root / handoff.SOCKET).exists() and time.monotonic() < end:
            time.sleep(0.1)
        assert (root / handoff.SOCKET).exists()
        # This build cannot build by itself: only the watch can have made its files.
        site = tmp_path / "site"
        site.mkdir()
        (site / "sitecustomize.py").write_text(
            "import booklet.build.pipeline as pipeline\n"
            "def build(*args, **kwargs):\n"
            "    raise SystemExit('built alone')\n"
            "pipeline.build = build\n")
        handed = subprocess.run([*command, "build", "--format", "pdf", "--out", "handed"],
                                cwd=root, capture_output=True, text=True, timeout=300,
                                env={**env, "PYTHONPATH": f"{site}{os.pathsep}{ROOT}"})
    finally:
        watch.terminate()
        watch.wait(60)
    assert handed.returncode == 0, handed.stderr
    size = alone.stdout.splitlines()[0].rpartition("(")[2]
    assert handed.stdout.splitlines()[0] == f"built a: handed/a.pdf ({size}"
    assert (root / "handed/a.pdf").read_bytes() == (root / "alone/a.pdf").read_bytes()
    assert not (root / handoff.SOCKET).exists()  # the watch took it away as it ended


def test_a_busy_watch_does_not_keep_a_build_waiting(served, options_at_epoch):
    """A watch that is rebuilding does not look at the socket: the build waits a
    moment for it, then builds by itself."""
    import time

    root, _, server = served  # never polled here: busy
    options = options_at_epoch(root / "handed", formats=("pdf",))
    start = time.monotonic()
    assert handoff.hand_over([root / "content/a"], options, print) is None
    assert time.monotonic() - start < handoff.ANSWER_WITHIN + 2
