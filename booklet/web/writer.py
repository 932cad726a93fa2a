"""Model -> the web edition: `<slug>.html`, its images and the shared files under `assets/`.

The page comes from `templates/web/page.html`, which extends base.html and renders the
same block partials as print and EPUB (with `web/blocks/` variants where a browser
does better: a worksheet becomes a form). Everything it loads lies beside it: the
stylesheet and WOFF2 fonts (`booklet.web.fonts`), the practice's logo and the
booklet's images, read through the same resource policy as the other editions and
stored under names of their content's digest. A Content-Security-Policy allows files
of the page's own site only, and no script at all, so nothing an author writes can
run or call out. The library page's record of the booklet (`booklet.web.library`)
is made here too, with a small cover picture drawn from the print edition.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from markupsafe import escape

from ..errors import BookletError
from ..options import BuildOptions
from ..render.html import relink_images
from ..sandbox.files import IMAGE_MEDIA_TYPES, IMAGE_TYPES, Refused
from ..sandbox.policy import ResourcePolicy, css_references
from .fonts import FONT_FOLDER, font_face_css, web_fonts, woff2
from .library import COVER_FOLDER, Record, booklet_record
from .page import CSP, DOWNLOAD_KINDS, STYLESHEET, Download, phone_links, size_text

if TYPE_CHECKING:
    from ..pdf.writer import PrintEdition
    from ..render.html import Renderer
    from ..source.model import Booklet

IMAGE_FOLDER = "assets/images"
#: Width of the library page's cover pictures in pixels: twice the width shown.
THUMBNAIL_WIDTH = 280

@dataclass(frozen=True)
class WebEdition:
    """The page's bytes, every other file it needs (path under the output folder ->
    bytes), and the booklet's record for the library page."""

    page: bytes
    files: dict[str, bytes]
    record: Record


def render_web(booklet: Booklet, renderer: Renderer, options: BuildOptions,
               policy: ResourcePolicy, edition: PrintEdition | None,
               downloads: list[Download]) -> WebEdition:
    """Render the booklet's web page and collect the files it uses."""
    language = booklet.meta.language
    files: dict[str, bytes] = {}
    images = _images(booklet, policy, files)
    stylesheets = _stylesheets(renderer, language, files)
    logo_src = _logo(booklet, files)
    order = list(DOWNLOAD_KINDS)
    downloads = [Download(d.format, d.file_name, d.size, d.pages, size_text(d.size, language))
                 for d in sorted(downloads, key=lambda d: order.index(d.format))
                 if d.format in DOWNLOAD_KINDS]
    fillable = next((d.file_name for d in downloads if d.format == "pdf"), None)
    html = renderer.web_page("page.html", booklet, options, csp=CSP, stylesheets=stylesheets,
                             logo_src=logo_src, downloads=downloads, fillable_pdf=fillable,
                             phone_links=phone_links, library=False)
    html = _align_classes(relink_images(html, images))
    thumbnail = None
    if edition is not None:
        thumbnail = f"{COVER_FOLDER}/{booklet.slug}.jpg"
        files[thumbnail] = cover_thumbnail(edition)
    files[f"{booklet.slug}/index.html"] = folder_page(booklet)
    pages = len(edition.document.pages) if edition is not None else None
    record = booklet_record(booklet, f"{booklet.slug}.html", thumbnail, pages,
                            {d.format: d.file_name for d in downloads},
                            [name for name in files if name != thumbnail])
    files[record.file_name()] = record.to_json()
    return WebEdition(html.encode("utf-8"), files, record)


def folder_page(booklet: Booklet) -> bytes:
    """`<slug>/index.html`: the booklet's online address (booklet.toml's base_url +
    slug + "/", what the QR code on the back cover holds) leads to its page when
    `dist/` is uploaded as it is. It sends the browser on at once and links there too."""
    page = f"../{booklet.slug}.html"
    title = escape(booklet.meta.title)
    return (f'<!DOCTYPE html>\n<html lang="{escape(booklet.meta.language)}">\n<head>\n'
            f'<meta charset="utf-8">\n<title>{title}</title>\n'
            f'<meta http-equiv="refresh" content="0; url={page}">\n'
            f'<link rel="canonical" href="{page}">\n</head>\n'
            f'<body>\n<p><a href="{page}">{title}</a></p>\n</body>\n</html>\n'
            ).encode()


def cover_thumbnail(edition: PrintEdition) -> bytes:
    """The print edition's first page as a small JPEG for the library page."""
    from ..epub.cover import page_jpeg

    return page_jpeg(edition.first_page_pdf(), THUMBNAIL_WIDTH, quality=80)


def _images(booklet: Booklet, policy: ResourcePolicy, files: dict[str, bytes]
            ) -> dict[str, str]:
    """Copy every image the text uses, read through `policy`; return {src: page src}.

    Images are named by their content's digest: a name from the text could hold
    anything, and the same picture in two language editions is stored once."""
    base = booklet.folder.as_uri() + "/"
    found: dict[str, str] = {}
    for src in booklet.images:
        try:
            resource = policy.read(urljoin(base, src))
        except Refused:
            continue
        if urlsplit(src).scheme:
            suffix = IMAGE_MEDIA_TYPES[resource.media_type]
        else:
            suffix = PurePosixPath(urlsplit(src).path).suffix.lower()
            suffix = IMAGE_MEDIA_TYPES[IMAGE_TYPES[suffix]]
        name = f"{IMAGE_FOLDER}/{hashlib.sha256(resource.data).hexdigest()[:20]}{suffix}"
        files[name] = resource.data
        found[src] = name
    policy.raise_refusals()
    return found


def _stylesheets(renderer: Renderer, language: str, files: dict[str, bytes]) -> list[str]:
    """The shared stylesheet (and a script family's fonts, when the language needs one),
    with every font file they name; return the hrefs to link."""
    path = renderer.stylesheet_path("web.css")
    text = path.read_text(encoding="utf-8")
    for url, reference in css_references(path, text).items():
        if urlsplit(url).scheme.lower() not in ("", "file"):
            raise BookletError(reference.problem(
                "is on the network: the web edition loads nothing from other sites"))
    latin = web_fonts("en")
    files[STYLESHEET] = (font_face_css(latin) + text).encode("utf-8")
    fonts = list(latin)
    hrefs = [STYLESHEET]
    script = [font for font in web_fonts(language) if font not in latin]
    if script:
        from ..render.fonts import families_for

        family = families_for(language)[0]
        name = f"assets/{family.lower().replace(' ', '-')}.css"
        files[name] = (font_face_css(tuple(script)) +
                       f"body, h1, h2, h3, h4, h5, h6, .site-name {{ font-family: '{family}', "
                       "sans-serif; }\n").encode("utf-8")
        hrefs.append(name)
        fonts += script
    for font in fonts:
        files[f"{FONT_FOLDER}/{font.file_name}"] = woff2(font)
    return hrefs


def _logo(booklet: Booklet, files: dict[str, bytes]) -> str | None:
    """Copy the practice's logo under `assets/`; return its src."""
    logo = booklet.practice.logo
    if logo is None:
        return None
    data = booklet.practice.logo_bytes()
    name = f"assets/logo-{hashlib.sha256(data).hexdigest()[:12]}{logo.suffix.lower()}"
    files[name] = data
    return name


_ALIGN = re.compile(r'style="\s*text-align:\s*(left|right|center|start|end)\s*;?\s*"')


def _align_classes(html: str) -> str:
    """Table cells' `style="text-align: right"` as classes: the page's policy lets no
    inline style through, and the sanitiser lets no other style or class in."""
    return _ALIGN.sub(r'class="align-\1"', html)


