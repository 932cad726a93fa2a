"""Limits on what a booklet may hold and how much a build may read or wait for.

Each limit is an error when crossed, never a hang: the loader and the resource policy
check them before reading more than the limit allows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MB = 1024 * 1024

#: Largest `booklet.md` (front matter and text) the loader reads: about 40,000 words,
#: twenty times a typical handout. Markdown parsing costs up to some 20 µs a byte on its
#: worst inputs (a line per block), so this keeps `booklet check` to a few seconds.
MAX_SOURCE_BYTES = 256 * 1024
#: Parts (`# ` headings; each starts a page, and a file in the EPUB) in one booklet.
MAX_PARTS = 50
#: Sections (`## ` headings) in one booklet, in all its parts.
MAX_SECTIONS = 250
#: Cells one table may lay out (columns × rows, counting the cells spans cover).
MAX_TABLE_CELLS = 1_000
#: Cells all the tables of one booklet may lay out together.
MAX_BOOKLET_TABLE_CELLS = 5_000
#: Largest `colspan`, `rowspan` or `span` in raw HTML.
MAX_TABLE_SPAN = 100
#: Largest front matter block: metadata needs a few lines, not megabytes of YAML.
MAX_FRONT_MATTER_BYTES = 64 * 1024
#: Deepest nesting of lists and mappings inside front matter.
MAX_FRONT_MATTER_DEPTH = 8
#: Largest image (or any other resource) read from disk or fetched from the network.
MAX_IMAGE_BYTES = 20 * MB
#: Most pixels a raster image may have (width × height), checked before decoding it;
#: also the most the raster images inside one SVG image may have together.
MAX_IMAGE_PIXELS = 50_000_000
#: Most elements an SVG image may draw, counting each `<use>` as a copy of what it
#: uses (WeasyPrint draws some 5,000 elements a second).
MAX_SVG_ELEMENTS = 20_000
#: Most SVG elements one booklet's images may draw, counting an image once per use.
MAX_BOOKLET_SVG_ELEMENTS = 50_000
#: Different image files one booklet may use.
MAX_IMAGES = 200
#: Largest booklet.toml or help-contacts file.
MAX_TOML_BYTES = 256 * 1024
#: Deepest nesting of arrays and inline tables in a TOML file (Python's TOML parser
#: recurses once a level and fails near 500).
MAX_TOML_DEPTH = 16
#: Seconds a remote fetch (with `--allow-remote`) may take in all, redirects included.
REMOTE_TIMEOUT = 10.0
#: Redirects a remote fetch may follow.
MAX_REDIRECTS = 5
#: Memory (MB of address space) one booklet's rendering process may take: the largest
#: booklet the limits above allow (256 KB of text, 160 pages) peaks near 450 MB.
RENDER_MEMORY_MB = 2048
#: Wall-clock seconds one booklet's rendering may take: that booklet takes about 30 s
#: of CPU, a minute on a busy machine.
RENDER_SECONDS = 300


@dataclass(frozen=True)
class RenderBudget:
    """What rendering one booklet may take (booklet.toml's `[limits]`): memory in MB
    and wall-clock time in seconds, each 0 for no limit. Rendering runs in a child
    process held to both (`booklet.build.workers`), so what no static limit above
    foresees still fails alone instead of taking the machine."""

    memory_mb: int = RENDER_MEMORY_MB
    seconds: int = RENDER_SECONDS

    @property
    def on(self) -> bool:
        return bool(self.memory_mb or self.seconds)


def megabytes(size: int) -> str:
    """A size as messages show it: in MB with one decimal, or in whole KB below 1 MB."""
    return f"{size / MB:.1f} MB" if size >= MB else f"{size / 1024:.0f} KB"


#: Characters XML 1.0 forbids (control characters, unpaired surrogates, two
#: non-characters): an EPUB holding one is broken on every reader, and lxml and
#: WeasyPrint fail on them.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def forbidden_character(text: str) -> tuple[int, str] | None:
    """The index and description of the first character in `text` that XML forbids,
    e.g. (4, 'a control character (U+0007)'), or None."""
    match = CONTROL_CHARACTERS.search(text)
    if match is None:
        return None
    char = match.group()
    kind = "an unpaired surrogate" if "\ud800" <= char <= "\udfff" else \
        "a non-character" if char in "\ufffe\uffff" else "a control character"
    return match.start(), f"{kind} (U+{ord(char):04X})"
