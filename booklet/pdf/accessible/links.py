"""One Link element per link, one annotation per place it can be clicked, and words for
each (Matterhorn 28-012, WCAG 2.4.4).

WeasyPrint 70 makes a Link element and an annotation for the `a` element and for each
of its pseudo-elements: a contents entry ("title ....... 3", the leader and page number
in `a::after`) is three Link elements nested in each other, with three overlapping
annotations whose /Contents is the target's id. A link broken over two lines is two
Link elements side by side. Here Link elements with the same target that nest or
follow each other become one, annotations inside another of the same link are
dropped, and each annotation's /Contents is the link's text: for a link inside the
document that shows a page number, "Why your partner may pull away, page 3"; a bare
web address keeps the full address WeasyPrint gave it.
"""

from __future__ import annotations

from collections.abc import Mapping

import pikepdf
from pikepdf import Array, Dictionary, Name

from ...engine.marks import Mark
from .tree import Content, Key, Node, Tree


def fix(tree: Tree, marks: Mapping[Key, Mark], spoken: Mapping[Key, str],
        page_link: str) -> None:
    """Merge split and nested Link elements, drop covered annotations, word /Contents.

    `spoken` is the /ActualText of runs (a line end's restored space); `page_link` how a
    link showing a page number reads ('{title}, page {page}')."""
    found: dict[int, set[str]] = {}

    def targets(node: Node) -> set[str]:
        if id(node) not in found:
            found[id(node)] = {t for item in node.contents()
                               if item.annotation is not None
                               and (t := _target(item.annotation))}
        return found[id(node)]

    for top in tree.tops:
        _merge(tree, top, None, targets)
    on_page = {a.objgen: i for i, page in enumerate(tree.pdf.pages)
               for a in page.obj.get("/Annots", Array())}
    for link in (n for n in tree.elements() if n.type == "/Link"):
        _drop_covered(tree, link, on_page)
        label = _label(link, marks, spoken, page_link, targets(link))
        for item in link.contents():
            if item.annotation is not None and label:
                item.annotation.Contents = pikepdf.String(label)


def _target(annotation: pikepdf.Object) -> str | None:
    """Where an annotation leads."""
    action = annotation.get("/A")
    if "/Dest" in annotation:
        return f"dest:{annotation.Dest}"
    if isinstance(action, Dictionary) and action.get("/S") == Name.URI:
        return f"uri:{action.URI}"
    if isinstance(action, Dictionary) and "/D" in action:
        return f"dest:{action.D}"
    return None


def _merge(tree: Tree, node: Node, link: Node | None, targets) -> None:
    """Below `node`: dissolve Link elements inside a Link (`link`) leading where it
    leads, and join neighbouring Link elements with a common target."""
    kids: list[Node | Content] = []
    for kid in node.kids:
        if isinstance(kid, Node) and kid.type == "/Link":
            if link is not None and targets(kid) <= targets(link):
                _merge(tree, kid, link, targets)  # dissolve: its kids take its place
                kids += [tree.move(k, node) for k in kid.kids]
                node.changed = True
                continue
            previous = kids[-1] if kids else None
            if isinstance(previous, Node) and previous.type == "/Link" and \
                    targets(kid) & targets(previous):
                _merge(tree, kid, previous, targets)
                previous.kids += [tree.move(k, previous) for k in kid.kids]
                previous.changed = node.changed = True
                continue
            _merge(tree, kid, kid, targets)
        elif isinstance(kid, Node):
            _merge(tree, kid, link, targets)
        kids.append(kid)
    node.kids = kids


def _drop_covered(tree: Tree, link: Node, on_page: dict) -> None:
    """Make annotations of `link` that overlap on one page (an `a` and its pseudo-
    elements) one annotation covering them all; lines of a broken link keep theirs."""
    annotations = [item.annotation for item in link.contents() if item.annotation is not None]
    kept: list[tuple[pikepdf.Object, list[float]]] = []
    dropped = set()
    for annotation in annotations:
        rect = _rect(annotation)
        page = on_page.get(annotation.objgen)
        host = next((k for k in kept if on_page.get(k[0].objgen) == page
                     and _overlapping(k[1], rect)), None)
        if host is None:
            kept.append((annotation, rect))
            continue
        host[1][:] = [min(host[1][0], rect[0]), min(host[1][1], rect[1]),
                      max(host[1][2], rect[2]), max(host[1][3], rect[3])]
        dropped.add(annotation.objgen)
    if not dropped:
        return
    for annotation, rect in kept:
        if list(_rect(annotation)) != rect:
            annotation.Rect = Array(rect)
    link.kids = [k for k in link.kids if not (isinstance(k, Content) and k.annotation is not None
                                              and k.annotation.objgen in dropped)]
    link.changed = True
    for annotation in annotations:
        if annotation.objgen not in dropped:
            continue
        tree.set_annotation_owner(annotation, None)
        if (index := on_page.get(annotation.objgen)) is not None:
            page = tree.pdf.pages[index].obj
            page.Annots = Array([a for a in page.Annots if a.objgen != annotation.objgen])


def _overlapping(a: list[float], b: list[float]) -> bool:
    """Whether two rectangles share more than half the height of the lower one: parts
    of one line, not two lines of a link."""
    shared = min(a[3], b[3]) - max(a[1], b[1])
    across = min(a[2], b[2]) - max(a[0], b[0])
    return across > 0 and shared > 0.5 * min(a[3] - a[1], b[3] - b[1])


def _rect(annotation: pikepdf.Object) -> list[float]:
    x1, y1, x2, y2 = (float(v) for v in annotation.Rect)
    return [min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)]


def _label(link: Node, marks: Mapping[Key, Mark], spoken: Mapping[Key, str],
           page_link: str, targets: set[str]) -> str | None:
    """Words for a link: its text; for one inside the document showing a page number,
    the text and the page. None: keep what WeasyPrint wrote (a bare web address)."""
    words, generated = [], []
    for item in link.contents():
        mark = marks.get(item.key) if item.key is not None else None
        if mark is None or mark.leader or not mark.text.strip():
            continue
        (generated if mark.generated else words).append(spoken.get(item.key, mark.text))
    title = " ".join("".join(words).split())
    number = " ".join("".join(generated).split())
    internal = any(t.startswith("dest:") for t in targets)
    if internal and title and any(ch.isdigit() for ch in number):
        return page_link.format(title=title, page=number)
    if " " not in title and not internal:
        return None
    return title or None
