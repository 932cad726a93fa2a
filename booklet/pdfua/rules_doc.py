"""Document-level checkpoints 01-007, 06, 07, 11-006, 20, 21, 25, 26 and ISO 14289-1 6.2."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ._pdf import as_list, get, integer, is_dict, is_stream, name, text
from .context import Context
from .fonts import read_stream

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "xml": "http://www.w3.org/XML/1998/namespace",
}
MAX_XMP_BYTES = 5_000_000


def parse_xmp(data: bytes) -> ET.Element | None:
    """XMP as XML; None if malformed. DTDs are refused: expat would expand their entities."""
    if len(data) > MAX_XMP_BYTES or re.search(rb"<!(DOCTYPE|ENTITY)", data):
        return None
    try:
        return ET.fromstring(data)
    except ET.ParseError:
        return None


def xmp_property(root: ET.Element, ns: str, local: str) -> list[str]:
    """A property's values, written as an element (any depth of rdf containers) or an attribute."""
    tag = f"{{{NS[ns]}}}{local}"
    values = []
    for desc in root.iter(f"{{{NS['rdf']}}}Description"):
        if tag in desc.attrib:
            values.append(desc.attrib[tag])
        for prop in desc.findall(tag):
            values.extend(t.strip() for t in prop.itertext() if t.strip())
    return values


def check_metadata(ctx: Context) -> None:
    """06-001 XMP stream, 06-002 PDF/UA identification, 06-003 dc:title; 11-006 its language."""
    stream = get(ctx.catalog, "/Metadata")
    if not is_stream(stream):
        ctx.fail("06-001", None, ctx.catalog, "the catalog has no /Metadata XMP stream (so no "
                                              "dc:title or pdfuaid:part either)")
        return
    if name(get(stream, "/Type")) != "Metadata" or name(get(stream, "/Subtype")) != "XML":
        ctx.fail("06-001", None, stream, "the /Metadata stream lacks /Type /Metadata "
                                         "/Subtype /XML")
    data = read_stream(stream)
    root = parse_xmp(data) if data is not None else None
    if root is None:
        ctx.fail("06-001", None, stream, "the /Metadata stream is not well-formed XMP")
        return
    parts = xmp_property(root, "pdfuaid", "part")
    if not parts:
        ctx.fail("06-002", None, stream, "XMP has no PDF/UA identification (pdfuaid:part)")
    elif parts[0] != "1":
        ctx.fail("06-002", None, stream, f"XMP pdfuaid:part is {parts[0]!r}, not 1")
    if not xmp_property(root, "dc", "title"):
        ctx.fail("06-003", None, stream, "XMP has no dc:title")
    x_default = any(li.get(f"{{{NS['xml']}}}lang") == "x-default"
                    for li in root.iter(f"{{{NS['rdf']}}}li"))
    if x_default and not ctx.catalog_lang:
        ctx.fail("11-006", None, stream, "XMP has x-default language alternatives but the "
                                         "catalog has no valid /Lang")


def check_catalog(ctx: Context) -> None:
    """07-001/07-002 DisplayDocTitle, 01-007 Suspects, ISO 14289-1 6.2 MarkInfo /Marked."""
    prefs = get(ctx.catalog, "/ViewerPreferences")
    shown = get(prefs, "/DisplayDocTitle")
    if shown is None:
        ctx.fail("07-001", None, ctx.catalog, "ViewerPreferences has no DisplayDocTitle")
    elif shown is not True:
        ctx.fail("07-002", None, ctx.catalog, f"ViewerPreferences DisplayDocTitle is {shown}, "
                                              "not true")
    mark_info = get(ctx.catalog, "/MarkInfo")
    if get(mark_info, "/Suspects") is True:
        ctx.fail("01-007", None, ctx.catalog, "MarkInfo /Suspects is true")
    if get(mark_info, "/Marked") is not True:
        ctx.fail("X-markinfo", None, ctx.catalog, "the catalog has no MarkInfo /Marked true "
                                                  "(ISO 14289-1 6.2)")


def check_optional_content(ctx: Context) -> None:
    """20-001 ... 20-003: optional content configurations are named and have no /AS."""
    props = get(ctx.catalog, "/OCProperties")
    if not is_dict(props):
        return
    configs = [("20-002", get(props, "/D"))] + [("20-001", c) for c in
                                                as_list(get(props, "/Configs"))]
    for rule, config in configs:
        if not is_dict(config):
            continue
        if not (text(get(config, "/Name")) or ""):
            ctx.fail(rule, None, config, "optional content configuration has no /Name")
        if get(config, "/AS") is not None:
            ctx.fail("20-003", None, config, "optional content configuration has an /AS entry")


def check_files_forms_security(ctx: Context) -> None:
    """21-001 embedded file specs, 25-001 dynamic XFA, 26-001/26-002 encryption permissions."""
    for spec in ctx.objects.filespecs:
        if not text(get(spec, "/F")) or not text(get(spec, "/UF")):
            ctx.fail("21-001", None, spec, "embedded file specification lacks /F or /UF")
    xfa = get(get(ctx.catalog, "/AcroForm"), "/XFA")
    for part in as_list(xfa):
        data = read_stream(part) or b""
        if re.search(rb"<dynamicRender>\s*required\s*</dynamicRender>", data):
            ctx.fail("25-001", None, part, "XFA form has dynamicRender 'required'")
    if ctx.pdf.is_encrypted:
        p = integer(getattr(ctx.pdf.encryption, "P", None))
        if p is None:
            ctx.fail("26-001", None, None, "the encryption dictionary has no /P")
        elif not ctx.pdf.allow.accessibility:
            ctx.fail("26-002", None, None, "encryption forbids extracting content for "
                                           "accessibility (bit 10 of /P)")


RULES = (check_metadata, check_catalog, check_optional_content, check_files_forms_security)
