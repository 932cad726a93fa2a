#!/usr/bin/env python3
"""Benchmarks for the build, side by side, on this machine: `python bench/run.py [-n 5]`.

1. cold `python build.py` of the bundled booklet (PDF + EPUB) against Pandoc
   (`--pdf-engine=weasyprint`, then EPUB) on the same text: ratio, target <= 1.0;
2. no-op rebuild (nothing changed): target <= 0.3 s;
3. `booklet watch` rebuild of one edited booklet: target <= 0.6 s;
4. 24 booklets, `--jobs 2` against `--jobs 1`: target >= 1.7x faster, and peak memory
   per worker <= 250 MB;
5. the web edition's cost: a cold full build (PDF, booklet, large print, EPUB) with and
   without `html`: target <= 5% more;
6. the rendering budget's cost: a cold build of the bundled booklet (PDF + EPUB) in a
   rendering process held to `[limits]` (the default) against one in the build's own
   process (`[limits]` 0), and `booklet watch`'s rebuild the same two ways: target
   <= 5% more;
7. the same work as WeasyPrint: a cold `python build.py --format pdf` against the
   `weasyprint` command line on the print HTML and stylesheets booklet lays out,
   tagged alike (booklet does more: the page-break policy's second layout where a page
   would be near-empty, and the accessibility pass): target <= 0.65;
8. the warm path: benchmark 1's command while a `booklet watch` of the project runs
   (the build hands its work over, `booklet/build/handoff.py`): ratio, target <= 1.0.

Runs are interleaved (ours, theirs, ours, ...) so a change in machine load hits
both sides alike; medians are printed. Never run from the test suite: timings on a
shared machine are not pass/fail material.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The outputs every benchmark builds: the two Pandoc also makes, for a fair comparison.
FORMATS = ("pdf", "epub")
BUNDLED = ROOT / "content" / "partner-pushing-away"
sys.path.insert(0, str(ROOT))


def children_cpu() -> float:
    """CPU seconds (user + system) used so far by finished child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], cwd: Path, env: dict | None = None) -> float:
    """Wall-clock seconds of one command, which must succeed; its CPU goes to CPU."""
    start, cpu = time.perf_counter(), children_cpu()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    CPU.append(children_cpu() - cpu)
    return time.perf_counter() - start


#: CPU seconds of the commands timed last (see `timed`): on a busy shared machine
#: wall time depends on the neighbours, CPU time much less.
CPU: list[float] = []


def median(runs: int, measure: Callable[[], float]) -> tuple[float, list[float]]:
    times = [measure() for _ in range(runs)]
    return statistics.median(times), times


def cold_vs_pandoc(runs: int, work: Path) -> tuple[float, float]:
    """Median seconds of a cold build of ours and of Pandoc's, interleaved."""
    ours, theirs, ours_cpu, theirs_cpu = [], [], [], []
    for n in range(runs):
        out = work / f"cold-{n}"
        CPU.clear()
        ours.append(timed([sys.executable, "build.py", "--force", "--out", str(out),
                           "--format", ",".join(FORMATS), str(BUNDLED)], ROOT))
        ours_cpu.append(sum(CPU))
        pandoc_out = work / f"pandoc-{n}"
        pandoc_out.mkdir()
        CPU.clear()
        theirs.append(sum(timed(["pandoc", "booklet.md", "-o", str(pandoc_out / target),
                                 *(["--pdf-engine=weasyprint"] if target.endswith(".pdf")
                                   else [])], BUNDLED)
                          for target in ("booklet.pdf", "booklet.epub")))
        theirs_cpu.append(sum(CPU))
    COLD_CPU[:] = show_sides("cold build, ours", "cold build, pandoc", ours, theirs,
                             ours_cpu, theirs_cpu)
    return statistics.median(ours), statistics.median(theirs)


COLD_CPU: list[float] = []


def no_op(runs: int, work: Path) -> float:
    out = work / "noop"
    subprocess.run([sys.executable, "build.py", "--out", str(out), str(BUNDLED)], cwd=ROOT,
                   check=True, capture_output=True)
    value, times = median(runs, lambda: timed(
        [sys.executable, "build.py", "--out", str(out), str(BUNDLED)], ROOT))
    show("no-op rebuild", times)
    return value


def watch_rebuild(runs: int, work: Path) -> float:
    """Seconds for the watcher's rebuild of one booklet after an edit, warm process."""
    from booklet.build.watch import Watcher, warm_up
    from booklet.options import BuildOptions

    content = work / "watch" / "content"
    shutil.copytree(BUNDLED, content / BUNDLED.name)
    source = content / BUNDLED.name / "booklet.md"
    watcher = Watcher(content, BuildOptions(out=work / "watch" / "dist", formats=FORMATS),
                      on_done=lambda outcome: None)
    warm_up()
    watcher.build_all()
    watcher.idle()  # as watch does while it waits: lays out part by part and compares
    times, cpu = [], []
    for n in range(runs):
        with source.open("a", encoding="utf-8") as handle:
            handle.write(f"\nOne more line, edit {n}.\n")
        start, start_cpu = time.perf_counter(), time.process_time() + children_cpu()
        [outcome] = watcher.rebuild([source])
        times.append(time.perf_counter() - start)
        # The PDF may be written by a forked child (booklet.overlap): its CPU counts.
        cpu.append(time.process_time() + children_cpu() - start_cpu)
        assert outcome.ok and not outcome.skipped
        watcher.idle()
    show("watch rebuild", times)
    show("watch rebuild (CPU)", cpu)
    WATCH_CPU[:] = [statistics.median(cpu)]
    return statistics.median(times)


WATCH_CPU: list[float] = []


def jobs(runs: int, work: Path, count: int = 24) -> tuple[float, float, float, float]:
    """Median seconds for `count` booklets with --jobs 1 and 2, the peak worker MB, and
    the ratio of CPU time spent (jobs 1 / jobs 2: the parallel build's overhead)."""
    project = work / "many"
    for n in range(count):
        shutil.copytree(BUNDLED, project / "content" / f"booklet-{n:02d}")
    wall: dict[str, list[float]] = {"1": [], "2": []}
    cpu: dict[str, list[float]] = {"1": [], "2": []}
    peaks = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for n in range(runs):
        for jobs_ in ("1", "2"):
            start, start_cpu = time.perf_counter(), children_cpu()
            result = subprocess.run([sys.executable, "-m", "booklet", "build", "--force",
                                     "--format", ",".join(FORMATS),
                                     "--jobs", jobs_, "--out", f"dist-{jobs_}-{n}"],
                                    cwd=project, env=env, check=True, capture_output=True,
                                    text=True)
            wall[jobs_].append(time.perf_counter() - start)
            cpu[jobs_].append(children_cpu() - start_cpu)
            if peak := re.search(r"peak memory per worker (\d+) MB", result.stdout):
                peaks.append(int(peak.group(1)))
    for jobs_ in ("1", "2"):
        show(f"{count} booklets, --jobs {jobs_}", wall[jobs_])
        show(f"{count} booklets, --jobs {jobs_} (CPU)", cpu[jobs_])
    return (statistics.median(wall["1"]), statistics.median(wall["2"]), max(peaks),
            statistics.median(cpu["1"]) / statistics.median(cpu["2"]))


def web_cost(runs: int, work: Path) -> tuple[float, float, float, float]:
    """Median wall and CPU seconds of a cold full build without and with the web edition
    (the page, its assets and the library), interleaved."""
    others = "pdf,booklet,large-print,epub"
    wall: dict[str, list[float]] = {"without": [], "with": []}
    cpu: dict[str, list[float]] = {"without": [], "with": []}
    for n in range(runs):
        for label, formats in (("without", others), ("with", others + ",html")):
            CPU.clear()
            wall[label].append(timed([sys.executable, "build.py", "--force", "--out",
                                      str(work / f"web-{label}-{n}"), "--format", formats,
                                      str(BUNDLED)], ROOT))
            cpu[label].append(sum(CPU))
    for label in ("without", "with"):
        show(f"full build {label} html", wall[label])
        show(f"full build {label} html (CPU)", cpu[label])
    return (statistics.median(wall["without"]), statistics.median(wall["with"]),
            statistics.median(cpu["without"]), statistics.median(cpu["with"]))


def budget_cost(runs: int, work: Path) -> tuple[float, float, float, float, float, float]:
    """Median wall and CPU seconds of a cold build contained and not (interleaved), and
    of a watch rebuild contained and not."""
    from booklet.build.watch import Watcher, warm_up
    from booklet.options import BuildOptions

    project = work / "budget"
    shutil.copytree(BUNDLED, project / "content" / BUNDLED.name)
    shutil.copytree(ROOT / "branding", project / "branding")
    config = (ROOT / "booklet.toml").read_text(encoding="utf-8")
    (project / "on.toml").write_text(config, encoding="utf-8")
    (project / "off.toml").write_text(config + "\n[limits]\nmemory_mb = 0\nseconds = 0\n",
                                      encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    wall: dict[str, list[float]] = {"on": [], "off": []}
    cpu: dict[str, list[float]] = {"on": [], "off": []}
    for n in range(runs):
        for label in ("on", "off"):
            CPU.clear()
            wall[label].append(timed([sys.executable, "-m", "booklet", "build", "--force",
                                      "--config", f"{label}.toml", "--format",
                                      ",".join(FORMATS), "--out", f"dist-{label}-{n}"],
                                     project, env))
            cpu[label].append(sum(CPU))
    for label in ("on", "off"):
        show(f"cold build, budget {label}", wall[label])
        show(f"cold build, budget {label} (CPU)", cpu[label])
    source = project / "content" / BUNDLED.name / "booklet.md"
    rebuild: dict[bool, list[float]] = {True: [], False: []}
    warm_up()
    watchers = {contain: Watcher(project / "content", BuildOptions(
        out=project / f"watch-{contain}", formats=FORMATS, contain=contain,
        config=project / "on.toml"), on_done=lambda outcome: None)
        for contain in (True, False)}
    try:
        for watcher in watchers.values():
            watcher.build_all()
            watcher.idle()
        for n in range(-1, runs):  # -1: untimed, while the rendering process compares
            for contain, watcher in watchers.items():
                with source.open("a", encoding="utf-8") as handle:
                    handle.write(f"\nOne more line, edit {n} {contain}.\n")
                start = time.perf_counter()
                [outcome] = watcher.rebuild([source])
                if n >= 0:
                    rebuild[contain].append(time.perf_counter() - start)
                assert outcome.ok and not outcome.skipped
                watcher.idle()
    finally:
        for watcher in watchers.values():
            watcher.close()
    show("watch rebuild, budget on", rebuild[True])
    show("watch rebuild, budget off", rebuild[False])
    return (statistics.median(wall["on"]), statistics.median(wall["off"]),
            statistics.median(cpu["on"]), statistics.median(cpu["off"]),
            statistics.median(rebuild[True]), statistics.median(rebuild[False]))


SPIN = ("import time\nstart = time.perf_counter()\nx = 0\n"
        "for i in range(6_000_000):\n    x += i\nprint(time.perf_counter() - start)")


def parallel_capacity() -> float:
    """How much faster two CPU-bound processes finish their work than one, right now.

    2.0 on an idle two-core machine; less while neighbours use the cores. The
    --jobs speed-up cannot beat it.
    """
    one = float(subprocess.run([sys.executable, "-c", SPIN], capture_output=True,
                               text=True, check=True).stdout)
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", SPIN], stdout=subprocess.DEVNULL)
             for _ in range(2)]
    for proc in procs:
        proc.wait()
    return 2 * one / (time.perf_counter() - start)


def show_sides(ours_label: str, theirs_label: str, ours: list[float], theirs: list[float],
               ours_cpu: list[float], theirs_cpu: list[float]) -> list[float]:
    """Print both sides' wall and CPU times; return the medians of the CPU times."""
    show(ours_label, ours)
    show(theirs_label, theirs)
    show(f"{ours_label} (CPU)", ours_cpu)
    show(f"{theirs_label} (CPU)", theirs_cpu)
    return [statistics.median(ours_cpu), statistics.median(theirs_cpu)]


def show(label: str, times: list[float]) -> None:
    print(f"  {label:28s} median {statistics.median(times):6.3f} s   runs: "
          + " ".join(f"{t:.3f}" for t in times), flush=True)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    pandoc = subprocess.run(["pandoc", "--version"], capture_output=True, text=True)
    import weasyprint

    from booklet.engine.instancer import _harfbuzz
    return (f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, "
            f"WeasyPrint {weasyprint.__version__}, {pandoc.stdout.splitlines()[0]}; "
            f"HarfBuzz axis pinning: {'yes' if _harfbuzz() else 'no'}")


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def warm_vs_pandoc(runs: int, work: Path) -> tuple[float, float] | None:
    """The cold benchmark's command while a `booklet watch` of the project runs (it
    takes the build over, `booklet.build.handoff`); None if no watch listens."""
    project = work / "warm"
    shutil.copytree(BUNDLED, project / "content" / BUNDLED.name)
    shutil.copy(ROOT / "booklet.toml", project / "booklet.toml")
    shutil.copytree(ROOT / "branding", project / "branding")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    watch = subprocess.Popen([sys.executable, "-m", "booklet", "watch", "--format",
                              ",".join(FORMATS)], cwd=project, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        socket_file = project / ".cache" / "booklet" / "watch.sock"
        deadline = time.monotonic() + 120
        while not socket_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        if not socket_file.exists():
            return None
        ours, theirs, ours_cpu = [], [], []
        for n in range(runs):
            CPU.clear()
            ours.append(timed([sys.executable, str(ROOT / "build.py"), "--force", "--out",
                               str(work / f"warm-{n}"), "--format", ",".join(FORMATS),
                               str(project / "content" / BUNDLED.name)], project, env))
            ours_cpu.append(sum(CPU))
            pandoc_out = work / f"pandoc-warm-{n}"
            pandoc_out.mkdir()
            theirs.append(sum(timed(["pandoc", "booklet.md", "-o", str(pandoc_out / target),
                                     *(["--pdf-engine=weasyprint"]
                                       if target.endswith(".pdf") else [])], BUNDLED)
                              for target in ("booklet.pdf", "booklet.epub")))
    finally:
        watch.send_signal(signal.SIGINT)  # stops as Ctrl-C does: the socket is removed
        try:
            watch.wait(30)
        except subprocess.TimeoutExpired:
            watch.kill()
            watch.wait()
    show("warm build, ours", ours)
    show("warm build, pandoc", theirs)
    show("warm build, ours (CPU, client)", ours_cpu)
    return statistics.median(ours), statistics.median(theirs)


def same_work_as_weasyprint(runs: int, work: Path) -> tuple[float, float]:
    """Median seconds of `python build.py --format pdf` (cold) and of the `weasyprint`
    command line on the print HTML and stylesheets booklet lays out, tagged alike."""
    from booklet.build.outputs import make_renderer
    from booklet.options import BuildOptions
    from booklet.pdf.writer import edition_css, edition_faces
    from booklet.render.fonts import font_face_css
    from booklet.source.config import load_config
    from booklet.source.loader import load_booklet

    options = BuildOptions(config=ROOT / "booklet.toml")
    config = load_config(options.config)
    booklet = load_booklet(BUNDLED, options, config)
    renderer = make_renderer(options, config)
    dumped = work / "dumped"
    dumped.mkdir()
    (dumped / "print.html").write_text(renderer.print_html(booklet, options), "utf-8")
    (dumped / "fonts.css").write_text(font_face_css(edition_faces(booklet)), "utf-8")
    (dumped / "print.css").write_text(edition_css(booklet, renderer, options), "utf-8")
    command = ["weasyprint", "--pdf-tags", "-u", BUNDLED.as_uri() + "/", "-s",
               str(dumped / "fonts.css"), "-s", str(dumped / "print.css"),
               str(dumped / "print.html")]
    ours, theirs, ours_cpu, theirs_cpu = [], [], [], []
    for n in range(runs):
        CPU.clear()
        ours.append(timed([sys.executable, "build.py", "--force", "--out",
                           str(work / f"same-{n}"), "--format", "pdf", str(BUNDLED)], ROOT))
        ours_cpu.append(sum(CPU))
        CPU.clear()
        theirs.append(timed([*command, str(dumped / f"weasyprint-{n}.pdf")], ROOT))
        theirs_cpu.append(sum(CPU))
    SAME_CPU[:] = show_sides("PDF only, ours", "PDF only, weasyprint CLI", ours, theirs,
                             ours_cpu, theirs_cpu)
    return statistics.median(ours), statistics.median(theirs)


SAME_CPU: list[float] = []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=5, help="runs of each (5)")
    names = ("cold", "noop", "watch", "jobs", "web", "budget", "same", "warm")
    parser.add_argument("--only", choices=names, action="append",
                        help="run only these benchmarks")
    args = parser.parse_args()
    chosen = args.only or list(names)
    print(machine())
    print(f"load average before: {load()}", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="booklet-bench-") as tmp:
        work = Path(tmp)
        if "cold" in chosen:
            ours, theirs = cold_vs_pandoc(args.runs, work)
            results.append(f"1. cold build / pandoc:  {ours:.2f} s / {theirs:.2f} s = "
                           f"{ours / theirs:.2f}  (target <= 1.0); CPU "
                           f"{COLD_CPU[0]:.2f} s / {COLD_CPU[1]:.2f} s = "
                           f"{COLD_CPU[0] / COLD_CPU[1]:.2f}")
        if "noop" in chosen:
            results.append(f"2. no-op rebuild:        {no_op(args.runs, work):.3f} s  "
                           "(target <= 0.3 s)")
        if "watch" in chosen:
            results.append(f"3. watch rebuild:        {watch_rebuild(args.runs, work):.3f} s  "
                           f"(target <= 0.6 s); CPU {WATCH_CPU[0]:.3f} s")
        if "jobs" in chosen:
            before = parallel_capacity()
            one, two, peak, efficiency = jobs(max(1, args.runs // 2), work)
            after = parallel_capacity()
            results.append(f"4. --jobs 2 speed-up:    {one:.1f} s / {two:.1f} s = "
                           f"{one / two:.2f}x  (target >= 1.7x); two busy processes got "
                           f"{before:.2f}x / {after:.2f}x of one before / after; CPU jobs 1 "
                           f"/ jobs 2 = {efficiency:.2f} (at best {2 * efficiency:.2f}x on two "
                           f"free cores); peak memory per worker {peak} MB "
                           "(target <= 250 MB)")
        if "web" in chosen:
            without, with_, cpu_without, cpu_with = web_cost(args.runs, work)
            results.append(f"5. web edition's cost:   {without:.2f} s / {with_:.2f} s = "
                           f"+{100 * (with_ / without - 1):.1f}%  (target <= 5%); CPU "
                           f"{cpu_without:.2f} s / {cpu_with:.2f} s = "
                           f"+{100 * (cpu_with / cpu_without - 1):.1f}%")
        if "budget" in chosen:
            on, off, cpu_on, cpu_off, watch_on, watch_off = budget_cost(args.runs, work)
            results.append(f"6. rendering budget:     {on:.2f} s / {off:.2f} s = "
                           f"{100 * (on / off - 1):+.1f}%  (target <= 5%); CPU "
                           f"{cpu_on:.2f} s / {cpu_off:.2f} s = "
                           f"{100 * (cpu_on / cpu_off - 1):+.1f}%; watch rebuild "
                           f"{watch_on:.3f} s / {watch_off:.3f} s")
        if "same" in chosen:
            ours, theirs = same_work_as_weasyprint(args.runs, work)
            results.append(f"7. PDF, ours / weasyprint CLI: {ours:.2f} s / {theirs:.2f} s = "
                           f"{ours / theirs:.2f}  (target <= 0.65); CPU {SAME_CPU[0]:.2f} s / "
                           f"{SAME_CPU[1]:.2f} s = {SAME_CPU[0] / SAME_CPU[1]:.2f}")
        if "warm" in chosen:
            warm = warm_vs_pandoc(args.runs, work)
            results.append("8. warm build / pandoc:  " + (
                f"{warm[0]:.2f} s / {warm[1]:.2f} s = {warm[0] / warm[1]:.2f}  (target <= "
                "1.0)" if warm else "no watch listened (no Unix sockets here?)"))
    print(f"load average after: {load()}")
    print("\n".join(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
