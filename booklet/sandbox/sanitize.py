"""Raw HTML for booklets that opt in (`allow_html: true`): an allow-list sanitiser.

Only text-level and structural tags pass (no scripts, frames, objects, embeds, forms,
links, meta, base, style or SVG), only harmless attributes (no event handlers, no
`style`, no `id` or `class`), and only `http`, `https`, `mailto` and `tel` links. The
result is re-serialised as well-formed XHTML, so it is safe in the EPUB as it is.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import nh3
from markupsafe import escape

from .limits import CONTROL_CHARACTERS

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u",
    "ul", "var",
}
ATTRIBUTES = {
    "*": {"lang", "dir", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "col": {"span"},
    "colgroup": {"span"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
#: The only CSS a `style` attribute may keep (Markdown's table column alignment).
STYLE_PROPERTIES = {"text-align"}
#: Deepest nesting of elements raw HTML may have (deeper is an error, not a slow build).
MAX_DEPTH = 50
#: Elements XHTML writes as `<br/>`; every other element keeps an end tag.
VOID = {"br", "hr", "img", "col"}
#: Tags removed together with everything inside them (not only the tag).
DROP_WITH_CONTENT = {"script", "style", "template", "iframe", "object", "embed", "noscript",
                     "svg", "math", "textarea", "select", "title", "head"}


def sanitize(html: str) -> str:
    """`html` with everything outside the allow-list removed, as well-formed XHTML.

    Raises `TooDeep` for HTML nested deeper than `MAX_DEPTH` elements.
    """
    if _surely_too_deep(html):
        raise TooDeep(f"raw HTML nests deeper than {MAX_DEPTH} elements")
    clean = nh3.clean(html, tags=TAGS, clean_content_tags=DROP_WITH_CONTENT,
                      attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None,
                      filter_style_properties=STYLE_PROPERTIES, strip_comments=True,
                      attribute_filter=_keep_attribute)
    return to_xhtml(CONTROL_CHARACTERS.sub("\ufffd", clean))


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    """Links go to the web, mail, a phone or a heading: a file path would dangle."""
    if tag == "a" and name == "href":
        target = value.strip()
        return target if target.startswith("#") or ":" in target.split("/")[0] else None
    return value


class TooDeep(ValueError):
    """Raw HTML nested deeper than `MAX_DEPTH` elements."""


def to_xhtml(html: str) -> str:
    """Balanced HTML (the sanitiser's output) re-serialised as XML: closed void tags,
    quoted and escaped attributes, no named entities. Linear, without building a tree."""
    if "<" not in html and "&" not in html:
        return html
    writer = _XhtmlWriter()
    writer.feed(html)
    writer.close()
    return "".join(writer.out)


class _XhtmlWriter(HTMLParser):
    """Streams start tags, end tags and text back out as XHTML, counting depth."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img" and not dict(attrs).get("src"):
            return
        written = "".join(f' {name}="{escape(value or "")}"' for name, value in attrs)
        if tag in VOID:
            self.out.append(f"<{tag}{written}/>")
            return
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise TooDeep(f"raw HTML nests deeper than {MAX_DEPTH} elements")
        self.out.append(f"<{tag}{written}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID:
            self.depth -= 1
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(str(escape(data)))


_IMG = re.compile(r"<img\b[^>]*>", re.I)
_SRC = re.compile(r"""\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
#: Every element HTML closes by itself (not only those the sanitiser keeps).
HTML_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
             "param", "source", "track", "wbr"}


def image_sources(html: str) -> list[str]:
    """The `src` of every `<img>` in raw HTML as written, so it can be checked.

    Raw HTML is read with two simple patterns (linear in its length), not a parser.
    """
    sources = []
    for tag in _IMG.findall(html):
        if match := _SRC.search(tag):
            src = unescape(next(g for g in match.groups() if g is not None)).strip()
            if src:
                sources.append(src)
    return sources


def _surely_too_deep(html: str) -> bool:
    """Whether raw HTML opens so many elements without closing them that parsing it
    would be slow (HTML parsers take time growing with the square of the depth)."""
    depth = 0
    for match in _TAG.finditer(html):
        if match.group(2).lower() not in HTML_VOID:
            depth = max(0, depth - 1) if match.group(1) else depth + 1
            if depth > 10 * MAX_DEPTH:
                return True
    return False
