"""Model -> HTML through Jinja templates: one print document, one XHTML file per part.

Templates and styles are looked up in a theme folder first (a clinic's overrides),
then in the built-in `templates/` and `styles/`. Autoescape and StrictUndefined are on;
booklet text is only ever data passed to templates, never template source.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .i18n import translator
from .model import Block, Booklet, Part
from .options import BuildOptions

ROOT = Path(__file__).resolve().parent.parent
BUILTIN_TEMPLATES = ROOT / "templates"
BUILTIN_STYLES = ROOT / "styles"


@dataclass(frozen=True)
class EbookDocument:
    """One XHTML file of the EPUB."""

    file_name: str
    title: str
    xhtml: str
    part: Part | None = None


class Renderer:
    """Jinja environment and stylesheets for one theme (or the built-ins)."""

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
        )
        self.env.globals["blocks"] = _render_blocks

    def stylesheet(self, name: str) -> str:
        """The text of `styles/<name>`, from the theme when it has one."""
        for folder in self.style_dirs:
            path = folder / name
            if path.is_file():
                return path.read_text(encoding="utf-8")
        raise FileNotFoundError(f"stylesheet {name!r} not found in {self.style_dirs}")

    def print_html(self, booklet: Booklet, options: BuildOptions) -> str:
        """The whole booklet as one HTML document for the PDF renderer."""
        return self._render("print/booklet.html", booklet, options)

    def ebook_documents(self, booklet: Booklet, options: BuildOptions) -> list[EbookDocument]:
        """The EPUB's XHTML files in reading order: title page, contents, one per part."""
        docs = [EbookDocument("titlepage.xhtml", booklet.meta.title,
                              self._render("ebook/titlepage.xhtml", booklet, options))]
        for number, part in enumerate(booklet.parts, start=1):
            name = part_file_name(number)
            xhtml = self._render("ebook/part.xhtml", booklet, options, part=part)
            docs.append(EbookDocument(name, part.title, xhtml, part))
        return docs

    def ebook_nav(self, booklet: Booklet, options: BuildOptions) -> str:
        """The EPUB navigation document (contents and landmarks)."""
        files = {part.id: part_file_name(n) for n, part in enumerate(booklet.parts, start=1)}
        return self._render("ebook/nav.xhtml", booklet, options, part_files=files)

    def _render(self, name: str, booklet: Booklet, options: BuildOptions, **extra: Any) -> str:
        context = {"booklet": booklet, "meta": booklet.meta, "options": options,
                   "build_time": options.build_time, "_": translator(booklet.meta.language),
                   "ebook": name.startswith("ebook/"), **extra}
        return self.env.get_template(name).render(context)


def part_file_name(number: int) -> str:
    """The EPUB file name of the n-th part (1-based)."""
    return f"part-{number:02d}.xhtml"


@jinja2.pass_context
def _render_blocks(context: jinja2.runtime.Context, blocks: tuple[Block, ...], depth: int
                   ) -> Markup:
    """Render blocks through their partials `blocks/<template>.html`.

    `depth` is the heading level of the enclosing heading; a block's own headings
    use the next level, so heading levels never skip.
    """
    env = context.environment
    out = []
    for block in blocks:
        template = env.get_template(f"blocks/{block.template}.html")
        out.append(template.render({**context.get_all(), "block": block, "depth": depth}))
    return Markup("".join(out))


def _search_path(theme: Path | None, sub: str, builtin: Path) -> list[Path]:
    # Resolved: the PDF writer turns these folders into file: URLs.
    dirs = [(theme / sub).resolve()] if theme is not None and (theme / sub).is_dir() else []
    return [*dirs, builtin]
