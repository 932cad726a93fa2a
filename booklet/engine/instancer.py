"""Static instances of variable fonts through HarfBuzz, for the PDF.

A PDF cannot hold a variable font, so WeasyPrint turns every embedded font into a
static instance at the weight (and optical size) used, with fontTools' instancer:
about 0.1 s per font and per build, the largest part of writing a booklet's PDF.
HarfBuzz's subsetter (libharfbuzz-subset, which WeasyPrint already uses to subset)
pins the axes in C in a few milliseconds. `install()` makes WeasyPrint use it, and
falls back to fontTools where HarfBuzz cannot (no libharfbuzz-subset, or one without
axis pinning; a CFF2 font; a font collection).

It also drops requested axes that a font lacks: WeasyPrint asks for the stylesheet's
`font-variation-settings` (`'opsz' 12`) on every font, and fontTools then fails on a
font with no optical-size axis (Source Sans 3), which stayed variable in the PDF and
showed at its default, extra-light weight.

The same HarfBuzz handles read a font file's character map (`code_points`) for the
glyph check, faster than fontTools parses the table.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont

from .counters import hits

_CDEF = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
typedef uint32_t hb_tag_t;
typedef uint32_t hb_codepoint_t;
typedef int hb_bool_t;
hb_blob_t *hb_blob_create(const char *data, unsigned int length, int mode,
                          void *user_data, void *destroy);
void hb_blob_destroy(hb_blob_t *blob);
const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
hb_blob_t *hb_face_reference_blob(hb_face_t *face);
void hb_face_destroy(hb_face_t *face);
unsigned int hb_face_get_glyph_count(const hb_face_t *face);
void hb_set_add_range(hb_set_t *set, hb_codepoint_t first, hb_codepoint_t last);
void hb_set_add(hb_set_t *set, hb_codepoint_t codepoint);
hb_set_t *hb_subset_input_set(hb_subset_input_t *input, int set_type);
hb_tag_t hb_tag_from_string(const char *str, int len);
hb_subset_input_t *hb_subset_input_create_or_fail(void);
void hb_subset_input_destroy(hb_subset_input_t *input);
hb_set_t *hb_subset_input_glyph_set(hb_subset_input_t *input);
hb_set_t *hb_subset_input_unicode_set(hb_subset_input_t *input);
void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned int value);
hb_bool_t hb_subset_input_pin_axis_location(hb_subset_input_t *input, hb_face_t *face,
                                            hb_tag_t axis_tag, float axis_value);
hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
hb_blob_t *hb_blob_create_from_file_or_fail(const char *file_name);
hb_set_t *hb_set_create(void);
void hb_set_destroy(hb_set_t *set);
unsigned int hb_set_get_population(const hb_set_t *set);
unsigned int hb_set_next_many(const hb_set_t *set, hb_codepoint_t codepoint,
                              hb_codepoint_t *out, unsigned int size);
void hb_face_collect_unicodes(hb_face_t *face, hb_set_t *out);
"""
_READONLY = 1
#: HB_SET_VALUE_INVALID: where `hb_set_next_many` starts to list a set from its start.
_SET_START = 0xFFFFFFFF
#: HB_SUBSET_FLAGS_RETAIN_GIDS | PASSTHROUGH_UNRECOGNIZED | NOTDEF_OUTLINE: keep every
#: glyph where it is and every table; only the variations go.
_FLAGS = 0x02 | 0x20 | 0x40
#: HB_SUBSET_FLAGS_NO_HINTING | NOTDEF_OUTLINE: a small font for an ebook.
_SUBSET_FLAGS = 0x01 | 0x40
#: HB_SUBSET_SETS_NAME_ID: which name records to keep.
_NAME_IDS = 4
_LIBRARIES = (("libharfbuzz.so.0", "libharfbuzz.0.dylib", "harfbuzz"),
              ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "harfbuzz-subset"))
_fonttools_instancer: Any = None


def install() -> None:
    """Make WeasyPrint instantiate variable fonts with `instantiate` (idempotent)."""
    global _fonttools_instancer
    import weasyprint.pdf.fonts as pdf_fonts

    if pdf_fonts.instantiateVariableFont is not instantiate:
        _fonttools_instancer = pdf_fonts.instantiateVariableFont
        pdf_fonts.instantiateVariableFont = instantiate


def instantiate(font: TTFont, location: dict[str, float], **options: Any) -> TTFont:
    """A static instance of `font` at `location`; fontTools' signature and result."""
    axes = {axis.axisTag: axis for axis in font["fvar"].axes}
    pinned = {tag: min(max(float(value), axes[tag].minValue), axes[tag].maxValue)
              for tag, value in location.items() if tag in axes}
    pinned.update({tag: axis.defaultValue for tag, axis in axes.items() if tag not in pinned})
    data = _sfnt_bytes(font)
    result = pin_axes(data, pinned) if data is not None else None
    if result is not None:
        hits["instancer"] += 1
        return PinnedFont(result)
    fallback = _fonttools_instancer
    if fallback is None:
        from fontTools.varLib.instancer import instantiateVariableFont as fallback
    return fallback(font, pinned, **options)


class PinnedFont(TTFont):
    """A static font made by HarfBuzz; saved back byte for byte unless a table changed.

    (Saving through fontTools would load and recompile its tables, importing the
    table modules: slower than the pinning itself.)
    """

    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data), recalcTimestamp=False, recalcBBoxes=False,
                         lazy=True)
        self.data = data

    def save(self, file: Any, reorderTables: bool | None = True) -> None:
        """Write the font: HarfBuzz's bytes when nothing was loaded and changed."""
        if any(self.isLoaded(tag) for tag in self.keys() if tag != "GlyphOrder"):
            super().save(file, reorderTables)
        elif hasattr(file, "write"):
            file.write(self.data)
        else:
            with open(file, "wb") as handle:
                handle.write(self.data)


def pin_axes(data: bytes, location: dict[str, float],
             codepoints: Iterable[int] | None = None) -> bytes | None:
    """Pin every axis of a TrueType variable font with HarfBuzz; None when it cannot.

    With `codepoints`, the font is also cut to those characters (and the glyphs their
    shaping needs), keeping every name record (copyright, licence) and no hinting: a
    small static font to embed in an EPUB.
    """
    library = _harfbuzz()
    if library is None:
        return None
    ffi, hb, subset = library
    blob = hb.hb_blob_create(data, len(data), _READONLY, ffi.NULL, ffi.NULL)
    face = hb.hb_face_create(blob, 0)
    request = subset.hb_subset_input_create_or_fail()
    result = ffi.NULL
    try:
        if request == ffi.NULL:
            return None
        if codepoints is None:
            hb.hb_set_add_range(subset.hb_subset_input_glyph_set(request), 0,
                                max(hb.hb_face_get_glyph_count(face), 1) - 1)
            hb.hb_set_add_range(subset.hb_subset_input_unicode_set(request), 0, 0x10FFFF)
            subset.hb_subset_input_set_flags(request, _FLAGS)
        else:
            unicodes = subset.hb_subset_input_unicode_set(request)
            for codepoint in codepoints:
                hb.hb_set_add(unicodes, codepoint)
            hb.hb_set_add_range(subset.hb_subset_input_set(request, _NAME_IDS), 0, 0x7FFF)
            subset.hb_subset_input_set_flags(request, _SUBSET_FLAGS)
        for tag, value in location.items():
            if not subset.hb_subset_input_pin_axis_location(
                    request, face, hb.hb_tag_from_string(tag.encode(), -1), value):
                return None
        result = subset.hb_subset_or_fail(face, request)
        return _static_bytes(ffi, hb, result) if result != ffi.NULL else None
    finally:
        if result != ffi.NULL:
            hb.hb_face_destroy(result)
        if request != ffi.NULL:
            subset.hb_subset_input_destroy(request)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)


def code_points(path: Path) -> frozenset[int] | None:
    """The code points a font file's character map covers; None when HarfBuzz can't tell."""
    library = _harfbuzz()
    if library is None:
        return None
    ffi, hb, _ = library
    try:
        blob = hb.hb_blob_create_from_file_or_fail(os.fsencode(path))
    except AttributeError:  # HarfBuzz before 2.8.2
        return None
    if blob == ffi.NULL:
        return None
    face = hb.hb_face_create(blob, 0)
    found = hb.hb_set_create()
    try:
        hb.hb_face_collect_unicodes(face, found)
        size = hb.hb_set_get_population(found)
        listed = ffi.new("hb_codepoint_t[]", size)
        count = hb.hb_set_next_many(found, _SET_START, listed, size)
        return frozenset(ffi.unpack(listed, count))
    finally:
        hb.hb_set_destroy(found)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)


def _static_bytes(ffi: Any, hb: Any, face: Any) -> bytes | None:
    """The font file of a HarfBuzz face, if it is a static TrueType font."""
    blob = hb.hb_face_reference_blob(face)
    try:
        length = ffi.new("unsigned int *")
        pointer = hb.hb_blob_get_data(blob, length)
        data = bytes(ffi.buffer(pointer, length[0])) if length[0] else b""
    finally:
        hb.hb_blob_destroy(blob)
    if not data:
        return None
    tables = TTFont(io.BytesIO(data), lazy=True)
    return None if "fvar" in tables or "gvar" in tables or "glyf" not in tables else data


def _sfnt_bytes(font: TTFont) -> bytes | None:
    """The bytes a TTFont was read from, when HarfBuzz can instance them."""
    reader = getattr(font, "reader", None)
    stream = getattr(reader, "file", None)
    if not isinstance(stream, io.BytesIO) or "glyf" not in font or "CFF2" in font:
        return None
    data = stream.getvalue()
    return None if data[:4] == b"ttcf" else data


@cache
def _harfbuzz() -> tuple[Any, Any, Any] | None:
    """cffi handles on HarfBuzz and its subsetter, or None without axis pinning."""
    from cffi import FFI

    ffi = FFI()
    ffi.cdef(_CDEF)
    handles = []
    for names in _LIBRARIES:
        for name in names:
            try:
                handles.append(ffi.dlopen(name))
                break
            except OSError:
                continue
        else:
            return None
    try:
        handles[1].hb_subset_input_pin_axis_location  # noqa: B018 (missing before 6.0)
    except AttributeError:
        return None
    return ffi, handles[0], handles[1]
