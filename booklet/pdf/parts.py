"""The reading edition laid out part by part, keeping the parts a save did not change.

`booklet watch` lays out the same booklet again and again, and a save usually
changes one part of it. Every top-level section of the print document (the cover,
the contents, each part, the sources, the back cover) starts a new page, so the
pages of a section depend only on the section itself, on the page it starts on
(which decides its left or right margins and its page numbers) and, for the
contents, on the pages the other sections' headings landed on. `PartLayouts` lays
out each section as a document of its own, with those three as inputs, keeps the
pages, and on the next save lays out again only the sections whose inputs changed.

Each section's document is the whole print document with the other sections left
empty and hidden (so that selectors counting siblings still count them); it starts on
the side and with the page number the section has in the whole booklet (an
`html { break-before }` and an `@page :first { counter-reset }`), and is told on
which pages the other sections' targets lie (`booklet.engine.parts`). The sections'
pages are then put together into one document, which the writers take as they take
a whole layout.

A stylesheet can tie sections together in ways a section alone cannot see: a counter
running through the booklet, a named string set inside a part and shown after it,
the total page count, footnotes, running elements, breaks to a left or right page.
`independent` looks for each of those; a booklet styled with any of them is always
laid out whole. And before a booklet is laid out part by part, `verify` has laid it
out both ways once and compared the PDFs byte for byte: only a booklet whose pages
came out the same is ever composed (`tests/pdf/test_parts.py` builds both ways
too). Sections are kept for each page-break plan (`booklet.pdf.breaks`) the booklet
was laid out with.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import re
from collections import Counter, OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from .. import engine
from ..errors import BookletError
from ..options import BuildOptions
from ..render.html import Renderer
from ..sandbox.policy import ResourcePolicy, make_fetcher, quiet_refusals
from ..source.model import Booklet
from .breaks import MAX_LAYOUTS, BreakPlan

if TYPE_CHECKING:
    from weasyprint import Document

LOG = logging.getLogger(__name__)

#: Booklets whose parts are kept (the ones being edited): a booklet's pages take a
#: few megabytes.
LIMIT = 2
#: Rounds of laying out parts whose targets moved before giving up (WeasyPrint
#: itself makes up to 8 passes over a whole document).
ROUNDS = 4
#: Loggers whose messages a part's layout records, to log again when it is reused.
RECORDED = ("weasyprint", "booklet")
#: A logged message: (logger name, level, text).
Logged = tuple[str, int, str]


@dataclass
class LaidPart:
    """One section laid out as a document of its own."""

    document: Document
    #: The page (1-based, within the section) each target first appears on.
    anchors: dict[str, int]
    #: Targets of other sections this one's layout asked for, by the page it was told.
    asked: dict[str, int]
    #: What the layout logged (warnings and worse), to log again when reused.
    logged: tuple[Logged, ...]


@dataclass
class BookletParts:
    """One booklet's laid-out sections, for one set of stylesheets and options."""

    #: Digest of what every section's layout depends on besides its own text.
    setting: str
    #: (section digest, first page index) -> its layout.
    parts: dict[tuple[str, int], LaidPart] = field(default_factory=dict)
    #: Where each target landed last time (page numbers), the first guess next time.
    anchors: dict[str, int] = field(default_factory=dict)
    #: The edition's stylesheet, parsed once (its text counts in `setting`).
    stylesheet: Any = None
    #: The page-break plan's rules, parsed once (None without any).
    plan: Any = None
    #: The stylesheet opening a section, by (first page, right-hand page).
    openings: dict[tuple[int, bool], Any] = field(default_factory=dict)


@dataclass
class _Pending:
    """A booklet laid out whole, to lay out part by part and compare (`verify`)."""

    booklet: Booklet
    renderer: Renderer
    options: BuildOptions
    policy: ResourcePolicy
    setting: str
    pdf: bytes


class PartLayouts:
    """The sections of the booklets being edited, kept between builds by `booklet watch`.

    A booklet's sections are kept per page-break plan (`booklet.pdf.breaks`): the
    policy lays a booklet out once, and again with a plan where a page would be
    near-empty, so a save lays out the changed sections once per plan, as a whole
    build lays out the whole booklet once per plan."""

    def __init__(self) -> None:
        #: Sections reused and laid out, and editions composed, in this process.
        self.counts: Counter[str] = Counter()
        self._kept: OrderedDict[tuple[Path, str], BookletParts] = OrderedDict()
        self._pending: OrderedDict[Path, _Pending] = OrderedDict()
        #: Booklets whose part-by-part layout did not match, by setting.
        self._mismatched: set[tuple[Path, str]] = set()
        #: While `verify` runs: the sections laid out for it, none reused.
        self._trial: dict[tuple[Path, str], BookletParts] | None = None
        #: The print HTML last laid out, parsed: (folder, text, WeasyPrint's HTML).
        self._whole: tuple[Path, str, Any] | None = None

    def layout(self, booklet: Booklet, renderer: Renderer, options: BuildOptions,
               policy: ResourcePolicy, html: str, plan: BreakPlan) -> Document | None:
        """The reading edition laid out from `html` under `plan`, put together from its
        sections, reusing those laid out before; None when it is to be laid out whole."""
        if not engine_ready():
            return None
        setting = setting_digest(booklet, renderer, options)
        key = (booklet.folder, _digest(setting, plan.css(), repr(sorted(plan.moved))))
        if self._trial is not None:
            kept = self._trial.setdefault(key, BookletParts(setting))
        elif (kept := self._kept.get(key)) is None:
            return None
        elif kept.setting != setting:
            del self._kept[key]
            return None
        else:
            self._kept.move_to_end(key)
        try:
            document = compose(booklet, renderer, options, policy, kept, self.counts,
                               self._parsed(booklet, html, policy), plan)
        except BookletError:  # the booklet's own problem (a refused image ...): its
            self._forget(booklet.folder)  # sections are not to be reused unchecked
            raise
        except Exception:  # booklet's bug: the whole layout still makes the edition
            if self._trial is not None:
                raise
            LOG.debug("laying out %s part by part failed", booklet.folder, exc_info=True)
            document = None
        if document is None:  # e.g. targets that did not settle: whole, verified again
            if self._trial is None:
                self._forget(booklet.folder)
        else:
            self.counts["composed"] += 1
            document.booklet_composed = True  # see `composed`
        return document

    def _parsed(self, booklet: Booklet, html: str, policy: ResourcePolicy) -> Any:
        """`html` parsed, once for the layouts of one build (one per plan)."""
        from weasyprint import HTML

        if self._whole is None or self._whole[:2] != (booklet.folder, html):
            self._whole = (booklet.folder, html, HTML(
                string=html, base_url=booklet.folder.as_uri() + "/",
                url_fetcher=make_fetcher(policy)))
        return self._whole[2]

    def _forget(self, folder: Path) -> None:
        for key in [key for key in self._kept if key[0] == folder]:
            del self._kept[key]

    def laid_out_whole(self, booklet: Booklet, renderer: Renderer, options: BuildOptions,
                       policy: ResourcePolicy, pdf: bytes) -> None:
        """Note a reading PDF laid out whole, for `verify` to compare with the same
        booklet laid out part by part (the booklets saved last are kept)."""
        if not engine_ready():
            return
        setting = setting_digest(booklet, renderer, options)
        if (booklet.folder, setting) in self._mismatched:
            return
        self._pending[booklet.folder] = _Pending(booklet, renderer, options, policy, setting,
                                                 pdf)
        self._pending.move_to_end(booklet.folder)
        while len(self._pending) > LIMIT:
            self._pending.popitem(last=False)

    def pending(self) -> bool:
        """Whether a booklet laid out whole waits for `verify`."""
        return bool(self._pending)

    def verify(self) -> None:
        """Lay out part by part each booklet noted by `laid_out_whole`, and keep its
        sections if the PDF is the same, byte for byte (called when a watch is idle)."""
        from .writer import PrintEdition, layout, page_link

        while self._pending:
            folder, pending = self._pending.popitem(last=False)
            self._trial = {}
            _quiet.append(True)  # the whole layout's build reported its warnings
            try:
                document = layout(pending.booklet, pending.renderer, pending.options,
                                  pending.policy, parts=self)
                same = composed(document) and PrintEdition(
                    pending.booklet, document, pending.options,
                    page_link(pending.booklet, pending.renderer)).pdf() == pending.pdf
            except Exception:  # a whole layout worked: never fail a watch over this
                LOG.debug("laying out %s part by part failed", folder, exc_info=True)
                same = False
            finally:
                _quiet.pop()
                trial, self._trial = self._trial, None
            if not same:
                LOG.debug("%s is laid out whole: part by part, its PDF differs", folder)
                self._mismatched.add((folder, pending.setting))
                continue
            self._forget(folder)
            self._kept.update(trial)
            while len(self._kept) > LIMIT * MAX_LAYOUTS:
                self._kept.popitem(last=False)


def composed(document: Document) -> bool:
    """Whether `document` was put together from sections (`PartLayouts.layout`)."""
    return getattr(document, "booklet_composed", False)


def engine_ready() -> bool:
    """Whether the engine's `parts` patch is on in this process."""
    return "parts" in engine.install()


def compose(booklet: Booklet, renderer: Renderer, options: BuildOptions,
            policy: ResourcePolicy, kept: BookletParts, counts: Counter[str] | None,
            whole: Any, plan: BreakPlan) -> Document | None:
    """The reading edition (`whole`, its print HTML parsed, under the page-break
    `plan`) laid out section by section, reusing `kept`'s sections and keeping the
    new ones there; None when it cannot be (see the module)."""
    from weasyprint import CSS

    from ..engine import parts as engine_parts
    from .writer import edition_css, edition_faces, packaged_fonts, styles_url

    if kept.stylesheet is None:  # a new setting: check its stylesheets
        css = edition_css(booklet, renderer, options)
        if not independent(css + plan.css()) or "@import" in css:  # imports: not in `setting`
            return None
    fetcher = make_fetcher(policy)
    sections = Sections.of(whole.etree_element, plan.run_on)
    if sections is None:
        return None
    images: dict = {}  # images read once per build, shared by the sections

    with quiet_refusals():
        font_config, fonts = packaged_fonts(edition_faces(booklet), fetcher)
        if kept.stylesheet is None:
            kept.stylesheet = CSS(string=css, font_config=font_config, url_fetcher=fetcher,
                                  base_url=styles_url(renderer))
            kept.plan = CSS(string=plan.css(), font_config=font_config) if plan else None

        def lay_out(index: int, start: int, elsewhere: dict[str, int]) -> LaidPart:
            html = engine_parts.html_document(sections.tree(index), whole.base_url, fetcher)
            right = (start % 2 == 0) != sections.rtl
            if (start, right) not in kept.openings:
                kept.openings[start, right] = CSS(
                    string=f"html {{ break-before: {'right' if right else 'left'} }}"
                           f"@page :first {{ counter-reset: page {start + 1} }}",
                    font_config=font_config)
            sheets = [fonts, kept.stylesheet, *([kept.plan] if kept.plan else []),
                      kept.openings[start, right]]
            with _recorded() as logged, engine_parts.targets_elsewhere(elsewhere) as asked:
                document = html.render(stylesheets=sheets, font_config=font_config,
                                       cache=images)
            return LaidPart(document, _first_pages(document), asked, tuple(logged))

        laid = _settle(sections, kept, lay_out, Counter() if counts is None else counts)
    policy.raise_refusals()
    if laid is None:
        return None
    first = laid[0].document
    document = first.copy([page for part in laid for page in part.document.pages])
    document.metadata = engine_parts.metadata(whole)  # this build's (dates, title ...)
    document.url_fetcher = fetcher
    return document


def _settle(sections: Sections, kept: BookletParts, lay_out: Any, counts: Counter[str]
            ) -> list[LaidPart] | None:
    """Each section's layout, reused or made, until every target a section asked for
    is on the page it was told; the sections used are kept."""
    anchors = dict(kept.anchors)
    for _ in range(ROUNDS):
        laid, found, start = [], {}, 0
        for index, digest in enumerate(sections.digests):
            part = kept.parts.get((digest, start))
            if part is None or any(anchors.get(a, 0) != p for a, p in part.asked.items()):
                elsewhere = {a: anchors.get(a, 0) for a in sections.elsewhere(index)}
                part = lay_out(index, start, elsewhere)
                kept.parts[digest, start] = part
                counts["laid out"] += 1
            else:
                _replay(part.logged)
                counts["reused"] += 1
            laid.append((digest, start, part))
            for anchor, page in part.anchors.items():
                found.setdefault(anchor, start + page)
            start += len(part.document.pages)
        if all(found.get(a, 0) == p for _, _, part in laid for a, p in part.asked.items()):
            kept.parts = {(digest, start): part for digest, start, part in laid}
            kept.anchors = found
            return [part for _, _, part in laid]
        anchors = found
    return None


class Sections:
    """The top-level sections of a print document, and a document for each. An element
    the page-break plan runs on below the one before it (`BreakPlan.run_on`) belongs
    to that one's section."""

    def __init__(self, root: Any, head: Any, body: Any, groups: list[list[Any]]) -> None:
        self.root, self.head, self.body = root, head, body
        self.elements = list(body)
        self.groups = groups
        self.rtl = root.get("dir") == "rtl"
        self._ids = [{e.get("id") for element in group for e in element.iter() if e.get("id")}
                     for group in groups]
        self._all_ids = set().union(*self._ids)
        shared = _digest(ElementTree.tostring(_layout_head(head)), repr(root.attrib),
                         repr(body.attrib), repr([_stub_key(e) for e in self.elements]))
        self.digests = [_digest(shared, *(ElementTree.tostring(e) for e in group))
                        for group in groups]

    @classmethod
    def of(cls, root: Any, run_on: frozenset[str] = frozenset()) -> Sections | None:
        """The sections of a parsed document; None when it is not a head and a body
        of elements (text between them would belong to no section), or when an element
        the plan runs on is not named by its id."""
        if len(root) != 2 or root[0].tag != "head" or root[1].tag != "body":
            return None
        body = root[1]
        if not len(body) or any((e.tail or "").strip() for e in body) or (body.text or "").strip():
            return None
        if any(not isinstance(e.tag, str) for e in body):  # comments, processing instructions
            return None
        ids = {f"#{e.get('id')}" for e in body if e.get("id")}
        if not run_on <= ids:
            return None
        groups: list[list[Any]] = []
        for element in body:
            if groups and f"#{element.get('id')}" in run_on:
                groups[-1].append(element)
            else:
                groups.append([element])
        return cls(root, root[0], body, groups)

    def elsewhere(self, index: int) -> set[str]:
        """The targets outside section `index`."""
        return self._all_ids - self._ids[index]

    def tree(self, index: int) -> Any:
        """The document of section `index`: the others are empty, hidden stand-ins."""
        root = ElementTree.Element(self.root.tag, self.root.attrib)
        root.text = self.root.text
        root.append(self.head)
        body = ElementTree.SubElement(root, self.body.tag, self.body.attrib)
        body.text, body.tail = self.body.text, self.body.tail
        mine = {id(element) for element in self.groups[index]}
        for element in self.elements:
            if id(element) in mine:
                body.append(element)
            else:
                stand_in = ElementTree.SubElement(body, element.tag, _stub_attributes(element))
                stand_in.tail = element.tail
        return root


def _stub_attributes(element: Any) -> dict[str, str]:
    """A stand-in's attributes: its class (for sibling selectors), and hidden."""
    found = {"style": "display: none !important"}
    if element.get("class") is not None:
        found["class"] = element.get("class")
    return found


def _stub_key(element: Any) -> tuple[str, str | None]:
    return element.tag, element.get("class")


def _layout_head(head: Any) -> Any:
    """The head without its title and meta elements: what of it can change a layout."""
    copy = ElementTree.Element(head.tag, head.attrib)
    copy.extend(e for e in head if e.tag not in ("title", "meta"))
    return copy


def _first_pages(document: Document) -> dict[str, int]:
    """The page (1-based) on which each target of `document` first appears."""
    found: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            found.setdefault(anchor, number)
    return found


def setting_digest(booklet: Booklet, renderer: Renderer, options: BuildOptions) -> str:
    """What every section's layout depends on besides its own text: the stylesheets,
    the typefaces, the options, and the booklet's other files (its images), these by
    name, size, file and time of change: read at every save, so never by content (an
    unused video in the folder would cost its size each time)."""
    from .writer import edition_css, edition_faces

    return _digest(edition_css(booklet, renderer, options), repr(edition_faces(booklet)),
                   repr((options.pdf_variant, options.allow_remote, options.strict)),
                   *_folder_files(booklet.folder, booklet.source))


#: Entries of a booklet folder looked at; a larger folder is never laid out in parts.
MAX_ENTRIES = 20_000
_UNIQUE = itertools.count()


def _folder_files(folder: Path, source: Path) -> Iterator[str]:
    """Each file under `folder` but `source`, as name, size, file and time of change
    (links not followed into folders)."""
    seen = 0
    for top, folders, files in os.walk(folder):
        folders.sort()
        for name in sorted(files):
            seen += 1
            path = Path(top, name)
            if seen > MAX_ENTRIES:
                yield f"too many files: {next(_UNIQUE)}"  # never the same setting twice
                return
            if path == source:
                continue
            try:
                info = path.stat()
            except OSError:
                yield f"{path.relative_to(folder)}: unreadable"
                continue
            yield (f"{path.relative_to(folder)}:{info.st_size}:{info.st_dev}:{info.st_ino}:"
                   f"{info.st_mtime_ns}")


def _digest(*items: str | bytes) -> str:
    hasher = hashlib.sha256()
    for item in items:
        data = item.encode() if isinstance(item, str) else item
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


# --- what ties sections together --------------------------------------------------

#: Properties that carry a value from one section to the next.
_COUNTERS = ("counter-increment", "counter-reset", "counter-set")
_BREAKS = ("break-before", "break-after", "page-break-before", "page-break-after")
#: Values that only the whole document knows or that place boxes by page side.
_WHOLE = re.compile(r"\b(element|target-text|running)\s*\(|\bcounters?\(\s*pages\b"
                    r"|\btarget-counters?\([^)]*,\s*pages\b", re.I)
#: Boxes placed on every page, or outside the flow of their section.
_OUT_OF_FLOW = {"position": re.compile(r"\b(fixed|running)\b", re.I),
                "float": re.compile(r"\bfootnote\b", re.I)}
_SIDES = re.compile(r"\b(left|right|recto|verso)\b", re.I)
#: Selectors of the element whose named strings every section sets again.
_EVERY_SECTION = {"html", "body", ":root"}


def independent(css: str) -> bool:
    """Whether, under these stylesheets, a section's pages depend only on the section,
    the page it starts on and its targets' pages (see the module)."""
    import tinycss2

    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    local = _emptied_strings(css)
    return all(_rule_independent(rule, local) for rule in rules)


def _emptied_strings(css: str) -> frozenset[str]:
    """Named strings some rule sets back to empty (`string-set: name ""`): print.css
    sets a worksheet's "(continued)" label on its items and empties it at the
    worksheet's end, inside the same section, so no section hands it to the next."""
    return frozenset(m.group(1).lower() for m in re.finditer(
        r"string-set\s*:\s*([\w-]+)\s+(?:\"\"|'')\s*[;}]", css))


def _rule_independent(rule: Any, local: frozenset[str]) -> bool:
    import tinycss2

    if rule.type == "at-rule":
        keyword = rule.lower_at_keyword
        if keyword == "page":
            prelude = tinycss2.serialize(rule.prelude).lower()
            if ":first" in prelude or ":nth" in prelude:
                return False
            return _declarations_independent("@page", rule.content, local)
        if keyword in ("media", "supports", "layer") and rule.content is not None:
            return all(_rule_independent(r, local) for r in tinycss2.parse_rule_list(
                rule.content, skip_comments=True, skip_whitespace=True))
        return keyword not in ("footnote",)
    if rule.type == "qualified-rule":
        selector = tinycss2.serialize(rule.prelude).strip().lower()
        return _declarations_independent(selector, rule.content, local)
    return True


def _declarations_independent(selector: str, content: Any, local: frozenset[str]) -> bool:
    import tinycss2

    for item in tinycss2.parse_blocks_contents(content or [], skip_comments=True,
                                               skip_whitespace=True):
        if item.type == "at-rule":  # a margin box inside @page
            if not _declarations_independent(selector, item.content, local):
                return False
            continue
        if item.type != "declaration":
            continue
        name, value = item.lower_name, tinycss2.serialize(item.value)
        if name in _COUNTERS and (selector != "@page" or "page" in value.lower()):
            if value.strip().lower() != "none":
                return False
        if name == "string-set" and selector.split(",")[0].strip() not in _EVERY_SECTION \
                and value.split()[0].lower() not in local:
            return False
        if name in _BREAKS and _SIDES.search(value):
            return False
        if name.startswith("footnote") or _WHOLE.search(value):
            return False
        if name in _OUT_OF_FLOW and _OUT_OF_FLOW[name].search(value):
            return False
        if selector != "@page" and re.search(r"\bcounters?\(\s*page\b", value, re.I):
            return False
    return True


@contextmanager
def _recorded() -> Iterator[list[Logged]]:
    """Record the warnings `RECORDED` loggers are given within the block, passing on
    what they would have shown (unless `_quiet`): a section laid out while nobody
    listens may be reused in a build that reports its warnings."""
    logged: list[Logged] = []
    quiet = _quiet[-1] if _quiet else False

    class Record(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            if record.levelno >= logging.WARNING:
                logged.append((record.name, record.levelno, record.getMessage()))
            return not quiet and record.levelno >= shown[record.name]

    loggers = [logging.getLogger(name) for name in RECORDED]
    shown = {logger.name: logger.getEffectiveLevel() for logger in loggers}
    levels = [logger.level for logger in loggers]
    record = Record()
    for logger in loggers:
        logger.addFilter(record)
        if logger.getEffectiveLevel() > logging.WARNING:
            logger.setLevel(logging.WARNING)
    try:
        yield logged
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeFilter(record)
            logger.setLevel(level)


#: Whether what sections log is only recorded (while `verify` runs), innermost last.
_quiet: list[bool] = []


def _replay(logged: tuple[Logged, ...]) -> None:
    """Log again what a reused section's layout logged."""
    for name, level, message in logged:
        logging.getLogger(name).log(level, "%s", message)
