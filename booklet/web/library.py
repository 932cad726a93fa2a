"""The handout library, `index.html`: every booklet in the output folder, with its editions.

Each build of a booklet's web edition leaves a small record beside its files
(`assets/library/<slug>.json`: title, audience, language, other editions, reading
grade, page count, the files it wrote). The library page is made from the records,
not from the booklets of one build, so a booklet an incremental build skipped, or
one built in another run, is still listed; a record whose files are all gone is left
out. The output folder then holds all it needs: it can be copied to a web server, or
opened from disk, as it is.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..output import write_atomic

if TYPE_CHECKING:
    from ..render.html import Renderer
    from ..source.config import Config
    from ..source.model import Booklet

RECORD_FOLDER = "assets/library"
#: Where each booklet's cover picture for the library page goes (`<slug>.jpg`).
COVER_FOLDER = "assets/covers"
INDEX = "index.html"
#: Bump when a record's fields change; older records are then read as missing.
RECORD_FORMAT = 1


@dataclass(frozen=True)
class Record:
    """What the library page shows of one booklet (JSON in `assets/library/`)."""

    slug: str
    title: str
    language: str
    page: str
    subtitle: str | None = None
    audience: str | None = None
    summary: str | None = None
    #: The folder of the booklet this one translates (`translation_of`), if any.
    original: str | None = None
    #: The other language editions: [{"slug", "language", "title"}].
    editions: list[dict[str, str]] = field(default_factory=list)
    #: Flesch–Kincaid grade (English only), and minutes to read at 200 words a minute.
    grade: float | None = None
    minutes: int | None = None
    pages: int | None = None
    thumbnail: str | None = None
    #: Format -> file name of each other edition written with the page.
    downloads: dict[str, str] = field(default_factory=dict)
    #: The files under assets/ the page loads (stylesheets, fonts, logo, images).
    assets: list[str] = field(default_factory=list)
    format: int = RECORD_FORMAT

    def file_name(self) -> str:
        return f"{RECORD_FOLDER}/{self.slug}.json"

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1,
                          sort_keys=True).encode("utf-8")


def booklet_record(booklet: Booklet, page: str, thumbnail: str | None, pages: int | None,
                   downloads: dict[str, str], assets: list[str]) -> Record:
    """The library's record of a booklet whose web edition is being written."""
    from ..authoring.readability import booklet_stats, is_graded

    meta = booklet.meta
    stats = booklet_stats(booklet)
    return Record(
        slug=booklet.slug, title=meta.title, language=meta.language, page=page,
        subtitle=meta.subtitle, audience=meta.audience, summary=meta.summary,
        original=meta.translation_of,
        editions=[{"slug": e.slug, "language": e.language, "title": e.title}
                  for e in booklet.editions],
        grade=round(stats.flesch_kincaid, 1) if is_graded(meta.language) else None,
        minutes=stats.reading_minutes, pages=pages, thumbnail=thumbnail,
        downloads=dict(downloads), assets=sorted(assets))


def assets_present(out: Path, slug: str) -> bool:
    """Whether the files the booklet's web page loads are all in `out` (an incremental
    build rebuilds a page whose assets were deleted, though the page is untouched)."""
    record = _read(out / RECORD_FOLDER / f"{slug}.json")
    return record is not None and all((out / name).is_file() for name in record.assets)


def _read(path: Path) -> Record | None:
    try:
        record = Record(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    return record if record.format == RECORD_FORMAT and path.stem == record.slug else None


def read_records(out: Path) -> list[Record]:
    """The records in `out` whose page is still there, by title; unreadable ones skipped."""
    records = []
    for path in sorted((out / RECORD_FOLDER).glob("*.json")):
        record = _read(path)
        if record is not None and (out / record.page).is_file():
            records.append(record)
    return _in_order(records)


def _in_order(records: list[Record]) -> list[Record]:
    """By the original's title, each original followed by its translations."""
    titles = {record.slug: record.title.casefold() for record in records}

    def key(record: Record) -> tuple[str, str, bool, str]:
        group = record.original if record.original in titles else record.slug
        return (titles[group], group, record.slug != group, record.language)

    return sorted(records, key=key)


@dataclass(frozen=True)
class Entry:
    """One booklet on the library page: its record, and the files there now."""

    record: Record
    #: (format, file name, size in bytes) of each download still in the folder.
    downloads: list[tuple[str, str, int]]
    thumbnail: str | None
    #: The other editions that are in the library too.
    editions: list[dict[str, str]]


def write_library(out: Path, renderer: Renderer, config: Config) -> Path:
    """Write `index.html` for every booklet recorded in `out`; return its path."""
    from ..render.i18n import text_direction, translator
    from .page import CSP, DOWNLOAD_KINDS, STYLESHEET, Download, phone_links, size_text

    records = read_records(out)
    slugs = {record.slug for record in records}
    language = _language(records)
    entries = []
    for record in records:
        downloads = [(fmt, record.downloads[fmt], (out / record.downloads[fmt]).stat().st_size)
                     for fmt in DOWNLOAD_KINDS if fmt in record.downloads
                     and (out / record.downloads[fmt]).is_file()]
        thumbnail = record.thumbnail if record.thumbnail and (out / record.thumbnail).is_file() \
            else None
        editions = [e for e in record.editions if e["slug"] in slugs]
        entries.append(Entry(record, downloads, thumbnail, editions))
    logo_src = None
    if config.practice.logo is not None:
        data = config.practice.logo_bytes()
        logo_src = f"assets/logo-{hashlib.sha256(data).hexdigest()[:12]}" \
                   f"{config.practice.logo.suffix.lower()}"
        write_if_changed(out / logo_src, data)
    words = translator(language, renderer.locale_dirs)
    title = words("Handouts")
    if config.practice.name:
        title = words("Handouts from {name}", name=config.practice.name)
    html = renderer.env.get_template("web/library.html").render(
        meta={"language": language, "title": title}, title=title, entries=entries,
        practice=config.practice, help=config.help, logo_src=logo_src, csp=CSP,
        stylesheets=[STYLESHEET], _=words, _n=words.plural, dir=text_direction(language),
        ebook=False, web=True, library=True, phone_links=phone_links,
        download=lambda fmt, name, size, pages=None: Download(
            fmt, name, size, pages, size_text(size, language)))
    path = out / INDEX
    write_if_changed(path, html.encode("utf-8"))
    return path


def _language(records: list[Record]) -> str:
    """The library page's language: the one most booklets are in (English on a tie)."""
    counts = Counter(record.language for record in records)
    if not counts:
        return "en"
    best = max(counts.values())
    return "en" if counts.get("en") == best else sorted(k for k, v in counts.items()
                                                       if v == best)[0]


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` to `path` atomically unless it already holds exactly that."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(path, data)
    return True
