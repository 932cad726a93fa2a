"""Moving a figure past the text after it, in the print HTML.

The page-break policy (`booklet.pdf.breaks`) may ask for a figure that would leave a
hole at the foot of a page to come after the next few paragraphs or lists instead, so
that they fill the hole and the figure heads the next page. It counts those in
elements of the print HTML, and one Markdown block of text (`Html`) holds several, so
the rendered markup after the figure is cut at its top-level elements to find the place.
The rendered markup is well-formed XHTML (void elements closed: `<br />`).
"""

from __future__ import annotations

from html.parser import HTMLParser


def insert_after_elements(markup: str, insert: str, count: int) -> str:
    """`markup` with `insert` placed after its first `count` top-level elements (at the
    end when it has fewer)."""
    ends = top_level_ends(markup)
    at = ends[count - 1] if 0 < count <= len(ends) else (len(markup) if count else 0)
    return markup[:at] + insert + markup[at:]


def top_level_ends(markup: str) -> list[int]:
    """The offset just past each top-level element of an XHTML fragment."""
    finder = _Ends(markup)
    finder.feed(markup)
    finder.close()
    return finder.ends


class _Ends(HTMLParser):
    """Finds where each top-level element of a fragment ends."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=False)
        self.markup = markup
        self.depth = 0
        self.ends: list[int] = []
        self.line_starts = [0]
        for line in markup.splitlines(keepends=True):
            self.line_starts.append(self.line_starts[-1] + len(line))

    def _tag_end(self) -> int:
        line, column = self.getpos()
        return self.markup.index(">", self.line_starts[line - 1] + column) + 1

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if self.depth == 0:
            self.ends.append(self._tag_end())

    def handle_endtag(self, tag: str) -> None:
        self.depth -= 1
        if self.depth == 0:
            self.ends.append(self._tag_end())
