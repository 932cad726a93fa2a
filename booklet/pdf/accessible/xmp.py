"""XMP metadata with the title, the language and the PDF/UA identification (Matterhorn
06-001..06-003). WeasyPrint 70 writes XMP only for a `--pdf-variant`; what a variant
wrote is kept and the entries here are added to it.

A PDF/A-1, -2 or -3 file gets no pdfuaid entry: those parts accept XMP properties
outside their own schemas only with an extension schema description, which is left
to a later change (the README says so).
"""

from __future__ import annotations

import pikepdf


def write(pdf: pikepdf.Pdf, conforms: bool) -> None:
    """Add dc:title, dc:language and, when `conforms`, pdfuaid:part 1 to the XMP."""
    title = str(pdf.docinfo.get("/Title", "")) or None
    lang = str(pdf.Root.get("/Lang", "")) or None
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        if title and not meta.get("dc:title"):
            meta["dc:title"] = title
        if lang and not meta.get("dc:language"):
            meta["dc:language"] = [lang]
        pdfa = str(meta.get("pdfaid:part", "")) in ("1", "2", "3")
        if conforms and not pdfa and not meta.get("pdfuaid:part"):
            meta["pdfuaid:part"] = "1"


def drop_identification(pdf: pikepdf.Pdf) -> None:
    """Take the PDF/UA identification out of the XMP (a file that no longer conforms)."""
    if "/Metadata" not in pdf.Root:
        return
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        if "pdfuaid:part" in meta:
            del meta["pdfuaid:part"]
