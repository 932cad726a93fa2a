"""The EPUB's cover image: the print edition's first page, rendered with PDFium.

The first page of the reading PDF (the same file the PDF writer produces, written once
per build) is rasterised with pypdfium2 inside its trim box (no bleed or crop marks)
and saved as a baseline JPEG 1600 pixels wide, a size every e-book store and reader
accepts.
"""

from __future__ import annotations

import io

#: Width of the cover image in pixels; the height follows the page (2270 for A5).
COVER_WIDTH = 1600
COVER_FILE = "cover.jpg"
COVER_MEDIA_TYPE = "image/jpeg"


def cover_image(pdf: bytes) -> bytes:
    """The first page of the print edition's PDF, trimmed, as JPEG bytes."""
    import pypdfium2
    from PIL import Image

    page = pypdfium2.PdfDocument(pdf)[0]
    media = page.get_mediabox()
    trim = page.get_trimbox()
    crop = (trim[0] - media[0], trim[1] - media[1], media[2] - trim[2], media[3] - trim[3])
    width, height = trim[2] - trim[0], trim[3] - trim[1]
    scale = COVER_WIDTH / width
    image = page.render(scale=scale, crop=crop, draw_annots=False).to_pil().convert("RGB")
    size = (COVER_WIDTH, round(height * scale))
    if image.size != size:
        image = image.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True, progressive=False, subsampling="4:2:0")
    return out.getvalue()
