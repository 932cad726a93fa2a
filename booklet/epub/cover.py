"""The EPUB's cover image: the print edition's first page, rendered with PDFium.

The first page of the reading PDF (the same file the PDF writer produces, written once
per build) is rasterised with pypdfium2 inside its trim box (no bleed or crop marks)
and saved as a baseline JPEG 1600 pixels wide, a size every e-book store and reader
accepts.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

#: Width of the cover image in pixels; the height follows the page (2270 for A5).
COVER_WIDTH = 1600
COVER_FILE = "cover.jpg"
COVER_MEDIA_TYPE = "image/jpeg"


def cover_image(pdf: bytes) -> bytes:
    """The first page of the print edition's PDF, trimmed, as JPEG bytes."""
    # No optimize=True: its Huffman tables take a quarter off the file but ~5 ms, and
    # the EPUB's zip then packs it larger (73 KB against 71 KB for the bundled cover).
    return page_jpeg(pdf, COVER_WIDTH, quality=85, optimize=False)


def page_jpeg(pdf: bytes, width: int, quality: int = 85, optimize: bool = True) -> bytes:
    """The first page of `pdf`, trimmed, `width` pixels wide, as baseline JPEG bytes
    (also the web library's cover pictures)."""
    image = _render_trimmed(pdf, width)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=optimize, progressive=False,
               subsampling="4:2:0")
    return out.getvalue()


def _render_trimmed(pdf: bytes, width: int) -> Image.Image:
    """The first page's trim box drawn `width` pixels wide, as an RGBX image.

    The page is drawn straight at that size (each axis scaled so the trim box fills
    whole pixels exactly), so no resampling follows.
    """
    import ctypes

    import pypdfium2
    import pypdfium2.raw as pdfium_c
    from PIL import Image

    page = pypdfium2.PdfDocument(pdf)[0]
    left, _, _, top = page.get_cropbox()  # the area PDFium draws, origin at its top left
    trim = page.get_trimbox()
    x = width / (trim[2] - trim[0])
    height = round((trim[3] - trim[1]) * x)
    y = height / (trim[3] - trim[1])
    # 4 bytes a pixel (RGBX): PIL then uses PDFium's buffer as it is, without a copy
    bitmap = pypdfium2.PdfBitmap.new_native(width, height, pdfium_c.FPDFBitmap_BGRx,
                                            rev_byteorder=True)
    ctypes.memset(bitmap.buffer, 255, bitmap.stride * height)  # white paper
    matrix = pdfium_c.FS_MATRIX(x, 0, 0, y, -(trim[0] - left) * x, -(top - trim[3]) * y)
    clip = pdfium_c.FS_RECTF(0, 0, width, height)
    pdfium_c.FPDF_RenderPageBitmapWithMatrix(bitmap, page, matrix, clip,
                                             pdfium_c.FPDF_REVERSE_BYTE_ORDER)
    return Image.frombuffer("RGBX", (width, height), bitmap.buffer, "raw", "RGBX",
                            bitmap.stride, 1)
