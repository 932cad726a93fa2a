"""Test helpers: paths and small content builders."""

from __future__ import annotations

import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

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


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    """Write {path under `root`: text or bytes}, making folders as needed."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


class Screen:
    """What a running `watch` printed so far, read from capsys while it runs."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys, self.text = capsys, ""

    def wait_for(self, check: Callable[[str], bool], seconds: float = 120) -> str:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            out, err = self.capsys.readouterr()
            self.text += out + err
            if check(self.text):
                return self.text
            time.sleep(0.05)
        raise AssertionError(f"not seen in {seconds} s; the screen shows:\n{self.text}")

    def after(self, mark: str) -> str:
        return self.text.rpartition(mark)[2]


#: What a help-contacts file without a [default] region gets (`contacts.toml`).
NO_DEFAULT_REGION = [
    "contacts.toml: a help-contacts file needs a [default] region, the contacts printed "
    "when booklet.toml sets no help_region; add one, for example:",
    "    [default]",
    '    name = "Anywhere"',
    '    contacts = [{ name = "Emergency services", text = "Call your local emergency '
    "number if someone's life is in danger.\" }]"]
