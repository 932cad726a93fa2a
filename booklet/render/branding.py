"""Helpers the templates use to show a practice's details: logo files, web addresses,
and the QR code linking a printed booklet to its latest version online."""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import segno

from ..sandbox.files import IMAGE_TYPES

#: File name (without suffix) of the practice logo inside the EPUB.
LOGO_STEM = "practice-logo"


def data_uri(path: Path) -> str:
    """A file as a `data:` URL, so the print HTML carries the logo itself."""
    media_type = IMAGE_TYPES[path.suffix.lower()]
    return f"data:{media_type};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def logo_file_name(path: Path) -> str:
    """The logo's file name inside the EPUB package."""
    return f"{LOGO_STEM}{path.suffix.lower()}"


def web_address(url: str, breaks: bool = False) -> str:
    """A URL as people type it: no scheme, no trailing slash (`example.org/handouts`).

    With `breaks` (print), a zero-width space (a line-break opportunity) goes after
    each `/` and before each `.`, the only places a URL may break there (after a
    hyphen it may too, like any text): a narrow QR caption then breaks
    `example.org/ | handouts/`, never `example.or | g/`. (Not `<wbr>`: WeasyPrint tags
    each one as a structure element, which cuts the link's tagging in pieces.) An ebook
    reflows, and its reader copies addresses: it gets them as they are.
    """
    parts = urlsplit(url)
    shown = (parts.netloc + parts.path).rstrip("/")
    shown = f"{shown}?{parts.query}" if parts.query else shown
    return "\u200b".join(re.split(r"(?<=/)(?=.)|(?<=.)(?=\.)", shown)) if breaks else shown


# QR codes for printed booklets: a link to the latest version, as vector SVG.
#
# segno is pure Python; the code is drawn as one SVG path, so it stays sharp at any
# print resolution and adds well under a kilobyte to the PDF.

#: Error correction level: M survives about 15% damage (a fold, a coffee ring).
ERROR_LEVEL = "m"
#: Quiet zone in modules; the QR specification asks for 4.
QUIET_ZONE = 4


@lru_cache(maxsize=32)
def qr_data_uri(url: str) -> str:
    """`url` as a QR code in a `data:image/svg+xml` URL, for an <img> in print HTML.

    Kept per process: the reading and large-print editions print the same code, and
    `booklet watch` prints it again at every change (some 10 ms each time)."""
    code = segno.make(url, error=ERROR_LEVEL, micro=False, boost_error=False)
    return code.svg_data_uri(border=QUIET_ZONE, omitsize=True, dark="#000", light=None)
