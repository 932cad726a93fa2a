"""Checkpoint 28 (annotations, links, form fields) and link checks stricter than Matterhorn."""

from __future__ import annotations

import re
from decimal import Decimal

from ._pdf import (
    MAX_TREE_DEPTH,
    ObjGen,
    as_list,
    get,
    inherited,
    integer,
    is_array,
    is_dict,
    name,
    objgen,
    text,
)
from .context import Context
from .rules_tags import describe, detached_at
from .structure import Elem, Item

# A /Contents that is a machine name (fragment id, slug) rather than words for a listener.
SLUG = re.compile(r"^#?[\w.~-]*[-_.][\w.~-]*$|^#\S+$")


def rect(obj: object) -> tuple[float, float, float, float] | None:
    items = as_list(obj)
    if len(items) != 4 or not all(isinstance(v, (int, Decimal)) for v in items):
        return None
    x1, y1, x2, y2 = (float(v) for v in items)
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def exempt(annot: object, page: object) -> bool:
    """Hidden annotations and those wholly outside the crop box are exempt (as in veraPDF)."""
    if (integer(get(annot, "/F")) or 0) & 2:
        return True
    box = rect(inherited(page, "/CropBox")) or rect(inherited(page, "/MediaBox"))
    area = rect(get(annot, "/Rect"))
    if box is None or area is None:
        return False
    return area[2] < box[0] or area[0] > box[2] or area[3] < box[1] or area[1] > box[3]


def struct_parent(ctx: Context, annot: object) -> tuple[Elem | None, str]:
    """The reachable element holding this annotation by /StructParent and OBJR, or why none."""
    og = objgen(annot)
    owners = ctx.tree.objr_owner.get(og, []) if og else []
    key = integer(get(annot, "/StructParent"))
    if key is None:
        if owners:
            return None, f"has no /StructParent, though {describe(owners[0].obj)} lists it"
        return None, "has no /StructParent and no structure element lists it"
    entry = ctx.tree.parent_tree.get(key)
    if not is_dict(entry):
        return None, f"/StructParent {key} maps to no structure element in the ParentTree"
    elem = ctx.tree.by_og.get(objgen(entry))  # type: ignore[arg-type]
    if elem is None:
        return None, (f"its structure element {describe(entry)} is not reachable from "
                      f"StructTreeRoot ({detached_at(ctx, entry)})")
    if elem not in owners:
        return elem, f"{describe(entry)} does not list it with an OBJR"
    return elem, ""


def field_of(widget: object) -> object:
    """The terminal form field of a widget: the widget itself if merged, else its /Parent."""
    if get(widget, "/T") is not None or get(widget, "/Parent") is None:
        return widget
    return get(widget, "/Parent")


def check_annotations(ctx: Context) -> None:
    """28-002 ... 28-012, 28-017: each annotation tagged, described and on a tab-ordered page."""
    contents_without_lang = 0
    for index, page in enumerate(ctx.page_objs):
        annots = [a for a in as_list(get(page, "/Annots")) if is_dict(a)]
        if annots and get(page, "/Tabs") is None:
            ctx.fail("28-008", index, page, f"page has {len(annots)} annotation(s) but no /Tabs")
        elif annots and name(get(page, "/Tabs")) != "S":
            ctx.fail("28-009", index, page, f"page /Tabs is /{name(get(page, '/Tabs'))}, not /S")
        for annot in annots:
            subtype = name(get(annot, "/Subtype")) or "?"
            contents = (text(get(annot, "/Contents")) or "").strip()
            contents_without_lang += bool(contents)
            if subtype == "TrapNet":
                ctx.fail("28-007", index, annot, "a TrapNet annotation is present")
            if subtype == "Popup" or exempt(annot, page):
                continue
            elem, why = struct_parent(ctx, annot)
            if subtype == "PrinterMark":
                if integer(get(annot, "/StructParent")) is not None or elem is not None:
                    ctx.fail("28-017", index, annot, "PrinterMark annotation is in the structure")
                continue
            want = {"Link": ("28-011", "Link"), "Widget": ("28-010", "Form")}.get(
                subtype, ("28-002", "Annot"))
            if why or elem is None or elem.std != want[1]:
                reason = why or f"its structure element is /{elem.raw}"  # type: ignore[union-attr]
                ctx.fail(want[0], index, annot, f"{subtype} annotation is not in a /{want[1]} "
                                                f"element: {reason}")
            alt = (elem.attr("/Alt") or "").strip() if elem is not None else ""
            if subtype == "Widget":
                field = field_of(annot)
                if not (text(get(field, "/TU")) or "").strip() and not alt:
                    ctx.fail("28-005", index, annot, "form field has no /TU and its structure "
                                                     "element no /Alt")
                continue
            if not contents and not alt:
                ctx.fail("28-004", index, annot, f"{subtype} annotation has no /Contents and its "
                                                 "structure element no /Alt")
            if subtype == "Link" and not contents:
                ctx.fail("28-012", index, annot, "Link annotation has no /Contents")
            elif subtype == "Link" and ctx.extensions and is_slug(contents, annot):
                ctx.fail("X-link-contents", index, annot, f"Link /Contents {contents!r} is a "
                         "machine name, not a description of the link for a listener")
    if contents_without_lang and not ctx.catalog_lang:
        ctx.fail("11-004", None, ctx.catalog, f"{contents_without_lang} annotation /Contents "
                 "but no valid catalog /Lang")


def is_slug(contents: str, annot: object) -> bool:
    """A URL fragment, slug or the named destination itself, not words for a listener."""
    dest = get(annot, "/Dest")
    dest_name = text(dest) or name(dest)
    return contents == dest_name or (" " not in contents and bool(SLUG.match(contents)))


def check_fields(ctx: Context) -> None:
    """11-005 TU language; X-field-page: every field's widgets sit on a page."""
    on_pages: set[ObjGen] = set()
    for page in ctx.page_objs:
        on_pages.update(og for a in as_list(get(page, "/Annots")) if (og := objgen(a)))
    acroform = get(ctx.catalog, "/AcroForm")
    stack = [(f, 0) for f in as_list(get(acroform, "/Fields"))]
    seen: set[ObjGen] = set()
    with_tu = 0
    while stack:
        field, depth = stack.pop()
        og = objgen(field)
        if not is_dict(field) or depth > MAX_TREE_DEPTH or (og and og in seen):
            continue
        if og:
            seen.add(og)
        with_tu += get(field, "/TU") is not None
        kids = as_list(get(field, "/Kids"))
        stack.extend((k, depth + 1) for k in kids)
        if name(get(field, "/Subtype")) == "Widget" and og not in on_pages and ctx.extensions:
            label = text(get(field_of(field), "/T")) or "?"
            ctx.fail("X-field-page", None, field, f"form field {label!r} has a widget that is in "
                                                  "no page's /Annots")
    if with_tu and not ctx.catalog_lang:
        ctx.fail("11-005", None, ctx.catalog, f"{with_tu} form field /TU but no valid catalog "
                                              "/Lang")


def link_target(ctx: Context, annot: object) -> str | None:
    """Where a link goes, as a comparable string."""
    dest, action = get(annot, "/Dest"), get(annot, "/A")
    if dest is None and is_dict(action):
        if name(get(action, "/S")) == "URI":
            return f"uri:{text(get(action, '/URI'))}"
        dest = get(action, "/D")
    if text(dest) is not None or name(dest) is not None:
        return f"dest:{text(dest) or name(dest)}"
    if is_array(dest) and len(dest) > 0:
        return f"page:{ctx.page_of(dest[0])}:{[str(v) for v in list(dest)[1:]]}"
    return None


def check_links(ctx: Context) -> None:
    """X-link-split: one link told as several Link elements; X-link-dead: a Link with no link."""
    if not ctx.extensions:
        return
    annots: dict[ObjGen, object] = {}
    for page in ctx.page_objs:
        for a in as_list(get(page, "/Annots")):
            if (og := objgen(a)) and name(get(a, "/Subtype")) == "Link":
                annots[og] = a
    targets: dict[Elem, set[str]] = {}
    dead: dict[int | None, list[Elem]] = {}
    for elem in ctx.tree.elems:
        if elem.std == "Link":
            held = [i.key for i in elem.items() if i.kind == "objr" and i.key in annots]
            targets[elem] = {t for key in held
                             if (t := link_target(ctx, annots[key]))}  # type: ignore[index]
            if not held:
                dead.setdefault(elem.page, []).append(elem)
    for page, elems in dead.items():
        ctx.fail("X-link-dead", page, elems[0].obj, f"{len(elems)} Link element(s) hold no link "
                 "annotation on any page: announced as links, they cannot be followed")
    # Content items in reading order, each with its nearest Link element.
    order: list[Elem | None] = []
    stack: list[tuple[Elem | Item, Elem | None]] = [(e, None) for e in reversed(
        [e for e in ctx.tree.elems if e.parent is None])]
    while stack:
        node, link = stack.pop()
        if isinstance(node, Item):
            order.append(link)
            continue
        inner = node if node.std == "Link" else link
        stack.extend((k, inner) for k in reversed(node.kids))
    group: dict[Elem, Elem] = {}

    def root(e: Elem) -> Elem:
        while group.get(e, e) is not e:
            e = group[e]
        return e

    for a, b in zip(order, order[1:], strict=False):
        if a is not None and b is not None and a is not b and targets.get(a, set()) & \
                targets.get(b, set()):
            group[root(b)] = root(a)
    members: dict[Elem, list[Elem]] = {}
    for e in dict.fromkeys(e for e in order if e is not None):  # first-seen order
        members.setdefault(root(e), []).append(e)
    for head, links in members.items():
        if len(links) < 2:
            continue
        nested = any(link.parent in links or any(p in links for p in link.ancestors())
                     for link in links)
        target = sorted(targets[head])[0]
        ctx.fail("X-link-split", head.page, head.obj, f"one link ({target}) is split into "
                 f"{len(links)} Link elements{' nested in each other' if nested else ''}; "
                 "a screen reader announces it as separate links")


RULES = (check_annotations, check_fields, check_links)
