"""Model -> EPUB 3 bytes with ebooklib: one XHTML file per part, nav, NCX, metadata.

ebooklib assembles the package (OPF, NCX, zip); the XHTML files and the navigation
document come from our templates verbatim. The zip is then rewritten with fixed
timestamps so the same input gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from datetime import datetime
from pathlib import PurePosixPath
from urllib.parse import urljoin, urlsplit

from ebooklib import epub
from markupsafe import escape

from .branding import logo_file_name
from .config import Config
from .content import IMAGE_TYPES
from .i18n import text_direction
from .model import Booklet
from .options import BuildOptions
from .render import Renderer
from .resources import IMAGE_MEDIA_TYPES, Refused, ResourcePolicy, booklet_policy, css_references

XHTML = "application/xhtml+xml"


def book_identifier(booklet: Booklet) -> str:
    """A stable identifier derived from the slug: the same booklet keeps its id."""
    return slug_identifier(booklet.slug)


def slug_identifier(slug: str) -> str:
    """The identifier of the booklet in folder `slug` (other editions are named by it)."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'booklet:{slug}')}"


def render_epub(booklet: Booklet, renderer: Renderer, options: BuildOptions) -> bytes:
    """Assemble the booklet's EPUB and return the file's bytes."""
    book = _package(booklet, options)
    _practice_metadata(book, booklet, renderer.config)
    policy = booklet_policy(booklet, renderer, options)
    _check_stylesheet(renderer, policy)
    renamed = _add_images(book, booklet, policy)
    book.add_item(epub.EpubItem(uid="style", file_name="style.css", media_type="text/css",
                                content=renderer.stylesheet("ebook.css").encode()))
    documents = renderer.ebook_documents(booklet, options)
    items = {}
    for number, doc in enumerate(documents):
        item = epub.EpubItem(uid=f"doc{number}", file_name=doc.file_name, media_type=XHTML,
                             content=_relink(doc.xhtml, renamed).encode())
        items[doc.file_name] = item
        book.add_item(item)
    nav = epub.EpubItem(uid="nav", file_name="nav.xhtml", media_type=XHTML,
                        content=renderer.ebook_nav(booklet, options).encode())
    nav.properties = ["nav"]
    book.add_item(nav)
    book.add_item(epub.EpubNcx())
    logo = renderer.config.practice_for(booklet).logo
    if logo is not None:
        book.add_item(epub.EpubImage(uid="practice-logo", file_name=logo_file_name(logo),
                                     media_type=IMAGE_TYPES[logo.suffix.lower()],
                                     content=logo.read_bytes()))
    book.toc = _ncx_toc(booklet, documents)
    book.spine = [items["titlepage.xhtml"], nav, *(items[d.file_name] for d in documents
                                                    if d.file_name != "titlepage.xhtml")]
    buffer = io.BytesIO()
    epub.write_epub(buffer, book, {"mtime": options.build_time, "epub2_guide": False,
                                   "raise_exceptions": True,
                                   "package_direction": book.direction == "rtl"})
    return normalize_zip(buffer.getvalue(), options.build_time)


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
    """Refuse network references in the ebook stylesheet: a reader would fetch them."""
    path = renderer.stylesheet_path("ebook.css")
    for url in css_references(path, path.read_text(encoding="utf-8")):
        if urlsplit(url).scheme.lower() in ("http", "https"):
            policy.refuse(url, "is on the network; an EPUB may only use files packed in it")
    policy.raise_refusals()


def _relink(xhtml: str, renamed: dict[str, str]) -> str:
    """Point `src` attributes of renamed images at their names inside the EPUB."""
    for src, name in renamed.items():
        quoted = src.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        for form in {str(escape(src)), quoted.replace('"', "&quot;")}:
            xhtml = xhtml.replace(f'src="{form}"', f'src="{name}"')
    return xhtml


def _package(booklet: Booklet, options: BuildOptions) -> epub.EpubBook:
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
    return book


def _link_editions(book: epub.EpubBook, booklet: Booklet) -> None:
    """Name the other language editions (dc:relation) and, for a translation, the
    original it was made from (dc:source), by their identifiers."""
    for edition in booklet.editions:
        book.add_metadata("DC", "relation", slug_identifier(edition.slug))
    if booklet.meta.translation_of:
        book.add_metadata("DC", "source", slug_identifier(booklet.meta.translation_of))
def _practice_metadata(book: epub.EpubBook, booklet: Booklet, config: Config) -> None:
    """Publisher (the practice), sources, reviewer, review date and online home."""
    meta = booklet.meta
    practice = config.practice_for(booklet)
    if practice.name:
        book.add_metadata("DC", "publisher", practice.name)
    if meta.reviewed_by:
        book.add_metadata("DC", "contributor", meta.reviewed_by, {"id": "reviewer"})
        book.add_metadata(None, "meta", "rev", {"refines": "#reviewer", "property": "role",
                                                "scheme": "marc:relators"})
    if meta.review_date:
        book.add_metadata(None, "meta", meta.review_date.isoformat(),
                          {"property": "dcterms:dateAccepted"})
    if url := config.online_url(booklet):
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


def normalize_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite an EPUB zip with fixed timestamps and `mimetype` first and stored."""
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
                target.writestr(info, source.read(name), compresslevel=9)
    return out.getvalue()
