"""Raster images and `data:` URLs: what a PNG, JPEG or GIF file must be, read from its
header without decoding it, and what a `data:` URL holds."""

from __future__ import annotations

import base64
import binascii
import io
import warnings
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from PIL import Image

from .limits import MAX_IMAGE_PIXELS

#: Pillow's name for each raster kind and the file endings it goes by.
RASTER = {"PNG": (".png",), "JPEG": (".jpg", ".jpeg"), "GIF": (".gif",)}
#: The file ending that stands for each image media type a `data:` URL may have.
DATA_IMAGE_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif",
                    "image/svg+xml": ".svg"}


@dataclass(frozen=True)
class Checked:
    """What checking an image found: why it cannot be used (None: it can), and how many
    elements it draws (an SVG image's, counting `<use>` copies; 1 for a raster image)."""

    problem: str | None
    elements: int = 1
    #: Width × height of a raster image, or of an SVG image's embedded ones together.
    pixels: int = 0


def raster_problem(data: bytes, suffix: str | None) -> str | None:
    """Why a PNG, JPEG or GIF cannot be used: wrong kind, unreadable, or too many pixels."""
    size = raster_size(data, suffix)
    return size if isinstance(size, str) else None


def raster_size(data: bytes, suffix: str | None) -> tuple[int, int] | str:
    """A PNG, JPEG or GIF's (width, height), read from its header; or why it cannot be
    used (wrong kind, unreadable, too many pixels)."""
    expected = next((kind for kind, endings in RASTER.items() if suffix in endings), None)
    with warnings.catch_warnings(record=True):  # our own limit is lower than Pillow's
        try:
            with Image.open(io.BytesIO(data), formats=list(RASTER)) as image:
                kind, (width, height) = image.format, image.size
        except Image.DecompressionBombError:
            return f"has more than {MAX_IMAGE_PIXELS // 1_000_000} megapixels, the limit"
        except Exception:  # noqa: BLE001 (Pillow raises many kinds for damaged files)
            return f"is not a readable {expected or 'PNG, JPEG or GIF'} image"
    if expected and kind != expected:
        return f"is really a {kind} image: give it the ending {RASTER[kind][0]}"
    if width * height > MAX_IMAGE_PIXELS:
        return (f"is {width} × {height} pixels ({width * height / 1e6:.1f} megapixels); "
                f"the limit is {MAX_IMAGE_PIXELS // 1_000_000} megapixels")
    return width, height


def data_url(url: str) -> tuple[str, bytes] | None:
    """The media type and bytes of a `data:` URL, or None when it is malformed."""
    header, comma, payload = url.partition(",")
    if not comma or header[:5].lower() != "data:":
        return None
    params = [p.strip().lower() for p in header[5:].split(";")]
    media = params[0] or "text/plain"
    raw = unquote_to_bytes(payload)
    if "base64" not in params[1:]:
        return media, raw
    try:
        return media, base64.b64decode(b"".join(raw.split()), validate=True)
    except (binascii.Error, ValueError):
        return None
