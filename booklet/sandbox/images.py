"""What an image file must be before a booklet may use it.

A raster image must really be of the kind its name says and have at most
`MAX_IMAGE_PIXELS` pixels, read from its header without decoding it
(`booklet.sandbox.raster`). An SVG image is markup: `booklet.sandbox.svg` checks what
it holds and how much it draws. A `data:` image (in a stylesheet, inside an SVG image)
is held to the same rules.
"""

from __future__ import annotations

from .raster import DATA_IMAGE_TYPES, Checked, data_url, raster_size
from .svg import check_svg

#: Media types of fonts a stylesheet may embed.
FONT_TYPES = ("font/", "application/font-", "application/x-font-",
              "application/vnd.ms-fontobject")


def check_image(data: bytes, suffix: str | None) -> Checked:
    """Check `data` as an image named with `suffix` (None: fetched, any kind will do)."""
    if suffix == ".svg" or suffix is None and data.lstrip()[:5] in (b"<?xml", b"<svg "):
        return check_svg(data)
    size = raster_size(data, suffix)
    if isinstance(size, str):
        return Checked(size)
    return Checked(None, pixels=size[0] * size[1])


def image_problem(data: bytes, suffix: str | None) -> str | None:
    """Why `data` cannot be used as an image named with `suffix`, or None when it can."""
    return check_image(data, suffix).problem


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
        return f"is an image of type {media}; use PNG, JPEG, GIF or SVG"
    if fonts and not media.startswith(FONT_TYPES):
        return f"embeds {media}; a stylesheet here may embed only images and fonts"
    return None
