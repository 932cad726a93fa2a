"""Bounds on what a booklet's Markdown may ask for, checked while it is parsed.

markdown-it builds every token before anything else looks at them: a table header of
250 columns over a few hundred short lines asks for 65,000 cells, and 24 KB of `# a`
lines for 6,000 parts (each a page, and a file in the EPUB). These rules stop the parse
at the first table or heading past a limit, before the tokens or the renderer pay for
them. (Markdown's own nesting is capped by the parser: `maxNesting`.)
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_block.table import table
from markdown_it.rules_core.state_core import StateCore

from ..sandbox.limits import MAX_BOOKLET_TABLE_CELLS, MAX_PARTS, MAX_SECTIONS, MAX_TABLE_CELLS

#: Where the parse keeps the count of table cells so far (in markdown-it's `env`).
CELLS = "booklet_table_cells"


class ContentLimit(Exception):  # noqa: N818 (a limit reached, not a failure of the tool)
    """A limit crossed while parsing: the 0-based line of the body, and the message."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def install(md: MarkdownIt) -> None:
    """Bound the tables and count the headings of everything `md` parses."""
    md.block.ruler.at("table", bounded_table, {"alt": ["paragraph", "reference"]})
    md.core.ruler.after("block", "booklet_headings", count_headings)


def bounded_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's table rule, given only as many rows as the cell limit allows (and
    one more, to see that there are more); raises `ContentLimit` past a limit."""
    if silent:
        return table(state, start, end, silent)
    columns = _columns(state, start + 1)
    if columns > MAX_TABLE_CELLS:
        raise ContentLimit(start, f"a table of {columns:,} columns is more than the limit "
                                  f"of {MAX_TABLE_CELLS:,} cells a table")
    before = len(state.tokens)
    rows = MAX_TABLE_CELLS // max(columns, 1)  # header included; body rows start below
    if not table(state, start, min(end, start + 2 + rows), silent):
        return False
    cells = sum(t.type in ("th_open", "td_open") for t in state.tokens[before:])
    if cells > MAX_TABLE_CELLS:
        raise ContentLimit(start, f"a table of more than {MAX_TABLE_CELLS:,} cells "
                                  "(columns × rows), the limit")
    state.env[CELLS] = state.env.get(CELLS, 0) + cells
    if state.env[CELLS] > MAX_BOOKLET_TABLE_CELLS:
        raise ContentLimit(start, f"the booklet's tables hold more than "
                                  f"{MAX_BOOKLET_TABLE_CELLS:,} cells in all, the limit")
    return True


def _columns(state: StateBlock, line: int) -> int:
    """The columns a table's delimiter row declares, counted as markdown-it does."""
    if line >= state.lineMax:
        return 0
    text = state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]
    cells = text.split("|")
    return sum(1 for i, cell in enumerate(cells) if cell.strip() or 0 < i < len(cells) - 1)


def count_headings(state: StateCore) -> None:
    """Refuse a booklet of more than `MAX_PARTS` parts or `MAX_SECTIONS` sections, at
    the heading past the limit (before the inline parse of the text)."""
    counts = {"h1": 0, "h2": 0}
    limits = {"h1": (MAX_PARTS, "parts ('# ' headings)"),
              "h2": (MAX_SECTIONS, "sections ('## ' headings)")}
    for token in state.tokens:
        if token.type == "heading_open" and token.level == 0 and token.tag in counts:
            counts[token.tag] += 1
            limit, what = limits[token.tag]
            if counts[token.tag] > limit:
                line = token.map[0] if token.map else 0
                raise ContentLimit(line, f"the booklet has more than {limit} {what}, the "
                                         "limit")
