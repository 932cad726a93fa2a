"""Checkpoints 09, 11, 13, 14, 15, 17, 19: what the structure elements say and how they nest."""

from __future__ import annotations

from collections import Counter

from ._pdf import as_list, get, integer, is_dict, name, ref, text
from .context import Context, valid_lang
from .structure import Elem

# ISO 32000-1 Tables 333, 336, 337, 338: which kids a grouping element may have, and
# which parent an element must have (veraPDF's PDF/UA-1 rules 7.2-3 ... 7.2-40).
ALLOWED_KIDS = {
    "Table": ("09-004", {"TR", "THead", "TBody", "TFoot", "Caption"}),
    "THead": ("09-004", {"TR"}), "TBody": ("09-004", {"TR"}), "TFoot": ("09-004", {"TR"}),
    "TR": ("09-004", {"TH", "TD"}),
    "L": ("09-005", {"L", "LI", "Caption"}),
    "LI": ("09-005", {"Lbl", "LBody"}),
    "TOC": ("09-006", {"TOC", "TOCI", "Caption"}),
    "Ruby": ("09-007", {"RB", "RT", "RP"}),
    "Warichu": ("09-008", {"WT", "WP"}),
}
REQUIRED_PARENT = {
    "TR": ("09-004", {"Table", "THead", "TBody", "TFoot"}),
    "THead": ("09-004", {"Table"}), "TBody": ("09-004", {"Table"}),
    "TFoot": ("09-004", {"Table"}), "TH": ("09-004", {"TR"}), "TD": ("09-004", {"TR"}),
    "LI": ("09-005", {"L"}), "LBody": ("09-005", {"LI"}),
    "TOCI": ("09-006", {"TOC"}),
    "RB": ("09-007", {"Ruby"}), "RT": ("09-007", {"Ruby"}), "RP": ("09-007", {"Ruby"}),
    "WT": ("09-008", {"Warichu"}), "WP": ("09-008", {"Warichu"}),
}
HEADINGS = {f"H{n}": n for n in range(1, 7)}


def kid_types(elem: Elem) -> list[str]:
    return [k.std for k in elem.elements() if k.std]


def check_nesting(ctx: Context) -> None:
    """09-004 ... 09-008: tables, lists, TOCs, Ruby and Warichu follow ISO 32000-1's syntax."""
    for elem in ctx.tree.elems:
        if elem.std in ALLOWED_KIDS:
            rule, allowed = ALLOWED_KIDS[elem.std]
            kinds = kid_types(elem)
            bad = sorted({k for k in kinds if k not in allowed})
            if bad:
                listed = ", ".join("/" + b for b in bad)
                ctx.fail(rule, elem.page, elem.obj, f"/{elem.std} has {listed} among its kids; it "
                         f"may hold only {', '.join(sorted(allowed))}")
            captions = [i for i, k in enumerate(kinds) if k == "Caption"]
            first_only = elem.std in ("L", "TOC")
            if elem.std == "Table":
                counts = Counter(kinds)
                if counts["THead"] > 1 or counts["TFoot"] > 1 or counts["Caption"] > 1:
                    ctx.fail(rule, elem.page, elem.obj, "/Table has more than one THead, TFoot "
                                                        "or Caption")
                if (counts["THead"] or counts["TFoot"]) and not counts["TBody"]:
                    ctx.fail(rule, elem.page, elem.obj, "/Table has THead or TFoot but no TBody")
            if any(i != 0 and (first_only or i != len(kinds) - 1) for i in captions):
                where = "first" if first_only else "first or last"
                ctx.fail(rule, elem.page, elem.obj, f"/{elem.std} has a Caption that is not its "
                                                    f"{where} kid")
        if elem.std in REQUIRED_PARENT:
            rule, parents = REQUIRED_PARENT[elem.std]
            parent = elem.parent.std if elem.parent else None
            if parent not in parents:
                ctx.fail(rule, elem.page, elem.obj, f"/{elem.std} is inside "
                         f"{'/' + parent if parent else 'no standard element'}; it belongs in "
                         f"{' or '.join(sorted(parents))}")


def check_headings(ctx: Context) -> None:
    """14-002, 14-003, 14-006, 14-007: numbered headings start at H1 and skip no level."""
    previous: int | None = None
    uses_h = uses_hn = None
    for elem in ctx.tree.elems:
        if sum(1 for k in kid_types(elem) if k == "H") > 1:
            ctx.fail("14-006", elem.page, elem.obj, f"/{elem.std or elem.raw} has more than one "
                                                    "/H kid")
        if elem.std == "H":
            uses_h = uses_h or elem
        level = HEADINGS.get(elem.std or "")
        if level is None:
            continue
        uses_hn = uses_hn or elem
        if previous is None and level != 1:
            ctx.fail("14-002", elem.page, elem.obj, f"the first heading is /H{level}, not /H1")
        elif previous is not None and level > previous + 1:
            ctx.fail("14-003", elem.page, elem.obj, f"/H{level} follows /H{previous}, skipping "
                     f"{', '.join(f'H{n}' for n in range(previous + 1, level))}")
        previous = level
    if uses_h and uses_hn:
        ctx.fail("14-007", uses_h.page, uses_h.obj, "the document uses both /H and /H1-/H6")


def check_alternates(ctx: Context) -> None:
    """13-004 Figure and 17-002 Formula alternative text; 19-003/19-004 Note IDs."""
    note_ids: dict[str, Elem] = {}
    for elem in ctx.tree.elems:
        if elem.std in ("Figure", "Formula"):
            alt = (elem.attr("/Alt") or "").strip()
            if not alt and elem.attr("/ActualText") is None:
                rule = "13-004" if elem.std == "Figure" else "17-002"
                ctx.fail(rule, elem.page, elem.obj, f"/{elem.std} has neither /Alt nor /ActualText")
        elif elem.std == "Note":
            key = text(get(elem.obj, "/ID")) or ""
            if not key:
                ctx.fail("19-003", elem.page, elem.obj, "/Note has no /ID")
            elif key in note_ids:
                ctx.fail("19-004", elem.page, elem.obj, f"/Note /ID {key!r} is not unique")
            else:
                note_ids[key] = elem


def check_languages(ctx: Context) -> None:
    """11-001, 11-002, 11-003: the language of text, alternate text and outlines is known."""
    catalog_lang = text(get(ctx.catalog, "/Lang"))
    if catalog_lang is not None and not valid_lang(catalog_lang):
        ctx.fail("11-001", None, ctx.catalog, f"catalog /Lang {catalog_lang!r} is not a language "
                                              "tag" if catalog_lang else "catalog /Lang is empty")
    for elem in ctx.tree.elems:
        own = elem.attr("/Lang")
        if own is not None and not valid_lang(own):
            ctx.fail("11-001", elem.page, elem.obj, f"/{elem.raw} /Lang {own!r} is not a "
                                                    "language tag")
    if ctx.catalog_lang:
        return
    unknown = Counter(item.page for elem in ctx.tree.elems if not valid_lang(elem.lang)
                      for item in elem.items() if item.kind == "mcid")
    if unknown:
        ctx.fail("11-001", None, ctx.catalog, f"no valid catalog /Lang, and {sum(unknown.values())}"
                 f" tagged content item(s) on {len(unknown)} page(s) have no /Lang from an "
                 "enclosing element")
    for elem in ctx.tree.elems:
        keys = [k for k in ("/Alt", "/ActualText", "/E") if get(elem.obj, k) is not None]
        if keys and not valid_lang(elem.lang):
            ctx.fail("11-002", elem.page, elem.obj, f"language of {', '.join(keys)} on "
                     f"/{elem.raw} cannot be determined (no /Lang here, above, or in the catalog)")
    if get(get(ctx.catalog, "/Outlines"), "/First") is not None:
        ctx.fail("11-003", None, ctx.catalog, "outline entries exist but the catalog has no "
                                              "valid /Lang")


def table_attr(elem: Elem, key: str) -> object | None:
    """An attribute from the element's /A dictionaries, preferring the Table owner."""
    found = None
    for attrs in as_list(get(elem.obj, "/A")):
        if is_dict(attrs) and get(attrs, key) is not None:
            if name(get(attrs, "/O")) == "Table":
                return get(attrs, key)
            found = found if found is not None else get(attrs, key)
    return found


def table_rows(table: Elem) -> list[Elem]:
    rows: list[Elem] = []
    for kid in table.elements():
        if kid.std == "TR":
            rows.append(kid)
        elif kid.std in ("THead", "TBody", "TFoot"):
            rows.extend(k for k in kid.elements() if k.std == "TR")
    return rows


def table_grid(rows: list[Elem]) -> dict[Elem, tuple[set[int], set[int]]]:
    """Each cell's (rows, columns) once row and column spans are laid out."""
    taken: set[tuple[int, int]] = set()
    placed: dict[Elem, tuple[set[int], set[int]]] = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in row.elements():
            if cell.std not in ("TH", "TD"):
                continue
            while (r, c) in taken:
                c += 1
            rowspan = max(1, min(integer(table_attr(cell, "/RowSpan")) or 1, 1000))
            colspan = max(1, min(integer(table_attr(cell, "/ColSpan")) or 1, 1000))
            spots = {(r + i, c + j) for i in range(rowspan) for j in range(colspan)}
            taken |= spots
            placed[cell] = ({p[0] for p in spots}, {p[1] for p in spots})
            c += colspan
    return placed


def check_tables(ctx: Context) -> None:
    """15-003 TH Scope or Headers/IDs, and 09-004 rows of equal width (veraPDF 7.2-42)."""
    for table in (e for e in ctx.tree.elems if e.std == "Table"):
        rows = table_rows(table)
        grid = table_grid(rows)
        widths = Counter(r for rs, cs in grid.values() for r in rs for _ in cs)
        spans = [widths[r] for r in range(max(widths, default=-1) + 1)]
        if len(set(spans)) > 1 or len(spans) > len(rows):
            ctx.fail("09-004", table.page, table.obj, "table rows have different numbers of "
                     f"columns once spans are counted: {spans}")
        headers = {cell: pos for cell, pos in grid.items() if cell.std == "TH"}
        if not headers:
            continue
        ids = {text(get(th.obj, "/ID")) for th in headers}
        unnamed: list[Elem] = []  # cells beside a TH that name no (known) header
        for cell, (rs, cs) in grid.items():
            if cell.std != "TD":
                continue
            named = [text(h) for h in as_list(table_attr(cell, "/Headers"))]
            unknown = [h for h in named if h not in ids]
            if unknown:
                ctx.fail("15-003", cell.page, cell.obj, f"/TD /Headers names {unknown}, which no "
                                                        "TH in the table has as /ID")
            shares = any(hr & rs or hc & cs for hr, hc in headers.values())
            if shares and (not named or unknown):
                unnamed.append(cell)
        if not unnamed:
            continue
        example = ref(unnamed[0].obj) or "a direct object"
        for th in headers:
            if name(table_attr(th, "/Scope")) not in ("Row", "Column", "Both"):
                ctx.fail("15-003", th.page, th.obj, f"/TH has no /Scope, and {len(unnamed)} "
                         "cell(s) in a TH's row or column name no header with /Headers (first: "
                         f"/TD {example})")


RULES = (check_nesting, check_headings, check_alternates, check_languages, check_tables)
