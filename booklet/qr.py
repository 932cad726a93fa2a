"""QR codes for printed booklets: a link to the latest version, as vector SVG.

segno is pure Python; the code is drawn as one SVG path, so it stays sharp at any
print resolution and adds well under a kilobyte to the PDF.
"""

from __future__ import annotations

from functools import lru_cache

import segno

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
