"""`python -m booklet ...`: the same as the `booklet` command."""

from __future__ import annotations

from .cli import run

run()
