"""The structure tree reached from StructTreeRoot: elements, roles, and the content they claim."""

from __future__ import annotations

from dataclasses import dataclass, field

from ._pdf import (
    MAX_ELEMENTS,
    LimitReached,
    ObjGen,
    as_list,
    get,
    integer,
    is_dict,
    is_stream,
    name,
    number_tree,
    objgen,
    text,
)
from .context import Context

# ISO 32000-1:2008 14.8.4 standard structure types, the only ones PDF/UA-1 accepts
# after role mapping (PDF 2.0's Title, Em, Strong, Artifact ... are not among them).
STANDARD_TYPES = frozenset("""
    Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private
    P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot
    Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP
    Figure Formula Form
""".split())

# A content item: an MCID in a page's content stream, or in a Form XObject's (then
# the container is the form stream, as an MCR's /Stm names it).
ContentKey = tuple[ObjGen, int]


@dataclass(frozen=True)
class Item:
    """A content item an element lists in /K: an MCID on a page or form, or an OBJR."""

    kind: str  # "mcid" or "objr"
    key: ContentKey | ObjGen | None  # None when the item names no page or object
    page: int | None


@dataclass(eq=False)
class Elem:
    """A structure element reachable from StructTreeRoot."""

    obj: object
    og: ObjGen | None
    raw: str  # /S as written
    std: str | None  # standard type after role mapping; None if it maps to none
    parent: Elem | None
    page: int | None  # 0-based page of /Pg, inherited from the closest ancestor with one
    lang: str | None  # /Lang of the element or its closest ancestor with one
    kids: list[Elem | Item] = field(default_factory=list)  # /K in order

    def attr(self, key: str) -> str | None:
        return text(get(self.obj, key))

    def elements(self) -> list[Elem]:
        return [k for k in self.kids if isinstance(k, Elem)]

    def items(self) -> list[Item]:
        return [k for k in self.kids if isinstance(k, Item)]

    def ancestors(self) -> list[Elem]:
        found, node = [], self.parent
        while node is not None:
            found.append(node)
            node = node.parent
        return found


@dataclass
class StructTree:
    """What the tree walk found; the rules judge it."""

    root: object | None
    role_map: dict[str, str]
    elems: list[Elem]  # reading (depth-first) order
    by_og: dict[ObjGen, Elem]
    mcid_owner: dict[ContentKey, Elem]
    objr_owner: dict[ObjGen, list[Elem]]
    parent_tree: dict[int, object]
    problems: list[tuple[int | None, object, str]]  # (page, object, message)


def resolve_role(raw: str, role_map: dict[str, str]) -> tuple[str | None, str]:
    """Follow the role map to a standard type: (type or None, 'ok', 'unmapped' or 'circular')."""
    seen: list[str] = []
    current = raw
    while current not in STANDARD_TYPES:
        if current in seen:
            return None, "circular"
        seen.append(current)
        mapped = role_map.get(current)
        if mapped is None:
            return None, "unmapped"
        current = mapped
    return current, "ok"


def read_role_map(root: object) -> dict[str, str]:
    role_map: dict[str, str] = {}
    rm = get(root, "/RoleMap")
    if is_dict(rm):
        for key in rm.keys():  # type: ignore[union-attr]
            target = name(rm.get(key))  # type: ignore[union-attr]
            if target is not None:
                role_map[str(key)[1:]] = target
    return role_map


def build(ctx: Context) -> StructTree:
    """Walk the tree from StructTreeRoot, depth first, with a visited set against cycles."""
    root = get(ctx.catalog, "/StructTreeRoot")
    role_map = read_role_map(root)
    parent_tree, pt_problems = number_tree(get(root, "/ParentTree"))
    tree = StructTree(root, role_map, [], {}, {}, {}, parent_tree,
                      [(None, root, p) for p in pt_problems])
    if not is_dict(root):
        return tree
    seen: set[ObjGen] = set()

    def make(obj: object, parent: Elem | None) -> Elem | None:
        og = objgen(obj)
        if og:
            if og in seen:
                tree.problems.append((parent.page if parent else None, obj,
                                      "structure element is reached twice from StructTreeRoot"))
                return None
            seen.add(og)
        if len(seen) > MAX_ELEMENTS:
            raise LimitReached(f"more than {MAX_ELEMENTS} structure elements")
        raw = name(get(obj, "/S")) or ""
        std, _ = resolve_role(raw, role_map)
        page = ctx.page_of(get(obj, "/Pg")) if get(obj, "/Pg") is not None else None
        if page is None and get(obj, "/Pg") is not None:
            tree.problems.append((None, obj, f"/{raw} element's /Pg is not a page of this "
                                             "document"))
        if page is None and parent is not None:
            page = parent.page
        lang = text(get(obj, "/Lang"))
        if lang is None and parent is not None:
            lang = parent.lang
        expected_parent = parent.obj if parent is not None else root
        if get(obj, "/P") is None:
            tree.problems.append((page, obj, f"/{raw} element has no /P (parent) entry"))
        elif objgen(get(obj, "/P")) != objgen(expected_parent):
            tree.problems.append((page, obj, f"/{raw} element's /P is not the element whose /K "
                                             "lists it"))
        return Elem(obj, og, raw, std, parent, page, lang)

    def claim(elem: Elem, kid: object) -> Elem | Item | None:
        """Turn one /K entry of elem into a child element or a content item."""
        mcid = integer(kid)
        if mcid is None and is_dict(kid) and get(kid, "/S") is None:
            kind = name(get(kid, "/Type"))
            if kind == "MCR" or get(kid, "/MCID") is not None:
                mcid = integer(get(kid, "/MCID"))
                if mcid is None:
                    tree.problems.append((elem.page, elem.obj, "MCR without an integer /MCID"))
                    return None
                page = ctx.page_of(get(kid, "/Pg")) if get(kid, "/Pg") is not None else elem.page
                stm = get(kid, "/Stm")
                return content_item(elem, mcid, page, stm if is_stream(stm) else None)
            if kind == "OBJR" or get(kid, "/Obj") is not None:
                target = objgen(get(kid, "/Obj"))
                page = ctx.page_of(get(kid, "/Pg")) if get(kid, "/Pg") is not None else elem.page
                item = Item("objr", target, page)
                if target:
                    tree.objr_owner.setdefault(target, []).append(elem)
                else:
                    tree.problems.append((page, elem.obj, "OBJR whose /Obj is not an object"))
                return item
            tree.problems.append((elem.page, elem.obj, f"/{elem.raw} element has a /K dictionary "
                                                       "that is no MCR, OBJR or element"))
            return None
        if mcid is not None:
            return content_item(elem, mcid, elem.page, None)
        if is_dict(kid):
            return make(kid, elem)
        tree.problems.append((elem.page, elem.obj, f"/{elem.raw} element has a /K entry that "
                                                   "is no MCID, MCR, OBJR or element"))
        return None

    def content_item(elem: Elem, mcid: int, page: int | None, stm: object | None) -> Item:
        if stm is not None:
            container = objgen(stm)
        elif page is not None:
            container = objgen(ctx.page_objs[page])
        else:
            tree.problems.append((None, elem.obj, f"MCID {mcid} of /{elem.raw} has no page (no "
                                                  "/Pg of this document on it or an ancestor)"))
            return Item("mcid", None, None)
        key = (container, mcid) if container else None
        if key is not None:
            other = tree.mcid_owner.setdefault(key, elem)
            if other is not elem:
                tree.problems.append((page, elem.obj, f"MCID {mcid} is claimed by two elements "
                                                      f"(also /{other.raw})"))
        return Item("mcid", key, page)

    stack: list[Elem] = []
    for kid in as_list(get(root, "/K")):
        if is_dict(kid) and get(kid, "/S") is not None:
            top = make(kid, None)
            if top is not None:
                stack.append(top)
        else:
            tree.problems.append((None, root, "StructTreeRoot /K holds something other than "
                                              "structure elements"))
    stack.reverse()
    while stack:
        elem = stack.pop()
        tree.elems.append(elem)
        if elem.og:
            tree.by_og[elem.og] = elem
        children: list[Elem] = []
        for kid in as_list(get(elem.obj, "/K")):
            got = claim(elem, kid)
            if got is not None:
                elem.kids.append(got)
                if isinstance(got, Elem):
                    children.append(got)
        stack.extend(reversed(children))
    return tree
