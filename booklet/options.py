"""The build options shared by the Python API and the command line.

`BuildOptions` is the one options object: the CLI only parses arguments into it, and
`booklet.build.pipeline.build` takes it. Each field documents its default and meaning.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

#: Every output format the tool can write, in build order: the reading PDF, the
#: fold-and-staple booklet imposed from it, the large-print PDF, the EPUB, and the web
#: page (which lists the others, and the handout library `index.html`).
FORMATS: tuple[str, ...] = ("pdf", "booklet", "large-print", "epub", "html")

#: PDF variants WeasyPrint can write (`--pdf-variant`): archival, accessible, print.
PDF_VARIANTS: tuple[str, ...] = (
    "pdf/a-1b", "pdf/a-2b", "pdf/a-3b", "pdf/a-2u", "pdf/a-3u", "pdf/a-4u", "pdf/a-1a",
    "pdf/a-2a", "pdf/a-3a", "pdf/a-4e", "pdf/a-4f", "pdf/ua-1", "pdf/ua-2", "pdf/x-1a",
    "pdf/x-3", "pdf/x-4", "pdf/x-5g")


@dataclass(frozen=True)
class BuildOptions:
    """What to build, where to, and how strictly."""

    #: Folder the outputs are written to (created when missing).
    out: Path = Path("dist")
    #: Output formats to write, a subset of `FORMATS`.
    formats: tuple[str, ...] = FORMATS
    #: Turn warnings (e.g. fonts missing a glyph) into failures.
    strict: bool = False
    #: A folder whose `templates/` and `styles/` override the built-ins file by file
    #: (wins over booklet.toml's `theme`).
    theme: Path | None = None
    #: The project's booklet.toml (practice details, help region ...); None: no config.
    #: The CLI passes ./booklet.toml when it exists.
    config: Path | None = None
    #: Paper for every booklet, overriding front matter `paper:` and booklet.toml (a5,
    #: a4, letter, half-letter); None lets each booklet choose. See
    #: `booklet.source.paper`.
    paper: str | None = None
    #: Bleed around each page of the reading PDF, in millimetres (print shops: 3).
    bleed: float = 0.0
    #: Add crop and registration marks outside the bleed of the reading PDF.
    marks: bool = False
    #: A WeasyPrint PDF variant from `PDF_VARIANTS` (e.g. pdf/a-3u); every PDF is
    #: tagged whatever the variant.
    pdf_variant: str | None = None
    #: Let booklets and themes use http(s) resources (fetched with a time limit, a size
    #: limit and never from private addresses); off by default.
    allow_remote: bool = False
    #: Build time used for dates in the outputs; from SOURCE_DATE_EPOCH when set.
    build_time: datetime = field(default_factory=lambda: source_date())
    #: Build booklets whose review is overdue (their back cover then says so) instead
    #: of failing them.
    allow_overdue: bool = False
    #: Worker processes rendering booklets side by side (1: render in this process).
    jobs: int = 1
    #: Skip booklets whose inputs are unchanged since their outputs were written
    #: (see `booklet.build.cache`); the CLI turns this on unless `--force` is given.
    incremental: bool = False
    #: Write the reading PDF in a forked process while the EPUB and other outputs are
    #: made, where a second core is free (see `booklet.build.overlap`); same output either way.
    overlap: bool = True
    #: Render even a lone booklet (or `jobs` 1) in a child process held to
    #: booklet.toml's `[limits]` (memory, time); `jobs` > 1 workers always are. The
    #: command line turns this on. See `booklet.build.workers`.
    contain: bool = False

    @property
    def today(self) -> date:
        """The build's day, which review dates are measured against: the UTC date of
        `build_time` (a time without a zone counts as UTC), so a build gives the same
        answer in every time zone."""
        moment = self.build_time
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).date()


#: The project configuration file, looked for in the working directory.
CONFIG_NAME = "booklet.toml"


def default_path(folder: Path | None = None) -> Path | None:
    """`booklet.toml` in `folder` (default: the working directory), if there is one."""
    path = (folder or Path.cwd()) / CONFIG_NAME
    return path if path.is_file() else None


def source_date(environ: dict[str, str] | None = None) -> datetime:
    """Return SOURCE_DATE_EPOCH as a UTC datetime, or now when it is unset."""
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH")
    if value:
        return datetime.fromtimestamp(int(value), tz=UTC)
    return datetime.now(tz=UTC).replace(microsecond=0)
