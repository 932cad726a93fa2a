"""Page content streams: the marked content each page has and the glyphs it shows, and
the rewrite that turns sequences into Artifacts or gives them /ActualText.

The streams are read as bytes, not through pikepdf's parser (which builds a Python
object per operand, a tenth of a second for a booklet): one regular expression finds
what matters here, and it consumes literal strings, comments and names whole so that
nothing inside them is mistaken for an operator. A page with what it does not read
(inline images) is left as it is and reported, so the PDF claims no conformance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pikepdf

Key = tuple[int, int]  # (page, MCID)
FontKey = tuple[int, int]  # the font dictionary's object number

#: Artifact property lists: running headers and footers, and layout such as leaders.
HEADER = b"<</Type /Pagination /Subtype /Header>>"
FOOTER = b"<</Type /Pagination /Subtype /Footer>>"
PAGINATION = b"<</Type /Pagination>>"
LAYOUT = b"<</Type /Layout>>"
UNKNOWN = b"<<>>"

_DELIMITER = rb"(?=[\s/<>\[\]()%{}]|$)"
_NAME = rb"/[^\s/<>\[\]()%{}]*"
TOKENS = re.compile(
    rb"(?P<string>\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\))"
    rb"|%[^\r\n]*"
    rb"|(?P<mcid>/(?P<tag>[^\s/<>\[\]()%{}]+)\s*<<\s*/MCID\s+(?P<id>\d+)\s*>>\s*BDC)"
    + _DELIMITER +
    rb"|/(?P<font>[^\s/<>\[\]()%{}]+)\s+[-+]?[\d.]+\s+Tf" + _DELIMITER +
    rb"|" + _NAME +
    rb"|\[(?P<array>[^\]()]*)\]\s*TJ" + _DELIMITER +
    rb"|<(?P<hex>[0-9A-Fa-f\s]*)>"
    rb"|(?<![^\s/<>\[\]()%{}])(?P<op>BDC|BMC|EMC|BI)" + _DELIMITER, re.S)

HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")


@dataclass
class Page:
    """One page's content and what its marked content shows."""

    data: bytes
    #: MCID -> (start, end) of its BDC operator in `data`
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)
    tags: dict[int, bytes] = field(default_factory=dict)
    #: MCID -> the strings shown inside it (hex digits, a TJ's joined), each with its font
    shown: dict[int, list[tuple[FontKey, bytes]]] = field(default_factory=dict)


@dataclass
class Content:
    """Every page's content, the fonts its text is shown in, and the pages not read."""

    pages: list[Page]
    fonts: dict[FontKey, pikepdf.Object]
    unread: list[int] = field(default_factory=list)

    def keys(self) -> list[Key]:
        """Every (page, MCID) shown."""
        return [(index, mcid) for index, page in enumerate(self.pages) for mcid in page.spans]


def read(pdf: pikepdf.Pdf) -> Content:
    """Read every page's content stream once."""
    content = Content([], {})
    for index, page in enumerate(pdf.pages):
        contents = page.obj.get("/Contents")
        if isinstance(contents, pikepdf.Array):
            data = b"\n".join(part.read_bytes() for part in contents)
        else:
            data = contents.read_bytes() if contents is not None else b""
        fonts = page.obj.get("/Resources", pikepdf.Dictionary()).get("/Font",
                                                                   pikepdf.Dictionary())
        parsed = Page(data)
        if not _scan(parsed, fonts, content.fonts):
            content.unread.append(index)
            parsed = Page(data)
        content.pages.append(parsed)
    return content


def _scan(page: Page, fonts: pikepdf.Object, used: dict[FontKey, pikepdf.Object]) -> bool:
    """Find the MCIDs, fonts and strings of one page; False if it holds an inline image."""
    stack: list[int | None] = []  # the MCID of each open marked-content sequence
    font: FontKey | None = None
    current: int | None = None  # the innermost open MCID
    for match in TOKENS.finditer(page.data):
        kind = match.lastgroup
        if kind == "mcid":
            current = int(match.group("id"))
            page.spans[current] = match.span()
            page.tags[current] = match.group("tag")
            page.shown.setdefault(current, [])
            stack.append(current)
        elif kind == "font":
            obj = fonts.get("/" + match.group("font").decode("latin-1"))
            font = obj.objgen if obj is not None else None
            if font is not None:
                used.setdefault(font, obj)
        elif kind in ("array", "hex") and current is not None and font is not None:
            text = match.group(kind)
            if kind == "array":
                text = b"".join(HEX.findall(text))
            page.shown[current].append((font, re.sub(rb"\s", b"", text)))
        elif kind == "op":
            op = match.group("op")
            if op == b"BI":
                return False
            if op == b"EMC":
                if stack:
                    stack.pop()
                current = next((m for m in reversed(stack) if m is not None), None)
            else:
                stack.append(None)
    return True


def rewrite(pdf: pikepdf.Pdf, content: Content, artifacts: dict[Key, bytes],
            actual: dict[Key, str]) -> None:
    """Turn the `artifacts` into Artifact sequences (no MCID) with their property lists,
    give the `actual` sequences /ActualText, and write back the pages that changed."""
    for index, page in enumerate(content.pages):
        edits = []
        for mcid, (start, end) in page.spans.items():
            key = (index, mcid)
            if key in artifacts:
                edits.append((start, end, b"/Artifact %s BDC" % artifacts[key]))
            elif key in actual:
                edits.append((start, end, b"/%s <</MCID %d /ActualText %s>> BDC"
                              % (page.tags[mcid], mcid, text_string(actual[key]))))
        if not edits:
            continue
        parts, at = [], 0
        for start, end, replacement in sorted(edits):
            parts += [page.data[at:start], replacement]
            at = end
        parts.append(page.data[at:])
        pdf.pages[index].obj.Contents = pdf.make_stream(b"".join(parts))


def text_string(text: str) -> bytes:
    """A PDF text string in hex, UTF-16BE with its byte order mark (ISO 32000-1 7.9.2.2)."""
    return b"<feff%s>" % text.encode("utf-16-be").hex().encode()
