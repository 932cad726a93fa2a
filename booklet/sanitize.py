"""Raw HTML for booklets that opt in (`allow_html: true`): an allow-list sanitiser.

Only text-level and structural tags pass (no scripts, frames, objects, embeds, forms,
links, meta, base, style or SVG), only harmless attributes (no event handlers, no
`style`, no `id` or `class`), and only `http`, `https`, `mailto` and `tel` links. The
result is re-serialised as well-formed XHTML, so it is safe in the EPUB as it is.
"""

from __future__ import annotations

import nh3
from lxml import etree
from lxml import html as lxml_html
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
#: Elements XHTML writes as `<br/>`; every other element keeps an end tag.
VOID = {"br", "hr", "img", "col"}
#: Tags removed together with everything inside them (not only the tag).
DROP_WITH_CONTENT = {"script", "style", "template", "iframe", "object", "embed", "noscript",
                     "svg", "math", "textarea", "select", "title", "head"}


def sanitize(html: str) -> str:
    """`html` with everything outside the allow-list removed, as well-formed XHTML."""
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


def to_xhtml(html: str) -> str:
    """An HTML fragment re-serialised as XML: closed void tags, quoted attributes."""
    if "<" not in html:
        return html
    out = []
    for item in lxml_html.fragments_fromstring(html):
        if isinstance(item, str):
            out.append(str(escape(item)))
            continue
        if item.tag == "img" and not item.get("src"):
            out.append(str(escape(item.tail or "")))
            continue
        for element in list(item.iter(etree.Element)):
            if element.tag == "img" and not element.get("src"):
                element.drop_tree()
            elif element.tag not in VOID and element.text is None and not len(element):
                element.text = ""
        out.append(etree.tostring(item, method="xml", encoding="unicode"))
    return "".join(out)


def image_sources(html: str) -> list[str]:
    """The `src` of every `<img>` in raw HTML as written, so it can be checked."""
    if "<img" not in html.lower():
        return []
    try:
        items = lxml_html.fragments_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    return [src for item in items if not isinstance(item, str)
            for img in item.iter("img") if (src := img.get("src"))]
