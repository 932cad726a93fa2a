"""Helpers the templates use to show a practice's details: logo files, web addresses,
and the QR code linking a printed booklet to its latest version online."""

from __future__ import annotations

import base64
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import segno

from ..sandbox.files import IMAGE_TYPES

#: File name (without suffix) of the practice logo inside the EPUB.
LOGO_STEM = "practice-logo"


def data_uri(path: Path) -> str:
    """A file as a `data:` URL (for a theme's templates: the built-in ones show the
    practice's logo as it was checked, `Practice.logo_uri`)."""
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


#: Characters a URL may hold as they are (RFC 3986's reserved and unreserved ones, and
#: '%' so that an address already percent-encoded stays as it is).
URL_SAFE = "/:@!$&'()*+,;=-._~%?#[]"


def ascii_url(url: str) -> str:
    """`url` with every other character percent-encoded as UTF-8 (`niños` ->
    `ni%C3%B1os`) and an international host in its ASCII form (IDNA).

    A QR code holding only ASCII reads the same on every scanner: one holding `ñ`
    stores it as a Latin-1 byte, which many scanners read as another letter."""
    parts = urlsplit(unicodedata.normalize("NFC", url))
    host = parts.hostname or ""
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        ascii_host = quote(host, safe="")
    user, at, _ = parts.netloc.rpartition("@")
    port = f":{parts.port}" if parts.port else ""
    netloc = f"{quote(user, safe=URL_SAFE)}{at}{ascii_host}{port}" if host else parts.netloc
    return urlunsplit((parts.scheme, netloc, *(quote(piece, safe=URL_SAFE)
                                               for piece in parts[2:])))


@lru_cache(maxsize=32)
def qr_data_uri(url: str) -> str:
    """`url` as a QR code in a `data:image/svg+xml` URL, for an <img> in print HTML;
    the code holds the address in ASCII (`ascii_url`).

    Kept per process: the reading and large-print editions print the same code, and
    `booklet watch` prints it again at every change (some 10 ms each time)."""
    code = segno.make(ascii_url(url), error=ERROR_LEVEL, micro=False, boost_error=False)
    return code.svg_data_uri(border=QUIET_ZONE, omitsize=True, dark="#000", light=None)
