"""Table headers a screen reader can announce (Matterhorn 15-003).

WeasyPrint 70 gives each TH an /ID and each TD /Headers, but no TH a /Scope, and a TD
under a header that spans columns does not get that header (it looks the header up by
the column the header starts in). Here every TH gets /Scope (Column for a header row,
Row for a header that starts a row of data) and every TD /Headers naming each header
above it in its columns and each before it in its rows, from the table's grid with
its spans.
"""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name

from .tree import Node, Tree

ROW_GROUPS = ("/THead", "/TBody", "/TFoot")


@dataclass
class Cell:
    """A TH or TD placed on the table's grid."""

    element: pikepdf.Object
    header: bool
    row: int
    column: int
    rows: int
    columns: int
    in_head: bool

    def covers_column(self, column: int) -> bool:
        return self.column <= column < self.column + self.columns

    def covers_row(self, row: int) -> bool:
        return self.row <= row < self.row + self.rows


def fix(tree: Tree) -> None:
    """Scope on every TH and complete /Headers on every TD, in every table."""
    for number, table in enumerate(n for n in tree.elements() if n.type == "/Table"):
        cells = _grid(table)
        if cells:
            _scope_and_headers(cells, number)


def _rows(table: Node) -> list[tuple[Node, bool]]:
    """The table's TR elements in order, each with whether it is in the THead."""
    rows = []
    for kid in table.elements():
        if kid.type == "/TR":
            rows.append((kid, False))
        elif kid.type in ROW_GROUPS:
            rows += [(tr, kid.type == "/THead") for tr in kid.elements() if tr.type == "/TR"]
    return rows


def _grid(table: Node) -> list[Cell]:
    cells: list[Cell] = []
    taken: set[tuple[int, int]] = set()
    for r, (row, in_head) in enumerate(_rows(table)):
        column = 0
        for kid in row.elements():
            if kid.type not in ("/TH", "/TD"):
                continue
            while (r, column) in taken:
                column += 1
            rows, columns = _span(kid.obj, "/RowSpan"), _span(kid.obj, "/ColSpan")
            cells.append(Cell(kid.obj, kid.type == "/TH", r, column, rows, columns, in_head))
            taken |= {(r + i, column + j) for i in range(rows) for j in range(columns)}
            column += columns
    return cells


def _span(cell: pikepdf.Object, key: str) -> int:
    for attributes in _attribute_dicts(cell):
        if key in attributes:
            return max(1, int(attributes[key]))
    return 1


def _attribute_dicts(cell: pikepdf.Object) -> list[pikepdf.Object]:
    a = cell.get("/A")
    if isinstance(a, Dictionary):
        return [a]
    return [d for d in a if isinstance(d, Dictionary)] if isinstance(a, Array) else []


def _table_attributes(cell: pikepdf.Object) -> pikepdf.Object:
    """The cell's attribute dictionary owned by Table, made if it has none."""
    for attributes in _attribute_dicts(cell):
        if attributes.get("/O") == Name.Table:
            return attributes
    attributes = Dictionary(O=Name.Table)
    existing = cell.get("/A")
    if existing is None:
        cell.A = attributes
    else:
        cell.A = Array([*_attribute_dicts(cell), attributes])
    return attributes


def _scope_and_headers(cells: list[Cell], number: int) -> None:
    by_row: dict[int, list[Cell]] = {}
    for cell in cells:
        by_row.setdefault(cell.row, []).append(cell)
    scopes: dict[int, Name] = {}
    for index, cell in enumerate(cells):
        if not cell.header:
            continue
        row = by_row[cell.row]
        all_headers = all(c.header for c in row)
        leading = all(c.header for c in row if c.column < cell.column)
        scope = Name.Column if cell.in_head or all_headers or not leading else Name.Row
        scopes[index] = scope
        _table_attributes(cell.element).Scope = scope
        if "/ID" not in cell.element:
            cell.element.ID = pikepdf.String(f"table{number}-{cell.row}-{cell.column}")
    for cell in cells:
        if cell.header:
            continue
        columns = range(cell.column, cell.column + cell.columns)
        rows = range(cell.row, cell.row + cell.rows)
        headers = [
            other.element.ID for index, other in enumerate(cells) if other.header and (
                (scopes[index] == Name.Column and other.row < cell.row
                 and any(other.covers_column(c) for c in columns))
                or (scopes[index] == Name.Row and other.column < cell.column
                    and any(other.covers_row(r) for r in rows)))]
        _table_attributes(cell.element).Headers = Array(headers)
