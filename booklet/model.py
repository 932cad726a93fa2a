"""The in-memory model of a booklet: small frozen records, built once by `content`.

Every writer (PDF, EPUB) reads the same model, so a booklet is validated completely
before any output is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class Meta:
    """Front matter after validation (see `booklet.frontmatter.SCHEMA` for each rule)."""

    title: str
    subtitle: str | None = None
    #: Running-footer title: `short_title`, else `title`.
    short_title: str | None = None
    language: str = "en"
    authors: tuple[str, ...] = ()
    date: date | None = None
    edition: str | None = None
    summary: str | None = None
    keywords: tuple[str, ...] = ()
    audience: str | None = None
    #: Highest Flesch–Kincaid or SMOG grade `booklet check` accepts: `reading_grade`, else 8.
    reading_grade: float = 8.0

    @property
    def running_title(self) -> str:
        """The short title for running footers: `short_title`, else `title`."""
        return self.short_title or self.title


@dataclass(frozen=True)
class Html:
    """A run of ordinary Markdown (paragraphs, lists, quotes) rendered to XHTML."""

    html: str
    template: str = field(default="html", init=False)


@dataclass(frozen=True)
class Figure:
    """An image on a paragraph of its own; `caption` comes from the Markdown title."""

    src: str
    alt: str
    caption: str | None = None
    template: str = field(default="figure", init=False)


@dataclass(frozen=True)
class Callout:
    """A fenced `::: kind [title]` box; `title` is the text after the kind, if any."""

    kind: str
    title: str | None
    blocks: tuple[Block, ...]
    template: str = field(default="callout", init=False)


@dataclass(frozen=True)
class Question:
    """One FAQ entry: a `###` heading inside `::: faq` and the blocks under it."""

    id: str
    title_html: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Faq:
    """A `::: faq` container: questions and their answers."""

    questions: tuple[Question, ...]
    title: str | None = None
    template: str = field(default="faq", init=False)


@dataclass(frozen=True)
class Heading:
    """A heading below section level (`###` and deeper) inside a section's text."""

    level: int
    id: str
    title_html: str
    template: str = field(default="heading", init=False)


Block = Html | Figure | Callout | Faq | Heading


@dataclass(frozen=True)
class Section:
    """A `##` heading and the blocks up to the next `##` or `#`."""

    id: str
    title: str
    title_html: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Part:
    """A `#` heading (a chapter): its opening blocks, then its sections."""

    id: str
    title: str
    title_html: str
    blocks: tuple[Block, ...]
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Booklet:
    """One booklet folder, loaded and validated.

    `slug` is the folder name and names the outputs; `images` lists every image the
    text uses, relative to the folder, in order of first use.
    """

    slug: str
    folder: Path
    source: Path
    meta: Meta
    parts: tuple[Part, ...]
    images: tuple[str, ...] = ()
