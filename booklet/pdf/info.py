"""Facts read back from a PDF the build wrote, for the build summary: its page count.

WeasyPrint writes the page tree inside compressed object streams, so these are
inflated first. Only the page tree's `/Count` is read; anything unexpected gives None
(the summary then shows no page count) rather than a wrong number.
"""

from __future__ import annotations

import re
import zlib

_OBJECT_STREAM = re.compile(rb"<<((?:(?!>>).)*?/Type\s*/ObjStm(?:(?!>>).)*?)>>\s*stream\r?\n",
                            re.S)
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_PAGES = re.compile(rb"/Type\s*/Pages\b(?:(?!>>).)*?/Count\s+(\d+)|"
                    rb"/Count\s+(\d+)(?:(?!>>|<<).)*?/Type\s*/Pages\b", re.S)


def page_count(data: bytes) -> int | None:
    """The number of pages of a PDF (the root page tree's /Count), or None."""
    counts = [int(a or b) for text in _texts(data) for a, b in _PAGES.findall(text)]
    return max(counts) if counts else None


def _texts(data: bytes) -> list[bytes]:
    """The file itself, then the inflated contents of each object stream."""
    texts = [data]
    for match in _OBJECT_STREAM.finditer(data):
        length = _LENGTH.search(match.group(1))
        if length is None or b"/FlateDecode" not in match.group(1):
            continue
        start = match.end()
        try:
            texts.append(zlib.decompress(data[start:start + int(length.group(1))]))
        except zlib.error:
            continue
    return texts
