"""Long-lived build processes keep their size (issue 19): `booklet watch` over 40
saves, in this process (the library's way) and in its rendering process (the command
line's), and a rendering process over 40 booklets, each stay within 15 MB of their
size after the first build. Before `booklet.build.memory` and the engine's
`attributes` patch, watch grew about 4 MB a save. Each runs in a fresh process, so
that what other tests left in this one does not count."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from booklet import engine

from ..helpers import ROOT, booklet_md

#: Allowed growth over the size after the first build.
BOUND_MB = 15
SAVES = 40

BODY = """\
# Why it happens

{text}

## What helps

{text}

# What you can do

::: key-points
- Talk when you are both calm.
- Look after yourself too.
:::

{text}
"""
TEXT = ("Depression can make a loved one withdraw, sleep more and talk less. It is an "
        "illness, not a verdict on the relationship, and it usually gets better. ") * 6

#: Watch's rebuilds; each size is this process's resident memory (in this process) or
#: the rendering process's high-water mark (`contain`).
WATCH = """
import json, sys
from pathlib import Path
from booklet.build import memory
from booklet.build.watch import Watcher, warm_up
from booklet.options import BuildOptions
content, out, saves, contain = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), \\
    sys.argv[4] == "contain"
watcher = Watcher(content, BuildOptions(out=out, formats=("pdf", "epub"), contain=contain),
                  on_done=lambda outcome: None)
if not contain:
    warm_up()

def size(outcome):
    return outcome.peak_memory if contain else memory.resident()

[first] = watcher.build_all()
assert first.ok, first.problems
sizes = [size(first)]
source = next(content.glob("*/booklet.md"))
for n in range(saves):
    with source.open("a", encoding="utf-8") as handle:
        handle.write(f"\\nOne more sentence, save {n}.\\n")
    [outcome] = watcher.rebuild([source])
    assert outcome.ok and not outcome.skipped, outcome.problems
    sizes.append(size(outcome))
watcher.close()
print(json.dumps(sizes))
"""

#: One rendering process (`--jobs 1` on the command line) building many booklets.
WORKER = """
import json, sys
from pathlib import Path
from booklet.build.pipeline import build
from booklet.options import BuildOptions
content, out = Path(sys.argv[1]), Path(sys.argv[2])
options = BuildOptions(out=out, formats=("pdf", "epub"), contain=True, jobs=1)
outcomes = build(sorted(content.iterdir()), options)
assert all(o.ok for o in outcomes), [o.problems for o in outcomes]
print(json.dumps([o.peak_memory for o in outcomes]))
"""


def _run(code: str, *args: str) -> list[int]:
    environ = {key: value for key, value in os.environ.items() if key != engine.ENV}
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                            text=True, env={**environ, "PYTHONPATH": str(ROOT)}, timeout=900)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _grown_mb(sizes: list[int]) -> float:
    return (max(sizes[1:]) - sizes[0]) / 2**20


@pytest.mark.slow
@pytest.mark.parametrize("where", ["in-process", "contain"])
def test_watch_keeps_its_size_over_many_saves(tmp_path, where):
    folder = tmp_path / "content" / "pulling-away"
    folder.mkdir(parents=True)
    (folder / "booklet.md").write_text(booklet_md("title: Pulling away",
                                                  BODY.format(text=TEXT)))
    sizes = _run(WATCH, str(tmp_path / "content"), str(tmp_path / "dist"), str(SAVES), where)
    assert len(sizes) == SAVES + 1 and all(sizes)
    assert _grown_mb(sizes) < BOUND_MB, [round(s / 2**20, 1) for s in sizes]


@pytest.mark.slow
def test_a_rendering_process_keeps_its_size_over_many_booklets(tmp_path):
    for n in range(SAVES):
        folder = tmp_path / "content" / f"booklet-{n:02d}"
        folder.mkdir(parents=True)
        words = " ".join(f"Word{n}x{k}" for k in range(n % 7 * 20))  # booklets differ
        (folder / "booklet.md").write_text(booklet_md(
            f"title: Booklet {n}", BODY.format(text=TEXT + words)))
    sizes = _run(WORKER, str(tmp_path / "content"), str(tmp_path / "dist"))
    assert len(sizes) == SAVES and all(sizes)
    assert _grown_mb(sizes) < BOUND_MB, [round(s / 2**20, 1) for s in sizes]


def test_exit_now_fails_when_the_output_cannot_be_written(tmp_path):
    """Output lost to a full disk (/dev/full) is an exit status of 120, as Python's own
    exit gives, not success."""
    import os
    import subprocess
    import sys

    from ..helpers import ROOT

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["PYTHONPATH"] = str(ROOT)
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-c", "from booklet.build.memory import exit_now; "
             "print('row 2: copies/2-small.pdf'); exit_now(0)"], stdout=full, env=env)
    assert result.returncode == 120
