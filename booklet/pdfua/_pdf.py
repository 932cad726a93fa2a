"""Small, defensive helpers for reading pikepdf objects of unknown shape."""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf

ObjGen = tuple[int, int]

# Bounds that keep a hostile or huge file from running away with time or memory.
MAX_TREE_DEPTH = 64  # number trees, /Parent chains, nested forms
MAX_ELEMENTS = 500_000  # structure elements walked
MAX_OBJECTS = 2_000_000  # indirect objects scanned
MAX_OPERATORS = 5_000_000  # content-stream instructions parsed, whole file
MAX_FORM_DEPTH = 16  # Form XObjects drawn inside Form XObjects


class LimitReached(Exception):
    """Raised when a bound above is hit; the report says the check is incomplete."""


def is_dict(obj: object) -> bool:
    """True for dictionaries and streams (whose dictionaries pikepdf exposes the same way)."""
    return isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream))


def is_array(obj: object) -> bool:
    return isinstance(obj, pikepdf.Array)


def is_stream(obj: object) -> bool:
    return isinstance(obj, pikepdf.Stream)


def name(obj: object) -> str | None:
    """A name object's text without the slash, else None."""
    if isinstance(obj, pikepdf.Name):
        return str(obj)[1:]
    return None


def text(obj: object) -> str | None:
    """A string object's text (PDFDocEncoding or UTF-16 decoded), else None."""
    if isinstance(obj, pikepdf.String):
        try:
            return str(obj)
        except (UnicodeDecodeError, ValueError):
            return bytes(obj).decode("latin-1")
    return None


def integer(obj: object) -> int | None:
    if isinstance(obj, int) and not isinstance(obj, bool):
        return obj
    return None


def objgen(obj: object) -> ObjGen | None:
    """(object number, generation) of an indirect object; None for direct objects."""
    try:
        og = obj.objgen  # type: ignore[attr-defined]
    except AttributeError:
        return None
    return og if og != (0, 0) else None


def ref(obj: object) -> str | None:
    """'12 0 R' for an indirect object, None for a direct one."""
    og = objgen(obj)
    return f"{og[0]} {og[1]} R" if og else None


def get(obj: object, key: str) -> object | None:
    """obj[key] if obj is a dictionary that has it."""
    if is_dict(obj):
        try:
            return obj.get(key)  # type: ignore[union-attr]
        except (pikepdf.PdfError, ValueError):
            return None
    return None


def as_list(obj: object) -> list:
    """An array's items, a single non-null object as a one-item list, else []."""
    if obj is None:
        return []
    if is_array(obj):
        return list(obj)  # type: ignore[call-overload]
    return [obj]


def number_tree(root: object) -> tuple[dict[int, object], list[str]]:
    """Flatten a number tree (/Nums leaves, /Kids inner nodes); also return problems met."""
    found: dict[int, object] = {}
    problems: list[str] = []
    seen: set[ObjGen] = set()
    stack: list[tuple[object, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        og = objgen(node)
        if og:
            if og in seen:
                problems.append(f"number tree node {og[0]} {og[1]} R is reached twice (cycle?)")
                continue
            seen.add(og)
        if depth > MAX_TREE_DEPTH:
            problems.append("number tree deeper than the checker follows")
            continue
        nums = get(node, "/Nums")
        if nums is not None:
            items = as_list(nums)
            if len(items) % 2:
                problems.append("number tree /Nums has an odd number of items")
            for i in range(0, len(items) - 1, 2):
                key = integer(items[i])
                if key is None:
                    problems.append("number tree key is not an integer")
                    continue
                found[key] = items[i + 1]
        for kid in reversed(as_list(get(node, "/Kids"))):
            stack.append((kid, depth + 1))
    return found, problems


def inherited(obj: object, key: str) -> object | None:
    """An inheritable page attribute (/Resources, /CropBox ...) looked up the /Parent chain."""
    node, depth = obj, 0
    while is_dict(node) and depth <= MAX_TREE_DEPTH:
        value = get(node, key)
        if value is not None:
            return value
        node, depth = get(node, "/Parent"), depth + 1
    return None


def walk_objects(pdf: pikepdf.Pdf) -> Iterator[object]:
    """Every indirect object of the file, bounded."""
    for count, obj in enumerate(pdf.objects):
        if count >= MAX_OBJECTS:
            raise LimitReached(f"more than {MAX_OBJECTS} objects")
        yield obj
