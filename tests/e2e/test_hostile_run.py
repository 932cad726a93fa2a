"""Hostile runs (issue 20): what no content limit foresees is contained, signals stop a
build, outputs never collide or half-write, printed names forge no lines, remote
fetches end on time, the up-to-date check reads only what it should, an image is used
with the bytes checked, and watch survives content/ made again.

Each attack is generated here; each test checks the one-line message, the exit
status, that the other booklets were still built, that the previous outputs were
kept, that no process was left running and, where the attack was a hang or a hog,
time or memory."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from booklet.cli import main

from ..helpers import PNG, ROOT, Screen, booklet_md, write_files

GOOD = booklet_md("title: Good")
PREVIOUS = b"%PDF previous good build"


# --- helpers ----------------------------------------------------------------------------

def big_png(side: int = 7000) -> bytes:
    """A `side` × `side` RGB PNG (49 megapixels: within the 50-megapixel limit) of a
    few hundred KB, which takes some 150 MB and a few seconds of CPU to draw."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    packer = zlib.compressobj(9)
    row = b"\0" + bytes([40, 90, 160]) * side
    pixels = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = side.to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + \
        chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def big() -> bytes:
    return big_png()


def hog(image: bytes, count: int) -> dict[str, bytes | str]:
    """content/hog: `count` different names for a 49-megapixel picture."""
    files: dict[str, bytes | str] = {f"content/hog/p{n}.png": image for n in range(count)}
    body = "# Pictures\n\n" + "\n\n".join(f"![Picture {n}](p{n}.png)" for n in range(count))
    files["content/hog/booklet.md"] = booklet_md("title: Hog", body + "\n")
    return files


def descendants(pid: int) -> set[int]:
    """Every process descended from `pid`, but multiprocessing's resource tracker (it
    lives as long as the process that started it, and ends on its own after it)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        if b"resource_tracker" not in command:
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    """Which of `pids` still run (zombies count as gone)."""
    running = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            running.add(pid)
    return running


def wait_until(check: Callable[[], object], seconds: float = 120) -> object:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if found := check():
            return found
        time.sleep(0.05)
    raise AssertionError(f"not within {seconds} s")


@dataclass
class Run:
    """One command-line run in a throwaway project."""

    status: int
    out: list[str]
    errors: list[str]
    root: Path
    seconds: float

    def output(self, name: str) -> bytes | None:
        path = self.root / "dist" / name
        return path.read_bytes() if path.is_file() else None


@pytest.fixture
def project(tmp_path, monkeypatch, capsys):
    """Write `files` (a good booklet beside them, and a previous good dist/hog.pdf and
    dist/slow.pdf), run the command line there, and check that it left no process
    running and printed no traceback."""
    root = tmp_path / "project"

    def run(files: dict[str, str | bytes], *args: str, command: str = "build",
            setup: Callable[[Path], object] | None = None) -> Run:
        files = {"content/good/booklet.md": GOOD, "dist/hog.pdf": PREVIOUS,
                 "dist/slow.pdf": PREVIOUS, **files}
        write_files(root, files)
        if setup:
            setup(root)
        monkeypatch.chdir(root)
        capsys.readouterr()
        before = descendants(os.getpid())
        start = time.perf_counter()
        status = main([command, *args])
        seconds = time.perf_counter() - start
        assert alive(descendants(os.getpid()) - before) == set()
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return Run(status, out.splitlines(), err.splitlines(), root, seconds)

    return run


def limits(memory: int | None = None, seconds: int | None = None) -> str:
    lines = ["[limits]"]
    if memory is not None:
        lines.append(f"memory_mb = {memory}")
    if seconds is not None:
        lines.append(f"seconds = {seconds}")
    return "\n".join(lines) + "\n"


# --- containment: a budget of memory and time per booklet --------------------------------

def test_a_booklet_past_its_memory_fails_alone(project, big):
    """Three 49-megapixel pictures (each within the limits) take some 600 MB to draw;
    the good booklet needs about 310 MB."""
    run = project({**hog(big, 3), "booklet.toml": limits(memory=450)},
                  "-j", "1", "--format", "pdf")
    assert run.status == 1
    assert run.errors == ["content/hog/booklet.md: rendering exceeded the 450 MB limit",
                          "failed: hog"]
    assert run.output("good.pdf").startswith(b"%PDF")
    assert run.output("hog.pdf") == PREVIOUS


def test_a_booklet_past_its_time_fails_alone_and_is_stopped_on_time(project, big):
    """Eight 49-megapixel pictures take half a minute of CPU to draw (more than the
    limit on any machine); the good booklet, a second on a busy one."""
    files = {f"content/slow/{name.partition('/')[2].partition('/')[2]}": data
             for name, data in hog(big, 8).items() if name.endswith(".png")}
    files["content/slow/booklet.md"] = hog(big, 8)["content/hog/booklet.md"]
    run = project({**files, "booklet.toml": limits(seconds=5)}, "-j", "1", "--format", "pdf")
    assert run.status == 1
    assert run.errors == ["content/slow/booklet.md: rendering exceeded the 5 s limit",
                          "failed: slow"]
    assert run.output("good.pdf").startswith(b"%PDF")
    assert run.output("slow.pdf") == PREVIOUS
    assert run.seconds < 5 + 60  # the start of the rendering process, the good booklet


def test_jobs_workers_are_held_to_the_budget_and_replaced(project, big):
    """With --jobs 2, the worker that failed is replaced, and every other booklet built."""
    more = {f"content/good{n}/booklet.md": GOOD for n in range(3)}
    run = project({**hog(big, 3), **more, "booklet.toml": limits(memory=450)},
                  "-j", "2", "--format", "pdf")
    assert run.status == 1
    assert run.errors == ["content/hog/booklet.md: rendering exceeded the 450 MB limit",
                          "failed: hog"]
    for name in ("good", "good0", "good1", "good2"):
        assert run.output(f"{name}.pdf").startswith(b"%PDF")
    assert run.output("hog.pdf") == PREVIOUS


def test_the_limits_are_checked_in_booklet_toml(project):
    run = project({"booklet.toml": "[limits]\nmemory_mb = 12\nseconds = -1\nsecond = 1\n"})
    assert run.status == 1
    assert run.errors == [
        "booklet.toml:2: 'memory_mb' must be a whole number of MB from 256 to 65536, or 0 "
        "for no limit, not 12",
        "booklet.toml:3: 'seconds' must be a whole number of seconds from 1 to 86400, or 0 "
        "for no limit, not -1",
        "booklet.toml:4: unknown key 'second' (did you mean 'seconds'?)",
        "failed: the project configuration has problems; nothing was built"]


def long_booklet() -> str:
    """Text up to the size limit (256 KB: 50 parts of 5 sections), some 160 pages: half
    a minute of CPU to lay out both PDF editions."""
    words = "you can talk with your partner about how the week went and what helps".split()
    sentence = " ".join(words) + ". "
    parts = [f"# Part {p}\n\n" + "".join(f"## Section {p}.{n}\n\n" + sentence * 60 + "\n\n"
                                         for n in range(5)) for p in range(50)]
    return booklet_md("title: Long", "".join(parts))[:250 * 1024]


def test_check_layout_is_held_to_the_budget(project):
    run = project({"content/long/booklet.md": long_booklet(),
                   "booklet.toml": limits(seconds=3)}, "--layout", command="check")
    assert run.status == 1
    assert "content/long/booklet.md: rendering exceeded the 3 s limit" in run.errors
    assert run.errors[-1] == "failed: long"
    assert any(line.startswith("  reading edition (A5): 4 pages") for line in run.out)


def test_watch_keeps_one_warm_process_and_replaces_it_when_it_dies(tmp_project, big):
    from booklet.build.watch import Watcher
    from booklet.options import BuildOptions

    root = tmp_project({"content/good/booklet.md": GOOD, "booklet.toml": limits(memory=450)})
    before = descendants(os.getpid())
    options = BuildOptions(out=root / "dist", formats=("pdf",), config=root / "booklet.toml",
                           contain=True)
    watcher = Watcher(root / "content", options, on_done=lambda outcome: None)
    try:
        [first] = watcher.build_all()
        assert first.ok
        [worker] = watcher.workers.workers
        source = root / "content/good/booklet.md"
        source.write_text(booklet_md("title: Good, saved"))
        [second] = watcher.rebuild([source])
        assert second.ok and watcher.workers.workers == [worker]  # the same warm process
        write_files(root, hog(big, 3))
        [failed] = watcher.rebuild([root / "content/hog/booklet.md"])
        assert [str(p) for p in failed.problems] == [
            "content/hog/booklet.md: rendering exceeded the 450 MB limit"]
        assert not worker.alive
        source.write_text(booklet_md("title: Good, saved again"))
        [third] = watcher.rebuild([source])
        assert third.ok and watcher.workers.workers[0] is not worker  # a fresh one
    finally:
        watcher.close()
    assert alive(descendants(os.getpid()) - before) == set()


@pytest.mark.parametrize("fatal", [MemoryError, KeyboardInterrupt])
def test_what_weasyprint_catches_while_drawing_an_svg_still_stops_the_booklet(fatal):
    """WeasyPrint's SVGImage.draw catches BaseException, logs it and draws on."""
    from weasyprint.images import SVGImage

    from booklet import engine
    from booklet.engine.messages import fatal_errors, raise_fatal

    engine.install(warn=False)

    class Failing:
        def draw(self, *args):
            raise fatal()

    image = SVGImage.__new__(SVGImage)
    image._svg, image._base_url, image._context = Failing(), "x.svg", None
    with fatal_errors():
        image.draw(None, 1, 1, None)  # swallowed by WeasyPrint, as it was
        with pytest.raises(fatal):
            raise_fatal()
    raise_fatal()  # once raised, nothing is left to raise


# --- signals: a build told to stop stops, keeps the previous outputs, leaves nothing ------

#: The command line, in this process's own rendering (no budget, one CPU: no forked
#: writer), with a signal sent to itself while WeasyPrint draws the first SVG image.
SIGNAL_WHILE_DRAWING = """
import os, signal, sys
sys.path.insert(0, {root!r})
os.sched_setaffinity(0, {{0}})
from booklet import engine
engine.install(warn=False)
from weasyprint.svg import SVG
draw = SVG.draw
def draw_after_a_signal(self, *args, **kwargs):
    if not getattr(SVG, "sent", False):
        SVG.sent = True
        os.kill(os.getpid(), signal.{signal})
    return draw(self, *args, **kwargs)
SVG.draw = draw_after_a_signal
from booklet.cli import main
sys.exit(main(["build", "--format", "pdf"]))
"""

PICTURE = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">' \
          '<rect width="10" height="10"/></svg>'


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_weasyprint_swallows_still_stops_the_build(tmp_path, sig):
    root = tmp_path / "project"
    write_files(root, {"content/demo/booklet.md": booklet_md("title: Demo", "# Part\n\n![A square]"
                                                     "(square.svg)\n"),
                 "content/demo/square.svg": PICTURE, "dist/demo.pdf": PREVIOUS,
                 "booklet.toml": limits(memory=0, seconds=0)})
    script = SIGNAL_WHILE_DRAWING.format(root=str(ROOT), signal=sig.name)
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 128 + sig
    assert done.stderr.splitlines() == [
        f"booklet: stopped ({sig.name}); each file in the output folder is whole: this "
        "build's, or the one before"]
    assert (root / "dist/demo.pdf").read_bytes() == PREVIOUS
    assert sorted(p.name for p in (root / "dist").iterdir()) == ["demo.pdf"]


def slow_project(root: Path, big: bytes, count: int = 8) -> None:
    """content/good, then content/slow: `count` 49-megapixel pictures (a minute of CPU)."""
    files = {name.replace("content/hog/", "content/slow/"): data
             for name, data in hog(big, count).items()}
    write_files(root, {"content/good/booklet.md": GOOD, "dist/slow.pdf": PREVIOUS, **files})


def start_build(root: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "booklet", "build", "--format", "pdf",
                             *args], cwd=root, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def rendering_slow(build: subprocess.Popen) -> None:
    """Wait until the good booklet is built: the slow one renders now."""
    assert build.stdout is not None
    line = build.stdout.readline()
    assert line.startswith("built good:"), line + build.stderr.read()
    time.sleep(1)


def test_sigterm_while_a_worker_renders_stops_the_build_and_the_worker(tmp_path, big):
    root = tmp_path / "project"
    slow_project(root, big)
    build = start_build(root, "-j", "1")
    try:
        rendering_slow(build)
        children = descendants(build.pid)
        assert children
        build.send_signal(signal.SIGTERM)
        assert build.wait(60) == 128 + signal.SIGTERM
        assert build.stderr.read().splitlines() == [
            "booklet: stopped (SIGTERM); each file in the output folder is whole: this "
            "build's, or the one before"]
        assert wait_until(lambda: not alive(children), 10)
    finally:
        build.kill()
        build.wait()
    assert (root / "dist/slow.pdf").read_bytes() == PREVIOUS
    assert sorted(p.name for p in (root / "dist").iterdir()) == ["good.pdf", "slow.pdf"]


@pytest.mark.parametrize("jobs, depth", [("1", 2), ("2", 1)])
def test_a_killed_build_leaves_no_worker_or_pdf_writer_running(tmp_path, big, jobs, depth):
    """SIGKILL gives the build no chance to clean up: its children go by themselves.
    With one job the worker forks a PDF writer (depth 2); with two, two workers."""
    root = tmp_path / "project"
    slow_project(root, big)
    write_files(root, {"content/slow2/booklet.md": hog(big, 1)["content/hog/booklet.md"],
                 "content/slow2/p0.png": big})
    build = start_build(root, "-j", jobs)
    try:
        def rendering() -> set[int]:
            children = descendants(build.pid)
            grandchildren = {p for child in children for p in descendants(child)}
            if depth == 2 and grandchildren or depth == 1 and len(children) >= 2:
                return children
            return set()

        children = wait_until(rendering, 120)
        build.kill()
        build.wait()
        assert wait_until(lambda: not alive(children), 10)
    finally:
        build.kill()
        build.wait()
    assert (root / "dist/slow.pdf").read_bytes() == PREVIOUS


# --- output names: no two booklets write the same file -----------------------------------

def test_folders_whose_outputs_share_a_name_fail_before_anything_is_written(project):
    run = project({"content/x/booklet.md": GOOD, "content/x-booklet/booklet.md": GOOD,
                   "content/x-large-print/booklet.md": GOOD, "content/index/booklet.md": GOOD,
                   "dist/x-booklet.pdf": PREVIOUS})
    assert run.status == 1
    assert run.errors == [
        "content/index/booklet.md: its web page index.html has the name of the handout "
        "library: one would overwrite the other; rename the folder",
        "content/x/booklet.md: its fold-and-staple booklet x-booklet.pdf has the name of "
        "content/x-booklet's reading edition; its large-print edition x-large-print.pdf has "
        "the name of content/x-large-print's reading edition: one would overwrite the other; "
        "rename the folder",
        "content/x-booklet/booklet.md: its reading edition x-booklet.pdf has the name of "
        "content/x's fold-and-staple booklet: one would overwrite the other; rename the "
        "folder",
        "content/x-large-print/booklet.md: its reading edition x-large-print.pdf has the name "
        "of content/x's large-print edition: one would overwrite the other; rename the folder",
        "failed: index, x, x-booklet, x-large-print"]
    assert sorted(p.name for p in (run.root / "dist").iterdir() if p.is_file()) == [
        "good-booklet.pdf", "good-large-print.pdf", "good.epub", "good.html", "good.pdf",
        "hog.pdf", "index.html", "slow.pdf", "x-booklet.pdf"]
    assert run.output("x-booklet.pdf") == PREVIOUS


def test_a_clash_with_a_folder_not_being_built_counts_too(project):
    """`booklet build content/x-booklet` would overwrite x's booklet all the same."""
    run = project({"content/x/booklet.md": GOOD, "content/x-booklet/booklet.md": GOOD},
                  "content/x-booklet", "content/good", "--format", "pdf")
    assert run.status == 1
    assert run.errors[0].startswith("content/x-booklet/booklet.md: its reading edition "
                                    "x-booklet.pdf has the name of content/x's")
    assert run.errors[-1] == "failed: x-booklet"
    assert run.output("good.pdf") and not run.output("x-booklet.pdf")


# --- a disk that cannot take the files: one line naming the file -------------------------

def test_an_output_folder_that_is_a_file(project):
    run = project({"out.pdf": b"a file"}, "--out", "out.pdf")
    assert run.status == 1
    assert run.errors == ["out.pdf: the output folder (--out) is a file, not a folder",
                          "failed: nothing was built"]
    assert (run.root / "out.pdf").read_bytes() == b"a file"


def test_an_output_folder_inside_a_file(project):
    run = project({"out.pdf": b"a file"}, "--out", "out.pdf/dist")
    assert run.status == 1
    assert run.errors == ["out.pdf/dist: the output folder cannot be written into: a part "
                          "of the path is a file, not a folder (Not a directory)",
                          "failed: nothing was built"]


#: A build run where its output folder is a small file system of its own (a tmpfs in a
#: mount namespace of its own, so nothing is left mounted), filled but for `room` KB.
ON_A_SMALL_DISK = """
set -e
mount -t tmpfs -o size={size}k tmpfs dist {readonly}
printf '%s' '{previous}' > dist/good.pdf 2>/dev/null || true
{fill}
status=0
PYTHONPATH={root} {python} -m booklet build --format pdf,epub 2> errors.txt || status=$?
echo "status $status"
ls -a dist > listing.txt
cat dist/good.pdf > kept.txt 2>/dev/null || true
"""


def small_disk(root: Path, size: int, fill: int = 0, readonly: bool = False
               ) -> subprocess.CompletedProcess:
    if not shutil.which("unshare") or subprocess.run(
            ["unshare", "-rm", "true"], capture_output=True).returncode != 0:
        pytest.skip("no mount namespaces here (unshare -rm)")
    script = ON_A_SMALL_DISK.format(
        size=size, root=ROOT, python=sys.executable, previous=PREVIOUS.decode(),
        readonly="&& mount -o remount,ro dist" if readonly else "",
        fill=f"head -c {fill * 1024} /dev/zero > dist/filler || true" if fill else "")
    (root / "dist").mkdir(exist_ok=True)
    return subprocess.run(["unshare", "-rm", "sh", "-c", script], cwd=root,
                          capture_output=True, text=True, timeout=300)


def test_a_full_disk_fails_the_booklet_with_the_file_named(tmp_path):
    """A real full disk: a 256 KB tmpfs holding the previous PDF and filled to the top."""
    root = tmp_path / "project"
    write_files(root, {"content/good/booklet.md": GOOD})
    done = small_disk(root, size=256, fill=256)
    assert "status 1" in done.stdout, done.stdout + done.stderr
    errors = (root / "errors.txt").read_text().splitlines()
    assert errors[0] in ("dist/good.pdf: cannot be written: the disk is full (No space left "
                         "on device)", "dist/good.epub: cannot be written: the disk is full "
                         "(No space left on device)")
    assert errors[-1] == "failed: good" and "Traceback" not in "".join(errors)
    assert (root / "kept.txt").read_bytes() == PREVIOUS
    assert ".tmp" not in (root / "listing.txt").read_text()


def test_a_read_only_output_folder_is_one_line(tmp_path):
    root = tmp_path / "project"
    write_files(root, {"content/good/booklet.md": GOOD})
    done = small_disk(root, size=1024, readonly=True)
    assert "status 1" in done.stdout, done.stdout + done.stderr
    assert (root / "errors.txt").read_text().splitlines() == [
        "dist: the output folder cannot be written into: the file system is read-only "
        "(Read-only file system)", "failed: nothing was built"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_an_output_folder_without_write_permission_is_one_line(project):
    """Where there are no mount namespaces: a folder the build's user may not write."""
    lock = lambda root: (root / "locked").chmod(0o555)  # noqa: E731
    run = project({"locked/.keep": ""}, "--out", "locked", setup=lock)
    (run.root / "locked").chmod(0o755)
    assert run.status == 1
    assert run.errors == ["locked: the output folder cannot be written into: permission "
                          "denied (Permission denied)", "failed: nothing was built"]


#: The command line with a file-size limit (RLIMIT_FSIZE): writes past it fail as on a
#: full disk, on machines without mount namespaces too.
WITH_A_FILE_SIZE_LIMIT = """
import resource, signal, sys
sys.path.insert(0, {root!r})
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
from booklet.cli import main
sys.exit(main(["build", "--format", "pdf,epub"]))
"""


def noise_png(side: int) -> bytes:
    """A PNG of random pixels: as large as its pixels (3 bytes each), whatever packs it."""
    import io

    from PIL import Image

    data = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(data, "PNG")
    return data.getvalue()


def test_a_write_past_the_file_size_limit_is_one_line(tmp_path):
    """A simulation of a full disk: the booklet's PDF and EPUB (7 MB each, for their
    picture) are larger than the process may write (4 MB; WeasyPrint's own temporary
    font files are smaller); both previous files are kept."""
    root = tmp_path / "project"
    write_files(root, {"content/good/booklet.md": booklet_md("title: Good", "# Part\n\n![Noise]"
                                                     "(noise.png)\n"),
                 "content/good/noise.png": noise_png(1500), "dist/good.epub": b"previous",
                 "dist/good.pdf": PREVIOUS})
    script = WITH_A_FILE_SIZE_LIMIT.format(root=str(ROOT), limit=4 * 2**20)
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "dist/good.pdf: cannot be written: the file is larger than the file system (or "
        "this process) allows (File too large)", "failed: good"]
    assert (root / "dist/good.epub").read_bytes() == b"previous"
    assert (root / "dist/good.pdf").read_bytes() == PREVIOUS
    assert sorted(p.name for p in (root / "dist").iterdir()) == ["good.epub", "good.pdf"]


def test_a_file_rendering_cannot_write_is_one_line(tmp_path):
    """WeasyPrint writes the fonts it loads to temporary files: when it cannot (a full
    /tmp, here a file-size limit of 20 KB), the booklet fails with one line."""
    root = tmp_path / "project"
    write_files(root, {"content/good/booklet.md": GOOD, "dist/good.pdf": PREVIOUS})
    script = WITH_A_FILE_SIZE_LIMIT.format(root=str(ROOT), limit=20_000)
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "content/good/booklet.md: rendering failed: a file cannot be written: the file is "
        "larger than the file system (or this process) allows (File too large)",
        "failed: good"]
    assert (root / "dist/good.pdf").read_bytes() == PREVIOUS


def test_a_build_cache_that_cannot_be_written_is_a_warning(project):
    run = project({".cache": "a file where the cache folder goes"}, "--format", "pdf")
    assert run.status == 0
    assert run.output("good.pdf").startswith(b"%PDF")
    [warning] = run.errors
    assert warning.startswith("warning: .cache/booklet/build-") and warning.endswith(
        ": cannot be written: a part of the path is a file, not a folder (Not a directory); the "
        "next build will redo this one's work")


# --- names printed: no line can be forged -----------------------------------------------

NAMES = ["evil\nbuilt fake: dist/fake.pdf (1 KB)", "esc\x1b[2K\x1b[1Ax", "rtl\u202efdp.x",
         "[bold red]x"]
SHOWN = ["evil\\nbuilt fake: dist\u2215fake.pdf (1 KB)", "esc\\x1b[2K\\x1b[1Ax",
         "rtl\\u202efdp.x", "[bold red]x"]


def test_folder_names_that_could_forge_lines_are_refused_and_shown_escaped(project):
    files = {f"content/{name.replace('/', chr(0x2215))}/booklet.md": GOOD for name in NAMES}
    run = project(files, "--format", "pdf")
    assert run.status == 1
    for shown in SHOWN:
        suggestion = [line for line in run.errors if line.startswith(f"content/{shown}: ")]
        assert len(suggestion) == 1 and "cannot name a booklet" in suggestion[0]
        assert any(line.startswith(shown + " ") and "FAILED" in line for line in run.out)
    assert run.errors[-1] == "failed: " + ", ".join(sorted(SHOWN))
    assert len(run.errors) == len(NAMES) + 1  # one line each, and the last
    assert not any("\x1b" in line or "\u202e" in line for line in run.out + run.errors)
    assert run.output("good.pdf")


def test_the_summary_table_on_a_terminal_shows_names_as_text(capsys, tmp_path):
    from booklet.build.outputs import Outcome
    from booklet.build.report import summarize
    from booklet.errors import Problem

    failed = Outcome(tmp_path / "[bold red]x\x1b[2K", problems=(Problem(None, None, "x"),))
    summarize([failed], 1.0, fancy=True)
    out, err = capsys.readouterr()
    assert "[bold red]x\\x1b[2K" in out and "\x1b[2K" not in out
    assert err == "failed: [bold red]x\\x1b[2K\n"


# --- remote fetches: one deadline for the whole request; IPv4 inside IPv6 -----------------

@pytest.mark.parametrize("address, allowed", [
    ("::127.0.0.1", False), ("::ffff:0:7f00:1", False), ("64:ff9b::7f00:1", False),
    ("2002:7f00:1::", False), ("::ffff:0:a00:1", False), ("64:ff9b::a9fe:a9fe", False),
    ("2002:c0a8:101::1", False), ("64:ff9b:1::5db8:d70e", False), ("::7f00:1", False),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),
    ("2002:5db8:d70e::1", True), ("64:ff9b::5db8:d70e", True), ("::ffff:5db8:d70e", True),
    ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True), ("::", False), ("::1", False),
])
def test_ipv6_forms_of_an_ipv4_address_are_judged_by_it(address, allowed):
    from booklet.sandbox.remote import address_allowed

    assert address_allowed(address) is allowed


class Trickle:
    """A server on 127.0.0.1 that answers every request a byte at a time, one every
    `pause` seconds: the headers (`in_headers`) or the body."""

    def __init__(self, in_headers: bool, pause: float = 0.2) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        head = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n"
        self.answer = head + (b"X-Slow: " + b"a" * 1000 if in_headers else
                              b"Content-Length: 1000\r\n\r\n" + b"\0" * 1000)
        self.pause = pause
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.server.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            with conn:
                conn.recv(4096)
                for byte in self.answer:
                    if self.stop.is_set():
                        break
                    try:
                        conn.sendall(bytes([byte]))
                    except OSError:
                        break
                    time.sleep(self.pause)

    def close(self) -> None:
        self.stop.set()
        self.server.close()


@pytest.mark.parametrize("in_headers", [True, False])
def test_a_server_trickling_its_answer_is_cut_off_at_the_deadline(monkeypatch, in_headers):
    """Each byte comes well within any wait's timeout: only a deadline ends it."""
    from booklet.sandbox import remote
    from booklet.sandbox.files import Refused

    monkeypatch.setattr(remote, "address_allowed", lambda address: True)
    server = Trickle(in_headers)
    try:
        start = time.monotonic()
        with pytest.raises(Refused, match="took longer than 2 seconds to fetch"):
            remote.fetch(f"http://127.0.0.1:{server.port}/x.png", timeout=2)
        assert time.monotonic() - start < 3
    finally:
        server.close()


def test_a_slow_name_lookup_is_cut_off_at_the_deadline(monkeypatch):
    from booklet.sandbox import remote
    from booklet.sandbox.files import Refused

    release = threading.Event()
    monkeypatch.setattr(remote.socket, "getaddrinfo", lambda *a, **k: release.wait(30) and [])
    start = time.monotonic()
    try:
        with pytest.raises(Refused, match="took longer than 1 seconds to fetch"):
            remote.fetch("http://slow.example/x.png", timeout=1)
        assert time.monotonic() - start < 2
    finally:
        release.set()


# --- the up-to-date check reads what the build could, and no more ------------------------

#: A build in a process of its own, printing its peak memory (KB) last: VmHWM, as
#: `ru_maxrss` starts from the memory of the process it was forked from.
MEASURED_BUILD = """
import sys
sys.path.insert(0, {root!r})
from booklet.cli import main
status = main(["build", "--format", "pdf"])
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")))
sys.exit(status)
"""


def test_the_up_to_date_check_reads_no_more_than_the_build_would(tmp_path):
    """A 2 GB video nobody uses, a link to /proc/kmsg (reading it blocks), a pipe, and a
    link to a file outside: the check neither reads them whole, nor hangs, nor follows
    the link out, and a change outside does not rebuild."""
    root = tmp_path / "project"
    outside = tmp_path / "outside.txt"
    outside.write_text("one")
    write_files(root, {"content/good/booklet.md": GOOD})
    folder = root / "content/good"
    with open(folder / "video.mp4", "wb") as video:
        video.truncate(2 * 1024**3)  # sparse: no disk taken
    os.mkfifo(folder / "pipe")
    (folder / "kmsg").symlink_to("/proc/kmsg")
    (folder / "notes.txt").symlink_to(outside)
    script = MEASURED_BUILD.format(root=str(ROOT))

    def build() -> tuple[list[str], float]:
        start = time.monotonic()
        done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines(), time.monotonic() - start

    first, _ = build()
    assert first[0].startswith("built good:")
    outside.write_text("two")
    again, seconds = build()
    assert again[-2].endswith("(all up to date; --force rebuilds)")
    assert int(again[-1]) < 200_000 and seconds < 30  # KB: not the video's 2 GB


def test_the_digest_of_a_tree_is_bounded(tmp_path, monkeypatch):
    """Past the bytes a tree's digest reads, files count by size and time."""
    from booklet.build import cache

    folder = tmp_path / "b"
    write_files(folder, {"a.png": b"a" * 100, "b.png": b"b" * 100})
    monkeypatch.setattr(cache, "MAX_TREE_BYTES", 150)
    opened: list[str] = []
    real_open = os.open
    monkeypatch.setattr(cache.os, "open", lambda path, *a: opened.append(str(path)) or
                        real_open(path, *a))
    first = cache.booklet_digest(folder, "shared")
    assert [Path(p).name for p in opened] == ["a.png"]
    os.utime(folder / "b.png", ns=(1, 1))
    assert cache.booklet_digest(folder, "shared") != first


# --- an image is used with the bytes it was checked with -----------------------------------

def test_an_image_swapped_after_the_check_is_refused(tmp_project, options_at_epoch):
    from booklet.build.outputs import build_booklet, make_renderer
    from booklet.source.config import Config
    from booklet.source.loader import load_booklet

    root = tmp_project({"content/demo/booklet.md": booklet_md(
        "title: Demo", "# Part\n\n![A dot](dot.png)\n"), "content/demo/dot.png": PNG})
    options = options_at_epoch(root / "dist", formats=("pdf", "epub", "html"))
    booklet = load_booklet(root / "content/demo", options)
    (root / "content/demo/dot.png").write_bytes(big_png(64))  # a valid PNG, not the one checked
    outcome = build_booklet(booklet, make_renderer(options, Config()), options)
    assert [str(p) for p in outcome.problems] == [
        "content/demo/booklet.md:6: image 'dot.png' changed after the booklet was loaded and "
        "checked; build again"]
    assert not (root / "dist").exists()


def test_a_logo_swapped_after_the_check_never_reaches_the_outputs(tmp_project,
                                                                  options_at_epoch):
    """booklet.toml's logo, checked when the config was read, then made a link to a file
    outside: the outputs carry the bytes checked."""
    import zipfile

    from booklet.build.outputs import build_booklet, make_renderer
    from booklet.source.config import load_config
    from booklet.source.loader import load_booklet

    root = tmp_project({"project/content/demo/booklet.md": GOOD, "project/logo.png": PNG,
                        "outside/secret.png": big_png(3), "project/booklet.toml":
                        '[practice]\nname = "P"\nlogo = "logo.png"\n'})
    project = root / "project"
    options = options_at_epoch(project / "dist", formats=("pdf", "epub", "html"),
                               config=project / "booklet.toml")
    config = load_config(project / "booklet.toml")
    booklet = load_booklet(project / "content/demo", options, config)
    (project / "logo.png").unlink()
    (project / "logo.png").symlink_to(root / "outside/secret.png")
    outcome = build_booklet(booklet, make_renderer(options, config), options)
    assert outcome.ok, outcome.problems
    epub = zipfile.ZipFile(outcome.written["epub"])
    [logo] = [n for n in epub.namelist() if "practice-logo" in n]
    assert epub.read(logo) == PNG
    [web_logo] = (project / "dist/assets").glob("logo-*")
    assert web_logo.read_bytes() == PNG


# --- watch: content/ made again, booklet.toml made later ----------------------------------

def test_watch_sees_content_made_again_and_a_config_made_later(tmp_project, capsys):
    from booklet.build import watch
    from booklet.options import BuildOptions

    root = tmp_project({"content/a/booklet.md": booklet_md("title: A")})
    stop = threading.Event()
    options = BuildOptions(out=root / "dist", formats=("epub",))
    thread = threading.Thread(target=watch.run, args=(root / "content", options, stop))
    thread.start()
    screen = Screen(capsys)
    try:
        screen.wait_for(lambda text: "watching" in text)
        shutil.rmtree(root / "content")
        time.sleep(1.5)
        write_files(root, {"content/b/booklet.md": booklet_md("title: B")})
        screen.wait_for(lambda text: "built b:" in text)
        mark = len(screen.text)
        (root / "booklet.toml").write_text('help_region = "UK"\n')  # watched from now on
        screen.wait_for(lambda text: "built b:" in text[mark:])
        mark = len(screen.text)
        replacement = root / "booklet.toml.new"  # an editor saving by renaming over it
        replacement.write_text('help_region = "US"\n')
        replacement.replace(root / "booklet.toml")
        screen.wait_for(lambda text: "built b:" in text[mark:])
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive()


def test_a_rendering_process_that_dies_fails_its_booklet_and_is_replaced(tmp_project, big,
                                                                        options_at_epoch):
    """A process ended by a signal mid-booklet (a C library failing an allocation at the
    limit aborts or crashes, the OOM killer kills): that booklet fails, named so; the
    next one gets a fresh process."""
    from booklet.build.workers import Workers
    from booklet.sandbox.limits import RenderBudget
    from booklet.source.loader import load_booklet

    root = tmp_project({**hog(big, 8), "content/good/booklet.md": GOOD})
    options = options_at_epoch(root / "dist", formats=("pdf",))
    booklets = [load_booklet(root / "content" / name, options) for name in ("hog", "good")]
    outcomes = []
    with Workers(options, RenderBudget(), 1, None) as workers:
        def crash_when_busy() -> None:
            wait_until(lambda: workers.workers[0].job is not None)
            time.sleep(0.5)
            os.kill(workers.workers[0].process.pid, signal.SIGSEGV)

        threading.Thread(target=crash_when_busy, daemon=True).start()
        workers.build(booklets, options, outcomes.append)
    assert [str(p) for p in outcomes[0].problems] == [
        "content/hog/booklet.md: rendering stopped: its process ended with signal SIGSEGV, "
        "most likely on reaching the 2048 MB limit"]
    assert outcomes[1].ok and outcomes[1].written["pdf"].is_file()
