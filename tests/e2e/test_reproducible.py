"""Same content and SOURCE_DATE_EPOCH -> byte-identical PDF, EPUB and web edition,
whatever the clock."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from ..helpers import BUNDLED, EPOCH, ROOT


def build_elsewhere(out: Path, timezone: str, hash_seed: str) -> dict[str, str]:
    """Build the bundled booklet in a fresh interpreter; return {file path: sha256} of
    every file written (the web edition's assets in their folders too)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH), "TZ": timezone,
           "PYTHONHASHSEED": hash_seed}
    done = subprocess.run([sys.executable, "build.py", str(BUNDLED), "--out", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


def test_two_builds_at_different_times_and_time_zones_are_byte_identical(tmp_path):
    first = build_elsewhere(tmp_path / "a", "UTC", "1")
    second = build_elsewhere(tmp_path / "b", "Pacific/Kiritimati", "2")
    assert {"partner-pushing-away.epub", "partner-pushing-away.pdf", "partner-pushing-away.html",
            "index.html", "assets/web.css"} <= set(first)
    assert first == second
    with zipfile.ZipFile(tmp_path / "b" / "partner-pushing-away.epub") as epub:
        assert {info.date_time for info in epub.infolist()} == {(2025, 11, 24, 16, 0, 0)}
