"""The in-memory model of a booklet: small frozen records, built once by `content`.

Every writer (PDF, EPUB) reads the same model, so a booklet is validated completely
before any output is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path

from ..errors import Problem
from .paper import DEFAULT_PAPER, PAPERS, Paper
from .schema import KeyLines


@dataclass(frozen=True)
class Practice:
    """The practice handing the booklet out: booklet.toml `[practice]`, then front
    matter `practice:` field by field. Every field is optional; `logo` is absolute."""

    name: str | None = None
    address: tuple[str, ...] = ()
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    logo: Path | None = None
    #: The brand colour of the cover band and rules, `#rrggbb` (white text reads on it).
    colour: str | None = None
    #: The logo's bytes as they were checked (set with `logo` when it is loaded): the
    #: outputs carry these, so a file swapped after the check never reaches them.
    logo_data: bytes | None = field(default=None, repr=False, compare=False)

    def logo_bytes(self) -> bytes:
        """The logo as checked (a Practice made outside the loaders reads the file)."""
        assert self.logo is not None
        return self.logo_data if self.logo_data is not None else self.logo.read_bytes()

    def logo_uri(self) -> str:
        """The logo as a `data:` URL, so the print HTML carries the checked bytes."""
        import base64

        from ..sandbox.files import IMAGE_TYPES

        assert self.logo is not None
        return f"data:{IMAGE_TYPES[self.logo.suffix.lower()]};base64," \
               f"{base64.b64encode(self.logo_bytes()).decode('ascii')}"

    def merged(self, override: Practice | None) -> Practice:
        """These details with every field `override` sets replacing ours."""
        if override is None:
            return self
        changes = {f.name: getattr(override, f.name) for f in fields(override)
                   if getattr(override, f.name) not in (None, ())}
        return replace(self, **changes)

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) not in (None, ()) for f in fields(self))


@dataclass(frozen=True)
class Contact:
    """One place to get help: what to dial (None: 'your local number'), the service's
    short name for the back cover, and a sentence for the help-now box."""

    name: str
    text: str
    number: str | None = None


@dataclass(frozen=True)
class Region:
    """The help contacts of one region, in the order they are printed."""

    code: str
    name: str
    contacts: tuple[Contact, ...]


@dataclass(frozen=True)
class Source:
    """One reference in `sources:`: plain text (all in `title`), or a title with an
    optional publisher, year and web address."""

    title: str
    publisher: str | None = None
    year: str | None = None
    url: str | None = None
    #: In a translation: a reference this edition adds for its own readers, which its
    #: original does not have (the structure check leaves it out of the count).
    added: bool = False


@dataclass(frozen=True)
class Change:
    """One line of the edition history (`changes:`): which edition, when, what changed."""

    edition: str
    date: date
    change: str


@dataclass(frozen=True)
class Meta:
    """Front matter after validation (see `booklet.source.frontmatter.SCHEMA` for each rule)."""

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
    #: Folder name of the booklet this one translates (`translation_of`), if any.
    translation_of: str | None = None
    #: References for "Sources and further reading", in the order given.
    sources: tuple[Source, ...] = ()
    #: Who reviewed the content (a clinician's name and role), and when: `reviewed`,
    #: or `review_date`, its older name (see `booklet.source.review`).
    reviewed_by: str | None = None
    reviewed: date | None = None
    review_date: date | None = None
    #: Months between reviews (`review_every: 2y`), or the day the next is due.
    review_every: int | None = None
    review_due: date | None = None
    #: The edition history, in the order written.
    changes: tuple[Change, ...] = ()
    #: Region of the help contacts, overriding booklet.toml's `help_region`.
    help_region: str | None = None
    #: In a translation: the original's content digest when it was last checked
    #: against it, and the digest of each of its parts then (`booklet translated`).
    source_digest: str | None = None
    source_sections: str | None = None
    #: Where the latest version lives online (printed as a QR code).
    online_url: str | None = None
    #: Practice details for this booklet only, overriding booklet.toml field by field.
    practice: Practice | None = None
    #: Paper size name from front matter (a5, a4, letter, half-letter); None: let the
    #: project choose (`Booklet.paper` is the one used).
    paper: str | None = None
    #: Raw HTML in the text passes the allow-list sanitiser instead of showing as text.
    allow_html: bool = False
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


@dataclass(frozen=True)
class Quote:
    """A `>` block quote; a last paragraph starting with a dash is its attribution."""

    blocks: tuple[Block, ...]
    attribution_html: str | None = None
    template: str = field(default="quote", init=False)


@dataclass(frozen=True)
class Table:
    """A Markdown table, rendered to XHTML (header row, body rows, alignments)."""

    html: str
    template: str = field(default="table", init=False)


@dataclass(frozen=True)
class Prompt:
    """One worksheet prompt: a list item of `::: worksheet`; `id` names its form field."""

    id: str
    text: str
    text_html: str


@dataclass(frozen=True)
class Worksheet:
    """A `::: worksheet [title]`: prompts to write under (form fields in the PDF), with
    optional text before and after the list of prompts."""

    title: str | None
    prompts: tuple[Prompt, ...]
    intro: tuple[Block, ...] = ()
    outro: tuple[Block, ...] = ()
    template: str = field(default="worksheet", init=False)


@dataclass(frozen=True)
class HelpNow:
    """A `::: help-now [title]` box: the author's text, then the help contacts for the
    practice's region (from booklet/data/help-contacts.toml, at render time)."""

    title: str | None
    blocks: tuple[Block, ...]
    template: str = field(default="help-now", init=False)


Block = Html | Figure | Callout | Faq | Heading | Quote | Table | Worksheet | HelpNow


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
class Edition:
    """Another language edition of the same booklet: the original or a translation."""

    slug: str
    language: str
    title: str
    #: The line of `title:` in that edition's booklet.md (for messages).
    title_line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Review:
    """When the content was last reviewed and by whom, when the next review is due,
    and the build's day (`BuildOptions.today`) the booklet was loaded on.

    `due` is front matter `review_due`, else `reviewed` plus `review_every`, else plus
    booklet.toml's `review_every`, else plus three years (see `booklet.source.review`).
    """

    reviewed: date | None
    by: str | None
    due: date | None
    today: date
    #: The front-matter line that sets the due date (for messages).
    line: int | None = field(default=None, compare=False)

    @property
    def overdue(self) -> bool:
        """Whether the due day has passed."""
        return self.due is not None and self.today > self.due

    @property
    def days_left(self) -> int | None:
        """Days from the build's day to the due day (negative once overdue)."""
        return None if self.due is None else (self.due - self.today).days


@dataclass(frozen=True)
class Booklet:
    """One booklet folder, loaded and validated.

    `slug` is the folder name and names the outputs; `images` lists every image the
    text uses, relative to the folder, in order of first use. `editions` are the other
    language editions (see `booklet.source.translations`). The project's settings
    (paper, practice, online address, help contacts) are resolved when it is loaded,
    so every writer reads the same values.
    """

    slug: str
    folder: Path
    source: Path
    meta: Meta
    parts: tuple[Part, ...]
    images: tuple[str, ...] = ()
    editions: tuple[Edition, ...] = ()
    #: Every image reference with the file line it is on, in order (for messages).
    image_refs: tuple[tuple[str, int], ...] = ()
    #: The paper it is typeset on: `--paper`, else front matter, else booklet.toml,
    #: else A5 (see `booklet.source.paper`).
    paper: Paper = PAPERS[DEFAULT_PAPER]
    #: The practice handing it out: booklet.toml's `[practice]`, then front matter's
    #: `practice:` field by field.
    practice: Practice = field(default_factory=Practice)
    #: Where its latest version lives (the QR code): front matter `online_url`, else
    #: booklet.toml's `base_url` + slug + "/"; None: no QR code.
    online_url: str | None = None
    #: The help contacts its "When to get help now" box and back cover list
    #: (booklet.toml's `help_region`, else the default region); None only for a
    #: booklet made outside the loader.
    help: Region | None = None
    #: Its review dates, resolved on the build's day; None when the front matter
    #: names no review.
    review: Review | None = None
    #: The line of each front-matter key (`meta_lines.of("practice", "logo")`).
    meta_lines: KeyLines = field(default_factory=lambda: KeyLines({}))
    #: The text of booklet.md as it was loaded and checked: later checks read this,
    #: not the file again (which may have changed since).
    text: str = ""
    #: The SHA-256 of each local image as the loader checked it, by its path as
    #: referenced: the renderers use an image only while it has those bytes. None for a
    #: booklet made outside the loader (nothing was checked, nothing is compared).
    image_digests: Mapping[Path, str] | None = None
    #: What loading found worth a warning (a skipped heading level, a logo drawn
    #: outside its frame ...); `--strict` makes them problems.
    warnings: tuple[Problem, ...] = ()
