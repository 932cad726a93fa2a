"""Render each XHTML document of an EPUB with headless Chromium, to PNG, for review.

    python scripts/render_epub_chromium.py dist/partner-pushing-away.epub /tmp/shots
    python scripts/render_epub_chromium.py BOOK.epub OUT --width 420   # a phone

Chromium opens each file of the spine as application/xhtml+xml, the way reading
systems built on browser engines (Apple Books, Kobo, Thorium, Readium) do, with the
EPUB's own stylesheet and embedded fonts. Needs Debian's `chromium`; nothing is
downloaded. Each PNG is cut below the last non-white row.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from lxml import etree
from PIL import Image, ImageChops

CHROMIUM = "chromium"
OPF = "{http://www.idpf.org/2007/opf}"


def spine_documents(folder: Path) -> list[Path]:
    """The spine's XHTML files of an unpacked EPUB, in reading order."""
    container = etree.parse(folder / "META-INF" / "container.xml")
    opf = folder / container.find(".//{*}rootfile").get("full-path")
    package = etree.parse(opf)
    hrefs = {i.get("id"): i.get("href") for i in package.iter(f"{OPF}item")}
    return [opf.parent / hrefs[ref.get("idref")] for ref in package.iter(f"{OPF}itemref")]


def render_document(document: Path, png: Path, width: int = 600, height: int = 4000) -> Path:
    """Screenshot one XHTML file in a `width`-pixel-wide window; return the PNG path."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update", "--no-first-run",
             f"--user-data-dir={profile}", "--hide-scrollbars", "--force-device-scale-factor=1",
             "--virtual-time-budget=3000", f"--window-size={width},{height}",
             f"--screenshot={png}", document.resolve().as_uri()],
            check=True, capture_output=True, timeout=120)
    _crop(png)
    return png


def render_epub(epub: Path, out: Path, width: int = 600) -> list[Path]:
    """Render every spine document of `epub` into `out` as NN-name.png."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with zipfile.ZipFile(epub) as archive:
            archive.extractall(folder)
        return [render_document(doc, out / f"{n:02d}-{doc.stem}.png", width)
                for n, doc in enumerate(spine_documents(folder), start=1)]


def _crop(png: Path) -> None:
    image = Image.open(png).convert("RGB")
    box = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
    if box:
        image.crop((0, 0, image.width, min(image.height, box[3] + 24))).save(png)


def main(argv: list[str] | None = None) -> int:
    """Command line: EPUB and output folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("epub", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--width", type=int, default=600, help="window width in pixels")
    args = parser.parse_args(argv)
    for png in render_epub(args.epub, args.out, args.width):
        print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
