"""Raw HTML for booklets that opt in (`allow_html: true`): an allow-list sanitiser.

Only text-level and structural tags pass (no scripts, frames, objects, embeds, forms,
links, meta, base, style or SVG), only harmless attributes (no event handlers, no
`style`, no `id` or `class`), and only `http`, `https`, `mailto` and `tel` links. The
result is re-serialised as well-formed XHTML, so it is safe in the EPUB as it is; the
re-serialising also reports every image the result shows (so each is checked, however
the input spelled it) and bounds the tables it lays out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3
from markupsafe import escape

from .limits import CONTROL_CHARACTERS, MAX_TABLE_CELLS, MAX_TABLE_SPAN

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


@dataclass(frozen=True)
class Clean:
    """Sanitised HTML: well-formed XHTML, the `src` of every image in it (as the
    renderers read it), and the cells its tables lay out."""

    html: str
    images: tuple[str, ...] = ()
    cells: int = 0


def sanitize(html: str) -> Clean:
    """`html` with everything outside the allow-list removed, as well-formed XHTML.

    Raises `HtmlLimit` for HTML nested deeper than `MAX_DEPTH` elements, and for a
    table past `MAX_TABLE_CELLS` cells or a span past `MAX_TABLE_SPAN`.
    """
    if _surely_too_deep(html):
        raise HtmlLimit(f"raw HTML nests deeper than {MAX_DEPTH} elements")
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


class HtmlLimit(ValueError):
    """Raw HTML past a limit (nesting, a table's size); the message names the limit."""


TooDeep = HtmlLimit


def to_xhtml(html: str) -> Clean:
    """Balanced HTML (the sanitiser's output) re-serialised as XML: closed void tags,
    quoted and escaped attributes, no named entities. Linear, without building a tree."""
    if "<" not in html and "&" not in html:
        return Clean(html)
    writer = _XhtmlWriter()
    writer.feed(html)
    writer.close()
    return Clean("".join(writer.out), tuple(writer.images), writer.cells)


@dataclass
class _Table:
    """A table being written: its columns and rows so far, and the columns that cells
    spanning down from earlier rows take in the rows to come."""

    width: int = 0
    rows: int = 0
    row_width: int = 0
    below: list[int] = field(default_factory=list)

    def cells(self) -> int:
        return self.width * self.rows


class _XhtmlWriter(HTMLParser):
    """Streams start tags, end tags and text back out as XHTML, counting depth, noting
    images and measuring tables."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.depth = 0
        self.images: list[str] = []
        self.tables: list[_Table] = []
        self.cells = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            src = (dict(attrs).get("src") or "").strip()
            if not src:
                return
            self.images.append(src)
        self._measure(tag, dict(attrs))
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
        if tag == "table" and self.tables:
            self.cells += self.tables.pop().cells()

    def handle_data(self, data: str) -> None:
        self.out.append(str(escape(data)))

    def _measure(self, tag: str, attrs: dict[str, str | None]) -> None:
        """Follow the table grid as WeasyPrint lays it out; refuse one past the limits."""
        if tag == "table":
            self.tables.append(_Table())
        if not self.tables:
            return
        table = self.tables[-1]
        if tag in ("col", "colgroup"):
            table.width += _span(attrs, "span", 1)
        elif tag in ("thead", "tbody", "tfoot"):
            table.below.clear()  # cells span rows only within their group
        elif tag == "tr":
            table.rows += 1
            table.row_width = table.below.pop(0) if table.below else 0
        elif tag in ("td", "th"):
            columns, rows = _span(attrs, "colspan", 1), _span(attrs, "rowspan", 0)
            table.row_width += columns
            table.width = max(table.width, table.row_width)
            if rows != 1:
                extra = (rows or MAX_TABLE_SPAN) - 1
                table.below.extend([0] * (extra - len(table.below)))
                for index in range(extra):
                    table.below[index] += columns
        if table.cells() > MAX_TABLE_CELLS:
            raise HtmlLimit(f"a raw HTML table lays out more than {MAX_TABLE_CELLS:,} cells "
                            f"(columns × rows), the limit")


_INTEGER = re.compile(r"\s*([-+]?\d+)")


def _span(attrs: dict[str, str | None], name: str, least: int) -> int:
    """A span attribute as WeasyPrint reads it (leading digits; at least `least`);
    one past `MAX_TABLE_SPAN` is refused."""
    value = attrs.get(name)
    match = _INTEGER.match(value or "")
    if not match:
        return 1
    number = int(match[1][:12])
    if number > MAX_TABLE_SPAN:
        raise HtmlLimit(f"{name}=\"{number}\" is more than {MAX_TABLE_SPAN}, the limit")
    return max(number, least)


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
#: Every element HTML closes by itself (not only those the sanitiser keeps).
HTML_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
             "param", "source", "track", "wbr"}


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
