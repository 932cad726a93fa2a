"""Checkpoints 10 and 31: fonts embedded, well formed, and mapped to Unicode."""

from __future__ import annotations

import re

from ._pdf import as_list, get, integer, is_dict, is_stream, name
from .content import FontUse
from .context import Context
from .fonts import KNOWN_COLLECTIONS, PREDEFINED_CMAPS, UNICODE_ENCODINGS, FontInfo, read_stream

# Glyph names no Unicode can be derived from (no AGL entry, no uniXXXX/uXXXX form).
OPAQUE_GLYPH = re.compile(r"^(\.notdef|(g|glyph|gid|cid|index|G)\d+)$")


def _page(use: FontUse) -> int | None:
    return min(use.pages) if use.pages else None


def check_fonts(ctx: Context) -> None:
    """31-xxx on every font that text is shown in, and 10-001 per font for unmapped codes."""
    for use in ctx.scan.fonts.values():
        info = FontInfo(use.font)
        page, font, label = _page(use), use.font, f"font {info.base} ({info.subtype})"
        if info.subtype != "Type3" and use.rendered and not info.embedded:
            ctx.fail("31-009", page, font, f"{label} is used for rendering but not embedded")
        if info.subtype == "Type0":
            check_composite(ctx, info, page, label)
        elif info.subtype == "TrueType":
            encoding, base = info.encoding, info.simple_encoding
            if info.symbolic and encoding is not None:
                ctx.fail("31-024", page, font, f"symbolic TrueType {label} has an /Encoding")
            elif not info.symbolic and encoding is None:
                ctx.fail("31-019", page, font, f"non-symbolic TrueType {label} has no /Encoding")
            elif not info.symbolic and is_dict(encoding) and base is None:
                ctx.fail("31-020", page, font, f"{label} /Encoding has no /BaseEncoding")
            elif not info.symbolic and base not in ("MacRomanEncoding", "WinAnsiEncoding"):
                ctx.fail("31-021", page, font, f"{label} encoding is /{base}, not MacRoman or "
                                               "WinAnsi")
        check_unicode(ctx, info, use, page, label)


def check_composite(ctx: Context, info: FontInfo, page: int | None, label: str) -> None:
    """31-001 ... 31-008: a Type 0 font's CIDFont, CIDToGIDMap and CMap fit together."""
    cidfont, encoding, font = info.cidfont, info.encoding, info.font
    if name(get(cidfont, "/Subtype")) == "CIDFontType2" and info.embedded:
        cid_to_gid = get(cidfont, "/CIDToGIDMap")
        if cid_to_gid is None:
            ctx.fail("31-005", page, font, f"{label}: CIDFontType2 has no /CIDToGIDMap")
        elif not is_stream(cid_to_gid) and name(cid_to_gid) != "Identity":
            ctx.fail("31-004", page, font, f"{label}: /CIDToGIDMap is neither a stream nor "
                                           "/Identity")
    cmap_name = name(encoding)
    if cmap_name is not None:
        if cmap_name not in PREDEFINED_CMAPS:
            ctx.fail("31-006", page, font, f"{label}: CMap /{cmap_name} is neither predefined "
                                           "nor embedded")
        return
    if not is_stream(encoding):
        return
    font_info, cmap_info = get(cidfont, "/CIDSystemInfo"), get(encoding, "/CIDSystemInfo")
    for key, rule in (("/Registry", "31-001"), ("/Ordering", "31-002")):
        if str(get(font_info, key)) != str(get(cmap_info, key)):
            ctx.fail(rule, page, font, f"{label}: CIDSystemInfo {key} differs between the "
                                       "CIDFont and the CMap")
    font_sup = integer(get(font_info, "/Supplement"))
    cmap_sup = integer(get(cmap_info, "/Supplement"))
    # ISO 14289-1 7.21.3.1: the CIDFont's Supplement shall be <= the CMap's.
    if font_sup is None or cmap_sup is None or font_sup > cmap_sup:
        ctx.fail("31-003", page, font, f"{label}: CIDFont Supplement {font_sup} is not <= the "
                                       f"CMap's {cmap_sup}")
    parsed = info.encoding_cmap
    if parsed is not None:
        wmode = integer(get(encoding, "/WMode")) or 0
        if (parsed.wmode or 0) != wmode:
            ctx.fail("31-007", page, font, f"{label}: CMap /WMode {wmode} differs from the "
                                           f"embedded CMap's {parsed.wmode}")
        if parsed.usecmap and parsed.usecmap not in PREDEFINED_CMAPS:
            ctx.fail("31-008", page, font, f"{label}: CMap uses CMap /{parsed.usecmap}, "
                                           "which is not predefined")


def unicode_without_tounicode(info: FontInfo) -> bool:
    """ISO 14289-1 7.21.7: the cases in which a font needs no ToUnicode CMap."""
    if info.subtype == "Type0":
        system = get(info.cidfont, "/CIDSystemInfo")
        return str(get(system, "/Registry")) == "Adobe" and \
            str(get(system, "/Ordering")) in KNOWN_COLLECTIONS
    if info.simple_encoding in UNICODE_ENCODINGS:
        return True
    if info.subtype == "TrueType":
        return not info.symbolic
    if info.subtype in ("Type1", "MMType1", "Type3"):
        differences = as_list(get(info.encoding, "/Differences"))
        return not any(OPAQUE_GLYPH.match(name(d) or "") for d in differences)
    return False


def check_unicode(ctx: Context, info: FontInfo, use: FontUse, page: int | None,
                  label: str) -> None:
    """31-027 ... 31-030 and 10-001: every code shown maps to Unicode and to a real glyph."""
    font, tounicode = info.font, info.to_unicode
    if tounicode is None and not unicode_without_tounicode(info):
        ctx.fail("31-027", page, font, f"{label} has no ToUnicode CMap and no encoding that "
                                       "maps to Unicode")
    if tounicode is not None:
        zero, bom = tounicode.bad_values()
        if zero:
            ctx.fail("31-028", page, font, f"{label}: {zero} ToUnicode mapping(s) give U+0000")
        if bom:
            ctx.fail("31-029", page, font, f"{label}: {bom} ToUnicode mapping(s) give U+FEFF or "
                                           "U+FFFE")
    codes: set[bytes] = set()
    for shown in use.strings:
        codes.update(info.codes(shown) or [])
    if tounicode is not None:
        fallback = info.subtype != "Type0" and unicode_without_tounicode(info)
        unmapped = sorted(c for c in codes if not tounicode.unicode(c))
        if unmapped and not fallback:
            sample = ", ".join(f"<{c.hex()}>" for c in unmapped[:5])
            ctx.fail("10-001", page, font, f"{label}: {len(unmapped)} character code(s) shown "
                                           f"map to no Unicode text in ToUnicode ({sample})")
    notdef = sorted(c for c in codes if is_notdef(info, c))
    if notdef:
        ctx.fail("31-030", page, font, f"{label}: {len(notdef)} code(s) shown select .notdef "
                                       f"({', '.join(f'<{c.hex()}>' for c in notdef[:5])})")


def is_notdef(info: FontInfo, code: bytes) -> bool:
    """Whether a code selects glyph 0 / .notdef, where that can be told without the font program."""
    if info.subtype == "Type0":
        if name(info.encoding) in ("Identity-H", "Identity-V"):
            cid = int.from_bytes(code, "big")
        elif info.encoding_cmap is not None:
            cid = info.encoding_cmap.cid(code)
            if cid is None:
                return False
        else:
            return False
        cid_to_gid = get(info.cidfont, "/CIDToGIDMap")
        if is_stream(cid_to_gid):
            table = _gid_table(info)
            gid = int.from_bytes(table[2 * cid:2 * cid + 2], "big") if 2 * cid + 2 <= len(table) \
                else 0
            return gid == 0
        return cid == 0
    if info.subtype in ("Type1", "MMType1", "Type3") and len(code) == 1:
        differences = as_list(get(info.encoding, "/Differences"))
        current = None
        for item in differences:
            if isinstance(item, int):
                current = item
            elif current is not None:
                if current == code[0]:
                    return name(item) == ".notdef"
                current += 1
    return False


def _gid_table(info: FontInfo) -> bytes:
    cached = getattr(info, "_gids", None)
    if cached is None:
        cached = read_stream(get(info.cidfont, "/CIDToGIDMap")) or b""
        info._gids = cached  # type: ignore[attr-defined]
    return cached


RULES = (check_fonts,)
