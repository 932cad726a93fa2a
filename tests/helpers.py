"""Test helpers: paths and small content builders."""

from __future__ import annotations

import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "content" / "partner-pushing-away"
SPANISH = ROOT / "content" / "partner-pushing-away-es"
SAMPLES = ROOT / "tests" / "samples"
PROJECT_CONFIG = ROOT / "booklet.toml"
EPOCH = 1_764_000_000  # 2025-11-24T16:00:00Z


def booklet_md(front: str = "title: A small booklet", body: str = "# Part one\n\nText.\n"
               ) -> str:
    """A booklet.md with the given front matter and body."""
    return f"---\n{textwrap.dedent(front).strip()}\n---\n{textwrap.dedent(body)}"

#: A 1x1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
