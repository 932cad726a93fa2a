"""What an image file must be before a booklet may use it.

A raster image must really be of the kind its name says and have at most
`MAX_IMAGE_PIXELS` pixels, read from its header without decoding it. An SVG image is
markup, so it must hold no scripts, event handlers, foreign content or entity
declarations, and refer to nothing but its own parts.
"""

from __future__ import annotations

import io
import re
import warnings

from lxml import etree
from PIL import Image

from .limits import MAX_IMAGE_PIXELS

#: Pillow's name for each raster kind and the file endings it goes by.
RASTER = {"PNG": (".png",), "JPEG": (".jpg", ".jpeg"), "GIF": (".gif",)}
SVG_FORBIDDEN = {"script", "foreignObject", "iframe", "handler", "listener", "animation"}
_URL = re.compile(r"""url\(\s*["']?([^"')\s]*)""", re.I)
_EMBEDDED = re.compile(r"data:image/(png|jpeg|gif)[;,]", re.I)
_SVG_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                              huge_tree=False)


def image_problem(data: bytes, suffix: str | None) -> str | None:
    """Why `data` cannot be used as an image named with `suffix`, or None when it can.

    With `suffix` None (an image fetched from the network) any supported kind will do.
    """
    if suffix == ".svg" or suffix is None and data.lstrip()[:5] in (b"<?xml", b"<svg "):
        return svg_problem(data)
    return raster_problem(data, suffix)


def raster_problem(data: bytes, suffix: str | None) -> str | None:
    """Why a PNG, JPEG or GIF cannot be used: wrong kind, unreadable, or too many pixels."""
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
    return None


def svg_problem(data: bytes) -> str | None:
    """Why an SVG image cannot be used safely, or None."""
    lowered = data.lower()
    if b"<!entity" in lowered:
        return "declares XML entities, which the build does not expand"
    if b"<?xml-stylesheet" in lowered:
        return "links a stylesheet (<?xml-stylesheet?>), which images may not do"
    try:
        root = etree.fromstring(data, _SVG_PARSER)
    except etree.XMLSyntaxError as error:
        return f"is not a well-formed SVG file ({error.msg})"
    if root is None or etree.QName(root).localname != "svg":
        return "is not an SVG image"
    for element in root.iter(etree.Element):
        name = etree.QName(element).localname
        if name in SVG_FORBIDDEN:
            return f"holds a <{name}> element, which images may not contain"
        for attribute, value in element.attrib.items():
            local = etree.QName(attribute).localname
            if local.lower().startswith("on"):
                return f"has an event handler ({local}), which images may not contain"
            target = value.strip() if local in ("href", "src") else _outside_url(value)
            if target and not _internal(target):
                return f"refers to '{target}'; an SVG image may only refer to its own parts"
        if name == "style" and (problem := _style_problem(element.text or "")):
            return problem
    return None


def _style_problem(css: str) -> str | None:
    if "@import" in css.lower():
        return "imports a stylesheet (@import), which images may not do"
    target = _outside_url(css)
    if target:
        return f"refers to '{target}'; an SVG image may only refer to its own parts"
    return None


def _outside_url(text: str) -> str | None:
    """The first `url(...)` target in `text` that is not part of the picture itself."""
    return next((t for t in _URL.findall(text) if not _internal(t)), None)


def _internal(target: str) -> bool:
    """A fragment of the picture itself, or an embedded raster image."""
    return target.startswith("#") or bool(_EMBEDDED.match(target))
