"""The fold-and-staple booklet as an honest print file: untagged, with no form fields.

Its sheets hold two pages each, in folding order, so its reading order is not the
text's; it is made for the printer, and the reading PDF is the accessible file. What
the reading PDF's tagging would claim for it is taken out: the structure tree, the
marked-content flag, the PDF/UA identification, the structure keys and marked content
of the placed pages, and the form fields (their widgets were on the reading PDF's
pages, which the sheets replace; the ruled lines to write on are part of the drawing).
(PDFium also misplaces /ActualText inside a form drawn elsewhere on a page.)
"""

from __future__ import annotations

import re

import pikepdf

from .accessible.xmp import drop_identification

#: Marked-content operators with their operands, as WeasyPrint and the accessibility
#: pass write them: property lists hold names, numbers and hex strings only.
MARKED_CONTENT = re.compile(
    rb"/[^\s/<>\[\]()%{}]+\s*(?:<<(?:[^<>()]|<[0-9A-Fa-f\s]*>)*>>\s*)?BDC(?=\s)"
    rb"|/[^\s/<>\[\]()%{}]+\s*BMC(?=\s)|(?<=\s)EMC(?=\s|$)")
INLINE_IMAGE = re.compile(rb"(?<=\s)BI(?=\s)")


def strip_tagging(pdf: pikepdf.Pdf) -> None:
    """Remove the structure tree, marked-content flag, form fields and PDF/UA claim."""
    root = pdf.Root
    for key in ("/StructTreeRoot", "/MarkInfo", "/AcroForm"):
        if key in root:
            del root[key]
    for page in pdf.pages:
        for key in ("/StructParents", "/Tabs"):
            if key in page.obj:
                del page.obj[key]
        xobjects = page.obj.get("/Resources", pikepdf.Dictionary()).get("/XObject", {})
        for form in dict(xobjects).values():
            if "/StructParents" in form:
                del form["/StructParents"]
            if form.get("/Subtype") == pikepdf.Name.Form:
                data = form.read_bytes()
                if b"(" not in data and not INLINE_IMAGE.search(data):  # else left marked
                    form.write(MARKED_CONTENT.sub(b"", data))
    drop_identification(pdf)
