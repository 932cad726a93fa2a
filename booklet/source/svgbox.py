"""Where an SVG logo really draws: its artwork's bounding box, against its viewBox.

A logo whose drawing reaches outside its `viewBox` prints cut off, with no error from
the renderer. The box is measured from the geometry itself, not by rendering: the
corners of rectangles and images, points around circles and ellipses, the points of
lines and polygons, every path's end points plus 16 points along each curve and arc,
and an estimate for text (half an em per character from its `x`, `y` and
`font-size`), each through its `transform`s and widened by half its stroke. Shapes
in `<defs>`, clip paths, masks, markers, patterns and symbols are not drawn where they
are written and are skipped. The estimate errs small, so a warning means a real
overflow.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from lxml import etree

Point = tuple[float, float]
#: An affine transform (a, b, c, d, e, f), as SVG's `matrix()`.
Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1

IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)
#: Elements whose children are not drawn where they are written.
NOT_DRAWN = {"defs", "clipPath", "mask", "marker", "pattern", "symbol", "title", "desc",
             "metadata", "style", "script", "linearGradient", "radialGradient", "filter"}
#: Presentation properties a child takes from its parent.
INHERITED = ("stroke", "stroke-width", "font-size", "text-anchor")
#: How far the drawing may pass the viewBox before it counts, as a share of its size
#: (curves are sampled, so tiny excesses are measurement, not artwork).
TOLERANCE = 0.01
CURVE_STEPS = 16
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def overflow(data: bytes) -> str | None:
    """How an SVG's drawing passes its viewBox, in words, or None when it stays inside
    (or the file has no viewBox or size to measure against)."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return None
    frame = _frame(root)
    box = drawing_box(root)
    if frame is None or box is None:
        return None
    x, y, width, height = frame
    slack = TOLERANCE * max(width, height)
    if (box[0] >= x - slack and box[1] >= y - slack and box[2] <= x + width + slack
            and box[3] <= y + height + slack):
        return None
    wide = (math.floor(min(box[0], x) * 10) / 10, math.floor(min(box[1], y) * 10) / 10,
            math.ceil(max(box[2], x + width) * 10) / 10,
            math.ceil(max(box[3], y + height) * 10) / 10)
    return (f"draws outside its viewBox '{_numbers(frame)}' (its shapes reach from "
            f"x {_n(box[0])} to {_n(box[2])} and y {_n(box[1])} to {_n(box[3])}), so "
            f"the printed logo is cut off: set viewBox=\"{_numbers(_size(wide))}\"")


def drawing_box(root: etree._Element) -> Box | None:
    """The bounding box of everything `root` draws, in its own user units."""
    xs: list[float] = []
    ys: list[float] = []
    for x0, y0, x1, y1 in _boxes(root, IDENTITY, {}):
        xs += (x0, x1)
        ys += (y0, y1)
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def _boxes(element: etree._Element, ctm: Matrix, inherited: dict[str, str]
           ) -> Iterator[Box]:
    """The box of each shape under `element`, in root coordinates."""
    for child in element.iterchildren(etree.Element):
        name = etree.QName(child).localname
        if name in NOT_DRAWN:
            continue
        props = {**inherited, **_properties(child)}
        matrix = _multiply(ctm, _transform(child.get("transform", "")))
        points = list(_points(name, child, props))
        if points:
            moved = [_apply(matrix, point) for point in points]
            pad = _stroke(props) / 2 * math.sqrt(abs(matrix[0] * matrix[3]
                                                     - matrix[1] * matrix[2]))
            yield (min(p[0] for p in moved) - pad, min(p[1] for p in moved) - pad,
                   max(p[0] for p in moved) + pad, max(p[1] for p in moved) + pad)
        if name in ("g", "a", "switch", "svg"):
            yield from _boxes(child, matrix, props)


def _points(name: str, element: etree._Element, props: dict[str, str]) -> Iterator[Point]:
    """Points on (or around) one shape, in its own coordinates."""
    get = lambda key: _length(element.get(key))  # noqa: E731
    if name in ("rect", "image"):
        x, y, w, h = get("x"), get("y"), get("width"), get("height")
        if w > 0 and h > 0:
            yield from ((x, y), (x + w, y), (x, y + h), (x + w, y + h))
    elif name in ("circle", "ellipse"):
        r = get("r")
        rx, ry = (r, r) if name == "circle" else (get("rx"), get("ry"))
        cx, cy = get("cx"), get("cy")
        for step in range(4 * CURVE_STEPS):
            angle = 2 * math.pi * step / (4 * CURVE_STEPS)
            yield cx + rx * math.cos(angle), cy + ry * math.sin(angle)
    elif name == "line":
        yield from ((get("x1"), get("y1")), (get("x2"), get("y2")))
    elif name in ("polyline", "polygon"):
        numbers = [float(n) for n in _NUMBER.findall(element.get("points", ""))]
        yield from zip(numbers[::2], numbers[1::2], strict=False)
    elif name == "path":
        yield from path_points(element.get("d", ""))
    elif name == "text":
        yield from _text_points(element, props)


def _text_points(element: etree._Element, props: dict[str, str]) -> Iterator[Point]:
    """The corners of an estimated box for a text: half an em per character."""
    size = _length(props.get("font-size"), 16.0)
    x, y = _length(element.get("x")), _length(element.get("y"))
    width = 0.5 * size * len("".join(element.itertext()).strip())
    start = x - {"middle": width / 2, "end": width}.get(props.get("text-anchor", ""), 0)
    yield from ((start, y - 0.7 * size), (start + width, y))


def path_points(d: str) -> Iterator[Point]:
    """End points of every segment of path data, and points along its curves and arcs
    (up to where the data stops making sense, as renderers draw it)."""
    points: list[Point] = []
    try:
        for point in _walk(_PathTokens(d)):
            points.append(point)
    except _Stop:
        pass
    return iter(points)


def _walk(tokens: _PathTokens) -> Iterator[Point]:
    """The points of path data, read command by command."""
    x = y = start_x = start_y = 0.0
    last_control: Point | None = None
    command = ""
    while tokens.more():
        if tokens.at_command():
            command = tokens.command()
        if not command:
            return
        relative, kind = command.islower(), command.upper()
        ox, oy = (x, y) if relative else (0.0, 0.0)
        previous_control, last_control = last_control, None
        if kind == "Z":
            x, y = start_x, start_y
            yield x, y
            command = ""
            continue
        if kind in "ML":
            x, y = ox + tokens.number(), oy + tokens.number()
            if kind == "M":
                start_x, start_y = x, y
                command = "l" if relative else "L"
        elif kind == "H":
            x = ox + tokens.number()
        elif kind == "V":
            y = oy + tokens.number()
        elif kind in "CSQT":
            controls = _controls(kind, tokens, (ox, oy), (x, y), previous_control)
            end = (ox + tokens.number(), oy + tokens.number())
            yield from _bezier([(x, y), *controls, end])
            last_control = controls[-1] if controls else None
            if kind == "T" and previous_control:
                last_control = (2 * x - previous_control[0], 2 * y - previous_control[1])
            x, y = end
        elif kind == "A":
            rx, ry, angle = abs(tokens.number()), abs(tokens.number()), tokens.number()
            large, sweep = tokens.flag(), tokens.flag()
            end = (ox + tokens.number(), oy + tokens.number())
            yield from _arc((x, y), end, rx, ry, angle, large, sweep)
            x, y = end
        else:
            return
        yield x, y


def _controls(kind: str, tokens: _PathTokens, origin: Point, current: Point,
              previous: Point | None) -> list[Point]:
    """The control points of a curve segment (S and T reflect the previous one)."""
    reflected = (2 * current[0] - previous[0], 2 * current[1] - previous[1]) \
        if previous else current
    count = {"C": 2, "S": 1, "Q": 1, "T": 0}[kind]
    read = [(origin[0] + tokens.number(), origin[1] + tokens.number()) for _ in range(count)]
    return [reflected, *read] if kind in "ST" else read


def _bezier(points: list[Point]) -> Iterator[Point]:
    """Points along a Bézier curve of any degree (de Casteljau)."""
    for step in range(1, CURVE_STEPS):
        t = step / CURVE_STEPS
        level = points
        while len(level) > 1:
            level = [((1 - t) * a[0] + t * b[0], (1 - t) * a[1] + t * b[1])
                     for a, b in zip(level, level[1:], strict=False)]
        yield level[0]


def _arc(start: Point, end: Point, rx: float, ry: float, angle: float, large: bool,
         sweep: bool) -> Iterator[Point]:
    """Points along an elliptical arc (SVG 1.1 implementation notes, F.6.5)."""
    if not rx or not ry or start == end:
        return
    phi = math.radians(angle)
    cos, sin = math.cos(phi), math.sin(phi)
    dx, dy = (start[0] - end[0]) / 2, (start[1] - end[1]) / 2
    x1, y1 = cos * dx + sin * dy, -sin * dx + cos * dy
    scale = x1 * x1 / (rx * rx) + y1 * y1 / (ry * ry)
    if scale > 1:  # radii too small to reach: scaled up, as renderers do
        rx, ry = rx * math.sqrt(scale), ry * math.sqrt(scale)
    numerator = rx * rx * ry * ry - rx * rx * y1 * y1 - ry * ry * x1 * x1
    denominator = rx * rx * y1 * y1 + ry * ry * x1 * x1
    factor = math.sqrt(max(0.0, numerator / denominator)) * (-1 if large == sweep else 1)
    cx1, cy1 = factor * rx * y1 / ry, -factor * ry * x1 / rx
    cx = cos * cx1 - sin * cy1 + (start[0] + end[0]) / 2
    cy = sin * cx1 + cos * cy1 + (start[1] + end[1]) / 2
    theta = math.atan2((y1 - cy1) / ry, (x1 - cx1) / rx)
    delta = math.atan2((-y1 - cy1) / ry, (-x1 - cx1) / rx) - theta
    if sweep and delta < 0:
        delta += 2 * math.pi
    elif not sweep and delta > 0:
        delta -= 2 * math.pi
    for step in range(1, CURVE_STEPS):
        t = theta + delta * step / CURVE_STEPS
        px, py = rx * math.cos(t), ry * math.sin(t)
        yield cos * px - sin * py + cx, sin * px + cos * py + cy


class _PathTokens:
    """A cursor over path data: commands, numbers, and arc flags (written '0' or '1',
    possibly run together: 'a5 5 0 015 5')."""

    def __init__(self, d: str) -> None:
        self.d, self.at = d, 0

    def _skip(self) -> None:
        while self.at < len(self.d) and self.d[self.at] in " \t\r\n,":
            self.at += 1

    def more(self) -> bool:
        self._skip()
        return self.at < len(self.d)

    def at_command(self) -> bool:
        self._skip()
        return self.at < len(self.d) and self.d[self.at].isalpha() and \
            self.d[self.at] not in "eE"

    def command(self) -> str:
        self.at += 1
        return self.d[self.at - 1]

    def number(self) -> float:
        self._skip()
        match = _NUMBER.match(self.d, self.at)
        if not match:
            raise _Stop
        self.at = match.end()
        return float(match.group())

    def flag(self) -> bool:
        self._skip()
        if self.at >= len(self.d) or self.d[self.at] not in "01":
            raise _Stop
        self.at += 1
        return self.d[self.at - 1] == "1"


class _Stop(Exception):  # noqa: N818 (the end of readable path data, not a failure)
    """Path data that stops making sense: what came before still counts."""


def _frame(root: etree._Element) -> tuple[float, float, float, float] | None:
    """The viewBox (x, y, width, height), else (0, 0, width, height), else None."""
    numbers = [float(n) for n in _NUMBER.findall(root.get("viewBox", ""))]
    if len(numbers) == 4 and numbers[2] > 0 and numbers[3] > 0:
        return numbers[0], numbers[1], numbers[2], numbers[3]
    width, height = _length(root.get("width")), _length(root.get("height"))
    return (0.0, 0.0, width, height) if width > 0 and height > 0 else None


def _properties(element: etree._Element) -> dict[str, str]:
    """The inherited presentation properties set on `element` (attribute or style)."""
    found = {key: element.get(key) for key in INHERITED if element.get(key) is not None}
    for declaration in element.get("style", "").split(";"):
        key, _, value = declaration.partition(":")
        if key.strip() in INHERITED:
            found[key.strip()] = value.strip()
    return found


def _stroke(props: dict[str, str]) -> float:
    if props.get("stroke", "none").strip() in ("none", "transparent", ""):
        return 0.0
    return _length(props.get("stroke-width"), 1.0)


def _length(value: str | None, default: float = 0.0) -> float:
    """A number from an attribute such as '12', '12px' or '1e1' (other units: as is)."""
    match = _NUMBER.match(value.strip()) if value else None
    return float(match.group()) if match else default


def _transform(text: str) -> Matrix:
    """A `transform` attribute as one matrix."""
    matrix = IDENTITY
    for name, arguments in re.findall(r"(\w+)\s*\(([^)]*)\)", text):
        values = [float(n) for n in _NUMBER.findall(arguments)]
        matrix = _multiply(matrix, _one_transform(name, values))
    return matrix


def _one_transform(name: str, v: list[float]) -> Matrix:
    if name == "matrix" and len(v) == 6:
        return (v[0], v[1], v[2], v[3], v[4], v[5])
    if name == "translate" and v:
        return (1, 0, 0, 1, v[0], v[1] if len(v) > 1 else 0)
    if name == "scale" and v:
        return (v[0], 0, 0, v[1] if len(v) > 1 else v[0], 0, 0)
    if name == "rotate" and v:
        a = math.radians(v[0])
        rotation = (math.cos(a), math.sin(a), -math.sin(a), math.cos(a), 0.0, 0.0)
        if len(v) == 3:
            return _multiply(_multiply((1, 0, 0, 1, v[1], v[2]), rotation),
                             (1, 0, 0, 1, -v[1], -v[2]))
        return rotation
    if name == "skewX" and v:
        return (1, 0, math.tan(math.radians(v[0])), 1, 0, 0)
    if name == "skewY" and v:
        return (1, math.tan(math.radians(v[0])), 0, 1, 0, 0)
    return IDENTITY


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n applied to a point: the matrix product m × n."""
    a, b, c, d, e, f = m
    return (a * n[0] + c * n[1], b * n[0] + d * n[1], a * n[2] + c * n[3],
            b * n[2] + d * n[3], a * n[4] + c * n[5] + e, b * n[4] + d * n[5] + f)


def _apply(m: Matrix, point: Point) -> Point:
    return (m[0] * point[0] + m[2] * point[1] + m[4], m[1] * point[0] + m[3] * point[1] + m[5])


def _size(box: Box) -> tuple[float, float, float, float]:
    return box[0], box[1], box[2] - box[0], box[3] - box[1]


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))


def _numbers(values: tuple[float, ...]) -> str:
    return " ".join(_n(v) for v in values)
