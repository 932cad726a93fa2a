"""A rendering process: WeasyPrint loaded once, fonts and stylesheets reused."""

from __future__ import annotations

import ctypes.util
import os
import subprocess
import sys

import pytest

from booklet import engine
from booklet.build.pipeline import build
from booklet.engine import fontcache, instancer
from booklet.engine import loader as weasyprint_loader

from ..helpers import ROOT, booklet_md


def test_loading_installs_the_font_helpers():
    engine.install()
    import weasyprint
    from weasyprint.pdf import fonts

    assert fonts.instantiateVariableFont is instancer.instantiate
    assert fonts.Font.clean.booklet_reuses
    assert weasyprint.__version__.startswith("70")
    assert ctypes.util.find_library.__name__ == "find_library"


def test_same_glyphs_reuse_prepared_fonts(tmp_project, options_at_epoch):
    root = tmp_project({"content/a/booklet.md": booklet_md(body="# Part\n\nHello there.\n")})
    # As in a --jobs worker: the PDF is written in this process, not a forked child.
    options = options_at_epoch(root / "dist", formats=("pdf",), overlap=False)
    [first] = build([root / "content/a"], options)
    pdf = first.written["pdf"].read_bytes()
    prepared = dict(fontcache._prepared)
    [second] = build([root / "content/a"], options)
    assert second.written["pdf"].read_bytes() == pdf
    assert dict(fontcache._prepared) == prepared
    (root / "content/a/booklet.md").write_text(booklet_md(body="# Part\n\nHello, Zoë!\n"))
    build([root / "content/a"], options)
    new = set(fontcache._prepared) - set(prepared)
    assert len(new) == 1  # only the body face gained glyphs; the headings' font is reused


def test_loading_skips_what_booklet_does_not_use():
    """fontTools' instancer is not loaded with WeasyPrint, yet imports as usual later."""
    code = ("import sys; from booklet.engine import install; install(); "
            "print('fontTools.varLib' in sys.modules); "
            "from fontTools.varLib.instancer import instantiateVariableFont as f; "
            "print(f.__module__); import fontTools.subset; print(fontTools.subset.Options)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    assert result.stdout.splitlines() == ["False", "fontTools.varLib.instancer",
                                          "<class 'fontTools.subset.Options'>"]


def test_a_refused_resource_is_reported_for_every_booklet(tmp_project, options_at_epoch):
    css = (ROOT / "styles/print.css").read_text() + "body { background: url(/etc/hostname) }"
    root = tmp_project({"content/a/booklet.md": booklet_md("title: A"),
                        "content/b/booklet.md": booklet_md("title: B"),
                        "theme/styles/print.css": css})
    options = options_at_epoch(root / "dist", formats=("pdf",), theme=root / "theme")
    outcomes = build([root / "content/a", root / "content/b"], options)
    assert [o.ok for o in outcomes] == [False, False]
    for outcome in outcomes:
        assert str(outcome.problems[0]).endswith(
            "url('/etc/hostname') lies outside the folders a build may read (the booklet's "
            "folder, styles/, templates/ and the font packages)")


def test_library_names_come_from_one_ldconfig_listing(monkeypatch):
    if not weasyprint_loader.sys.platform.startswith("linux"):
        return
    runs: list[list[str]] = []
    real_run = subprocess.run

    def run(command, *args, **kwargs):
        runs.append(command)
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(weasyprint_loader.subprocess, "run", run)
    listing = weasyprint_loader.LdconfigListing()
    for name in ("c", "m", "pango-1.0", "harfbuzz", "libpango-1.0-0", "no-such-library"):
        assert listing.find(name) == ctypes.util._findSoname_ldconfig(name), name
    assert listing.find("c").startswith("libc.so")
    assert len(runs) == 1


def test_fixed_length_arrays_are_parsed_once():
    """WeasyPrint's subsetter asks for `hb_codepoint_t[N]` with a new N per font."""
    engine.install()
    from weasyprint.text.ffi import ffi

    first = ffi.new("hb_codepoint_t[3]", [7, 8, 9])
    parsed = len(ffi._parsed_types)
    arrays = [ffi.new(f"hb_codepoint_t[{n}]", list(range(n))) for n in range(40, 60)]
    empty = ffi.new("hb_codepoint_t[17]")
    assert len(ffi._parsed_types) == parsed
    assert list(first) == [7, 8, 9]
    assert [len(a) for a in arrays] == list(range(40, 60)) and list(arrays[5]) == list(range(45))
    assert len(empty) == 17 and set(empty) == {0}
    assert ffi.sizeof(empty) == 17 * ffi.sizeof("hb_codepoint_t")
    with pytest.raises(IndexError):
        ffi.new("hb_codepoint_t[2]", [1, 2, 3])


def test_packaged_fonts_are_loaded_once_per_process(tmp_project, options_at_epoch):
    """Later layouts reuse the font configuration, and write the same PDF."""
    from booklet.pdf import writer as pdf

    root = tmp_project({"content/a/booklet.md": booklet_md("title: Fonts once"),
                        "content/b/booklet.md": booklet_md("title: Otra", body="# Uno\n\nÑu.\n")})
    options = options_at_epoch(root / "dist", formats=("pdf", "large-print"), overlap=False)
    [first] = build([root / "content/a"], options)
    loaded = dict(pdf._PACKAGED_FONTS)
    data = first.written["pdf"].read_bytes()
    build([root / "content/b"], options)
    [again] = build([root / "content/a"], options)
    assert again.written["pdf"].read_bytes() == data
    assert len(loaded) >= 2  # the reading and the large-print faces
    assert all(pdf._PACKAGED_FONTS[faces] is value for faces, value in loaded.items())
