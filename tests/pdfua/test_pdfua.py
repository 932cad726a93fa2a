"""booklet.pdfua: each Matterhorn condition it covers fails on a PDF built to break it and
passes on one built to keep it; plus WeasyPrint's own tagging and the command line."""

from __future__ import annotations

import io
import re

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, Stream, String

from booklet import pdfua
from booklet.pdfua import COVERAGE, EXTENSIONS, NOT_CHECKED, check
from booklet.pdfua.__main__ import main

XMP = """<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
      xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   {title}{part}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
TITLE = '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">A handout</rdf:li></rdf:Alt></dc:title>'
PART = "<pdfuaid:part>1</pdfuaid:part>"
TO_UNICODE = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0001> <0041> <0002> <002E> endbfchar
1 beginbfrange <0010> <0012> <0061> endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end"""


def xmp(title: str = TITLE, part: str = PART) -> bytes:
    return XMP.format(title=title, part=part).encode()


class Builder:
    """A one-page tagged PDF that passes every check until a test breaks one thing."""

    def __init__(self) -> None:
        pdf = self.pdf = pikepdf.new()
        self.page = pdf.add_blank_page(page_size=(300, 300)).obj
        self.page.Tabs = Name.S
        self.page.StructParents = 0
        self.font = pdf.make_indirect(Dictionary(
            Type=Name.Font, Subtype=Name.Type0, BaseFont=Name("/ABCDEF+Test"),
            Encoding=Name("/Identity-H"), ToUnicode=Stream(pdf, TO_UNICODE),
            DescendantFonts=Array([pdf.make_indirect(Dictionary(
                Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=Name("/ABCDEF+Test"),
                CIDToGIDMap=Name.Identity,
                CIDSystemInfo=Dictionary(Registry=String("Adobe"), Ordering=String("Identity"),
                                         Supplement=0),
                FontDescriptor=pdf.make_indirect(Dictionary(
                    Type=Name.FontDescriptor, FontName=Name("/ABCDEF+Test"), Flags=4,
                    FontFile2=Stream(pdf, b"(a font program)"))),
            ))]),
        ))
        self.page.Resources = Dictionary(Font=Dictionary(F1=self.font))
        self.root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array()))
        catalog = pdf.Root
        catalog.StructTreeRoot = self.root
        catalog.Lang = String("en")
        catalog.MarkInfo = Dictionary(Marked=True)
        catalog.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        catalog.Metadata = pdf.make_indirect(Stream(pdf, xmp(), Type=Name.Metadata,
                                                    Subtype=Name.XML))
        self.ops: list[bytes] = []
        self.mcids: list[Dictionary] = []  # MCID -> owning element, for the ParentTree
        self.keys: dict[int, object] = {}  # StructParent(s) -> element (or MCID array)
        self.doc = self.element("Document")

    def element(self, kind: str, parent: Dictionary | None = None, **extra) -> Dictionary:
        elem = self.pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + kind),
                                                 K=Array(), Pg=self.page,
                                                 P=parent if parent is not None else self.root,
                                                 **extra))
        (parent.K if parent is not None else self.root.K).append(elem)
        return elem

    def text(self, elem: Dictionary | None, codes: str = "0001", tag: str = "P",
             listed: bool = True, font: str = "F1") -> int:
        """Show text (hex codes) in an MCID sequence; elem lists it unless listed is False."""
        mcid = len(self.mcids)
        self.ops.append(f"/{tag} <</MCID {mcid}>> BDC BT /{font} 12 Tf 10 10 Td <{codes}> Tj "
                        "ET EMC".encode())
        self.mcids.append(elem if elem is not None else self.doc)
        if elem is not None and listed:
            elem.K.append(mcid)
        return mcid

    def artifact(self) -> None:
        self.ops.append(b"/Artifact BMC 0 0 10 10 re f EMC")

    def annot(self, elem: Dictionary | None, subtype: str = "Link", **extra) -> Dictionary:
        annot = self.pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name("/" + subtype),
                                                  Rect=Array([10, 10, 60, 30]), **extra))
        if elem is not None:
            key = 1 + len(self.keys)
            annot.StructParent = key
            self.keys[key] = elem
            elem.K.append(Dictionary(Type=Name.OBJR, Obj=annot, Pg=self.page))
        self.page.Annots = Array([*self.page.get("/Annots", Array()), annot])
        return annot

    def link(self, parent: Dictionary, contents: str | None = "Read the next section",
             uri: str = "https://example.org/next") -> tuple[Dictionary, Dictionary]:
        elem = self.element("Link", parent)
        self.text(elem, "0010")
        extra = {"Contents": String(contents)} if contents is not None else {}
        annot = self.annot(elem, A=Dictionary(S=Name.URI, URI=String(uri)), **extra)
        return elem, annot

    def build(self) -> bytes:
        self.page.Contents = Stream(self.pdf, b"\n".join(self.ops))
        nums = Array([0, Array(self.mcids)])
        for key, elem in self.keys.items():
            nums.extend([key, elem])
        self.root.ParentTree = self.pdf.make_indirect(Dictionary(Nums=nums))
        out = io.BytesIO()
        self.pdf.save(out, fix_metadata_version=False)  # keep the XMP exactly as written
        return out.getvalue()


def basic() -> Builder:
    b = Builder()
    b.text(b.element("H1", b.doc))
    b.text(b.element("P", b.doc), "00100011")
    b.artifact()
    return b


def rules(b: Builder | bytes, **kw) -> set[str]:
    report = check(b.build() if isinstance(b, Builder) else b, **kw)
    return set(report.counts())


def test_a_well_tagged_file_passes() -> None:
    report = check(basic().build())
    assert report.ok, report.failures
    assert report.summary().endswith("passed")


# -- 01: real content tagged -----------------------------------------------------------------

def test_marked_content_no_element_lists_is_untagged() -> None:
    b = basic()
    b.text(b.element("P", b.doc), listed=False)
    report = check(b.build())
    assert [f.rule for f in report.failures] == ["01-005"]
    assert "MCID 2" in report.failures[0].message and report.failures[0].page == 1


def test_an_orphaned_element_its_content_and_where_it_came_loose_are_reported() -> None:
    b = basic()
    footer = b.pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.NonStruct, K=Array(),
                                            P=b.doc, Pg=b.page))
    span = b.pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Span, K=Array(),
                                          P=footer, Pg=b.page))
    footer.K.append(span)
    b.text(span)  # the running footer WeasyPrint writes: mapped, but never linked in
    [failure] = check(b.build()).failures  # object numbers change on saving: match shapes
    assert failure.rule == "01-005" and failure.page == 1
    assert re.search(r"MCID 2 \(/P\) belongs to /Span (\d+) 0 R, which is not reachable from "
                     r"StructTreeRoot \(/NonStruct \d+ 0 R names /Document \d+ 0 R as /P",
                     failure.message), failure.message
    assert failure.ref == re.search(r"/Span (\d+ 0 R)", failure.message)[1]


def test_a_parent_tree_entry_for_an_orphan_without_content_is_reported() -> None:
    b = basic()
    ghost = b.pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Span, K=Array([7]),
                                           P=b.doc, Pg=b.page))
    b.mcids.append(ghost)  # ParentTree slot for an MCID no content stream has
    assert rules(b) == {"01-005"}


def test_parent_tree_disagreeing_with_the_tree_is_reported() -> None:
    b = basic()
    b.mcids[0] = b.mcids[1]
    assert rules(b) == {"01-005"}


def test_painting_outside_marked_content_is_reported_once_per_page() -> None:
    b = basic()
    b.ops += [b"0 0 5 5 re f", b"BT /F1 12 Tf <0001> Tj ET"]
    [failure] = check(b.build()).failures
    assert failure.rule == "01-005" and "2 painting operator(s) in no tagged" in failure.message
    assert "path x1" in failure.message and "text x1" in failure.message


def test_artifact_inside_tagged_content_and_tagged_inside_artifact() -> None:
    b = basic()
    b.ops.append(b"/P <</MCID 9>> BDC /Artifact BMC 0 0 1 1 re f EMC EMC")
    assert "01-003" in rules(b)
    b = basic()
    elem = b.element("P", b.doc)
    b.ops.append(b"/Artifact BMC")
    b.text(elem)
    b.ops.append(b"EMC")
    assert "01-004" in rules(b)


def test_suspects_true() -> None:
    b = basic()
    b.pdf.Root.MarkInfo.Suspects = True
    assert rules(b) == {"01-007"}


def test_content_in_a_form_xobject_claimed_by_an_mcr_with_stm_passes() -> None:
    b = basic()
    form = b.pdf.make_indirect(Stream(b.pdf, b"/P <</MCID 0>> BDC BT /F1 12 Tf <0001> Tj ET EMC",
                                      Type=Name.XObject, Subtype=Name.Form,
                                      BBox=Array([0, 0, 300, 300]), StructParents=5,
                                      Resources=Dictionary(Font=Dictionary(F1=b.font))))
    b.page.Resources.XObject = Dictionary(Fm0=form)
    b.ops.append(b"q /Fm0 Do Q")
    elem = b.element("P", b.doc)
    elem.K.append(Dictionary(Type=Name.MCR, MCID=0, Stm=form))
    b.keys[5] = Array([elem])
    assert rules(b) == set()
    b.ops.append(b"q /Fm0 Do Q")
    assert rules(b) == {"30-002"}  # drawn twice, MCIDs and all


def test_a_form_xobject_without_struct_parents_leaves_its_mcids_unmapped() -> None:
    b = basic()
    form = b.pdf.make_indirect(Stream(b.pdf, b"/P <</MCID 0>> BDC 0 0 1 1 re f EMC",
                                      Type=Name.XObject, Subtype=Name.Form,
                                      BBox=Array([0, 0, 1, 1])))
    b.page.Resources.XObject = Dictionary(Fm0=form)
    b.ops.append(b"/Fm0 Do")
    failures = check(b.build()).failures
    assert {f.rule for f in failures} == {"01-005"}
    assert any("no /StructParents" in f.message for f in failures)


# -- 02: role mapping ------------------------------------------------------------------------

@pytest.mark.parametrize("role_map, expected", [
    ({}, {"02-001"}),
    ({"/Footnote": Name.Note}, {"19-003"}),  # mapped: now judged as a Note, which needs an ID
    ({"/Footnote": Name("/Aside"), "/Aside": Name("/Footnote")}, {"02-003"}),
    ({"/Footnote": Name.Span, "/P": Name.Span}, {"02-004"}),
])
def test_role_mapping(role_map: dict, expected: set[str]) -> None:
    b = basic()
    b.text(b.element("Footnote", b.doc))
    b.root.RoleMap = Dictionary(role_map)
    assert rules(b) == expected


# -- 06, 07: metadata and the title bar ------------------------------------------------------

@pytest.mark.parametrize("metadata, expected", [
    (None, "06-001"),
    (b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x/>", "06-001"),
    (b"not xml at all", "06-001"),
    (xmp(part=""), "06-002"),
    (xmp(part="<pdfuaid:part>2</pdfuaid:part>"), "06-002"),
    (xmp(title=""), "06-003"),
])
def test_xmp_metadata(metadata: bytes | None, expected: str) -> None:
    b = basic()
    if metadata is None:
        del b.pdf.Root.Metadata
    else:
        b.pdf.Root.Metadata = Stream(b.pdf, metadata, Type=Name.Metadata, Subtype=Name.XML)
    assert rules(b) == {expected}


def test_pdfuaid_part_as_an_attribute_passes() -> None:
    b = basic()
    attr = XMP.replace('rdf:about=""', 'rdf:about="" pdfuaid:part="1"')
    b.pdf.Root.Metadata = Stream(b.pdf, attr.format(title=TITLE, part="").encode(),
                                 Type=Name.Metadata, Subtype=Name.XML)
    assert rules(b) == set()


def test_display_doc_title() -> None:
    b = basic()
    del b.pdf.Root.ViewerPreferences
    assert rules(b) == {"07-001"}
    b = basic()
    b.pdf.Root.ViewerPreferences.DisplayDocTitle = False
    assert rules(b) == {"07-002"}


def test_mark_info_and_struct_tree_root() -> None:
    b = basic()
    del b.pdf.Root.MarkInfo
    assert rules(b) == {"X-markinfo"}
    assert rules(b.build(), extensions=False) == set()
    b = basic()
    del b.pdf.Root.StructTreeRoot
    assert rules(b) == {"X-struct-root", "01-005"}


# -- 09: tables, lists, TOC ------------------------------------------------------------------

def table(b: Builder, scope: str | None = None, headers: bool = False) -> Dictionary:
    tbl = b.element("Table", b.doc)
    head_row, body_row = b.element("TR", tbl), b.element("TR", tbl)
    ids = []
    for n in range(2):
        attrs = Dictionary(O=Name.Table)
        if scope:
            attrs.Scope = Name("/" + scope)
        th = b.element("TH", head_row, A=attrs, ID=String(f"h{n}"))
        ids.append(String(f"h{n}"))
        b.text(th)
    for n in range(2):
        attrs = Dictionary(O=Name.Table)
        if headers:
            attrs.Headers = Array([ids[n]])
        b.text(b.element("TD", body_row, A=attrs))
    return tbl


def test_table_headers() -> None:
    assert rules(table_builder()) == {"15-003"}
    assert rules(table_builder(scope="Column")) == set()
    assert rules(table_builder(headers=True)) == set()  # WeasyPrint's way: Headers and IDs


def table_builder(**kw) -> Builder:
    b = basic()
    table(b, **kw)
    return b


def test_td_headers_naming_no_th_fails() -> None:
    b = basic()
    tbl = table(b, headers=True)
    td = tbl.K[1].K[0]
    td.A.Headers = Array([String("nowhere")])
    report = check(b.build())
    assert report.counts()["15-003"] == 3  # the bad reference, then each TH without Scope


def test_headers_must_cover_every_column_a_spanning_th_heads() -> None:
    # WeasyPrint 70 names a colspan TH only for the first column it spans.
    b = basic()
    tbl = b.element("Table", b.doc)
    head, row = b.element("TR", tbl), b.element("TR", tbl)
    b.text(b.element("TH", head, A=Dictionary(O=Name.Table, ColSpan=2), ID=String("h")))
    first = b.element("TD", row, A=Dictionary(O=Name.Table, Headers=Array([String("h")])))
    second = b.element("TD", row, A=Dictionary(O=Name.Table, Headers=Array()))
    b.text(first)
    b.text(second)
    [failure] = check(b.build()).failures
    assert failure.rule == "15-003" and "1 cell(s)" in failure.message
    second.A.Headers = Array([String("h")])
    assert rules(b) == set()


def test_table_structure() -> None:
    b = basic()
    tbl = table(b, scope="Column")
    b.text(b.element("P", tbl))
    assert rules(b) == {"09-004"}
    b = basic()
    tbl = table(b, scope="Column")
    b.text(b.element("TD", tbl.K[1]))  # a third cell in a two-column table
    assert rules(b) == {"09-004"}
    b = basic()
    b.text(b.element("TD", b.element("TR", b.doc)))  # a row outside any table
    assert rules(b) == {"09-004"}


def test_list_and_toc_structure() -> None:
    b = basic()
    items = b.element("L", b.doc)
    item = b.element("LI", items)
    b.text(b.element("Lbl", item))
    b.text(b.element("LBody", item))
    assert rules(b) == set()
    b.text(b.element("Span", item))  # text straight in an LI
    assert rules(b) == {"09-005"}
    b = basic()
    b.text(b.element("TOCI", b.doc))
    assert rules(b) == {"09-006"}


# -- 10, 31: characters and fonts ------------------------------------------------------------

def test_a_code_without_unicode_mapping() -> None:
    b = basic()
    b.text(b.element("P", b.doc), "0001000300fa")
    report = check(b.build())
    [failure] = report.failures
    assert failure.rule == "10-001" and "2 character code(s)" in failure.message
    assert "<0003>" in failure.message and "<00fa>" in failure.message


def test_fonts() -> None:
    b = basic()
    del b.font.DescendantFonts[0].FontDescriptor.FontFile2
    assert rules(b) == {"31-009"}
    b = basic()
    del b.font.ToUnicode
    assert rules(b) == {"31-027"}
    b = basic()
    b.font.DescendantFonts[0].CIDSystemInfo.Ordering = String("Japan1")
    del b.font.ToUnicode  # Adobe-Japan1 CIDs map to Unicode by Adobe's tables
    assert rules(b) == set()
    b = basic()
    b.font.ToUnicode = Stream(b.pdf, TO_UNICODE.replace(b"<0002> <002E>", b"<0002> <0000>")
                              .replace(b"<0061>", b"<FEFF>"))
    assert rules(b) == {"31-028", "31-029"}
    b = basic()
    b.text(b.element("P", b.doc), "0000")
    assert "31-030" in rules(b)  # CID 0 is .notdef
    b = basic()
    del b.font.DescendantFonts[0].CIDToGIDMap
    assert rules(b) == {"31-005"}
    b = basic()
    b.font.Encoding = Name("/My-Own-H")
    assert rules(b) == {"31-006"}


def test_simple_truetype_encodings() -> None:
    b = basic()
    simple = b.pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.TrueType, BaseFont=Name("/Simple"),
        FontDescriptor=Dictionary(Type=Name.FontDescriptor, Flags=32,
                                  FontFile2=Stream(b.pdf, b"program"))))
    b.page.Resources.Font.F2 = simple
    b.text(b.element("P", b.doc), "4869", font="F2")
    assert rules(b) == {"31-019"}  # non-symbolic, no Encoding
    simple.Encoding = Name.WinAnsiEncoding
    assert rules(b) == set()  # and WinAnsi maps to Unicode without a ToUnicode CMap
    simple.Encoding = Name.StandardEncoding
    assert "31-021" in rules(b)
    simple.FontDescriptor.Flags = 4
    simple.Encoding = Name.WinAnsiEncoding
    assert "31-024" in rules(b)


# -- 11: natural language --------------------------------------------------------------------

def test_language() -> None:
    # Without a catalog /Lang the XMP's x-default title has no language either (11-006).
    b = basic()
    del b.pdf.Root.Lang
    assert rules(b) == {"11-001", "11-006"}
    b = basic()
    b.pdf.Root.Lang = String("")  # what WeasyPrint writes when the HTML has no lang
    assert rules(b) == {"11-001", "11-006"}
    b = basic()
    del b.pdf.Root.Lang
    b.doc.Lang = String("en-GB")  # every tagged item inherits a language: fine
    assert rules(b) == {"11-006"}
    b = basic()
    b.text(b.element("Span", b.doc, Lang=String("es_ES")))
    assert rules(b) == {"11-001"}


def test_language_of_alt_text_outlines_and_link_contents() -> None:
    b = basic()
    del b.pdf.Root.Lang
    b.doc.Lang = String("en")
    figure = b.element("Figure", None, Alt=String("A map"))  # beside the Document, not in it
    b.text(figure)
    assert rules(b) == {"11-001", "11-002", "11-006"}
    b = basic()
    del b.pdf.Root.Lang
    b.doc.Lang = String("en")
    b.link(b.doc)
    b.pdf.Root.Outlines = b.pdf.make_indirect(Dictionary(First=Dictionary(Title=String("x"))))
    assert {"11-003", "11-004"} <= rules(b)


# -- 13, 14, 17, 19: figures, headings, formulas, notes --------------------------------------

def test_figure_alt_text() -> None:
    b = basic()
    figure = b.element("Figure", b.doc)
    b.text(figure)
    assert rules(b) == {"13-004"}
    figure.Alt = String("   ")
    assert rules(b) == {"13-004"}
    figure.Alt = String("Two people on a bench")
    assert rules(b) == set()
    del figure.Alt
    figure.ActualText = String("QR")
    assert rules(b) == set()


@pytest.mark.parametrize("levels, expected", [
    (["H1", "H2", "H3", "H2", "H2", "H1"], set()),
    (["H2", "H3"], {"14-002"}),
    (["H1", "H3"], {"14-003"}),
    (["H1", "H2", "H4"], {"14-003"}),
    (["H", "H1"], {"14-007"}),
])
def test_heading_levels(levels: list[str], expected: set[str]) -> None:
    b = Builder()
    b.artifact()
    for level in levels:
        b.text(b.element(level, b.doc))
    assert rules(b) == expected


def test_two_h_kids_in_one_node() -> None:
    b = Builder()
    sect = b.element("Sect", b.doc)
    b.text(b.element("H", sect))
    b.text(b.element("H", sect))
    assert rules(b) == {"14-006"}


def test_formula_and_notes() -> None:
    b = basic()
    b.text(b.element("Formula", b.doc))
    assert rules(b) == {"17-002"}
    b = basic()
    b.text(b.element("Note", b.doc, ID=String("n1")))
    b.text(b.element("Note", b.doc, ID=String("n1")))
    b.text(b.element("Note", b.doc))
    assert rules(b) == {"19-003", "19-004"}


# -- 28: annotations -------------------------------------------------------------------------

def test_a_tagged_described_link_passes() -> None:
    b = basic()
    b.link(b.element("P", b.doc))
    assert check(b.build()).ok


def test_link_annotations() -> None:
    b = basic()
    b.link(b.doc, contents=None)
    assert rules(b) == {"28-004", "28-012"}
    b = basic()
    elem, _ = b.link(b.doc, contents=None)
    elem.Alt = String("Next section")
    assert rules(b) == {"28-012"}  # Alt answers 28-004, but a Link needs its own Contents
    b = basic()
    b.annot(None, Contents=String("Somewhere"), A=Dictionary(S=Name.URI, URI=String("x:y")))
    assert rules(b) == {"28-011"}
    b = basic()
    span = b.element("Span", b.doc)
    b.annot(span, Contents=String("Somewhere"))
    assert rules(b) == {"28-011"}


def test_a_link_whose_element_is_an_orphan() -> None:
    b = basic()
    link = b.pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Link, K=Array(),
                                          P=b.doc, Pg=b.page))
    b.annot(link, Contents=String("Go on"))
    failures = check(b.build()).failures
    assert [f.rule for f in failures] == ["28-011"]
    assert "not reachable" in failures[0].message


def test_tabs() -> None:
    b = basic()
    b.link(b.doc)
    del b.page.Tabs
    assert rules(b) == {"28-008"}
    b.page.Tabs = Name.R
    assert rules(b) == {"28-009"}


def test_widgets_and_other_annotations() -> None:
    b = basic()
    form = b.element("Form", b.doc)
    widget = b.annot(form, "Widget", FT=Name.Tx, T=String("name"), TU=String("Your name"))
    b.pdf.Root.AcroForm = Dictionary(Fields=Array([widget]))
    assert rules(b) == set()
    del widget.TU
    assert rules(b) == {"28-005"}
    form.Alt = String("Your name")
    assert rules(b) == set()
    form.S = Name.Span
    assert rules(b) == {"28-010"}
    b = basic()
    b.annot(b.element("Span", b.doc), "Text", Contents=String("A note"))
    assert rules(b) == {"28-002"}
    b = basic()
    b.annot(b.element("Annot", b.doc), "Text")
    assert rules(b) == {"28-004"}
    b = basic()
    b.annot(None, "Text", Contents=String("hidden"), F=2)  # hidden: exempt
    assert rules(b) == set()
    b = basic()
    b.annot(None, "TrapNet", F=2)
    assert rules(b) == {"28-007"}


def test_number_tree_with_kids_and_inherited_pg() -> None:
    b = basic()
    sect = b.element("Sect", b.doc)
    para = b.element("P", sect)
    del para.Pg  # /Pg comes from the Sect
    para.K.append(Dictionary(Type=Name.MCR, MCID=b.text(None, listed=False)))
    b.mcids[-1] = para
    data = b.build()
    pdf = pikepdf.open(io.BytesIO(data))
    tree = pdf.Root.StructTreeRoot
    nums = tree.ParentTree.Nums
    tree.ParentTree = pdf.make_indirect(Dictionary(Kids=Array([
        pdf.make_indirect(Dictionary(Limits=Array([0, 0]), Nums=nums))])))
    assert check(pdf).ok


# -- beyond Matterhorn: what issue 12 asks of links, leaders and fields ----------------------

def test_one_link_split_into_nested_link_elements() -> None:
    b = basic()
    outer, annot = b.link(b.doc, uri="https://example.org/x")
    inner, _ = b.link(outer, uri="https://example.org/x")  # a::after, as WeasyPrint tags it
    report = check(b.build())
    assert set(report.counts()) == {"X-link-split"}
    assert "split into 2 Link elements nested" in report.failures[0].message
    assert check(b.build(), extensions=False).ok


def test_one_url_over_two_lines_as_two_link_elements() -> None:
    b = basic()
    para = b.element("P", b.doc)
    b.link(para, uri="https://example.org/long")
    b.link(para, uri="https://example.org/long")
    assert rules(b) == {"X-link-split"}
    b = basic()
    para = b.element("P", b.doc)
    b.link(para, uri="https://example.org/long")
    b.text(para)  # words between two links to the same place: two links, honestly
    b.link(para, uri="https://example.org/long")
    assert rules(b) == set()


def test_slug_link_contents() -> None:
    b = basic()
    b.link(b.doc, contents="why-your-partner-may-pull-away")
    assert rules(b) == {"X-link-contents"}
    b = basic()
    _, annot = b.link(b.doc, contents="sources")
    annot.Dest = String("sources")  # the named destination, repeated
    del annot.A
    assert rules(b) == {"X-link-contents"}
    b = basic()
    b.link(b.doc, contents="Why your partner may pull away, page 3")
    assert rules(b) == set()


def test_dot_leaders_tagged_as_text() -> None:
    b = basic()
    b.text(b.element("P", b.doc), "0001" + "0002" * 6)
    assert rules(b) == {"X-leaders"}
    b = basic()
    b.text(b.element("P", b.doc), "000100020002")  # "A.." is no leader
    assert rules(b) == set()


def test_link_elements_without_annotations_and_fields_on_no_page() -> None:
    b = basic()
    b.text(b.element("Link", b.doc))
    assert rules(b) == {"X-link-dead"}
    b = basic()
    loose = b.pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx,
                                           T=String("notes"), Rect=Array([0, 0, 1, 1])))
    b.pdf.Root.AcroForm = Dictionary(Fields=Array([loose]))
    assert rules(b) == {"X-field-page"}


def test_malformed_structure_and_content_are_reported_not_crashed_on() -> None:
    b = basic()
    sect = b.element("Sect", b.doc)
    sect.K.append(b.doc)  # a cycle back to the Document
    b.ops.append(b"EMC")
    assert rules(b) == {"X-structure", "X-content"}


def test_size_bounds_end_in_a_failure_not_a_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfua.content, "MAX_OPERATORS", 3)
    report = check(basic().build())
    assert [f.rule for f in report.failures] == ["X-limit"]


# -- coverage, command line, WeasyPrint ------------------------------------------------------

def test_coverage_lists_real_matterhorn_ids_once() -> None:
    assert "01-005" in COVERAGE and "28-012" in COVERAGE and "31-027" in COVERAGE
    assert not set(COVERAGE) & set(NOT_CHECKED)
    assert all(len(k) == 6 and k[2] == "-" for k in [*COVERAGE, *NOT_CHECKED])
    assert all(k.startswith("X-") for k in EXTENSIONS)


def test_command_line(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    good.write_bytes(basic().build())
    b = basic()
    b.link(b.doc, contents=None)
    bad.write_bytes(b.build())
    assert main([str(good)]) == 0
    assert capsys.readouterr().out == f"{good}: passed\n"
    assert main([str(good), str(bad)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert f"{bad}: page 1: 28-012 Link annotation has no /Contents" in "\n".join(lines)
    assert lines[-1] == f"{bad}: 2 failures (28-004 x1, 28-012 x1)"
    (tmp_path / "junk.pdf").write_bytes(b"not a pdf")
    assert main([str(tmp_path / "junk.pdf")]) == 2
    assert main(["--coverage"]) == 0 and "01-005" in capsys.readouterr().out


@pytest.fixture(scope="module")
def weasyprint_pdfs() -> dict[str, bytes]:
    """Two small WeasyPrint documents: with a running footer, and without one."""
    weasyprint = pytest.importorskip("weasyprint")
    body = """<h1>Title</h1><p>Some <a href="https://example.org/">text</a>.</p>
        <h2>Part</h2><ul><li>One</li><li>Two</li></ul>
        <table><tr><th>Day</th><th>Time</th></tr><tr><td>Mon</td><td>9</td></tr></table>"""
    footer = "<style>@page { @bottom-center { content: 'Footer ' counter(page) } }</style>"
    html = "<html lang='en'><head><title>T</title>{}</head><body>{}</body></html>"
    return {kind: weasyprint.HTML(string=html.format(style, body)).write_pdf(pdf_tags=True)
            for kind, style in (("footer", footer), ("plain", ""))}


def test_weasyprint_running_footers_are_orphaned_tags(weasyprint_pdfs) -> None:
    orphans = check(weasyprint_pdfs["footer"]).by_rule("01-005")
    plain = check(weasyprint_pdfs["plain"]).by_rule("01-005")
    assert len(orphans) == 1 and "not reachable from StructTreeRoot" in orphans[0].message
    assert plain == []


def test_weasyprint_tagging_otherwise(weasyprint_pdfs) -> None:
    # Headings, list, table (Headers and IDs), link, fonts and language all hold; what
    # is left is the XMP, which WeasyPrint writes only when asked.
    assert check(weasyprint_pdfs["plain"]).counts() == {"06-001": 1}
