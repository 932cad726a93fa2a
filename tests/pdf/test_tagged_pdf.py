from __future__ import annotations

import pytest

from booklet.build.pipeline import build
from booklet.source.loader import load_booklet

from ..helpers import BUNDLED, booklet_md
from ..pdfcheck import reader, structure_types


@pytest.mark.parametrize("fmt", ["pdf", "large-print"])
def test_every_reading_pdf_is_tagged_with_language_and_title(bundled, fmt):
    pdf = reader(bundled[fmt])
    root = pdf.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert pdf.metadata.title == load_booklet(BUNDLED).meta.title
    types = structure_types(pdf)
    assert types[0] == "/Document"
    assert {"/H1", "/H2", "/P", "/L", "/LI", "/Link"} <= set(types), set(types)


def test_structure_follows_the_text(bundled):
    types = structure_types(reader(bundled["pdf"]))
    booklet = load_booklet(BUNDLED)
    # the contents heading, one per part and the sources page; sections (and boxes,
    # questions) below them
    assert types.count("/H1") == 1 + len(booklet.parts) + 1
    assert types.count("/H2") >= sum(len(p.sections) for p in booklet.parts)
    assert types.index("/H1") < types.index("/H2")


def test_images_carry_their_alt_text(tmp_project, options_at_epoch, tmp_path):
    from ..helpers import PNG

    root = tmp_project({"content/demo/booklet.md": booklet_md(
        body="# Part\n\n![Two people talking on a bench](dot.png)\n"),
        "content/demo/dot.png": PNG})
    [outcome] = build([root / "content/demo"], options_at_epoch(tmp_path / "out",
                                                                formats=("pdf",)))
    pdf = reader(outcome.written["pdf"])
    stack, alts = [pdf.trailer["/Root"]["/StructTreeRoot"].get_object()], []
    while stack:
        node = stack.pop()
        if node.get("/S") == "/Figure":
            alts.append(node["/Alt"])
        kids = node.get("/K")
        kids = kids.get_object() if kids is not None else []
        stack.extend(k.get_object() for k in (kids if isinstance(kids, list) else [kids])
                     if isinstance(k.get_object(), dict))
    assert alts == ["Two people talking on a bench"]


def test_pdf_variant_passes_through(tmp_project, options_at_epoch, tmp_path):
    root = tmp_project({"content/demo/booklet.md": booklet_md("title: Archive")})
    [outcome] = build([root / "content/demo"], options_at_epoch(
        tmp_path / "out", formats=("pdf", "booklet"), pdf_variant="pdf/a-3u"))
    for fmt in ("pdf", "booklet"):
        pdf = reader(outcome.written[fmt])
        xmp = pdf.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
        assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="U"' in xmp, xmp
        # PDF/A-3 takes XMP properties outside its schemas only with an extension
        # schema, which booklet does not write: no PDF/UA identification here
        assert "pdfuaid" not in xmp
        assert pdf.trailer["/Root"]["/OutputIntents"]
        assert ("/StructTreeRoot" in pdf.trailer["/Root"]) == (fmt == "pdf")
