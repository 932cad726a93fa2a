"""Content streams read for marked content, painting outside it, fonts and Form XObjects."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pikepdf

from ._pdf import (
    MAX_FORM_DEPTH,
    MAX_OPERATORS,
    LimitReached,
    ObjGen,
    get,
    inherited,
    integer,
    is_dict,
    name,
    objgen,
)
from .context import Context

# Operators that put marks on the page (ISO 32000-1 8.5.3, 8.7.4.5, 9.4.3, 8.9.7); "n" and
# clipping paint nothing, so they need no marking.
PAINTING = {
    "S": "path", "s": "path", "f": "path", "F": "path", "f*": "path", "B": "path",
    "B*": "path", "b": "path", "b*": "path", "sh": "shading", "Tj": "text", "TJ": "text",
    "'": "text", '"': "text", "INLINE IMAGE": "image",
}
MAX_TEXT_BYTES = 20_000_000  # shown strings kept for decoding, whole file


@dataclass(eq=False)
class Seq:
    """A marked-content sequence with an MCID, where it was met."""

    page: int
    container: ObjGen | None  # the page, or the Form XObject whose stream holds it
    mcid: int
    tag: str
    in_artifact: bool
    struct_parents: int | None  # /StructParents of the page or form
    texts: list[tuple[object, bytes]] = field(default_factory=list)  # (font key, string)


@dataclass
class FontUse:
    """A font selected by Tf somewhere, with the strings shown in it."""

    font: object
    strings: set[bytes] = field(default_factory=set)
    rendered: bool = False  # shown at least once in a text rendering mode other than 3
    pages: set[int] = field(default_factory=set)


@dataclass
class ContentScan:
    seqs: list[Seq] = field(default_factory=list)
    # (page, container) -> painting operators met outside any marked content, by kind
    unmarked: dict[tuple[int, ObjGen | None], Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter))
    artifact_in_tagged: dict[tuple[int, ObjGen | None], list[int]] = field(
        default_factory=lambda: defaultdict(list))
    tagged_in_artifact: dict[tuple[int, ObjGen | None], list[int]] = field(
        default_factory=lambda: defaultdict(list))
    fonts: dict[object, FontUse] = field(default_factory=dict)
    form_draws: Counter[ObjGen] = field(default_factory=Counter)
    problems: list[tuple[int | None, object, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Mark:
    tag: str
    artifact: bool  # this sequence or an enclosing one is an Artifact
    seq: Seq | None  # the closest enclosing sequence with an MCID


class _Scanner:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.out = ContentScan()
        self.operators = 0
        self.text_bytes = 0

    def page(self, index: int) -> None:
        page = self.ctx.page_objs[index]
        try:
            ops = pikepdf.parse_content_stream(self.ctx.pdf.pages[index])
        except (pikepdf.PdfError, ValueError, TypeError) as exc:
            self.out.problems.append((index, page, f"page content cannot be parsed: {exc}"))
            return
        self.run(ops, inherited(page, "/Resources"), index, objgen(page),
                 integer(get(page, "/StructParents")), [], (), (None, 0))

    def run(self, ops: list, res: object, page: int, container: ObjGen | None,
            struct_parents: int | None, outer: list[_Mark], chain: tuple[ObjGen, ...],
            text_state: tuple[object, int]) -> None:
        """Walk one content stream; outer is the marked content around a Form XObject's Do."""
        out = self.out
        stack = list(outer)
        base = len(stack)
        saved: list[tuple[object, int]] = []
        font, mode = text_state
        where = (page, container)

        def paint(kind: str) -> None:
            top = stack[-1] if stack else None
            if top is None or not (top.artifact or top.seq):
                out.unmarked[where][kind] += 1

        for ins in ops:
            self.operators += 1
            if self.operators > MAX_OPERATORS:
                raise LimitReached(f"more than {MAX_OPERATORS} content-stream operators")
            op = str(ins.operator)
            if op == "INLINE IMAGE":
                paint("image")
                continue
            args = list(ins.operands)
            if op in ("BMC", "BDC"):
                tag = (name(args[0]) if args else None) or "?"
                props = args[1] if op == "BDC" and len(args) > 1 else None
                if name(props) is not None:  # a named property list in /Properties
                    props = get(get(res, "/Properties"), f"/{name(props)}")
                mcid = integer(get(props, "/MCID")) if is_dict(props) else None
                outer_mark = stack[-1] if stack else None
                in_artifact = bool(outer_mark and outer_mark.artifact)
                enclosing = outer_mark.seq if outer_mark else None
                if tag == "Artifact":
                    if enclosing is not None and not in_artifact:
                        out.artifact_in_tagged[where].append(enclosing.mcid)
                    stack.append(_Mark(tag, True, enclosing))
                    continue
                seq = enclosing
                if mcid is not None:
                    if in_artifact:
                        out.tagged_in_artifact[where].append(mcid)
                    seq = Seq(page, container, mcid, tag, in_artifact, struct_parents)
                    out.seqs.append(seq)
                stack.append(_Mark(tag, in_artifact, seq))
            elif op == "EMC":
                if len(stack) > base:
                    stack.pop()
                else:
                    out.problems.append((page, container_ref(self.ctx, page, container),
                                         "EMC without a matching BMC/BDC"))
            elif op == "q":
                saved.append((font, mode))
            elif op == "Q":
                if saved:
                    font, mode = saved.pop()
            elif op == "Tf" and args:
                font = self.font(res, args[0])
            elif op == "Tr" and args:
                mode = integer(args[0]) or 0
            elif op in ("Tj", "TJ", "'", '"'):
                self.show(op, args, font, mode, page, stack)
                paint("text")
            elif op == "Do" and args:
                self.draw(args[0], res, page, stack, chain, (font, mode), paint)
            elif op in PAINTING:
                paint(PAINTING[op])
        if len(stack) > base:
            out.problems.append((page, container_ref(self.ctx, page, container),
                                 f"{len(stack) - base} marked-content sequence(s) not closed "
                                 "(BMC/BDC without EMC) in this content stream"))

    def font(self, res: object, font_name: object) -> object:
        key = name(font_name)
        font = get(get(res, "/Font"), f"/{key}") if key else None
        if not is_dict(font):
            return None
        fkey: object = objgen(font) or ("direct", key, id(res))
        if fkey not in self.out.fonts:
            self.out.fonts[fkey] = FontUse(font)
        return fkey

    def show(self, op: str, args: list, font: object, mode: int, page: int,
             stack: list[_Mark]) -> None:
        strings: list[bytes] = []
        if op == "TJ" and args and isinstance(args[0], pikepdf.Array):
            strings = [bytes(s) for s in args[0] if isinstance(s, pikepdf.String)]
        elif args and isinstance(args[-1], pikepdf.String):
            strings = [bytes(args[-1])]
        use = self.out.fonts.get(font) if font is not None else None
        seq = stack[-1].seq if stack and not stack[-1].artifact else None
        for s in strings:
            if self.text_bytes > MAX_TEXT_BYTES:
                break
            self.text_bytes += len(s)
            if use is not None:
                use.strings.add(s)
                use.rendered = use.rendered or mode != 3
                use.pages.add(page)
            if seq is not None:
                seq.texts.append((font, s))

    def draw(self, xname: object, res: object, page: int, stack: list[_Mark],
             chain: tuple[ObjGen, ...], text_state: tuple[object, int], paint) -> None:
        key = name(xname)
        xobj = get(get(res, "/XObject"), f"/{key}") if key else None
        subtype = name(get(xobj, "/Subtype"))
        if subtype == "Image":
            paint("image")
            return
        if subtype != "Form":
            return
        og = objgen(xobj)
        if og:
            self.out.form_draws[og] += 1
        if og in chain or len(chain) >= MAX_FORM_DEPTH:
            self.out.problems.append((page, xobj, "Form XObject draws itself, or forms nest "
                                                  "deeper than the checker follows"))
            return
        try:
            ops = pikepdf.parse_content_stream(xobj)
        except (pikepdf.PdfError, ValueError, TypeError) as exc:
            self.out.problems.append((page, xobj, f"Form XObject cannot be parsed: {exc}"))
            return
        form_res = get(xobj, "/Resources")
        self.run(ops, form_res if is_dict(form_res) else res, page, og,
                 integer(get(xobj, "/StructParents")), stack, chain + ((og,) if og else ()),
                 text_state)


def container_ref(ctx: Context, page: int, container: ObjGen | None) -> str:
    return f"{container[0]} {container[1]} R" if container else f"page {page + 1}"


def scan(ctx: Context) -> ContentScan:
    scanner = _Scanner(ctx)
    for index in range(len(ctx.page_objs)):
        scanner.page(index)
    return scanner.out
