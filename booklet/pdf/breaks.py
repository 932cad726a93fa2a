"""Page breaks a book designer would sign off: lay out, look for near-empty pages, fix
their cause, lay out again.

print.css starts every part on a new page and keeps boxes whole. Most of the time that
is right; where it strands a page (see `booklet.pdf.pagefill`: a text page under a
quarter full), the first layout shows why, and `settle` lays the edition out again with
a `BreakPlan` of extra CSS rules, each aimed at one element:

- the page holds the last lines of a part: the next part (or the sources) runs on
  below them instead of starting a new page;
- the next page begins with a box that did not fit: a key-points, note or try-this
  box may then break between its paragraphs or list items;
- otherwise (a help-now box, a warning, a figure, or a worksheet that fits on a page
  jumped, and these stay whole): the page's own few lines are pulled back onto the
  page before, by setting the sections on both pages a little tighter (paragraph and
  heading spacing, widows and orphans of two lines; the limits are the `--tight-*`
  values in print.css and large-print.css). When that does not empty the page, the
  tightening is taken back.

A figure that does not fit at the foot of a page goes to the top of the next, with its
caption, and the text after it fills the hole it would have left (when that hole is
more than `FIGURE_HOLE` of the page): the print HTML sets the figure after as many of
the paragraphs and lists following it as fit there (`Renderer.print_html`, `moved`).

Independently, a box too tall for any page (a long worksheet) starts where it stands,
instead of first jumping to a new page and leaving a hole before it, and its frame
closes at the foot of each page; a worksheet breaks only between prompts.
A worksheet that continues on the next page is labelled by print.css alone ("My notes
(continued)", with `string-set`), so labels cost no layout.

A booklet whose first layout has no such page is laid out once. Each further layout
adds rules (and takes back only tightening that failed, never to retry it), so the
plan cannot go round in circles, and there are at most `MAX_LAYOUTS`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..engine.boxes import root_elements
from ..engine.pageboxes import PageBoxes, page_boxes
from .pagefill import box_kind, classes, report_of

if TYPE_CHECKING:
    from weasyprint import Document

LOG = logging.getLogger(__name__)

#: Layouts of one edition at most (the first, then one per round of fixes).
MAX_LAYOUTS = 4

#: Boxes that may break over two pages when keeping them whole strands a page, by
#: class. A crisis box, a warning, a quote, a figure and a worksheet that fits on a
#: page are never split.
SPLITTABLE = ("callout-key-points", "callout-note", "callout-try-this")

#: A jumped figure moves past the text after it when the page before it would keep
#: more than this share of its text area empty.
FIGURE_HOLE = 0.1

#: Blocks that may fill the hole a figure leaves: running text.
FLOW = ("p", "ul", "ol", "dl")

#: Boxes with a frame (a border that should close at a page turn), by class.
FRAMED = ("callout", "help-now", "worksheet")

#: Elements a part is made of (containers, not content).
CONTAINERS = ("part", "section", "sources")

#: The rules a tightened part of the text gets (`{0}` is its selector); the values
#: are custom properties of the edition's stylesheet.
TIGHT = """\
{0} p {{ margin-bottom: var(--tight-paragraph); orphans: 2; widows: 2; }}
{0} li {{ orphans: 2; widows: 2; }}
{0} li, {0} li > p {{ margin-bottom: var(--tight-item); }}
{0} h2, {0} h3, {0} h4 {{ margin-top: var(--tight-heading); }}
{0} .callout, {0} .help-now, {0} .worksheet, {0} .quote, {0} .table, {0} .figure {{
  margin-top: var(--tight-box); margin-bottom: var(--tight-box); }}
"""


@dataclass(frozen=True)
class BreakPlan:
    """Extra page-break rules, each for one element of the print HTML, named by a CSS
    selector (see `selector`).

    `run_on`: parts (or the sources) that start below the end of the part before
    them rather than on a new page; `split`: boxes that may break between their
    paragraphs, list items or prompts; `tight`: sections set tighter; `failed`:
    tightening that was tried and did not help, not to be tried again; `moved`:
    (figure number, blocks set before it) of figures moved past the text after them.
    """

    run_on: frozenset[str] = frozenset()
    split: frozenset[str] = frozenset()
    tight: frozenset[str] = frozenset()
    failed: frozenset[str] = frozenset()
    moved: frozenset[tuple[int, int]] = frozenset()

    def css(self) -> str:
        """The plan as a stylesheet (empty when there is nothing to change)."""
        rules = [f"{selector} {{ break-before: auto; margin-top: 0; }}\n"
                 f"{selector} > h1 {{ margin-top: 1.6em; }}\n" for selector in sorted(self.run_on)]
        # The frame of a box that breaks closes at the foot of the page and opens again
        # at the top of the next (clone). Not on every box: WeasyPrint 70 then keeps
        # room for a bottom frame at each possible break, and a box that just fits
        # a page no longer does.
        rules += [f"{selector} {{ break-inside: auto; box-decoration-break: clone; }}\n"
                  for selector in sorted(self.split)]
        rules += [TIGHT.format(selector) for selector in sorted(self.tight)]
        return "".join(rules)

    def __bool__(self) -> bool:
        return bool(self.run_on or self.split or self.tight)

    def moved_figures(self) -> dict[int, int]:
        """Figure number -> how many blocks after it are set before it."""
        return dict(self.moved)


def settle(render: Callable[[BreakPlan], Document]) -> Document:
    """Lay out with `render`, then again with a better plan while one is found."""
    plan = BreakPlan()
    document = render(plan)
    for _ in range(MAX_LAYOUTS - 1):
        better = improve(plan, page_boxes(document), *root_elements(document))
        if better == plan:
            break
        LOG.debug("laying out again: %s", better)
        plan = better
        document = render(plan)
    return document


def improve(plan: BreakPlan, pages: Sequence[PageBoxes], *roots: Any) -> BreakPlan:
    """The plan with a rule added for each near-empty page whose cause it can fix
    (`roots`: the document's, one per section for one laid out section by section)."""
    parents = {child: parent for root in roots for parent in root.iter() for child in parent}
    firsts: dict[Any, int] = {}
    for index, page in enumerate(pages):
        for placed in page.blocks:
            firsts.setdefault(placed.element, index)
    run_on, split = set(plan.run_on), set(plan.split)
    tight, failed = set(plan.tight), set(plan.failed)
    split.update(_broken_boxes(pages, parents))
    moved = dict(plan.moved) | _jumped_figures(pages, firsts, parents, plan.moved_figures())
    for fill in report_of(pages).near_empty:
        index = fill.number - 1
        after = pages[index + 1]
        if (starting := _part_starting(after, index + 1, firsts)) is not None:
            run_on.add(selector(starting, parents))
        elif (jumped := _jumped_box(after, index + 1, firsts, parents)) is not None:
            split.add(selector(jumped, parents))
        elif index and (sections := _pull_back(pages, index, firsts, parents)):
            wanted = {selector(section, parents) for section in sections}
            if wanted <= tight:  # tried, and the page is still near-empty
                tight -= wanted
                failed |= wanted
            else:
                tight |= wanted - failed
    return BreakPlan(frozenset(run_on), frozenset(split), frozenset(tight), frozenset(failed),
                     frozenset(moved.items()))


def _pull_back(pages: Sequence[PageBoxes], index: int, firsts: Mapping[Any, int],
               parents: Mapping[Any, Any]) -> list[Any]:
    """The sections (or parts) on the near-empty page `index` and the page before,
    when the page continues what the page before holds; else none."""
    found: list[Any] = []
    for page in (pages[index - 1], pages[index]):
        for placed in page.blocks:
            element = placed.element
            names = classes(element)
            if "section" in names or ("part" in names and _has_own_blocks(page, element)):
                if element not in found:
                    found.append(element)
    starts_here = any(firsts.get(element) == index for element in found
                      if "part" in classes(element))
    return [] if starts_here else found


def _has_own_blocks(page: PageBoxes, part: Any) -> bool:
    """Whether the page shows blocks of the part outside its sections (its opening)."""
    return any(placed.element in part and "section" not in classes(placed.element)
               and placed.element.tag != "h1" for placed in page.blocks)


def _leading_box(page: PageBoxes, parents: Mapping[Any, Any]) -> Any | None:
    """The box (worksheet, callout ...) the page's first content block is in, if any."""
    lead = next((placed.element for placed in page.blocks
                 if not any(name in CONTAINERS for name in classes(placed.element))), None)
    while lead is not None and not any(name in CONTAINERS for name in classes(lead)):
        if box_kind(lead) is not None:
            return lead
        lead = parents.get(lead)
    return None


def _jumped_box(page: PageBoxes, index: int, firsts: Mapping[Any, int],
                parents: Mapping[Any, Any]) -> Any | None:
    """The splittable box that begins `page` (it did not fit on the page before)."""
    box = _leading_box(page, parents)
    if box is None or firsts.get(box) != index:
        return None
    return box if any(name in SPLITTABLE for name in classes(box)) else None


def _part_starting(page: PageBoxes, index: int, firsts: Mapping[Any, int]) -> Any | None:
    """The part (or sources) that begins on `page`, if the page begins with it."""
    for placed in page.blocks:
        names = classes(placed.element)
        if "part" in names or "sources" in names:
            return placed.element if firsts.get(placed.element) == index else None
    return None


def _jumped_figures(pages: Sequence[PageBoxes], firsts: Mapping[Any, int],
                    parents: Mapping[Any, Any], moved: Mapping[int, int]) -> dict[int, int]:
    """Figures that begin a page after leaving a hole at the foot of the page before,
    with how many of the blocks after them fit in that hole (at least one)."""
    found = {}
    for index in range(1, len(pages)):
        page, before = pages[index], pages[index - 1]
        lead = next((placed.element for placed in page.blocks
                     if not any(name in CONTAINERS for name in classes(placed.element))), None)
        if lead is None or "figure" not in classes(lead) or firsts.get(lead) != index:
            continue
        number = int(lead.get("data-block") or 0)
        hole = before.top + before.height - before.bottom
        parent = parents.get(lead)
        if not number or number in moved or hole < FIGURE_HOLE * before.height \
                or parent is None or firsts.get(parent, index) == index:
            continue
        fitting = _fitting(page, lead, parent, hole)
        if fitting:
            found[number] = fitting
    return found


def _fitting(page: PageBoxes, figure: Any, parent: Any, hole: float) -> int:
    """How many of the running-text blocks after `figure` fit in `hole` (CSS px) as
    laid out below it on `page`; at least one, to fill the hole, if there is one."""
    siblings = [child for child in parent if isinstance(child.tag, str)]
    placed = {item.element: item for item in page.blocks}
    count, top = 0, None
    for sibling in siblings[siblings.index(figure) + 1:]:
        if sibling.tag not in FLOW or sibling not in placed:
            break
        top = placed[sibling].top if top is None else top
        if placed[sibling].bottom - top > hole:
            return max(count, 1)
        count += 1
    return count


def _broken_boxes(pages: Sequence[PageBoxes], parents: Mapping[Any, Any]) -> set[str]:
    """Framed boxes printed on more than one page: too tall to be kept whole, they may
    as well start where they stand (a worksheet jumps to a new page first, leaving a
    hole before it), and their frames should close and open at the page turn."""
    pages_of: dict[Any, int] = {}
    for page in pages:
        for element in {placed.element for placed in page.blocks}:
            if any(name in FRAMED for name in classes(element)):
                pages_of[element] = pages_of.get(element, 0) + 1
    return {selector(element, parents) for element, count in pages_of.items() if count > 1}


def selector(element: Any, parents: Mapping[Any, Any]) -> str:
    """A CSS selector for exactly this element: its id, its block number (boxes and
    figures, see `Renderer.print_html`), or the nearest of those above it and the child
    positions down to it. Ids and numbers stay put when a figure is moved."""
    steps = []
    while not (element.get("id") or element.get("data-block")):
        parent = parents.get(element)
        if parent is None:
            break
        children = [child for child in parent if isinstance(child.tag, str)]
        steps.insert(0, f":nth-child({children.index(element) + 1})")
        element = parent
    if element.get("id"):
        head = f"#{_css_ident(element.get('id'))}"
    elif element.get("data-block"):
        head = f"[data-block=\"{int(element.get('data-block'))}\"]"
    else:
        head = ":root"
    return " > ".join([head, *steps])


def _css_ident(name: str) -> str:
    """An id as a CSS identifier (ids are generated from headings: letters, digits
    and hyphens; anything else is escaped)."""
    escaped = "".join(ch if ch.isalnum() or ch in "-_" else f"\\{ord(ch):x} " for ch in name)
    return f"\\3{escaped[0]} {escaped[1:]}" if escaped[:1].isdigit() else escaped
