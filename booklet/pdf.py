"""Print HTML -> PDF bytes with WeasyPrint (imported only when a PDF is built)."""

from __future__ import annotations

import hashlib
import logging

from .errors import BookletError
from .fonts import font_dirs
from .model import Booklet
from .options import BuildOptions
from .printstyle import print_stylesheet
from .render import Renderer
from .resources import ResourcePolicy, make_fetcher
from .weasyprint_loader import load as load_weasyprint

LOG = logging.getLogger(__name__)


def render_pdf(booklet: Booklet, renderer: Renderer, options: BuildOptions) -> bytes:
    """Typeset the booklet's print edition and return the PDF file's bytes."""
    load_weasyprint()
    from weasyprint import HTML

    html = renderer.print_html(booklet, options)
    policy = ResourcePolicy((booklet.folder, *renderer.style_dirs, *font_dirs()))
    refused: list[str] = []
    fetcher = make_fetcher(policy, refused)
    font_config, stylesheet = print_stylesheet(renderer, fetcher, refused)
    document = HTML(string=html, base_url=booklet.folder.as_uri() + "/",
                    url_fetcher=fetcher).render(stylesheets=[stylesheet],
                                                font_config=font_config)
    if refused:
        raise BookletError.at(booklet.source, None, "; ".join(dict.fromkeys(refused)))
    identifier = hashlib.sha256(f"booklet:{booklet.slug}".encode()).hexdigest()[:32]
    return document.write_pdf(pdf_identifier=identifier.encode())
