"""What an SVG image may hold, and how much it may draw, before a booklet may use it.

An SVG image is markup that WeasyPrint draws into the PDFs and the reader's browser
engine shows from the EPUB. So it may hold no scripts, event handlers, animation,
foreign content, DTDs beyond the W3C's own, entities or `xml:base`; it may refer only
to its own parts and to PNG, JPEG or GIF images embedded in it (held to the image
limits); and its CSS (`<style>`, `style` and presentation attributes) is read with a
CSS tokenizer, escapes and all. Then the elements it draws are counted without drawing
it, a `<use>` (or a pattern, marker or other `url(#...)` reference) counting as a copy
of what it refers to: a small file of nested `<use>`s can ask for billions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from .css import TooDeep, imports, stylesheet_urls, value_urls
from .limits import MAX_IMAGE_PIXELS, MAX_SVG_ELEMENTS
from .raster import DATA_IMAGE_TYPES, Checked, data_url, raster_size

#: Elements that run code, animate (the EPUB declares no flashing hazard), or embed
#: other documents.
FORBIDDEN = {"script", "foreignobject", "iframe", "handler", "listener", "animation",
             "animate", "set", "animatemotion", "animatetransform", "animatecolor",
             "discard", "audio", "video", "canvas", "object", "embed"}
#: Elements that draw nothing themselves: a gradient is drawn as part of a shape's fill.
NOT_DRAWN = {"stop", "linearGradient", "radialGradient", "title", "desc", "metadata",
             "style"}
#: The W3C's own SVG DTDs, named by editors' DOCTYPEs; nothing ever fetches them.
W3C_DTDS = ("http://www.w3.org/Graphics/SVG/", "http://www.w3.org/TR/2001/REC-SVG-")
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
#: Attribute values worth reading as CSS: those that could hold an address.
_CSS_HINT = re.compile(r"url|image|src|\\", re.I)
#: Numbers in path data or a list of points: each pair is a vertex a marker may mark.
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ENTITY = re.compile(r"<!ENTITY", re.I)
#: A DOCTYPE with declarations of its own (they could add attributes by default).
_INTERNAL_SUBSET = re.compile(r"<!DOCTYPE\s[^>\[]*\[", re.I)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False)


class Unsafe(ValueError):
    """Why an SVG image may not be used."""


def check_svg(data: bytes) -> Checked:
    """Check an SVG image: why it may not be used (or None), and what it draws."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        if b"<!entity" in data.lower():
            return Checked("declares XML entities, which the build does not expand")
        return Checked(f"is not a well-formed SVG file ({error.msg})")
    if root is None or etree.QName(root).localname != "svg":
        return Checked("is not an SVG image")
    try:
        _check_document(root, data)
        drawing = _Drawing(root)
        for element in root.iter(etree.Element):
            _check_element(element, drawing)
        elements, pixels = drawing.total()
    except Unsafe as unsafe:
        return Checked(str(unsafe))
    except TooDeep as error:
        return Checked(str(error))
    if elements > MAX_SVG_ELEMENTS:
        return Checked(f"draws more than {MAX_SVG_ELEMENTS:,} elements (counting each "
                       f"<use> as a copy of what it uses), the limit", elements)
    if pixels > MAX_IMAGE_PIXELS:
        return Checked(f"draws embedded images of more than {MAX_IMAGE_PIXELS // 1_000_000} "
                       "megapixels in all, the limit", elements)
    return Checked(None, elements, pixels)


def svg_problem(data: bytes) -> str | None:
    """Why an SVG image cannot be used safely, or None."""
    return check_svg(data).problem


def _check_document(root: etree._Element, data: bytes) -> None:
    """The DOCTYPE, entities and processing instructions around and inside the image."""
    info = root.getroottree().docinfo
    text = data.decode(info.encoding or "utf-8", errors="replace")
    if _ENTITY.search(text):
        raise Unsafe("declares XML entities, which the build does not expand")
    if _INTERNAL_SUBSET.search(text):
        raise Unsafe("declares a DTD (<!DOCTYPE svg [ ... ]>), which images may not do")
    if info.system_url and not info.system_url.startswith(W3C_DTDS):
        raise Unsafe(f"refers to an external DTD ('{info.system_url}'), which images "
                     "may not do")
    for node in (*root.itersiblings(preceding=True), *root.itersiblings(), *root.iter()):
        if isinstance(node, etree._ProcessingInstruction) and \
                node.target.lower() == "xml-stylesheet":
            raise Unsafe("links a stylesheet (<?xml-stylesheet?>), which images may not do")
        if isinstance(node, etree._Entity):
            raise Unsafe("uses an XML entity, which the build does not expand")


def _check_element(element: etree._Element, drawing: _Drawing) -> None:
    name = etree.QName(element).localname
    if name.lower() in FORBIDDEN:
        raise Unsafe(f"holds a <{name}> element, which images may not contain")
    for attribute, value in element.attrib.items():
        local = etree.QName(attribute).localname
        if local.lower().startswith("on"):
            raise Unsafe(f"has an event handler ({local}), which images may not contain")
        if attribute == XML_BASE:
            raise Unsafe("sets xml:base, which would send its references elsewhere")
        if local in ("href", "src"):
            drawing.refer(element, value.strip())
        elif _CSS_HINT.search(value):
            for ref in value_urls(value, max_depth=32):
                drawing.refer(element, ref.url.strip())
    if name == "style":
        css = "".join(element.xpath("text()"))  # comments are not part of the CSS
        if imports(css):
            raise Unsafe("imports a stylesheet (@import), which images may not do")
        for ref in stylesheet_urls(css, max_depth=32):
            drawing.refer(None, ref.url.strip())


@dataclass
class _Drawing:
    """What each element refers to, for counting what the image draws."""

    root: etree._Element
    ids: dict[str, etree._Element] = field(default_factory=dict)
    #: Elements an element draws again by reference: `<use>`, `url(#...)`.
    refs: dict[etree._Element, list[etree._Element]] = field(default_factory=dict)
    #: Elements a stylesheet refers to: any element may draw them.
    styled: list[etree._Element] = field(default_factory=list)
    #: Pixels of embedded raster images, by element.
    pixels: dict[etree._Element, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for element in self.root.iter(etree.Element):
            for key in ("id", XML_ID):
                if (value := element.get(key)) is not None:
                    self.ids.setdefault(value, element)

    def refer(self, element: etree._Element | None, target: str) -> None:
        """Note a reference; refuse one that leads outside the image."""
        if target.startswith("#"):
            if (used := self.ids.get(target[1:])) is not None:
                if element is None:
                    self.styled.append(used)
                else:
                    self.refs.setdefault(element, []).append(used)
            return
        media, data = _embedded(target)
        if media is None:
            raise Unsafe(f"refers to '{_short(target)}'; an SVG image may only refer to its "
                         "own parts")
        size = raster_size(data, DATA_IMAGE_TYPES[media])
        if isinstance(size, str):
            raise Unsafe(f"embeds an image that {size}")
        owner = self.root if element is None else element
        self.pixels[owner] = self.pixels.get(owner, 0) + size[0] * size[1]

    def total(self) -> tuple[int, int]:
        """(elements, pixels) the image draws, each reference a copy of its target."""
        cost: dict[etree._Element, tuple[int, int]] = {}
        for element in _post_order(self.root, self.refs, self.styled):
            own = 0 if etree.QName(element).localname in NOT_DRAWN else 1
            elements = own + sum(cost[child][0] for child in _children(element, self.refs))
            pixels = self.pixels.get(element, 0) + sum(
                cost[child][1] for child in _children(element, self.refs))
            times = _vertices(element) if _has_markers(element) else 1
            cost[element] = (min(elements * times, MAX_SVG_ELEMENTS + 1),
                             min(pixels * times, MAX_IMAGE_PIXELS + 1))
        elements, pixels = cost[self.root]
        everywhere = len(cost)  # a stylesheet's references may be drawn by every element
        for used in self.styled:
            elements += everywhere * cost[used][0]
            pixels += everywhere * cost[used][1]
        return elements, pixels


def _children(element: etree._Element, refs: dict) -> Iterator[etree._Element]:
    yield from element.iterchildren(etree.Element)
    yield from refs.get(element, ())


def _post_order(root: etree._Element, refs: dict, styled: list) -> list[etree._Element]:
    """Every element reached from the root or a stylesheet, each after what it draws;
    a reference loop is refused (without recursion: chains may be long)."""
    order: list[etree._Element] = []
    state: dict[etree._Element, bool] = {}  # False: being visited, True: done
    for start in (root, *styled):
        if start in state:
            continue
        stack = [(start, _children(start, refs))]
        state[start] = False
        while stack:
            element, pending = stack[-1]
            child = next(pending, None)
            if child is None:
                stack.pop()
                state[element] = True
                order.append(element)
            elif child not in state:
                state[child] = False
                stack.append((child, _children(child, refs)))
            elif state[child] is False:
                raise Unsafe("has a <use> or url(#...) reference that leads back to "
                             "itself")
    return order


def _has_markers(element: etree._Element) -> bool:
    return any(element.get(name) for name in ("marker", "marker-start", "marker-mid",
                                              "marker-end")) or "marker" in \
        (element.get("style") or "")


def _vertices(element: etree._Element) -> int:
    """About how many vertices a shape has: a marker may be drawn at each."""
    data = " ".join(element.get(name) or "" for name in ("d", "points"))
    return max(1, len(_NUMBER.findall(data)) // 2 + 1)


def _embedded(target: str) -> tuple[str | None, bytes]:
    """An embedded PNG, JPEG or GIF image's media type and bytes; (None, b'') else."""
    decoded = data_url(target) if target[:5].lower() == "data:" else None
    if decoded is None or decoded[0] not in DATA_IMAGE_TYPES or decoded[0] == "image/svg+xml":
        return None, b""
    return decoded


def _short(url: str, limit: int = 60) -> str:
    return url if len(url) <= limit else url[:limit - 1] + "…"
