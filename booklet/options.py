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
    #: Let booklets and themes use http(s) resources (fetched with a time limit, a size
    #: limit and never from private addresses); off by default.
    allow_remote: bool = False
    #: Build time used for dates in the outputs; from SOURCE_DATE_EPOCH when set.
    build_time: datetime = field(default_factory=lambda: source_date())


def source_date(environ: dict[str, str] | None = None) -> datetime:
    """Return SOURCE_DATE_EPOCH as a UTC datetime, or now when it is unset."""
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH")
    if value:
        return datetime.fromtimestamp(int(value), tz=UTC)
    return datetime.now(tz=UTC).replace(microsecond=0)
