"""Lined "Notes" pages for the fold-and-staple booklet.

A booklet's page count is made up to a multiple of four with pages just before the
back cover. Instead of leaving them blank, they are lined pages headed "Notes" (in the
booklet's language), typeset like the reading edition's pages (same paper, margins
and running footer) and numbered on from its last text page, on the side of the
spread they fall on. They are a PDF of their own, written without tags: the imposed
booklet draws them as artifacts (see `booklet.pdf.impose`), since they hold nothing
to read.
"""

from __future__ import annotations

from .. import engine
from ..options import BuildOptions
from ..render.fonts import faces_for, script_css
from ..render.html import Renderer
from ..sandbox.policy import ResourcePolicy, make_fetcher, quiet_refusals
from ..source.model import Booklet
from .writer import edition_stylesheets, packaged_fonts


def notes_pdf(booklet: Booklet, renderer: Renderer, options: BuildOptions,
              policy: ResourcePolicy, first: int, count: int) -> bytes:
    """`count` Notes pages, the first numbered `first` (1-based, in the booklet),
    reading through `policy`."""
    engine.install()
    from weasyprint import CSS, HTML

    language = booklet.meta.language
    fetcher = make_fetcher(policy)
    css = "".join(renderer.stylesheet(name)
                  for name in edition_stylesheets(booklet.paper, False))
    css += script_css(language)
    # The page number goes on from the booklet's; an even page is a left-hand page in
    # a left-to-right booklet (a right-hand one right to left): the verso.
    css += f"@page :first {{ counter-reset: page {first}; }}\n"
    if first % 2 == 0:
        css += "html { break-before: verso; }\n"
    with quiet_refusals():
        font_config, fonts = packaged_fonts(faces_for(language), fetcher)
        stylesheet = CSS(string=css, font_config=font_config, url_fetcher=fetcher,
                         base_url=renderer.stylesheet_path("print.css").parent.as_uri() + "/")
        html = HTML(string=renderer.notes_html(booklet, options, count),
                    base_url=booklet.folder.as_uri() + "/", url_fetcher=fetcher)
        data = html.write_pdf(stylesheets=[fonts, stylesheet], font_config=font_config)
    policy.raise_refusals()
    return data
