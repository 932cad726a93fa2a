"""What an image file must be before a booklet may use it.

A raster image must really be of the kind its name says and have at most
`MAX_IMAGE_PIXELS` pixels, read from its header without decoding it. An SVG image is
markup: `booklet.sandbox.svg` checks what it holds and how much it draws. A `data:`
image (in a stylesheet, inside an SVG image) is held to the same rules.
"""

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
#: Media types of fonts a stylesheet may embed.
FONT_TYPES = ("font/", "application/font-", "application/x-font-", "application/vnd.ms-fontobject")


@dataclass(frozen=True)
class Checked:
    """What checking an image found: why it cannot be used (None: it can), and how many
    elements it draws (an SVG image's, counting `<use>` copies; 1 for a raster image)."""

    problem: str | None
    elements: int = 1
    #: Width × height of a raster image, or of an SVG image's embedded ones together.
    pixels: int = 0


def check_image(data: bytes, suffix: str | None) -> Checked:
    """Check `data` as an image named with `suffix` (None: fetched, any kind will do)."""
    if suffix == ".svg" or suffix is None and data.lstrip()[:5] in (b"<?xml", b"<svg "):
        from .svg import check_svg

        return check_svg(data)
    size = raster_size(data, suffix)
    if isinstance(size, str):
        return Checked(size)
    return Checked(None, pixels=size[0] * size[1])


def image_problem(data: bytes, suffix: str | None) -> str | None:
    """Why `data` cannot be used as an image named with `suffix`, or None when it can."""
    return check_image(data, suffix).problem


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


def data_url_problem(url: str, fonts: bool = False) -> str | None:
    """Why a `data:` URL may not be used: an image that is not a safe PNG, JPEG, GIF or
    SVG image within the limits; with `fonts`, anything else but a font."""
    decoded = data_url(url)
    if decoded is None:
        return "is not a readable data: URL"
    media, data = decoded
    if media in DATA_IMAGE_TYPES:
        return image_problem(data, DATA_IMAGE_TYPES[media])
    if media.startswith("image/"):
        return f"is a {media} image; use PNG, JPEG, GIF or SVG"
    if fonts and not media.startswith(FONT_TYPES):
        return f"embeds {media}; a stylesheet here may embed only images and fonts"
    return None
