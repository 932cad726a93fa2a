"""A PDF's text as a screen reader gets it: the structure tree in order, each run of
marked content as its /ActualText or else its glyphs through ToUnicode, Artifacts
left out, soft hyphens dropped, and each block-level element on its own line."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf

from booklet.pdfua.fonts import FontInfo

#: Elements read as blocks of their own (a line each).
BLOCKS = {"/P", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/LI", "/Lbl", "/LBody", "/TD",
          "/TH", "/Caption", "/BlockQuote", "/Div", "/Sect", "/Figure", "/TOCI", "/L"}


def runs(pdf: pikepdf.Pdf, actual_text: bool = True) -> dict[tuple[int, int], str]:
    """(page, MCID) -> the text of each marked-content sequence with an MCID: its
    /ActualText if it has one (unless `actual_text` is False), else its glyphs'."""
    found: dict[tuple[int, int], str] = {}
    for index, page in enumerate(pdf.pages):
        fonts: dict[str, FontInfo] = {}
        resources = page.obj.Resources.get("/Font", {})
        mcid, actual, parts, font, depth = None, None, [], None, 0
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and \
                    "/MCID" in operands[1]:
                mcid, parts, depth = int(operands[1].MCID), [], 1
                actual = str(operands[1].ActualText) \
                    if actual_text and "/ActualText" in operands[1] else None
            elif op in ("BDC", "BMC"):
                depth += 1
            elif op == "EMC":
                depth -= 1
                if depth == 0 and mcid is not None:
                    found[(index, mcid)] = actual if actual is not None else "".join(parts)
                    mcid = None
            elif op == "Tf":
                name = str(operands[0])
                font = fonts.setdefault(name, FontInfo(resources[name]))
            elif op in ("TJ", "Tj") and mcid is not None and font is not None:
                strings = operands[0] if op == "TJ" else [operands[0]]
                parts += [font.decode(bytes(s)) for s in strings if isinstance(s, pikepdf.String)]
    return found


def spoken_text(path: Path | bytes) -> str:
    """The text a screen reader gets from a tagged PDF, one block a line."""
    with pikepdf.open(path if isinstance(path, Path) else io.BytesIO(path)) as pdf:
        pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
        text = runs(pdf)
        out: list[str] = []

        def walk(node: object, page: int | None) -> None:
            if isinstance(node, int):
                out.append(text.get((page, node), "") if page is not None else "")
                return
            if not isinstance(node, pikepdf.Dictionary):
                return
            if node.get("/Type") == pikepdf.Name.MCR:
                pg = pages.get(node.Pg.objgen) if "/Pg" in node else page
                out.append(text.get((pg, int(node.MCID)), ""))
                return
            if "/S" not in node:
                return
            if "/Pg" in node:
                page = pages.get(node.Pg.objgen)
            block = str(node.S) in BLOCKS
            if block:
                out.append("\n")
            if "/ActualText" in node:
                out.append(str(node.ActualText))
            elif str(node.S) != "/Figure":
                k = node.get("/K")
                for kid in (k if isinstance(k, pikepdf.Array) else [k] if k is not None else []):
                    walk(kid, page)
            if block:
                out.append("\n")

        top = pdf.Root.StructTreeRoot.K
        for kid in top if isinstance(top, pikepdf.Array) else [top]:
            walk(kid, None)
    text = "".join(out).replace("\u00ad", "")  # a soft hyphen is not read
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
