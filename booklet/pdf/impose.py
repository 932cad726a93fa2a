"""Reading PDF -> fold-and-staple booklet (`<slug>-booklet.pdf`): saddle-stitch imposition.

Two pages side by side on each side of a landscape sheet (A5 on A4, half-letter on
Letter, A4 on A3, Letter on Tabloid), in the order that gives a booklet when the sheets
are printed on both sides (flip on the short edge), stacked, folded and stapled. The
page count is padded to a multiple of four with blank pages just before the back cover.

The reading PDF's bytes are reused, not typeset again: each page's content stream
becomes a form XObject drawn on a sheet, so text stays vector text and fonts and images
are stored once. The result is a print file, not tagged and without form fields
(`booklet.pdf.untagged`); the reading PDF is the accessible one. pikepdf (qpdf) writes
it with object streams, as compact as the reading PDF.
"""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Dictionary, Name

from ..source.paper import Paper
from .untagged import strip_tagging

MM = 72 / 25.4

Side = tuple[int | None, int | None]


def render_booklet(reading_pdf: bytes, paper: Paper) -> bytes:
    """The fold-and-staple booklet, imposed from the reading PDF on `paper`'s sheet."""
    _, width, height = paper.sheet
    return impose(reading_pdf, (width * MM, height * MM))


def sheet_sides(pages: int) -> list[Side]:
    """Sheet sides in printing order as (left, right) 0-based page indexes; None: blank.

    Sheet 1 front is [last, first], its back [second, second to last], and so on
    inwards. Blank pages pad the count to a multiple of 4 just before the back cover.
    """
    padded = -(-pages // 4) * 4
    order: list[int | None] = [*range(pages - 1), *[None] * (padded - pages), pages - 1]
    sides: list[Side] = []
    for sheet in range(padded // 4):
        outer, inner = 2 * sheet, padded - 1 - 2 * sheet
        sides.append((order[inner], order[outer]))
        sides.append((order[outer + 1], order[inner - 1]))
    return sides


def impose(pdf: bytes, sheet: tuple[float, float]) -> bytes:
    """Impose a PDF's pages two-up on sheets of `sheet` (width, height) points."""
    with pikepdf.Pdf.open(io.BytesIO(pdf)) as doc:
        pages = [page.obj for page in doc.pages]
        forms = [_page_form(doc, page) for page in pages]
        sides = []
        for left, right in sheet_sides(len(pages)):
            slots = [(slot, forms[i], pages[i]) for slot, i in enumerate((left, right))
                     if i is not None]
            sides.append(_sheet_side(doc, sheet, slots))
        for side in sides:
            doc.pages.append(pikepdf.Page(side))
        del doc.pages[:len(pages)]
        _drop_page_links(doc)
        strip_tagging(doc)
        out = io.BytesIO()
        doc.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                 deterministic_id=True, fix_metadata_version=False)
    return out.getvalue()


def _page_form(doc: pikepdf.Pdf, page: pikepdf.Object) -> pikepdf.Object:
    """Turn a page's content stream into a form XObject clipped to its trim box."""
    contents = page.Contents
    if isinstance(contents, Array):  # not WeasyPrint's way: join the streams first
        contents = doc.make_stream(b"\n".join(part.read_bytes() for part in contents))
    trim = page.get("/TrimBox", page.MediaBox)
    contents.Type = Name.XObject
    contents.Subtype = Name.Form
    contents.BBox = Array([float(v) for v in trim])
    for key in ("/Resources", "/Group", "/StructParents"):
        if key in page:
            contents[key] = page[key]
    return contents


def _sheet_side(doc: pikepdf.Pdf, sheet: tuple[float, float], slots) -> pikepdf.Object:
    """A new sheet side drawing each (slot, form, source page), slot 0 left, 1 right."""
    width, height = sheet
    names = Dictionary()
    ops = []
    for slot, form, page in slots:
        left, bottom, right, top = (float(v) for v in page.get("/TrimBox", page.MediaBox))
        x = width / 2 - (right - left) * (1 - slot)
        y = (height - (top - bottom)) / 2
        names[f"/P{slot}"] = form
        ops.append(f"q 1 0 0 1 {x - left:.4f} {y - bottom:.4f} cm /P{slot} Do Q")
    return doc.make_indirect(Dictionary(
        Type=Name.Page, MediaBox=Array([0, 0, width, height]),
        Resources=Dictionary(XObject=names),
        Contents=doc.make_stream("\n".join(ops).encode())))


def _drop_page_links(doc: pikepdf.Pdf) -> None:
    """Remove what pointed at single pages: bookmarks and named destinations."""
    for key in ("/Outlines", "/PageMode", "/OpenAction"):
        if key in doc.Root:
            del doc.Root[key]
    if "/Names" in doc.Root and "/Dests" in doc.Root.Names:
        del doc.Root.Names.Dests

