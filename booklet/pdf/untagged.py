"""The fold-and-staple booklet as an honest print file: untagged, with no form fields.

Its sheets hold two pages each, in folding order, so its reading order is not the
text's; it is made for the printer, and the reading PDF is the accessible file. What
the reading PDF's tagging would claim for it is taken out: the structure tree, the
marked-content flag, the PDF/UA identification, the structure keys of the placed
pages, and the form fields (their widgets were on the reading PDF's pages, which the
sheets replace; the ruled lines to write on are part of the drawing).
"""

from __future__ import annotations

import pikepdf

from .accessible.xmp import drop_identification


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
    drop_identification(pdf)
