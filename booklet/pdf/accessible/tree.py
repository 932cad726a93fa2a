"""The structure tree of a tagged PDF, read once into Python and written back once.

`Tree` holds the elements reachable from StructTreeRoot in reading order as `Node`s
(pikepdf reads each object through C++, so the edits work on this copy and `commit`
writes the /K of the elements that changed). It keeps the two indexes every edit
must leave in agreement: each element's kids (what it holds) and the ParentTree
(which element holds each marked-content id and annotation).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name

ObjGen = tuple[int, int]
Key = tuple[int, int]  # (page index, MCID)
NULL = pikepdf.Object.parse(b"null")


@dataclass(eq=False)
class Content:
    """Marked content on a page (`mcid`), or an annotation (`annotation`), as a /K entry."""

    raw: object  # the /K entry as written: an int, an MCR or an OBJR dictionary
    key: Key | None = None
    annotation: pikepdf.Object | None = None


@dataclass(eq=False)
class Node:
    """A structure element."""

    obj: pikepdf.Object
    type: str  # /S, e.g. "/Link"
    page: int | None  # from /Pg
    parent: Node | None
    kids: list[Node | Content] = field(default_factory=list)
    changed: bool = False

    def contents(self) -> list[Content]:
        return [kid for kid in self.kids if isinstance(kid, Content)]

    def elements(self) -> list[Node]:
        return [kid for kid in self.kids if isinstance(kid, Node)]

    def walk(self) -> list[Node]:
        """This element and every element below it, in reading order."""
        found, stack = [], [self]
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(reversed(node.elements()))
        return found


@dataclass
class Tree:
    """The reachable elements, and where the ParentTree keeps each entry."""

    pdf: pikepdf.Pdf
    root: pikepdf.Object
    tops: list[Node] = field(default_factory=list)
    #: (page, MCID) -> the element that holds it
    owner: dict[Key, Node] = field(default_factory=dict)
    #: ParentTree key -> (the number tree node whose /Nums holds it, index of its value)
    slots: dict[int, tuple[pikepdf.Object, int]] = field(default_factory=dict)
    #: ParentTree keys to take out (`commit`)
    removed: set[int] = field(default_factory=set)
    page_arrays: dict[int, pikepdf.Object] = field(default_factory=dict)

    @classmethod
    def read(cls, pdf: pikepdf.Pdf) -> Tree | None:
        """The tree of `pdf`, or None when the PDF is not tagged."""
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return None
        tree = cls(pdf, root)
        pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        if "/ParentTree" in root:
            tree._read_slots(root.ParentTree, 0)
        seen: set[ObjGen] = set()

        def make(obj: pikepdf.Object, parent: Node | None) -> Node:
            page = obj.get("/Pg")
            node = Node(obj, str(obj.get("/S", "")),
                        pages.get(page.objgen) if page is not None else
                        (parent.page if parent else None), parent)
            seen.add(obj.objgen)
            return node

        stack = [make(obj, None) for obj in _kids(root) if _is_element(obj)]
        tree.tops = list(stack)
        stack.reverse()
        while stack:
            node = stack.pop()
            children = []
            for raw in _kids(node.obj):
                if _is_element(raw):
                    if raw.objgen in seen:
                        continue
                    child = make(raw, node)
                    node.kids.append(child)
                    children.append(child)
                else:
                    item = tree._content(node, raw, pages)
                    node.kids.append(item)
                    if item.key is not None:
                        tree.owner[item.key] = node
            stack.extend(reversed(children))
        return tree

    def _read_slots(self, node: pikepdf.Object, depth: int) -> None:
        if depth > 32:
            return
        nums = node.get("/Nums")
        if isinstance(nums, Array):
            values = list(nums)
            for i in range(0, len(values) - 1, 2):
                self.slots[int(values[i])] = (node, i + 1)
        for kid in node.get("/Kids", Array()):
            self._read_slots(kid, depth + 1)

    def _content(self, node: Node, raw: object, pages: dict[ObjGen, int]) -> Content:
        if isinstance(raw, int):
            return Content(raw, (node.page, int(raw)) if node.page is not None else None)
        if isinstance(raw, Dictionary):
            kind = raw.get("/Type")
            if kind == Name.OBJR:
                return Content(raw, annotation=raw.get("/Obj"))
            if kind == Name.MCR and "/Stm" not in raw:
                page = pages.get(raw.Pg.objgen) if "/Pg" in raw else node.page
                return Content(raw, (page, int(raw.MCID)) if page is not None else None)
        return Content(raw)

    def elements(self) -> list[Node]:
        """Every reachable element in reading order."""
        return [node for top in self.tops for node in top.walk()]

    def page_slots(self, page: int) -> pikepdf.Object | None:
        """The ParentTree's array for a page's marked content (MCID -> element)."""
        if page not in self.page_arrays:
            key = self.pdf.pages[page].obj.get("/StructParents")
            slot = self.slots.get(int(key)) if key is not None else None
            value = slot[0].Nums[slot[1]] if slot is not None else None
            self.page_arrays[page] = value if isinstance(value, Array) else None
        return self.page_arrays[page]

    def set_owner(self, key: Key, node: Node | None) -> None:
        """Point the ParentTree entry of marked content at `node` (None: no element)."""
        page, mcid = key
        slots = self.page_slots(page)
        if slots is not None and mcid < len(slots):
            slots[mcid] = node.obj if node is not None else NULL
        if node is None:
            self.owner.pop(key, None)
        else:
            self.owner[key] = node

    def set_annotation_owner(self, annotation: pikepdf.Object, node: Node | None) -> None:
        """Point an annotation's ParentTree entry at `node`, or drop the entry."""
        key = annotation.get("/StructParent")
        slot = self.slots.get(int(key)) if key is not None else None
        if slot is None:
            return
        if node is not None:
            slot[0].Nums[slot[1]] = node.obj
            return
        self.removed.add(int(key))
        del annotation["/StructParent"]

    def drop(self, keys: set[Key]) -> None:
        """Take marked content out of the tree: out of every element and the ParentTree."""
        for key in keys:
            node = self.owner.get(key)
            if node is not None:
                node.kids = [k for k in node.kids if not (isinstance(k, Content) and k.key == key)]
                node.changed = True
            self.set_owner(key, None)

    def move(self, item: Node | Content, target: Node) -> Node | Content:
        """Make `item` a kid of `target` as far as /P and the ParentTree go (the caller
        puts it in `target.kids`)."""
        if isinstance(item, Node):
            item.parent = target
            item.obj.P = target.obj
        elif item.annotation is not None:
            self.set_annotation_owner(item.annotation, target)
        elif item.key is not None:
            self.set_owner(item.key, target)
            if item.key[0] != target.page and isinstance(item.raw, int):
                item.raw = Dictionary(Type=Name.MCR, MCID=item.key[1],
                                      Pg=self.pdf.pages[item.key[0]].obj)
        return item

    def commit(self) -> None:
        """Write the changed elements' /K, and take dropped keys out of the ParentTree."""
        for node in self.elements():
            if node.changed:
                node.obj.K = Array([k.obj if isinstance(k, Node) else k.raw
                                    for k in node.kids])
        if not self.removed:
            return
        for node in {id(n): n for n, _ in self.slots.values()}.values():
            nums = list(node.Nums)
            kept = [item for i in range(0, len(nums) - 1, 2)
                    if int(nums[i]) not in self.removed for item in (nums[i], nums[i + 1])]
            node.Nums = Array(kept)
        self.removed.clear()


def _kids(obj: pikepdf.Object) -> list:
    k = obj.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, Array) else [k]


def _is_element(obj: object) -> bool:
    return isinstance(obj, Dictionary) and "/S" in obj
