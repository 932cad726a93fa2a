"""Model -> HTML through Jinja templates: one print document, one XHTML file per part.

Templates and styles are looked up in a theme folder first (a clinic's overrides),
then in the built-in `templates/` and `styles/`. Autoescape and StrictUndefined are on;
booklet text is only ever data passed to templates, never template source.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup, escape

from ..options import BuildOptions
from ..sandbox.policy import STYLESHEETS, ResourcePolicy, css_references, image_references
from ..source.model import Block, Booklet, Part
from ..source.paper import PAPERS
from .branding import data_uri, logo_file_name, qr_data_uri, web_address
from .flow import insert_after_elements
from .fonts import LARGE_PRINT_FACES, faces_for, font_dirs
from .i18n import FILTERS, LOCALES, text_direction, translator

if TYPE_CHECKING:
    from ..source.clients import Personal

ROOT = Path(__file__).resolve().parent.parent.parent
BUILTIN_TEMPLATES = ROOT / "templates"
BUILTIN_STYLES = ROOT / "styles"
#: Ruled lines on a Notes page: more than the tallest text area holds (print.css cuts
#: off the rest).
NOTES_LINES = 40


@dataclass(frozen=True)
class EbookDocument:
    """One XHTML file of the EPUB."""

    file_name: str
    title: str
    xhtml: str
    part: Part | None = None


class Renderer:
    """Jinja environment and stylesheets for one theme (or the built-ins)."""

    #: The client a personal copy is for (`for_client`), in every template's context as
    #: `personal`; None for the generic edition.
    personal: Personal | None = None

    def __init__(self, theme: Path | None = None) -> None:
        self.template_dirs = _search_path(theme, "templates", BUILTIN_TEMPLATES)
        self.style_dirs = _search_path(theme, "styles", BUILTIN_STYLES)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in self.template_dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=_bytecode_cache(),
        )
        self.env.globals["blocks"] = _render_blocks
        self.env.filters.update(FILTERS)
        #: Message catalogues, built-ins first so a theme's entries override them.
        self.locale_dirs = tuple(reversed(_search_path(theme, "locales", LOCALES)))
        self.env.globals["qr_code"] = qr_data_uri
        self.env.globals["logo_file_name"] = logo_file_name
        self.env.filters["data_uri"] = data_uri
        self.env.filters["web_address"] = web_address

    def for_client(self, personal: Personal | None) -> Renderer:
        """This renderer for one client's copy: the same compiled templates and styles,
        with `personal` given to every template (never kept anywhere else)."""
        view = copy.copy(self)
        view.personal = personal
        return view

    def stylesheet(self, name: str) -> str:
        """The text of `styles/<name>`, from the theme when it has one."""
        return self.stylesheet_path(name).read_text(encoding="utf-8")

    def stylesheet_path(self, name: str) -> Path:
        """The file `styles/<name>` is read from (absolute): the theme's when it has one."""
        for folder in self.style_dirs:
            path = folder / name
            if path.is_file():
                return path.absolute()
        raise FileNotFoundError(f"stylesheet {name!r} not found in {self.style_dirs}")

    def policy(self, booklet: Booklet, allow_remote: bool = False) -> ResourcePolicy:
        """What the writers may read for `booklet`: its folder, this theme's and the
        built-in styles and templates, the font packages; the network only with
        `allow_remote`. Refusals name the image or stylesheet line that asked."""
        references = image_references(booklet.image_refs, booklet.folder, booklet.source)
        papers = sorted({name for paper in PAPERS.values() for name in paper.stylesheets})
        for name in (*STYLESHEETS, *papers):
            path = self.stylesheet_path(name)
            for key, reference in css_references(path, path.read_text(encoding="utf-8")).items():
                references.setdefault(key, reference)
        faces = (*faces_for(booklet.meta.language), *LARGE_PRINT_FACES)
        roots = (booklet.folder, *self.style_dirs, *self.template_dirs, *font_dirs(faces))
        return ResourcePolicy(roots, allow_remote=allow_remote, references=references,
                              fallback=booklet.source, checked=booklet.image_digests,
                              checked_folder=booklet.folder)

    def print_html(self, booklet: Booklet, options: BuildOptions,
                   moved: Mapping[int, int] | None = None,
                   name: str = "print/booklet.html", **extra: Any) -> str:
        """The whole booklet as one HTML document for the PDF renderer (or what another
        print template, given `extra`, makes of it: a personal copy's own pages).

        Boxes and figures carry their block's number (`data-block`, from 1 in reading
        order), by which the page-break policy names them (`booklet.pdf.breaks`);
        `moved` maps a figure's number to how many of the blocks after it are set
        before it, so that a figure that would leave a hole at the foot of a page goes
        to the top of the next while the text after it fills the hole.
        """
        return self._render(name, booklet, options, numbers=block_numbers(booklet),
                            moved=moved or {}, **extra)

    def notes_html(self, booklet: Booklet, options: BuildOptions, count: int) -> str:
        """`count` lined "Notes" pages as one HTML document (the fold-and-staple
        booklet's padding pages)."""
        return self._render("print/notes.html", booklet, options, count=count, lines=NOTES_LINES)

    def ebook_documents(self, booklet: Booklet, options: BuildOptions, **extra: Any
                        ) -> list[EbookDocument]:
        """The EPUB's XHTML files in reading order: title page, one per part, back matter.

        `extra` goes to the back matter's templates (the colophon's font licences)."""
        docs = [EbookDocument("titlepage.xhtml", booklet.meta.title,
                              self._render("ebook/titlepage.xhtml", booklet, options))]
        if self.personal is not None and self.personal.note:  # a personal copy's note
            words = translator(booklet.meta.language, self.locale_dirs)
            docs.append(EbookDocument("note.xhtml", words("A note for you"),
                                      self._render("ebook/note.xhtml", booklet, options)))
        for number, part in enumerate(booklet.parts, start=1):
            name = part_file_name(number)
            xhtml = self._render("ebook/part.xhtml", booklet, options, part=part)
            docs.append(EbookDocument(name, part.title, xhtml, part))
        _ = translator(booklet.meta.language)
        for name, title, template in self.backmatter(booklet):
            docs.append(EbookDocument(name, _(title),
                                      self._render(template, booklet, options, **extra)))
        return docs

    def backmatter(self, booklet: Booklet) -> list[tuple[str, str, str]]:
        """(file name, English title, template) of the EPUB files after the parts."""
        files = [("colophon.xhtml", "About this booklet", "ebook/colophon.xhtml")]
        if booklet.meta.sources:
            files.insert(0, ("sources.xhtml", "Sources and further reading",
                             "ebook/sources.xhtml"))
        return files

    def ebook_nav(self, booklet: Booklet, options: BuildOptions, **extra: Any) -> str:
        """The EPUB navigation document (contents, landmarks, and `pages` if given)."""
        files = {part.id: part_file_name(n) for n, part in enumerate(booklet.parts, start=1)}
        extra.setdefault("pages", ())
        return self._render("ebook/nav.xhtml", booklet, options, part_files=files,
                            backmatter=self.backmatter(booklet), **extra)

    def web_page(self, name: str, booklet: Booklet, options: BuildOptions, **extra: Any
                 ) -> str:
        """A web edition document from `templates/web/<name>` (see `booklet.web`)."""
        return self._render(f"web/{name}", booklet, options, **extra)

    def ebook_page(self, name: str, booklet: Booklet, options: BuildOptions,
                   **extra: Any) -> str:
        """Another EPUB document from `templates/ebook/<name>` (cover, font licence)."""
        return self._render(f"ebook/{name}", booklet, options, **extra)

    def _render(self, name: str, booklet: Booklet, options: BuildOptions, **extra: Any) -> str:
        words = translator(booklet.meta.language, self.locale_dirs)
        context = {"booklet": booklet, "meta": booklet.meta, "options": options,
                   "build_time": options.build_time, "_": words, "_n": words.plural,
                   "dir": text_direction(booklet.meta.language),
                   "ebook": name.startswith("ebook/"), "web": name.startswith("web/"),
                   "practice": booklet.practice, "help": booklet.help,
                   "online_url": booklet.online_url, "personal": self.personal, **extra}
        return self.env.get_template(name).render(context)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept per machine (keyed by each template's source, so an
    edited template is compiled afresh): a new process skips compiling them."""
    from ..output import cache_dir

    folder = cache_dir() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def part_file_name(number: int) -> str:
    """The EPUB file name of the n-th part (1-based)."""
    return f"part-{number:02d}.xhtml"


#: The deepest heading level HTML (and so an EPUB) has.
DEEPEST_HEADING = 6


@jinja2.pass_context
def _render_blocks(context: jinja2.runtime.Context, blocks: tuple[Block, ...], depth: int
                   ) -> Markup:
    """Render blocks through their partials `blocks/<template>.html`.

    `depth` is the heading level of the enclosing heading; a block's own headings
    use the next level, so heading levels never skip. HTML stops at h6: boxes nested
    deeper than that title themselves h6, like the box around them. The web edition
    takes a partial from `web/blocks/` where it has its own (a worksheet as a form).
    In print, a figure the page-break policy moves (`moved`) leaves an empty
    placeholder where it was (`figure.html`) and comes that many elements later
    (`booklet.render.flow`).
    """
    env = context.environment
    depth = min(depth, DEEPEST_HEADING - 1)
    web = context.get("web", False)
    numbers: Mapping[int, int] = context.get("numbers") or {}
    moved: Mapping[int, int] = context.get("moved") or {}

    def render(block: Block, role: str = "") -> str:
        name = f"blocks/{block.template}.html"
        template = env.select_template([f"web/{name}", name]) if web else \
            env.get_template(name)
        return template.render({**context.get_all(), "block": block, "depth": depth,
                                "block_number": numbers.get(id(block)), "figure_role": role})

    def render_from(start: int) -> str:
        out = ""
        for index in range(start, len(blocks)):
            block = blocks[index]
            later = moved.get(numbers.get(id(block), 0), 0)
            if not later:
                out += render(block)
                continue
            return out + render(block, "placeholder") + insert_after_elements(
                render_from(index + 1), render(block, "moved"), later)
        return out

    return Markup(render_from(0))


def block_numbers(booklet: Booklet) -> dict[int, int]:
    """Every block of the booklet, by object id, numbered from 1 in reading order."""
    numbers: dict[int, int] = {}

    def walk(blocks: tuple[Block, ...]) -> None:
        for block in blocks:
            numbers[id(block)] = len(numbers) + 1
            for name in ("blocks", "intro", "outro"):
                walk(getattr(block, name, ()))
            for question in getattr(block, "questions", ()):
                walk(question.blocks)

    for part in booklet.parts:
        walk(part.blocks)
        for section in part.sections:
            walk(section.blocks)
    return numbers


def _search_path(theme: Path | None, sub: str, builtin: Path) -> list[Path]:
    # Resolved: the PDF writer turns these folders into file: URLs. A folder linked from
    # outside the theme is never one (`booklet.sandbox.theme` refuses such a theme).
    if theme is None or not (theme / sub).is_dir() or \
            not (theme / sub).resolve().is_relative_to(theme.resolve()):
        return [builtin]
    return [(theme / sub).resolve(), builtin]


def relink_images(markup: str, renamed: dict[str, str]) -> str:
    """Point the `src` attributes of images stored under another name (in the EPUB, in
    the web edition's assets) at that name; `src` as the templates escaped it."""
    for src, name in renamed.items():
        quoted = src.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        for form in {str(escape(src)), quoted.replace('"', "&quot;")}:
            markup = markup.replace(f'src="{form}"', f'src="{name}"')
    return markup
