"""The drawing box of an SVG logo, measured from its shapes (booklet.source.svgbox)."""

from __future__ import annotations

import pytest
from lxml import etree

from booklet.source.svgbox import drawing_box, overflow, path_points

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">{}</svg>'


def box(shapes: str) -> tuple[float, ...]:
    found = drawing_box(etree.fromstring(SVG.format(shapes)))
    assert found is not None
    return tuple(round(v, 1) for v in found)


@pytest.mark.parametrize("shapes, expected", [
    ('<rect x="10" y="20" width="30" height="40"/>', (10, 20, 40, 60)),
    ('<circle cx="50" cy="50" r="10" stroke="#000" stroke-width="4"/>', (38, 38, 62, 62)),
    ('<ellipse cx="50" cy="50" rx="20" ry="5"/>', (30, 45, 70, 55)),
    ('<line x1="0" y1="5" x2="30" y2="-5"/>', (0, -5, 30, 5)),
    ('<polygon points="0,0 10,0 5,-8"/>', (0, -8, 10, 0)),
    ('<g transform="translate(10 20) scale(2)"><rect width="5" height="5"/></g>',
     (10, 20, 20, 30)),
    ('<g style="stroke: red; stroke-width: 10"><line x1="0" y1="0" x2="10" y2="0"/></g>',
     (-5, -5, 15, 5)),
    ('<defs><rect x="-500" width="5" height="5"/></defs><rect width="1" height="1"/>',
     (0, 0, 1, 1)),
    ('<text x="10" y="50" font-size="10" text-anchor="middle">abcd</text>', (0, 43, 20, 50)),
])
def test_shapes_are_measured(shapes, expected):
    assert box(shapes) == expected


def test_curves_and_arcs_reach_their_true_extremes():
    # A cubic curve bulging to y = -75 (its control points reach -100).
    assert min(y for _, y in path_points("M0 0 C0 -100 100 -100 100 0")) == -75
    # A half circle above its chord, with the flags written run together.
    top = min(y for _, y in path_points("M10 50a40 40 0 0180 0"))
    assert top == pytest.approx(10)
    assert [p for p in path_points("M0,0 l10-10h5v5z")] == [
        (0, 0), (10, -10), (15, -10), (15, -5), (0, 0)]


def test_broken_path_data_counts_up_to_where_it_breaks():
    assert list(path_points("M1 2 L3 4 L oops")) == [(1, 2), (3, 4)]


def test_overflow_names_the_box_and_the_viewbox_that_would_hold_it():
    assert overflow(SVG.format('<rect x="-10" y="0" width="50" height="120"/>').encode()) == (
        "draws outside its viewBox '0 0 100 100' (its shapes reach from x -10 to 40 and y 0 "
        "to 120), so the printed logo is cut off: set viewBox=\"-10 0 110 120\"")
    assert overflow(SVG.format('<rect width="100.5" height="100"/>').encode()) is None
    assert overflow(b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="9"/></svg>') is None
    sized = (b'<svg xmlns="http://www.w3.org/2000/svg" width="20px" height="20">'
             b'<circle r="5"/></svg>')
    assert "viewBox '0 0 20 20'" in overflow(sized)
