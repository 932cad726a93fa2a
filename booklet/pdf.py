"""Print HTML -> PDF bytes with WeasyPrint (imported only when a PDF is built)."""

from __future__ import annotations

import hashlib
import logging

from .fonts import font_face_css
from .model import Booklet
from .options import BuildOptions
from .render import Renderer
from .resources import booklet_policy, make_fetcher, quiet_refusals

LOG = logging.getLogger(__name__)


def render_pdf(booklet: Booklet, renderer: Renderer, options: BuildOptions) -> bytes:
    """Typeset the booklet's print edition and return the PDF file's bytes."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    html = renderer.print_html(booklet, options)
    policy = booklet_policy(booklet, renderer, options)
    fetcher = make_fetcher(policy)
    font_config = FontConfiguration()
    identifier = hashlib.sha256(f"booklet:{booklet.slug}".encode()).hexdigest()[:32]
    with quiet_refusals():
        fonts = CSS(string=font_face_css(), font_config=font_config, url_fetcher=fetcher)
        stylesheet = CSS(string=renderer.stylesheet("print.css"), font_config=font_config,
                         url_fetcher=fetcher,
                         base_url=renderer.stylesheet_path("print.css").parent.as_uri() + "/")
        document = HTML(string=html, base_url=booklet.folder.as_uri() + "/",
                        url_fetcher=fetcher).render(stylesheets=[fonts, stylesheet],
                                                    font_config=font_config)
        policy.raise_refusals()
        data = document.write_pdf(pdf_identifier=identifier.encode())
    policy.raise_refusals()
    return data
