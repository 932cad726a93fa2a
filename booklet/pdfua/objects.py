"""One bounded pass over every indirect object, for things no tree walk is sure to reach."""

from __future__ import annotations

from dataclasses import dataclass, field

from ._pdf import ObjGen, get, is_dict, is_stream, name, objgen, walk_objects
from .context import Context


@dataclass
class ObjectScan:
    """Structure elements (reachable or not), embedded-file specs and reference XObjects."""

    struct_elems: dict[ObjGen, object] = field(default_factory=dict)
    filespecs: list[object] = field(default_factory=list)
    reference_xobjects: list[object] = field(default_factory=list)


def scan(ctx: Context) -> ObjectScan:
    found = ObjectScan()
    for obj in walk_objects(ctx.pdf):
        if not is_dict(obj):
            continue
        kind = name(get(obj, "/Type"))
        og = objgen(obj)
        if kind == "StructElem" and og:
            found.struct_elems[og] = obj
        elif get(obj, "/EF") is not None:
            found.filespecs.append(obj)
        elif is_stream(obj) and name(get(obj, "/Subtype")) == "Form" and get(obj, "/Ref"):
            found.reference_xobjects.append(obj)
    return found
