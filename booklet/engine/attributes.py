"""Pango attribute lists freed with the text layout they belong to.

WeasyPrint 70 gives every text layout whose style has OpenType features (kerning,
ligatures: every layout of a booklet, and of plain HTML too) a new Pango attribute
list holding a font-features attribute, and never frees either: it inserts an
attribute kept in a cache into each new list, so freeing a list would free the
cached attribute under the others, and the list is left unreferenced instead (and
the attribute made for the cache each time, `setdefault`'s default, is dropped too).
A booklet lays out some thousands of them: a quarter of a megabyte that a long-lived
process (`booklet watch`, the `--jobs` workers) lost at every build.

With `install()`, each list gets an attribute of its own (Pango's lists own what is
inserted in them), and the layout holds the only reference to its list, so both go
when the layout does. The attribute is the same, so the text is set the same.
"""

from __future__ import annotations

from typing import Any

from .counters import hits


class _Fresh(dict):
    """A stand-in for `FontConfiguration.font_features`: `setdefault` hands back the
    attribute just made for this layout instead of a shared one."""

    def setdefault(self, key: Any, default: Any = None) -> Any:
        return default


def install() -> None:
    """Make WeasyPrint's text layouts free their attribute lists (idempotent)."""
    from weasyprint.text import line_break
    from weasyprint.text.ffi import ffi, pango

    original = line_break.Layout.setup
    if getattr(original, "booklet_frees", False):
        return

    def setup(self: Any, style: Any) -> None:
        font_config = style.font_config
        if type(font_config.font_features) is not _Fresh:
            font_config.font_features = _Fresh()
        original(self, style)
        # A new layout has attributes only if `setup` gave it features: the list's
        # first reference was WeasyPrint's, which it never dropped.
        attributes = pango.pango_layout_get_attributes(self.layout)
        if attributes != ffi.NULL:
            pango.pango_attr_list_unref(attributes)
            hits["attributes"] += 1

    setup.booklet_frees = True  # type: ignore[attr-defined]
    line_break.Layout.setup = setup
