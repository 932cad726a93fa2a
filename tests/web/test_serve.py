"""`booklet serve`, driven as a person would: a real server on 127.0.0.1, real HTTP
requests, saves on disk, then Ctrl-C (SIGINT). Every server is stopped by its test."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from lxml import html as lxml_html

from ..helpers import ROOT, booklet_md

#: Longest wait for the first build, or for a rebuild after a save (a loaded machine).
PATIENCE = 120.0


class Served:
    """A `booklet serve` process and what it has printed so far."""

    def __init__(self, root: Path, *args: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "booklet", "serve", *args], cwd=root, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self.url = ""

    def wait_for_line(self, pattern: str) -> re.Match:
        deadline = time.monotonic() + PATIENCE
        assert self.process.stdout is not None
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.lines.append(line.rstrip("\n"))
            if match := re.search(pattern, line):
                return match
        raise AssertionError(f"no line matching {pattern!r} in {self.lines}")

    def get(self, path: str) -> tuple[int, str, dict]:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return response.status, response.read().decode("utf-8"), dict(response.headers)

    def until(self, path: str, check: Callable[[str], bool]) -> str:
        """The page at `path` once `check` accepts it (polled; the rebuild takes a while)."""
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            body = self.get(path)[1]
            if check(body):
                return body
            time.sleep(0.2)
        raise AssertionError(f"{path} never changed as expected; output: {self.lines}")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        assert self.process.stdout is not None
        if not self.process.stdout.closed:
            self.lines += self.process.stdout.read().splitlines()
            self.process.stdout.close()
        return self.process.returncode


@pytest.fixture
def serve(tmp_project) -> Iterator[Callable[..., Served]]:
    started: list[Served] = []

    def start(*args: str) -> Served:
        root = tmp_project({"content/demo/booklet.md": booklet_md(
            "title: Demo", "# Part one\n\nThe first text.\n")})
        served = Served(root, *args)
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()


def test_serve_answers_reloads_after_a_save_and_shows_a_broken_save(serve, tmp_path):
    served = serve("--port", "0", "--format", "html")
    match = served.wait_for_line(r"serving dist/ at (http://127\.0\.0\.1:(\d+)/)")
    served.url = match[1]
    status, body, headers = served.get("demo.html")
    assert status == 200 and "The first text." in body
    assert headers["Cache-Control"] == "no-store"
    page = lxml_html.document_fromstring(body)
    [script] = page.xpath("//script")
    assert script.get("src") == "/__booklet/live.js"
    generation = script.get("data-generation")
    csp = page.xpath("//meta[@http-equiv]/@content")[0]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp
    assert "The first text." in served.get("")[1] or "Demo" in served.get("")[1]
    # The files written to dist/ carry no script: only the served copy has one.
    root = Path(tmp_path)
    assert "<script" not in (root / "dist/demo.html").read_text()
    assert "<script" not in (root / "dist/index.html").read_text()
    assert "reload" in served.get("__booklet/live.js")[1]

    source = root / "content/demo/booklet.md"
    source.write_text(booklet_md("title: Demo", "# Part one\n\nThe edited text.\n"))
    # The build count moves on once the rebuild is done (the page is written before). A
    # save may reach the watcher in two steps (emptied, then written): wait for both.
    served.until("demo.html", lambda b: "The edited text." in b
                 and f'data-generation="{generation}"' not in b)
    # The event stream names the new build at once.
    with urllib.request.urlopen(served.url + "__booklet/events", timeout=10) as events:
        assert events.headers["Content-Type"] == "text/event-stream"
        assert events.readline() == b"event: build\n"
        assert events.readline().startswith(b"data: ")

    source.write_text(booklet_md("title: Demo\nsubtitel: x", "# Part one\n\nBroken.\n"))
    message = "content/demo/booklet.md:3: unknown key 'subtitel' (did you mean 'subtitle'?)"
    body = served.until("demo.html", lambda b: "subtitel" in b)
    page = lxml_html.document_fromstring(body)
    [box] = page.xpath("//section[@class='booklet-problems']")
    assert box.get("role") == "alert" and box.findtext(".//pre") == message
    assert "The edited text." in body  # the last good page, under the box
    assert "booklet-problems" in served.get("")[1]  # every page shows it
    served.wait_for_line(re.escape(message))  # and the terminal

    source.write_text(booklet_md("title: Demo", "# Part one\n\nMended.\n"))
    served.until("demo.html", lambda b: "Mended." in b and "booklet-problems" not in b)
    assert served.stop() == 0
    assert served.lines[-1] == "stopped"
    assert not any("Traceback" in line for line in served.lines)


def test_a_port_in_use_is_one_clear_line(serve):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        served = serve("--port", str(port), "--format", "html")
        assert served.process.wait(timeout=60) == 1
        served.stop()
    assert served.lines == [f"booklet serve: port {port} on 127.0.0.1 is in use; stop what "
                            "uses it, or choose another with --port"]


def test_serves_on_loopback_only_by_default(serve):
    served = serve("--port", "0", "--format", "html")
    match = served.wait_for_line(r"at http://([\d.]+):(\d+)/")
    assert match[1] == "127.0.0.1"
    assert served.stop() == 0


RELOAD = ROOT / "tools" / "web-check" / "reload.mjs"
NODE_MODULES = ROOT / "tools" / "web-check" / "node_modules" / "puppeteer-core"


@pytest.mark.slow
@pytest.mark.skipif((not NODE_MODULES.exists() or shutil.which("chromium") is None)
                    and not os.environ.get("CI"),
                    reason="needs tools/web-check (npm) and Debian's chromium; .ci/run "
                           "installs them")
def test_the_open_page_reloads_itself_in_a_browser(serve, tmp_path):
    served = serve("--port", "0", "--format", "html")
    served.url = served.wait_for_line(r"serving dist/ at (http://127\.0\.0\.1:\d+/)")[1]
    browser = subprocess.Popen(["node", str(RELOAD), served.url + "demo.html"],
                               cwd=RELOAD.parent, stdout=subprocess.PIPE, text=True)

    def next_load(check: Callable[[dict], bool]) -> dict:
        """The first load of the page `check` accepts (a save may come in two steps)."""
        assert browser.stdout is not None
        while line := browser.stdout.readline():
            if check(load := json.loads(line)):
                return load
        raise AssertionError("the browser stopped before the page changed")

    try:
        # Loaded, with no script or policy errors, listening for builds.
        first = next_load(lambda load: True)
        assert first["generation"] == "1" and "The first text." in first["text"]
        source = Path(tmp_path) / "content/demo/booklet.md"
        source.write_text(booklet_md("title: Demo", "# Part one\n\nThe edited text.\n"))
        edited = next_load(lambda load: "The edited text." in load["text"])
        assert int(edited["generation"]) > 1 and edited["problems"] == ""
        source.write_text(booklet_md("title: Demo\nsubtitel: x", "# Part one\n\nBroken.\n"))
        broken = next_load(lambda load: "subtitel" in load["problems"])
        assert "The edited text." in broken["text"]  # the last good page, under the box
        assert broken["errors"] == []
    finally:
        if browser.poll() is None:  # SIGTERM: puppeteer closes its browser, then exits
            browser.terminate()
            try:
                browser.wait(timeout=30)
            except subprocess.TimeoutExpired:
                browser.kill()
                browser.wait()
        browser.stdout.close()
    assert served.stop() == 0


def test_named_booklets_are_the_only_ones_rebuilt(tmp_project):
    from booklet.build.serve import ChosenWatcher
    from booklet.options import BuildOptions

    root = tmp_project({"content/a/booklet.md": booklet_md("title: A"),
                        "content/b/booklet.md": booklet_md("title: B")})
    watcher = ChosenWatcher([Path("content/a")], BuildOptions(out=root / "dist",
                                                              formats=("html",)),
                            on_done=lambda outcome: None)
    changed = [root / "content/a/booklet.md", root / "content/b/booklet.md"]
    assert watcher.affected(changed) == [root / "content/a"]
    assert watcher.content_dir == root / "content"
