"""XMP metadata with the title, the language and the PDF/UA identification (Matterhorn
06-001..06-003): WeasyPrint 70 writes XMP only for a `--pdf-variant`, and then keeps
what that variant writes; the entries here are added to it."""

from __future__ import annotations

import pikepdf


def write(pdf: pikepdf.Pdf, conforms: bool) -> None:
    """Add dc:title, dc:language and, when `conforms`, pdfuaid:part 1 to the XMP."""
    info = pdf.docinfo
    title = str(info.get("/Title", "")) or None
    lang = str(pdf.Root.get("/Lang", "")) or None
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        if title and not meta.get("dc:title"):
            meta["dc:title"] = title
        if lang and not meta.get("dc:language"):
            meta["dc:language"] = [lang]
        if conforms:
            meta["pdfuaid:part"] = "1"
        elif "pdfuaid:part" in meta:
            del meta["pdfuaid:part"]
