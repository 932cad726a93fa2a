"""The EPUB's XHTML in a real browser engine: Debian's headless Chromium, via the review script."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import zipfile

import pytest
from PIL import Image, ImageChops

from ..epubread import Epub
from ..helpers import ROOT

#: Skipped on a developer machine without chromium; never in CI, which installs it.
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("chromium") is None and not os.environ.get("CI"),
                                 reason="needs Debian's chromium (.ci/run installs it)")]


def load_script():
    path = ROOT / "scripts" / "render_epub_chromium.py"
    spec = importlib.util.spec_from_file_location("render_epub_chromium", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_spine_document_renders_with_the_embedded_fonts(bundled, tmp_path):
    script = load_script()
    shots = script.render_epub(bundled["epub"], tmp_path / "shots", width=600)
    spine = Epub(bundled["epub"]).spine()
    assert [p.name.split("-", 1)[1] for p in shots] == [
        href.replace(".xhtml", ".png") for href, _ in spine]
    for png in shots:
        image = Image.open(png).convert("RGB")
        assert image.width == 600 and image.height > 100, png.name
        assert ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
    # The same chapter without the @font-face rules falls back to the system serif: if
    # the embedded fonts had not loaded, both pictures would be the same.
    folder = tmp_path / "unpacked"
    zipfile.ZipFile(bundled["epub"]).extractall(folder)
    css = folder / "EPUB" / "style.css"
    css.write_text(re.sub(r"@font-face \{[^}]*\}", "", css.read_text()))
    fallback = script.render_document(folder / "EPUB" / "part-01.xhtml", tmp_path / "f.png")
    with_fonts = Image.open(tmp_path / "shots" / "04-part-01.png").convert("RGB")
    without = Image.open(fallback).convert("RGB")
    assert with_fonts.size != without.size or ImageChops.difference(with_fonts, without).getbbox()
