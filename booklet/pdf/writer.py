"""Print HTML -> PDF with WeasyPrint (imported only when a PDF is built).

Two editions are typeset from the same HTML: the reading edition (`<slug>.pdf`, on the
booklet's paper, with bleed and crop marks when asked) and the large-print edition
(`<slug>-large-print.pdf`, single A4 or Letter pages). Every PDF is tagged: a structure
tree, the document language, and the title shown in the viewer's title bar; then the
accessibility pass (`booklet.pdf.accessible`) makes it pass PDF/UA-1's checks.

The reading edition is laid out once per build of a booklet, into a `PrintEdition`
that the build hands to every writer that needs it: the reading PDF, the imposed
booklet (from the PDF's bytes), and the EPUB (its page list and cover). Nothing is
kept here between builds but the packaged fonts (`packaged_fonts`).
"""

from __future__ import annotations

import atexit
import hashlib
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import engine
from ..options import BuildOptions
from ..render.fonts import LARGE_PRINT_FACES, Face, faces_for, font_face_css, script_css
from ..render.html import Renderer
from ..sandbox.policy import ResourcePolicy, make_fetcher, quiet_refusals
from ..source.model import Booklet
from ..source.paper import Paper
from .breaks import BreakPlan, settle

if TYPE_CHECKING:
    from weasyprint import CSS, Document

    from .pagefill import LayoutReport
    from .parts import PartLayouts

LOG = logging.getLogger(__name__)

#: How a link to a page of the booklet reads aloud (its annotation's /Contents), in
#: English; `page_link` gives it in the booklet's language.
PAGE_LINK = "{title}, page {page}"

#: Room for crop marks outside the bleed, in millimetres: marks are drawn in the
#: outer half of bleed + this, so they start well clear of the bleed.
MARK_SPACE = 9.0


def edition_stylesheets(paper: Paper, large_print: bool) -> list[str]:
    """The stylesheets of an edition, in cascade order, by name under styles/."""
    if large_print:
        return ["print.css", f"paper/{paper.large_print}.css", "large-print.css"]
    return ["print.css", *paper.stylesheets]


def bleed_css(bleed: float, marks: bool) -> str:
    """@page bleed and marks, and the cover bands extended into the bleed."""
    if not bleed and not marks:
        return ""
    area = bleed + MARK_SPACE if marks else bleed
    rules = [f"@page {{ bleed: {area:g}mm; marks: {'crop cross' if marks else 'none'}; }}"]
    if bleed:
        rules += [f".cover::before {{ top: -{bleed:g}mm; left: -{bleed:g}mm; right: -{bleed:g}mm;"
                  f" padding-top: {bleed:g}mm; }}",
                  f".back-cover::after {{ bottom: -{bleed:g}mm; left: -{bleed:g}mm; "
                  f"right: -{bleed:g}mm; padding-bottom: {bleed:g}mm; }}"]
    return "\n".join(rules) + "\n"


def layout(booklet: Booklet, renderer: Renderer, options: BuildOptions,
           policy: ResourcePolicy, large_print: bool = False, html: str | None = None,
           parts: PartLayouts | None = None) -> Document:
    """Lay out one edition of the booklet (or other `html` made from it), reading
    through `policy`; return WeasyPrint's Document. `parts` (`booklet watch`, the
    reading edition) lays it out from the sections it kept where it can."""
    engine.install()
    from weasyprint import CSS, HTML

    faces = edition_faces(booklet, large_print)
    own_html = html is not None  # not the booklet's text (a copy's own pages)
    html = html if own_html else renderer.print_html(booklet, options)
    fetcher = make_fetcher(policy)
    css = edition_css(booklet, renderer, options, large_print)
    with quiet_refusals():
        font_config, fonts = packaged_fonts(faces, fetcher)
        stylesheet = None
        texts = {frozenset(): html}
        sources: dict[frozenset, HTML] = {}

        def render(plan: BreakPlan) -> Document:
            nonlocal stylesheet
            if plan.moved not in texts:  # figures moved past the text after them
                texts[plan.moved] = renderer.print_html(booklet, options, plan.moved_figures())
            if parts is not None and not own_html and not large_print and (
                    document := parts.layout(booklet, renderer, options, policy,
                                             texts[plan.moved], plan)) is not None:
                return document
            if stylesheet is None:
                stylesheet = CSS(string=css, font_config=font_config, url_fetcher=fetcher,
                                 base_url=styles_url(renderer))
            extra = [CSS(string=plan.css(), font_config=font_config)] if plan else []
            if plan.moved not in sources:
                sources[plan.moved] = HTML(string=texts[plan.moved], url_fetcher=fetcher,
                                           base_url=booklet.folder.as_uri() + "/")
            return sources[plan.moved].render(stylesheets=[fonts, stylesheet, *extra],
                                 font_config=font_config)

        if own_html:  # laid out as it is: the page-break policy is for the booklet's text
            document = render(BreakPlan())
        else:
            document = settle(render)  # laid out again only where a page would be near-empty
    policy.raise_refusals()
    return document


def edition_faces(booklet: Booklet, large_print: bool = False) -> tuple[Face, ...]:
    """The packaged typefaces an edition of the booklet is set in."""
    language = booklet.meta.language
    return (*LARGE_PRINT_FACES, *faces_for(language)) if large_print else faces_for(language)


def edition_css(booklet: Booklet, renderer: Renderer, options: BuildOptions,
                large_print: bool = False) -> str:
    """The text of an edition's stylesheets, one after the other."""
    css = "".join(renderer.stylesheet(name)
                  for name in edition_stylesheets(booklet.paper, large_print))
    if not large_print:
        css += bleed_css(options.bleed, options.marks)
    return css + script_css(booklet.meta.language)


def styles_url(renderer: Renderer) -> str:
    """The base URL of the edition stylesheets' `url()`s."""
    return renderer.stylesheet_path("print.css").parent.as_uri() + "/"


def packaged_fonts(faces: tuple[Face, ...], fetcher: object) -> tuple[Any, CSS]:
    """The packaged typefaces loaded into a font configuration, once per process and
    set of faces: a warm process (`booklet watch`, `--jobs` workers) keeps Pango's
    caches of their glyphs from one layout to the next. (The fonts are read through
    the first booklet's fetcher; they lie in the font packages every booklet may read.)
    """
    from weasyprint import CSS

    from ..engine.objects import font_configuration

    if faces not in _PACKAGED_FONTS:
        font_config = font_configuration()
        _PACKAGED_FONTS[faces] = font_config, CSS(
            string=font_face_css(faces), font_config=font_config, url_fetcher=fetcher)
    return _PACKAGED_FONTS[faces]


#: `packaged_fonts` by set of faces (a handful: text faces, large print, scripts).
_PACKAGED_FONTS: dict[tuple[Face, ...], tuple[Any, CSS]] = {}


@atexit.register
def _forget_fonts() -> None:
    """Drop the kept font configurations and remove their temporary font folders while
    Python still runs (at interpreter teardown WeasyPrint fails to, and a command
    that ends its process at once, `booklet.cli.run`, frees nothing)."""
    from ..engine.folders import remove_font_folder

    for font_config, _ in _PACKAGED_FONTS.values():
        remove_font_folder(font_config)
    _PACKAGED_FONTS.clear()


def write(document: Document, booklet: Booklet, options: BuildOptions,
          bleed: float | None = None, edition: str = "", page_link: str = PAGE_LINK) -> bytes:
    """The PDF file of a laid-out edition: tagged and made accessible, with a stable
    identifier, and with BleedBoxes `bleed` mm outside the trim when given."""
    from ..engine import marks
    from .accessible import finish

    identifier = hashlib.sha256(f"booklet:{booklet.slug}{edition}".encode()).hexdigest()[:32]
    finisher = _bleed_box(bleed) if bleed is not None else None
    readable = marks.install()
    with marks.recording() as recording:
        data = document.write_pdf(pdf_identifier=identifier.encode(), pdf_tags=True,
                                  pdf_variant=options.pdf_variant, finisher=finisher)
    return finish(data, recording if readable else None, page_link)


def page_link(booklet: Booklet, renderer: Renderer) -> str:
    """How a contents link reads aloud in the booklet's language ('{title}, page {page}')."""
    from ..render.i18n import translator

    words = translator(booklet.meta.language, renderer.locale_dirs)
    return words(PAGE_LINK, title="{title}", page="{page}")


@dataclass(frozen=True)
class PrintEdition:
    """The reading edition of one booklet, laid out: what the reading PDF, the imposed
    booklet and the EPUB share within one build."""

    booklet: Booklet
    document: Document
    options: BuildOptions
    #: how a contents link reads aloud (`page_link`)
    page_link: str = PAGE_LINK
    _first_page: list[bytes] = field(default_factory=list, compare=False, repr=False)

    def pdf(self) -> bytes:
        """The reading PDF's bytes."""
        return write(self.document, self.booklet, self.options, bleed=self.bleed,
                     page_link=self.page_link)

    def first_page_pdf(self) -> bytes:
        """A PDF of the first page alone (the EPUB's cover and the web library's cover
        picture are drawn from it, so it is made once), with the same page boxes as the
        whole file."""
        if not self._first_page:
            finisher = _bleed_box(self.bleed) if self.bleed is not None else None
            document = self.document.copy(self.document.pages[:1])
            self._first_page.append(document.write_pdf(finisher=finisher))
        return self._first_page[0]

    @property
    def bleed(self) -> float | None:
        """The BleedBox distance to write, None when the PDF has neither bleed nor marks."""
        options = self.options
        return options.bleed if options.bleed or options.marks else None


def reading_edition(booklet: Booklet, renderer: Renderer, options: BuildOptions,
                    policy: ResourcePolicy, parts: PartLayouts | None = None
                    ) -> PrintEdition:
    """Lay out the booklet's reading edition on its paper: from the sections `parts`
    kept where it can (`booklet watch`), else whole."""
    return PrintEdition(booklet, layout(booklet, renderer, options, policy, parts=parts),
                        options, page_link(booklet, renderer))


def render_large_print(booklet: Booklet, renderer: Renderer, options: BuildOptions,
                       policy: ResourcePolicy) -> bytes:
    """Typeset the large-print edition (single A4 or Letter pages) as PDF bytes."""
    document = layout(booklet, renderer, options, policy, large_print=True)
    return write(document, booklet, options, edition="-large-print",
                 page_link=page_link(booklet, renderer))


def _bleed_box(bleed: float):
    """A finisher setting each page's BleedBox to the trim box plus `bleed` mm.

    WeasyPrint's MediaBox covers the bleed and the room for marks; its BleedBox is
    only an estimate, so the exact bleed the print shop asked for is written here.
    """
    import pydyf

    points = bleed * 72 / 25.4

    def finish(document, pdf) -> None:
        for page in pdf.objects:
            if isinstance(page, dict) and page.get("Type") == "/Page" and "TrimBox" in page:
                left, top, right, bottom = page["TrimBox"]
                page["BleedBox"] = pydyf.Array(
                    [left - points, top - points, right + points, bottom + points])

    return finish


#: The PDF editions `booklet check --layout` lays out: (name, large print).
EDITIONS = (("reading edition", False), ("large print", True))

#: Paper names as people write them.
PAPER_NAMES = {"a5": "A5", "a4": "A4", "letter": "Letter", "half-letter": "half-letter"}


def edition_reports(booklet: Booklet, renderer: Renderer, options: BuildOptions
                    ) -> list[tuple[str, LayoutReport]]:
    """(edition name with its paper, report) for each PDF edition of a loaded booklet."""
    from .pagefill import layout_report

    policy = renderer.policy(booklet, options.allow_remote)
    reports = []
    for name, large_print in EDITIONS:
        size = booklet.paper.large_print if large_print else booklet.paper.name
        document = layout(booklet, renderer, options, policy, large_print=large_print)
        reports.append((f"{name} ({PAPER_NAMES.get(size, size)})", layout_report(document)))
    return reports
