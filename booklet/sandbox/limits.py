"""Limits on what a booklet may hold and how much a build may read or wait for.

Each limit is an error when crossed, never a hang: the loader and the resource policy
check them before reading more than the limit allows.
"""

from __future__ import annotations

import re

MB = 1024 * 1024

#: Largest `booklet.md` (front matter and text) the loader reads.
MAX_SOURCE_BYTES = 2 * MB
#: Largest front matter block: metadata needs a few lines, not megabytes of YAML.
MAX_FRONT_MATTER_BYTES = 64 * 1024
#: Deepest nesting of lists and mappings inside front matter.
MAX_FRONT_MATTER_DEPTH = 8
#: Largest image (or any other resource) read from disk or fetched from the network.
MAX_IMAGE_BYTES = 20 * MB
#: Most pixels a raster image may have (width × height), checked before decoding it.
MAX_IMAGE_PIXELS = 50_000_000
#: Seconds a remote fetch (with `--allow-remote`) may take in all, redirects included.
REMOTE_TIMEOUT = 10.0
#: Redirects a remote fetch may follow.
MAX_REDIRECTS = 5


def megabytes(size: int) -> str:
    """A size in MB with one decimal, as shown in messages."""
    return f"{size / MB:.1f} MB"


#: Characters XML 1.0 forbids: an EPUB holding one is broken on every reader.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
