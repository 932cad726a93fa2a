"""The build options shared by the Python API and the command line.

`BuildOptions` is the one options object: the CLI only parses arguments into it, and
`booklet.pipeline.build` takes it. Each field documents its default and meaning.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

#: Every output format the tool can write, in build order.
FORMATS: tuple[str, ...] = ("pdf", "epub")


@dataclass(frozen=True)
class BuildOptions:
    """What to build, where to, and how strictly."""

    #: Folder the outputs are written to (created when missing).
    out: Path = Path("dist")
    #: Output formats to write, a subset of `FORMATS`.
    formats: tuple[str, ...] = FORMATS
    #: Turn warnings (e.g. fonts missing a glyph) into failures.
    strict: bool = False
    #: A folder whose `templates/` and `styles/` override the built-ins file by file.
    theme: Path | None = None
    #: Build time used for dates in the outputs; from SOURCE_DATE_EPOCH when set.
    build_time: datetime = field(default_factory=lambda: source_date())
    #: Worker processes rendering booklets side by side (1: render in this process).
    jobs: int = 1
    #: Skip booklets whose inputs are unchanged since their outputs were written
    #: (see `booklet.incremental`); the CLI turns this on unless `--force` is given.
    incremental: bool = False


def source_date(environ: dict[str, str] | None = None) -> datetime:
    """Return SOURCE_DATE_EPOCH as a UTC datetime, or now when it is unset."""
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH")
    if value:
        return datetime.fromtimestamp(int(value), tz=UTC)
    return datetime.now(tz=UTC).replace(microsecond=0)
