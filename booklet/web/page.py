"""What every web page shares: its Content-Security-Policy, the stylesheet, downloads
with their sizes, and help numbers as `tel:` links."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..render.i18n import format_number

#: What a page may load: its own site's styles, fonts and images; no script, no form
#: posting, no frames, no <base>. (`frame-ancestors` is not allowed in a <meta>.)
CSP = ("default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self'; "
       "form-action 'none'; base-uri 'none'")
STYLESHEET = "assets/web.css"

#: How each download is described, in the order they are listed: format -> (kind
#: shown, media type).
DOWNLOAD_KINDS = {"pdf": ("PDF", "application/pdf"),
                  "large-print": ("PDF", "application/pdf"),
                  "booklet": ("PDF", "application/pdf"),
                  "epub": ("EPUB", "application/epub+zip")}


@dataclass(frozen=True)
class Download:
    """Another edition of the booklet, as a file beside the page."""

    format: str
    file_name: str
    size: int
    pages: int | None = None
    size_text: str = ""

    @property
    def kind(self) -> str:
        return DOWNLOAD_KINDS[self.format][0]

    @property
    def media_type(self) -> str:
        return DOWNLOAD_KINDS[self.format][1]


def size_text(size: int, language: str) -> str:
    """A file size as people read it: `61 KB`, `1.2 MB` (`1,2 MB` in Spanish)."""
    if size < 1000 * 1024:
        return f"{format_number(max(1, round(size / 1024)), language)}\u00a0KB"
    return f"{format_number(round(size / 1024 / 1024, 1), language)}\u00a0MB"


_NUMBER = re.compile(r"\+?\d[\d ]*\d|\d")


def phone_links(number: str) -> Markup:
    """A help number with each number in it a `tel:` link: `112 or 999` gives two."""
    out, last = [], 0
    for match in _NUMBER.finditer(number):
        out.append(escape(number[last:match.start()]))
        digits = match.group().replace(" ", "")
        out.append(Markup('<a href="tel:{}">{}</a>').format(digits, match.group()))
        last = match.end()
    out.append(escape(number[last:]))
    return Markup("").join(out)


