"""Model -> EPUB 3 bytes with ebooklib: cover, title page, nav, one file per part, colophon.

ebooklib assembles the package (OPF, NCX, zip); the XHTML files and the navigation
document come from our templates verbatim, with print page-break markers added
(`booklet.epub.pagemap`). The print edition's layout, shared with the PDF writer, gives the
page map and the cover image. The zip is rewritten with fixed timestamps so the same
input gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from ebooklib import epub
from lxml import etree

from ..options import BuildOptions
from ..render.branding import logo_file_name
from ..render.html import EbookDocument, Renderer, relink_images
from ..render.i18n import text_direction, translator
from ..sandbox.files import IMAGE_MEDIA_TYPES, IMAGE_TYPES, Refused
from ..sandbox.policy import ResourcePolicy, ebook_stylesheet_refusals
from ..source.model import Booklet
from .a11y import BookFacts, accessibility_metadata
from .cover import COVER_FILE, COVER_MEDIA_TYPE, cover_image
from .fonts import ebook_faces, family_css, font_face_css, font_files, licences
from .pagemap import PageMark, PageStart, mark_pages, page_marks, page_starts

if TYPE_CHECKING:
    from ..pdf.writer import PrintEdition

XHTML = "application/xhtml+xml"
NAV = "nav.xhtml"
#: Font licence pages: in the spine but not in the reading order (linear="no").
LICENCE_PREFIX = "licence-"


@dataclass(frozen=True)
class FromPrint:
    """What the EPUB takes from the laid-out print edition."""

    starts: tuple[PageStart, ...]
    cover: bytes
    #: How the page list names its source, e.g. "Title, print edition (PDF, 148 × 210 mm)".
    name: str


def book_identifier(booklet: Booklet) -> str:
    """A stable identifier derived from the slug: the same booklet keeps its id."""
    return slug_identifier(booklet.slug)


def slug_identifier(slug: str) -> str:
    """The identifier of the booklet in folder `slug` (other editions are named by it)."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'booklet:{slug}')}"


def render_epub(booklet: Booklet, renderer: Renderer, options: BuildOptions,
                print_edition: PrintEdition, policy: ResourcePolicy) -> bytes:
    """Assemble the booklet's EPUB and return the file's bytes.

    `print_edition` (the laid-out reading edition) gives the page list and the cover;
    images and stylesheets are read through `policy`, as the PDF's are."""
    edition = from_print(booklet, renderer, print_edition)
    documents, marks, rendered = _documents(booklet, renderer, options, edition)
    words = translator(booklet.meta.language, renderer.locale_dirs)
    book = _package(booklet, BookFacts(True, edition.name if marks else None), words)
    _practice_metadata(book, booklet)
    _check_stylesheet(renderer, policy)
    renamed = _add_images(book, booklet, policy)
    items = {}
    for number, (name, xhtml) in enumerate(documents.items()):
        item = epub.EpubItem(uid=f"doc{number}" if name != NAV else "nav", file_name=name,
                             media_type=XHTML, content=relink_images(xhtml, renamed).encode())
        item.properties = ["nav"] if name == NAV else []
        items[name] = item
        book.add_item(item)
    book.spine = [(item, "no" if name.startswith(LICENCE_PREFIX) else "yes")
                  for name, item in items.items()]
    text = " ".join(" ".join(etree.fromstring(x.encode()).itertext()) for x in documents.values())
    _add_resources(book, booklet, renderer, edition, text)
    book.add_item(epub.EpubNcx())
    book.toc = _ncx_toc(booklet, rendered)
    buffer = io.BytesIO()
    # Stored uncompressed: normalize_zip compresses every member once.
    epub.write_epub(buffer, book, {"mtime": options.build_time, "epub2_guide": False,
                                   "raise_exceptions": True, "compresslevel": 0,
                                   "package_direction": book.direction == "rtl"})
    edits = {f"{book.FOLDER_NAME}/content.opf": lambda opf: _package_language(opf, booklet)}
    return normalize_zip(buffer.getvalue(), options.build_time, edits)


def from_print(booklet: Booklet, renderer: Renderer, print_edition: PrintEdition
               ) -> FromPrint:
    """The print edition's page starts, cover image and name."""
    document = print_edition.document
    first = document.pages[0]
    width, height = (round(px * 25.4 / 96) for px in (first.width, first.height))
    _ = translator(booklet.meta.language, renderer.locale_dirs)
    name = _("{title}, print edition (PDF, {width} × {height} mm)", title=booklet.meta.title,
             width=width, height=height)
    if booklet.meta.edition:
        name += ", " + _("edition {edition}", edition=booklet.meta.edition)
    cover = cover_image(print_edition.first_page_pdf())
    return FromPrint(page_starts(document), cover, name)


def _documents(booklet: Booklet, renderer: Renderer, options: BuildOptions,
               edition: FromPrint
               ) -> tuple[dict[str, str], list[PageMark], list[EbookDocument]]:
    """File name -> XHTML in reading order, page markers placed; the page list; and the
    documents as rendered (for the NCX).

    The font licences come last, outside the reading order (see `LICENCE_PREFIX`).
    """
    page = renderer.ebook_page
    texts = licences(ebook_faces(booklet.meta.language))
    files = {family: licence_file_name(family) for family in texts}
    rendered = renderer.ebook_documents(booklet, options, licences=files)
    documents = {"cover.xhtml": page("cover.xhtml", booklet, options, cover_src=COVER_FILE),
                 rendered[0].file_name: rendered[0].xhtml,
                 NAV: renderer.ebook_nav(booklet, options),
                 **{doc.file_name: doc.xhtml for doc in rendered[1:]}}
    marks = page_marks(documents, edition.starts)
    documents[NAV] = renderer.ebook_nav(booklet, options, pages=marks)
    documents = mark_pages(documents, edition.starts, marks)
    for family, text in texts.items():
        documents[files[family]] = page("licence.xhtml", booklet, options, family=family,
                                        text=text)
    return documents, marks, rendered


def licence_file_name(family: str) -> str:
    """The EPUB file holding a typeface's licence: `licence-source-sans-3.xhtml`."""
    return f"{LICENCE_PREFIX}{family.lower().replace(' ', '-')}.xhtml"


def _add_resources(book: epub.EpubBook, booklet: Booklet, renderer: Renderer,
                   edition: FromPrint, text: str) -> None:
    """Stylesheet, fonts and their licences, and the cover image."""
    faces = ebook_faces(booklet.meta.language)
    css = font_face_css(faces) + renderer.stylesheet("ebook.css") \
        + family_css(booklet.meta.language)
    book.add_item(epub.EpubItem(uid="style", file_name="style.css", media_type="text/css",
                                content=css.encode()))
    for number, (name, data) in enumerate(font_files(text, faces).items()):
        book.add_item(epub.EpubItem(uid=f"font{number}", file_name=name,
                                    media_type="font/ttf", content=data))
    cover = epub.EpubItem(uid="cover-image", file_name=COVER_FILE,
                          media_type=COVER_MEDIA_TYPE, content=edition.cover)
    cover.properties = ["cover-image"]
    book.add_item(cover)
    logo = booklet.practice.logo
    if logo is not None:
        book.add_item(epub.EpubImage(uid="practice-logo", file_name=logo_file_name(logo),
                                     media_type=IMAGE_TYPES[logo.suffix.lower()],
                                     content=booklet.practice.logo_bytes()))


def _add_images(book: epub.EpubBook, booklet: Booklet, policy: ResourcePolicy
                ) -> dict[str, str]:
    """Embed every image, read through the resource policy like the PDF's.

    Returns {src: name in the EPUB} for the images stored under another name: remote
    ones (`--allow-remote`), which an EPUB must carry inside it.
    """
    base = booklet.folder.as_uri() + "/"
    renamed: dict[str, str] = {}
    for number, src in enumerate(booklet.images):
        try:
            resource = policy.read(urljoin(base, src))
        except Refused:
            continue
        if urlsplit(src).scheme:
            media = resource.media_type
            digest = hashlib.sha256(src.encode()).hexdigest()[:16]
            name = renamed[src] = f"images/remote-{digest}{IMAGE_MEDIA_TYPES[media]}"
        else:
            name, media = src, IMAGE_TYPES[PurePosixPath(urlsplit(src).path).suffix.lower()]
        book.add_item(epub.EpubImage(uid=f"img{number}", file_name=name, media_type=media,
                                     content=resource.data))
    policy.raise_refusals()
    return renamed


def _check_stylesheet(renderer: Renderer, policy: ResourcePolicy) -> None:
    """Refuse what a reader would fetch from outside the EPUB for the ebook stylesheet."""
    path = renderer.stylesheet_path("ebook.css")
    for url, reason in ebook_stylesheet_refusals(path, path.read_text(encoding="utf-8")):
        policy.refuse(url, reason)
    policy.raise_refusals()


def _package(booklet: Booklet, facts: BookFacts, words: Callable[..., str]) -> epub.EpubBook:
    meta = booklet.meta
    book = epub.EpubBook()
    book.set_identifier(book_identifier(booklet))
    book.set_title(meta.title)
    book.set_language(meta.language)
    if text_direction(meta.language) == "rtl":
        book.set_direction("rtl")
    for number, author in enumerate(meta.authors):
        book.add_author(author, uid=f"creator{number}")
    if meta.summary:
        book.add_metadata("DC", "description", meta.summary)
    for keyword in meta.keywords:
        book.add_metadata("DC", "subject", keyword)
    if meta.date:
        book.add_metadata("DC", "date", meta.date.isoformat())
    _link_editions(book, booklet)
    book.metadata[epub.NAMESPACES["OPF"]]["generator"] = [
        ("", {"name": "generator", "content": "booklet"})]
    book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    for prop, value in accessibility_metadata(facts, words):
        book.add_metadata(None, "meta", value, {"property": prop})
    return book


def _link_editions(book: epub.EpubBook, booklet: Booklet) -> None:
    """Name the other language editions (dc:relation) and, for a translation, the
    original it was made from (dc:source), by their identifiers."""
    for edition in booklet.editions:
        book.add_metadata("DC", "relation", slug_identifier(edition.slug))
    if booklet.meta.translation_of:
        book.add_metadata("DC", "source", slug_identifier(booklet.meta.translation_of))


def _practice_metadata(book: epub.EpubBook, booklet: Booklet) -> None:
    """Publisher (the practice), sources, reviewer, review date and online home."""
    meta = booklet.meta
    practice = booklet.practice
    if practice.name:
        book.add_metadata("DC", "publisher", practice.name)
    if meta.reviewed_by:
        book.add_metadata("DC", "contributor", meta.reviewed_by, {"id": "reviewer"})
        book.add_metadata(None, "meta", "rev", {"refines": "#reviewer", "property": "role",
                                                "scheme": "marc:relators"})
    if booklet.review and booklet.review.reviewed:
        book.add_metadata(None, "meta", booklet.review.reviewed.isoformat(),
                          {"property": "dcterms:dateAccepted"})
    if url := booklet.online_url:
        book.add_metadata("DC", "relation", url)


def _ncx_toc(booklet: Booklet, documents) -> list:
    toc: list = []
    for doc in documents:
        if doc.file_name == "titlepage.xhtml":
            continue
        if doc.part is None:
            toc.append(epub.Link(doc.file_name, doc.title, doc.file_name.removesuffix(".xhtml")))
            continue
        part_link = epub.Link(doc.file_name, doc.part.title, doc.part.id)
        sections = [epub.Link(f"{doc.file_name}#{s.id}", s.title, s.id)
                    for s in doc.part.sections]
        toc.append((epub.Section(doc.part.title, doc.file_name), sections) if sections
                   else part_link)
    return toc


def _package_language(opf: bytes, booklet: Booklet) -> bytes:
    """The package document with `xml:lang` on its root (ebooklib leaves it out)."""
    root = etree.fromstring(opf)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", booklet.meta.language)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def normalize_zip(data: bytes, when: datetime,
                  edits: Mapping[str, Callable[[bytes], bytes]] | None = None) -> bytes:
    """Rewrite an EPUB zip with fixed timestamps and `mimetype` first and stored.

    Every member is compressed here (level 9), so the zip given may be uncompressed.

    `edits` maps a member's name to a function that rewrites its bytes on the way.
    """
    edits = edits or {}
    stamp = max(when.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(source.namelist(), key=lambda n: (n != "mimetype", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.create_system = 3
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
                target.writestr(info, source.read(name))
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                content = source.read(name)
                if name in edits:
                    content = edits[name](content)
                target.writestr(info, content, compresslevel=9)
    return out.getvalue()
