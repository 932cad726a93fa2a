"""Reading PDF -> fold-and-staple booklet (`<slug>-booklet.pdf`): saddle-stitch imposition.

Two pages side by side on each side of a landscape sheet (A5 on A4, half-letter on
Letter, A4 on A3, Letter on Tabloid), in the order that gives a booklet when the sheets
are printed on both sides (flip on the short edge), stacked, folded and stapled. The
page count is made up to a multiple of four with lined "Notes" pages just before the
back cover (`booklet.pdf.notes`), drawn as artifacts: they hold nothing to read, so the
structure tree leaves them out.

The reading PDF's bytes are reused, not typeset again: each page's content stream
becomes a form XObject drawn on a sheet, so text stays vector text and fonts and images
are stored once. The result is a print file, not tagged and without form fields
(`booklet.pdf.untagged`); the reading PDF is the accessible one. pikepdf (qpdf) writes
it with object streams, as compact as the reading PDF.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pikepdf
from pikepdf import Array, Dictionary, Name

from ..source.paper import Paper
from .info import page_count
from .untagged import strip_tagging

MM = 72 / 25.4

Side = tuple[int | None, int | None]


def render_booklet(reading_pdf: bytes, paper: Paper,
                   notes: Callable[[int, int], bytes] | None = None) -> bytes:
    """The fold-and-staple booklet, imposed from the reading PDF on `paper`'s sheet.
    Where the page count falls short of a multiple of four, `notes(first, count)`
    gives the Notes pages to make it up (`booklet.pdf.notes`); without it they are
    left blank."""
    _, width, height = paper.sheet
    pages = page_count(reading_pdf) or 0
    missing = -pages % 4
    filler = notes(pages, missing) if notes is not None and missing else None
    return impose(reading_pdf, (width * MM, height * MM), filler)


def sheet_sides(pages: int) -> list[Side]:
    """Sheet sides in printing order as (left, right) 0-based page indexes; None: a
    padding page (a Notes page).

    Sheet 1 front is [last, first], its back [second, second to last], and so on
    inwards. Padding pages make up the count to a multiple of 4 just before the back
    cover.
    """
    order = reading_order(pages)
    return [(order[left], order[right]) for left, right in sheet_positions(len(order))]


def reading_order(pages: int) -> list[int | None]:
    """The page index at each position of the folded booklet, None for padding."""
    padded = -(-pages // 4) * 4
    return [*range(pages - 1), *[None] * (padded - pages), pages - 1]


def sheet_positions(padded: int) -> list[tuple[int, int]]:
    """Sheet sides in printing order as (left, right) positions in the folded booklet."""
    sides = []
    for sheet in range(padded // 4):
        outer, inner = 2 * sheet, padded - 1 - 2 * sheet
        sides.append((inner, outer))
        sides.append((outer + 1, inner - 1))
    return sides


def impose(pdf: bytes, sheet: tuple[float, float], filler: bytes | None = None) -> bytes:
    """Impose a PDF's pages two-up on sheets of `sheet` (width, height) points; the
    pages of the PDF `filler` (Notes pages) take the padding positions, in order."""
    with pikepdf.Pdf.open(io.BytesIO(pdf)) as doc, _opened(filler) as extra:
        pages = [page.obj for page in doc.pages]
        forms = [_page_form(doc, page) for page in pages]
        padding = [(_page_form(doc, copied), copied)
                   for copied in (doc.copy_foreign(page.obj) for page in extra.pages)]
        order = reading_order(len(pages))
        sides = []
        for positions in sheet_positions(len(order)):
            slots = []
            for slot, position in enumerate(positions):
                index = order[position]
                if index is not None:
                    slots.append((slot, forms[index], pages[index], False))
                elif (number := position - (len(pages) - 1)) < len(padding):
                    slots.append((slot, *padding[number], True))
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


@contextmanager
def _opened(data: bytes | None) -> Iterator[pikepdf.Pdf]:
    """The PDF `data` opened (an empty one for None), kept open while it is copied from."""
    with (pikepdf.Pdf.open(io.BytesIO(data)) if data else pikepdf.Pdf.new()) as pdf:
        yield pdf


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
    """A new sheet side drawing each (slot, form, source page, artifact), slot 0 left,
    1 right; an artifact (a Notes page) is marked as such, outside the structure."""
    width, height = sheet
    names = Dictionary()
    ops = []
    for slot, form, page, artifact in slots:
        left, bottom, right, top = (float(v) for v in page.get("/TrimBox", page.MediaBox))
        x = width / 2 - (right - left) * (1 - slot)
        y = (height - (top - bottom)) / 2
        names[f"/P{slot}"] = form
        draw = f"q 1 0 0 1 {x - left:.4f} {y - bottom:.4f} cm /P{slot} Do Q"
        ops.append(f"/Artifact BMC {draw} EMC" if artifact else draw)
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

