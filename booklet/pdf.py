"""Print HTML -> PDF bytes with WeasyPrint (imported only when a PDF is built)."""

from __future__ import annotations

import hashlib
import logging

from .errors import BookletError
from .fonts import font_dirs, font_face_css
from .model import Booklet
from .options import BuildOptions
from .render import Renderer
from .resources import ResourcePolicy, make_fetcher
from .weasyprint_loader import load as load_weasyprint

LOG = logging.getLogger(__name__)


def render_pdf(booklet: Booklet, renderer: Renderer, options: BuildOptions) -> bytes:
    """Typeset the booklet's print edition and return the PDF file's bytes."""
    load_weasyprint()
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    html = renderer.print_html(booklet, options)
    policy = ResourcePolicy((booklet.folder, *renderer.style_dirs, *font_dirs()))
    refused: list[str] = []
    fetcher = make_fetcher(policy, refused)
    font_config = FontConfiguration()
    stylesheet = CSS(string=font_face_css() + renderer.stylesheet("print.css"),
                     font_config=font_config, url_fetcher=fetcher,
                     base_url=renderer.style_dirs[0].as_uri() + "/")
    document = HTML(string=html, base_url=booklet.folder.as_uri() + "/",
                    url_fetcher=fetcher).render(stylesheets=[stylesheet],
                                                font_config=font_config)
    if refused:
        raise BookletError.at(booklet.source, None, "; ".join(dict.fromkeys(refused)))
    identifier = hashlib.sha256(f"booklet:{booklet.slug}".encode()).hexdigest()[:32]
    return document.write_pdf(pdf_identifier=identifier.encode())
