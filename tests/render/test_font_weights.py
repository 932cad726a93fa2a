"""The print stylesheet must let font-weight reach the variable fonts' weight axis.

A `font-variation-settings` naming an axis a font lacks once made WeasyPrint embed
Source Sans 3 at its default ExtraLight whatever the weight: headings looked thin.
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from booklet.render.fonts import font_face_css
from booklet.render.html import Renderer


def ink_per_line(html: str) -> tuple[int, int]:
    """Dark pixels in the top and bottom half of a page rendered with print.css."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    css = CSS(string=font_face_css() + Renderer().stylesheet("print.css")
              + "@page { size: 120mm 40mm; margin: 5mm }", font_config=config)
    pdf = pdfium.PdfDocument(HTML(string=html).write_pdf(stylesheets=[css], font_config=config))
    image = pdf[0].render(scale=2).to_pil().convert("L")
    half = image.height // 2
    top = image.crop((0, 0, image.width, half))
    bottom = image.crop((0, half, image.width, image.height))
    return _dark(top), _dark(bottom)


def _dark(image) -> int:
    return sum(image.histogram()[:128])


@pytest.mark.parametrize("family", ["Source Sans 3", "Literata"])
def test_bold_prints_darker_than_light(family):
    style = "margin: 0; height: 15mm; font-size: 20pt; font-family: '{0}'; font-weight: {1}"
    light, bold = ink_per_line(f"<p style=\"{style.format(family, 200)}\">Wellbeing</p>"
                               f"<p style=\"{style.format(family, 700)}\">Wellbeing</p>")
    assert bold > 1.6 * light, (light, bold)
