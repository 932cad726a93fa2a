"""Checkpoints 01, 02 and 30: content tagged or Artifact, role mapping, Form XObjects."""

from __future__ import annotations

from ._pdf import MAX_TREE_DEPTH, ObjGen, as_list, get, is_array, is_dict, name, objgen, ref
from .content import Seq, container_ref
from .context import Context
from .structure import STANDARD_TYPES, resolve_role


def describe(obj: object) -> str:
    """'/Span 12 0 R' for a structure element, else its reference."""
    s = name(get(obj, "/S"))
    r = ref(obj) or "a direct object"
    return f"/{s} {r}" if s else r


def detached_at(ctx: Context, obj: object) -> str:
    """Where an unreachable element's /P chain leaves the tree, to tell the fixer what to mend."""
    node, steps = obj, 0
    reachable = ctx.tree.by_og
    while steps <= MAX_TREE_DEPTH:
        parent = get(node, "/P")
        og = objgen(parent)
        if parent is None:
            return f"{describe(node)} has no /P"
        if og in reachable or og == objgen(ctx.tree.root):
            named = describe(parent) if og in reachable else "StructTreeRoot"
            return f"{describe(node)} names {named} as /P, which does not list it in /K"
        if name(get(parent, "/Type")) != "StructElem" and get(parent, "/S") is None:
            return f"{describe(node)} has a /P that is not a structure element"
        node, steps = parent, steps + 1
    return f"{describe(obj)} sits under a /P chain too long to follow"


def parent_tree_entry(ctx: Context, seq: Seq) -> tuple[bool, object | None]:
    """(the page or form has a ParentTree array, the element it maps this MCID to)."""
    if seq.struct_parents is None:
        return False, None
    entry = ctx.tree.parent_tree.get(seq.struct_parents)
    if not is_array(entry):
        return False, None
    items = as_list(entry)
    return True, items[seq.mcid] if 0 <= seq.mcid < len(items) else None


def check_content(ctx: Context) -> None:
    """01-005 (and 01-003, 01-004): every marked sequence is tagged real content or an Artifact."""
    tree, scan = ctx.tree, ctx.scan
    reported: set[ObjGen] = set()
    seen: set[tuple[object, int]] = set()
    no_array: set[object] = set()
    for seq in scan.seqs:
        key = (seq.container, seq.mcid)
        if seq.in_artifact or key in seen:
            continue
        seen.add(key)
        where = container_ref(ctx, seq.page, seq.container)
        owner = tree.mcid_owner.get(key) if seq.container else None
        has_array, mapped = parent_tree_entry(ctx, seq)
        if not has_array and seq.container not in no_array:
            no_array.add(seq.container)
            why = ("has no /StructParents" if seq.struct_parents is None else
                   f"has /StructParents {seq.struct_parents} but the ParentTree has no array there")
            ctx.fail("01-005", seq.page, where, f"content stream with MCIDs {why}, so its marked "
                                                "content cannot be mapped to structure elements")
        if owner is not None:
            if has_array and objgen(mapped) != owner.og:
                ctx.fail("01-005", seq.page, owner.obj, f"MCID {seq.mcid} is listed by "
                         f"{describe(owner.obj)} but the ParentTree maps it to "
                         f"{describe(mapped) if mapped is not None else 'nothing'}")
            continue
        mapped_og = objgen(mapped)
        if is_dict(mapped) and mapped_og not in tree.by_og:
            reported.add(mapped_og)  # type: ignore[arg-type]
            ctx.fail("01-005", seq.page, mapped, f"MCID {seq.mcid} (/{seq.tag}) belongs to "
                     f"{describe(mapped)}, which is not reachable from StructTreeRoot "
                     f"({detached_at(ctx, mapped)})")
        elif is_dict(mapped):
            ctx.fail("01-005", seq.page, mapped, f"MCID {seq.mcid} (/{seq.tag}) is mapped by the "
                     f"ParentTree to {describe(mapped)}, which does not list it in /K")
        else:
            ctx.fail("01-005", seq.page, where, f"MCID {seq.mcid} (/{seq.tag}) is neither an "
                     "Artifact nor referenced by any structure element")
    check_orphans(ctx, reported)
    for (page, container), kinds in scan.unmarked.items():
        total = sum(kinds.values())
        detail = ", ".join(f"{kind} x{n}" for kind, n in sorted(kinds.items()))
        ctx.fail("01-005", page, container_ref(ctx, page, container),
                 f"{total} painting operator(s) in no tagged (MCID) or Artifact sequence "
                 f"({detail})")
    for (page, container), mcids in scan.artifact_in_tagged.items():
        ctx.fail("01-003", page, container_ref(ctx, page, container),
                 f"{len(mcids)} Artifact sequence(s) inside tagged content (MCID "
                 f"{', '.join(map(str, sorted(set(mcids))))})")
    for (page, container), mcids in scan.tagged_in_artifact.items():
        ctx.fail("01-004", page, container_ref(ctx, page, container),
                 f"tagged content (MCID {', '.join(map(str, mcids))}) inside an Artifact")


def check_orphans(ctx: Context, reported: set[ObjGen]) -> None:
    """Unreachable elements that own content or that the ParentTree points at (01-005)."""
    tree = ctx.tree
    in_parent_tree: dict[ObjGen, object] = {}
    for value in tree.parent_tree.values():
        # Arrays map page MCIDs; a lone element answers an annotation's StructParent,
        # which the annotation rules judge.
        for item in as_list(value) if is_array(value) else []:
            og = objgen(item)
            if og and is_dict(item):
                in_parent_tree[og] = item
    candidates = dict(ctx.objects.struct_elems)
    candidates.update(in_parent_tree)
    for og, obj in candidates.items():
        if og in tree.by_og or og in reported:
            continue
        # MCIDs only: an orphan holding an annotation by OBJR is 28-0xx's to report.
        owns = [k for k in as_list(get(obj, "/K")) if isinstance(k, int)
                or get(k, "/MCID") is not None]
        if not owns and og not in in_parent_tree:
            continue
        why = "the ParentTree points at it" if og in in_parent_tree else "it lists MCIDs in /K"
        ctx.fail("01-005", ctx.page_of(get(obj, "/Pg")), obj,
                 f"{describe(obj)} is not reachable from StructTreeRoot but {why} "
                 f"({detached_at(ctx, obj)})")


def check_roles(ctx: Context) -> None:
    """02-001, 02-003, 02-004: role mapping ends at a standard type, without cycles or remaps."""
    tree = ctx.tree
    by_type: dict[str, list] = {}
    for elem in tree.elems:
        if elem.std is None:
            by_type.setdefault(elem.raw, []).append(elem)
    for raw, elems in by_type.items():
        _, why = resolve_role(raw, tree.role_map)
        rule = "02-003" if why == "circular" else "02-001"
        text = "has a circular role mapping" if why == "circular" else \
            "is not role-mapped to a standard structure type"
        ctx.fail(rule, elems[0].page, elems[0].obj,
                 f"structure type /{raw or '(none)'} {text} ({len(elems)} element(s))")
    role_map_obj = get(tree.root, "/RoleMap")
    for key, target in tree.role_map.items():
        if key in STANDARD_TYPES:
            ctx.fail("02-004", None, role_map_obj, f"RoleMap remaps standard type /{key} to "
                                                   f"/{target}")


def check_structure(ctx: Context) -> None:
    """The tree exists (ISO 14289-1 7.1) and is well formed; content streams balance."""
    if not is_dict(ctx.tree.root):
        ctx.fail("X-struct-root", None, ctx.catalog, "the catalog has no StructTreeRoot: "
                                                     "the document is not tagged")
    for page, obj, message in ctx.tree.problems:
        ctx.fail("X-structure", page, obj, message)
    for page, obj, message in ctx.scan.problems:
        ctx.fail("X-content", page, obj, message)
    on_pages = {og for page in ctx.page_objs for a in as_list(get(page, "/Annots"))
                if (og := objgen(a))}
    for og, owners in ctx.tree.objr_owner.items():
        target = ctx.pdf.get_object(og)
        if get(target, "/Rect") is not None and get(target, "/Subtype") is not None \
                and og not in on_pages:
            ctx.fail("X-structure", owners[0].page, owners[0].obj, f"{describe(owners[0].obj)} "
                     f"lists annotation {og[0]} {og[1]} R by OBJR, but no page has it in /Annots")


def check_xobjects(ctx: Context) -> None:
    """30-001 reference XObjects; 30-002 Form XObjects with MCIDs drawn more than once."""
    for xobj in ctx.objects.reference_xobjects:
        ctx.fail("30-001", None, xobj, "a reference XObject (Form XObject with /Ref) is present")
    pages: dict[ObjGen, int] = {}
    for seq in ctx.scan.seqs:
        if seq.container and seq.container not in ctx.page_index:
            pages.setdefault(seq.container, seq.page)
    for og, page in pages.items():
        draws = ctx.scan.form_draws.get(og, 0)
        if draws > 1:
            ctx.fail("30-002", page, f"{og[0]} {og[1]} R",
                     f"Form XObject containing MCIDs is drawn {draws} times")


RULES = (check_structure, check_content, check_roles, check_xobjects)
