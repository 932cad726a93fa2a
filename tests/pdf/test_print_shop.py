"""`--bleed` and `--marks`: boxes a print shop reads, a cover that runs off the edge."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageStat

from booklet.build.pipeline import build
from booklet.cli import _bleed, main

from ..epubread import Epub
from ..helpers import BUNDLED
from ..pdfcheck import reader

MM = 72 / 25.4
A5 = (419.53, 595.28)
BAND = (0x1D, 0x3A, 0x4F)


@pytest.fixture(scope="module")
def shop(tmp_path_factory, options_at_epoch):
    out = tmp_path_factory.mktemp("shop")
    [outcome] = build([BUNDLED], options_at_epoch(out, formats=("pdf", "booklet", "epub"),
                                                  bleed=3.0, marks=True))
    assert outcome.ok, outcome.problems
    return outcome.written


def box(page, name):
    return [float(v) for v in page[name]]


def test_trim_bleed_and_media_boxes(shop):
    for page in reader(shop["pdf"]).pages:
        left, bottom, right, top = box(page, "/TrimBox")
        assert (right - left, top - bottom) == pytest.approx(A5, abs=0.1)
        bleed = box(page, "/BleedBox")
        assert [bleed[0] - left, bleed[1] - bottom, bleed[2] - right, bleed[3] - top] == \
            pytest.approx([-3 * MM, -3 * MM, 3 * MM, 3 * MM], abs=0.01)
        media = box(page, "/MediaBox")  # bleed plus room for the marks outside it
        assert [left - media[0], top - media[1] - (top - bottom)] == \
            pytest.approx([12 * MM, 12 * MM], abs=0.01)


def colour_at(image, media, x_pt, y_pt, scale):
    return image.getpixel((round((x_pt - media[0]) * scale),
                           round((media[3] - y_pt) * scale)))[:3]


def test_cover_band_runs_into_the_bleed_and_marks_sit_outside_it(shop):
    scale = 4
    page = pdfium.PdfDocument(str(shop["pdf"]))[0]
    image = page.render(scale=scale).to_pil()
    pdf_page = reader(shop["pdf"]).pages[0]
    left, bottom, right, top = box(pdf_page, "/TrimBox")
    media = box(pdf_page, "/MediaBox")
    middle = (left + right) / 2
    for x, y in [(middle, top + 1.5 * MM), (left - 1.5 * MM, top - 5 * MM),
                 (right + 1.5 * MM, top + 2.5 * MM), (middle, top - 5 * MM)]:
        assert colour_at(image, media, x, y, scale) == pytest.approx(BAND, abs=8), (x, y)
    assert colour_at(image, media, middle, top + 5 * MM, scale) == (255, 255, 255)
    # a crop mark continues the trim line in the margin, clear of the bleed
    assert max(colour_at(image, media, media[0] + 2 * MM, top, scale)) < 100
    assert min(colour_at(image, media, left - 4.5 * MM, top - 20 * MM, scale)) == 255


def test_ebook_cover_is_the_first_page_inside_the_trim_box(shop):
    data = Epub(shop["epub"]).read("cover.jpg")
    cover = Image.open(io.BytesIO(data)).convert("RGB")
    assert cover.size == (1600, 2270)
    assert cover.getpixel((0, 0)) == pytest.approx(BAND, abs=8)  # the band, no mark
    page = pdfium.PdfDocument(str(shop["pdf"]))[0]
    media, trim = box(reader(shop["pdf"]).pages[0], "/MediaBox"), page.get_trimbox()
    scale = 4
    image = page.render(scale=scale).to_pil().convert("RGB")
    trimmed = image.crop([round(v * scale) for v in (
        trim[0] - media[0], media[3] - trim[3], trim[2] - media[0], media[3] - trim[1])])
    difference = ImageStat.Stat(ImageChops.difference(cover, trimmed.resize(cover.size))).mean
    assert max(difference) < 3, difference


def test_marks_without_bleed_keep_the_bleed_box_on_the_trim(tmp_path, options_at_epoch):
    [outcome] = build([BUNDLED], options_at_epoch(tmp_path, formats=("pdf",), marks=True))
    page = reader(outcome.written["pdf"]).pages[0]
    assert box(page, "/BleedBox") == pytest.approx(box(page, "/TrimBox"), abs=0.01)
    assert box(page, "/MediaBox")[0] == pytest.approx(-9 * MM, abs=0.01)


def test_the_booklet_is_imposed_from_the_trimmed_pages(shop):
    for page in reader(shop["booklet"]).pages:
        assert box(page, "/MediaBox") == pytest.approx([0, 0, 841.89, 595.28], abs=0.1)


@pytest.mark.parametrize("text, mm", [("3mm", 3.0), ("0.125in", 3.175), ("9pt", 3.175),
                                      ("0.5cm", 5.0)])
def test_bleed_lengths(text, mm):
    assert _bleed(text) == pytest.approx(mm, abs=0.001)


def test_bad_bleed_is_a_usage_error(capsys):
    with pytest.raises(SystemExit):
        main(["build", "--bleed", "3"])
    assert "bleed must be a length up to 25mm such as 3mm or 0.125in, not '3'" in \
        capsys.readouterr().err
