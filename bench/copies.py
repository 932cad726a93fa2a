#!/usr/bin/env python3
"""Personal copies against separate builds: `python bench/copies.py [--copies 50]`.

Copies per minute of the bundled booklet (PDF + EPUB), three ways, interleaved so a
change in machine load hits each alike:

- one `booklet copy --from clients.csv` batch of N rows, with `--jobs auto` (one
  worker per CPU);
- the same batch with `--jobs 1` (one process; the PDF written by a forked child
  beside the EPUB, as in a build);
- N separate `booklet build --force` runs of the generic booklet, one after another:
  what a therapist would otherwise run per client (each a fresh process).

Target: the batch at least 2x the throughput of the separate builds. CPU seconds per
copy are printed beside wall times: on a shared machine they depend much less on the
neighbours. Never run from the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import BUNDLED, ROOT, children_cpu, load, machine

FORMATS = "pdf,epub"


def clients_csv(path: Path, count: int) -> None:
    """A clients file of `count` rows: name, signature, a note, the next appointment
    and a worksheet answer each."""
    rows = ["for,by,note,next,field:What I need"]
    rows += [f'Client {n:03d},Dr Lee,"Dear client {n},\n\nIt was good to see you. Try the '
             f'two-minute pause once a day.",Thu 10 Dec {n % 8 + 9}:00,'
             f"Time to talk without being rushed ({n})" for n in range(count)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def run(command: list[str], cwd: Path, env: dict) -> tuple[float, float]:
    """Wall and CPU seconds (this command and every process under it) of a command."""
    start, cpu = time.perf_counter(), children_cpu()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, children_cpu() - cpu


def batch(work: Path, env: dict, jobs: str, round_: int) -> tuple[float, float]:
    out = work / "private" / f"{jobs}-{round_}"
    return run([sys.executable, "-m", "booklet", "copy", str(BUNDLED), "--from",
                str(work / "clients.csv"), "--out", str(out), "--format", FORMATS,
                "--jobs", jobs], ROOT, env)


def separate(work: Path, env: dict, count: int, round_: int) -> tuple[float, float]:
    wall = cpu = 0.0
    for n in range(count):
        seconds, used = run([sys.executable, "-m", "booklet", "build", "--force", "--format",
                             FORMATS, "--out", str(work / "dist" / f"{round_}-{n}"),
                             str(BUNDLED)], ROOT, env)
        wall, cpu = wall + seconds, cpu + used
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=50, help="rows in the batch (50)")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of all three (1)")
    args = parser.parse_args()
    print(machine())
    print(f"load average before: {load()}", flush=True)
    results: dict[str, list[tuple[float, float]]] = {"auto": [], "1": [], "builds": []}
    with tempfile.TemporaryDirectory(prefix="booklet-bench-copies-") as tmp:
        work = Path(tmp)
        clients_csv(work / "clients.csv", args.copies)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        for round_ in range(args.rounds):
            for name in ("auto", "builds", "1"):
                results[name].append(separate(work, env, args.copies, round_)
                                     if name == "builds" else batch(work, env, name, round_))
                wall, cpu = results[name][-1]
                print(f"  round {round_ + 1}, {name:6s}: {wall:7.1f} s wall, {cpu:7.1f} s CPU",
                      flush=True)
    print(f"load average after: {load()}")
    n = args.copies
    builds_wall = statistics.median(w for w, _ in results["builds"])
    builds_cpu = statistics.median(c for _, c in results["builds"])
    labels = {"auto": "booklet copy --jobs auto", "1": "booklet copy --jobs 1",
              "builds": f"{n} x booklet build"}
    for name in ("auto", "1", "builds"):
        wall = statistics.median(w for w, _ in results[name])
        cpu = statistics.median(c for _, c in results[name])
        print(f"{labels[name]:26s} {n / wall * 60:6.1f} copies a minute "
              f"({wall / n:.2f} s wall, {cpu / n:.2f} s CPU a copy); "
              f"{builds_wall / wall:.2f}x the builds' throughput, "
              f"{builds_cpu / cpu:.2f}x less CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
