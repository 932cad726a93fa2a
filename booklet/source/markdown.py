"""Markdown body -> parts, sections and blocks of the model.

CommonMark (markdown-it-py) with tables, typographic quotes and dashes, and fenced
`::: kind` containers. `#` opens a part, `##` a section; everything else becomes blocks.
Raw HTML is off: `<tags>` in the text come out as text, unless the front matter says
`allow_html: true`; then it passes the allow-list sanitiser (`booklet.sandbox.sanitize`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from ..errors import BookletError, Problem
from ..sandbox.sanitize import TooDeep, image_sources, sanitize
from .model import (
    Block,
    Callout,
    Faq,
    Figure,
    Heading,
    HelpNow,
    Html,
    Part,
    Prompt,
    Question,
    Quote,
    Section,
    Table,
    Worksheet,
)

#: Container kinds an author may use, each rendered by a partial of the same family.
CALLOUTS = ("key-points", "note", "try-this", "warning")
CONTAINERS = (*CALLOUTS, "faq", "worksheet", "help-now")
#: Dashes that start a block quote's last paragraph when it names the quote's source.
ATTRIBUTION_DASHES = ("—", "–", "--")

#: Ids the templates give the cover, contents, sources, back cover and EPUB navigation;
#: a heading with the same text gets `contents-2` instead (see `_Context.unique_id`).
TEMPLATE_IDS = ("cover", "contents", "contents-title", "sources", "sources-title",
                "back-cover", "colophon-title", "landmarks", "page-list")

#: Typographic quotes by primary language subtag: double open/close, single open/close.
#: Spanish: «» then “”, as the Ortografía of all the Spanish-language academies (RAE and
#: ASALE) recommends for print in Spain and Latin America alike. Arabic and Persian use «»
#: (drawn mirrored in right-to-left text); Hebrew „”. A full tag (`es-mx`) may override.
QUOTES = {"en": "“”‘’", "es": "«»“”", "fr": "«»“”", "de": "„“‚‘", "pt": "«»“”", "it": "«»“”",
          "ar": "«»“”", "fa": "«»“”", "he": "„”‚’"}


def quotes_for(language: str) -> str:
    """The quote marks for a language tag: its full tag's, else its primary subtag's."""
    tag = language.lower()
    return QUOTES.get(tag) or QUOTES.get(tag.split("-")[0], QUOTES["en"])


def make_parser(language: str = "en", allow_html: bool = False) -> MarkdownIt:
    """A CommonMark parser with the booklet's extensions, quotes set for `language`."""
    quotes = quotes_for(language)
    md = MarkdownIt("commonmark", {"xhtmlOut": True, "typographer": True, "quotes": quotes,
                                   "html": allow_html})
    md.enable(["replacements", "smartquotes", "table", "strikethrough"])
    container_plugin(md, "block", validate=lambda *_: True)
    return md


@dataclass
class _Context:
    """Where the body is, for messages and ids, plus what the walk found."""

    md: MarkdownIt
    path: Path
    first_line: int
    ids: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TEMPLATE_IDS, 1))
    images: list[tuple[str, int]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    #: The body's lines (to tell a closed box from one the parser closed at the end).
    lines: list[str] = field(default_factory=list)
    #: The `::: kind` lines of the boxes being walked, innermost last.
    boxes: list[Token] = field(default_factory=list)
    #: Boxes already reported as left open (at a heading inside them).
    reported_open: set[int] = field(default_factory=set)

    def line(self, token: Token) -> int:
        return self.first_line + (token.map[0] if token.map else 0)

    def problem(self, token: Token, message: str) -> None:
        self.problems.append(Problem(self.path, self.line(token), message))

    def warn(self, token: Token, message: str) -> None:
        self.warnings.append(Problem(self.path, self.line(token), message))

    def unique_id(self, text: str) -> str:
        base = re.sub(r"[^\w]+", "-", text.lower()).strip("-_") or "section"
        if not base[0].isalpha():
            base = f"s-{base}"
        count = self.ids.get(base, 0) + 1
        self.ids[base] = count
        return base if count == 1 else f"{base}-{count}"

    def render(self, tokens: Sequence[Token]) -> str:
        html = self.md.renderer.render(list(tokens), self.md.options, {}).strip()
        if not _has_raw_html(tokens):
            return html
        try:
            return sanitize(html)
        except TooDeep as error:
            self.problem(next(t for t in tokens if _has_raw_html([t])), str(error))
            return ""


def _has_raw_html(tokens: Sequence[Token]) -> bool:
    return any(t.type == "html_block" or any(c.type == "html_inline" for c in t.children or [])
               for t in tokens)


def parse_body(text: str, path: Path, first_line: int, language: str = "en",
               allow_html: bool = False, warnings: list[Problem] | None = None
               ) -> tuple[tuple[Part, ...], tuple[tuple[str, int], ...]]:
    """Parse the Markdown body into parts; also return the images used, with lines.

    Problems raise `BookletError`; warnings (a skipped heading level) are appended to
    `warnings` when it is given."""
    ctx = _Context(make_parser(language, allow_html), path, first_line)
    text = _strip_comments(text, ctx)
    ctx.lines = LINE_BREAK.split(text)  # as the parser counts lines
    tokens = ctx.md.parse(text)
    for token in tokens:
        _collect_images(token, ctx)
    _check_headings(tokens, ctx)
    parts = _parts(tokens, ctx)
    if not parts and not ctx.problems:
        ctx.problems.append(Problem(path, first_line, "the booklet has no '# ' heading: "
                                    "start each part with one"))
    if ctx.problems:
        raise BookletError(*sorted(ctx.problems, key=lambda p: p.line or 0))
    if warnings is not None:
        warnings.extend(ctx.warnings)
    return parts, tuple(ctx.images)


#: Line breaks as markdown-it normalises them (not `str.splitlines`' wider set).
LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: A comment, `<!-- like this -->`: never printed, so a writer can leave notes.
COMMENT = re.compile(r"<!--.*?-->", re.S)


def _strip_comments(text: str, ctx: _Context) -> str:
    """`text` without its comments, each replaced by its line breaks so that lines
    keep their numbers; a comment never closed is a problem at its first line."""
    text = COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    if (start := text.find("<!--")) >= 0:
        ctx.problems.append(Problem(ctx.path, ctx.first_line + text.count("\n", 0, start),
                                    "this comment is never closed: end it with '-->'"))
    return text


#: A line that wanted to be a heading: '#' signs straight before a word.
UNSPACED_HEADING = re.compile(r"^(#{1,6})([^\s#].*)$")


def _check_headings(tokens: Sequence[Token], ctx: _Context) -> None:
    """Headings outside boxes: a level skipped (a warning: the heading drops out of the
    contents and bookmarks), and '#Title' lines missing their space."""
    previous: tuple[int, int] | None = None
    for i, token in enumerate(tokens):
        if token.level != 0:
            continue
        if token.type == "paragraph_open" and (unspaced := UNSPACED_HEADING.match(
                tokens[i + 1].content)) and "\n" not in tokens[i + 1].content:
            marks, words = unspaced.groups()
            ctx.problem(token, f"'{marks}{words}' needs a space after '{marks}' to be a "
                               f"heading: write '{marks} {words}'")
        if token.type != "heading_open":
            continue
        level, line = int(token.tag[1]), ctx.line(token)
        if previous is not None and level > previous[0] + 1:
            ctx.warn(token, f"the '{'#' * level} ' heading skips a level after the "
                            f"'{'#' * previous[0]} ' heading on line {previous[1]}: make it "
                            f"'{'#' * (previous[0] + 1)} ' (a skipped level leaves it out "
                            "of the contents and bookmarks)")
        previous = (level, line)


def _parts(tokens: list[Token], ctx: _Context) -> tuple[Part, ...]:
    parts: list[Part] = []
    heads = [i for i, t in enumerate(tokens)
             if t.type == "heading_open" and t.level == 0 and t.tag in ("h1", "h2")]
    reported = {problem.line for problem in ctx.problems}
    if (heads and heads[0] > 0 or not heads and tokens) and ctx.line(tokens[0]) not in reported:
        ctx.problem(tokens[0], "text before the first '# ' heading: start the booklet "
                               "with a part heading")
    sections: list[Section] = []
    part_head: tuple[int, list[Block]] | None = None
    for n, start in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(tokens)
        inline = tokens[start + 1]
        blocks = _blocks(tokens[start + 3:end], ctx)
        if tokens[start].tag == "h1":
            if part_head is not None:
                parts.append(_part(tokens, part_head, sections, ctx))
            part_head, sections = (start, blocks), []
        elif part_head is None:
            ctx.problem(tokens[start], "'## ' section before any '# ' part heading")
        else:
            title = _plain(inline)
            sections.append(Section(ctx.unique_id(title), title, ctx.render([inline]),
                                    tuple(blocks)))
    if part_head is not None:
        parts.append(_part(tokens, part_head, sections, ctx))
    return tuple(parts)


def _part(tokens: list[Token], head: tuple[int, list[Block]], sections: list[Section],
          ctx: _Context) -> Part:
    inline = tokens[head[0] + 1]
    title = _plain(inline)
    return Part(ctx.unique_id(title), title, ctx.render([inline]), tuple(head[1]),
                tuple(sections))


def _blocks(tokens: Sequence[Token], ctx: _Context) -> list[Block]:
    """Turn a run of sibling tokens into blocks, grouping plain Markdown into `Html`."""
    blocks: list[Block] = []
    run: list[Token] = []

    def flush() -> None:
        if run:
            blocks.append(Html(ctx.render(run)))
            run.clear()

    base = tokens[0].level if tokens else 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.level != base:
            run.append(token)
        elif token.type == "container_block_open":
            end = _closing(tokens, i)
            flush()
            block = _container(token, tokens[i + 1:end], ctx)
            if block is not None:
                blocks.append(block)
            i = end
        elif token.type == "heading_open":
            flush()
            inline = tokens[i + 1]
            level = int(token.tag[1])
            if level <= 2:
                ctx.problem(token, _heading_in_box(level, ctx))
            blocks.append(Heading(level, ctx.unique_id(_plain(inline)), ctx.render([inline])))
            i += 2
        elif token.type == "paragraph_open" and _lone_image(tokens[i + 1]):
            flush()
            blocks.append(_figure(tokens[i + 1], ctx))
            i += 2
        elif token.type in ("blockquote_open", "table_open"):
            flush()
            end = _closing(tokens, i, token.type.replace("_open", "_close"))
            blocks.append(_quote(tokens[i + 1:end], ctx) if token.type == "blockquote_open"
                          else _table(tokens[i:end + 1], ctx))
            i = end
        else:
            run.append(token)
        i += 1
    flush()
    return blocks


def _closing(tokens: Sequence[Token], start: int, kind: str = "container_block_close") -> int:
    level = tokens[start].level
    for j in range(start + 1, len(tokens)):
        if tokens[j].type == kind and tokens[j].level == level:
            return j
    return len(tokens)


def _heading_in_box(level: int, ctx: _Context) -> str:
    """Why a '#' or '##' heading is refused inside a box, naming the box still open."""
    message = f"a '{'#' * level} ' heading cannot go inside a box"
    if not ctx.boxes:
        return message
    box = ctx.boxes[-1]
    ctx.reported_open.add(id(box))
    return (f"{message}: the '::: {box.info.split()[0]}' box opened on line "
            f"{ctx.line(box)} is still open here; close it with ':::' before this heading")


#: A line that closes a box (possibly inside a block quote).
CLOSING = re.compile(r"^[\s>]*:{3,}\s*$")


def _closed(token: Token, ctx: _Context) -> bool:
    """Whether a box has its own closing ':::' (the parser closes one at the end)."""
    end = token.map[1] if token.map else len(ctx.lines)
    return end < len(ctx.lines) and bool(CLOSING.match(ctx.lines[end]))


def _container(token: Token, inner: Sequence[Token], ctx: _Context) -> Block | None:
    kind, _, title = token.info.strip().partition(" ")
    title = title.strip() or None
    if not kind:
        ctx.problem(token, "a ':::' line with no block name (or a stray closing ':::'); "
                           f"name one of: {', '.join(CONTAINERS)}")
        return None
    if kind not in CONTAINERS:
        close = difflib.get_close_matches(kind.lower(), CONTAINERS, n=1)
        hint = f" (did you mean '::: {close[0]}'?)" if close else ""
        ctx.problem(token, f"unknown block '::: {kind}'{hint}; use one of: "
                           f"{', '.join(CONTAINERS)}")
        return None
    ctx.boxes.append(token)
    try:
        block = _box(token, kind, title, inner, ctx)
    finally:
        ctx.boxes.pop()
    if not _closed(token, ctx) and id(token) not in ctx.reported_open:
        ctx.problem(token, f"the '::: {kind}' box opened here is never closed: add a ':::' "
                           "line where it ends")
    return block


def _box(token: Token, kind: str, title: str | None, inner: Sequence[Token],
         ctx: _Context) -> Block:
    """The block of a known box kind."""
    if kind == "faq":
        return _faq(token, inner, title, ctx)
    if kind == "worksheet":
        return _worksheet(token, inner, title, ctx)
    if kind == "help-now":
        return HelpNow(title, tuple(_blocks(inner, ctx)))
    return Callout(kind, title, tuple(_blocks(inner, ctx)))


def _faq(token: Token, inner: Sequence[Token], title: str | None, ctx: _Context) -> Faq:
    level = token.level + 1
    starts = [i for i, t in enumerate(inner)
              if t.type == "heading_open" and t.level == level and t.tag == "h3"]
    if not starts:
        ctx.problem(token, "'::: faq' holds no questions: start each with a '### ' heading")
    elif starts[0] > 0:
        ctx.problem(inner[0], "text in '::: faq' before its first '### ' question")
    questions = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(inner)
        inline = inner[start + 1]
        answer = _blocks(inner[start + 3:end], ctx)
        if not answer:
            ctx.problem(inner[start], f"the question '{_plain(inline)}' has no answer")
        questions.append(Question(ctx.unique_id(_plain(inline)), ctx.render([inline]),
                                  tuple(answer)))
    return Faq(tuple(questions), title)


def _worksheet(token: Token, inner: Sequence[Token], title: str | None, ctx: _Context
               ) -> Worksheet:
    """Text, one list of prompts (each one line), then optional text."""
    level = token.level + 1
    lists = [i for i, t in enumerate(inner) if t.level == level
             and t.type in ("bullet_list_open", "ordered_list_open")]
    if not lists:
        ctx.problem(token, "'::: worksheet' holds no prompts: list them as '- ' items")
        return Worksheet(title, ())
    if len(lists) > 1:
        ctx.problem(inner[lists[1]], "'::: worksheet' holds more than one list: put every "
                                     "prompt in one list")
    start = lists[0]
    end = _closing(inner, start, inner[start].type.replace("_open", "_close"))
    prompts = []
    for i in range(start + 1, end):
        item = inner[i]
        if item.type != "list_item_open" or item.level != level + 1:
            continue
        close = _closing(inner, i, "list_item_close")
        body = inner[i + 1:close]
        if [t.type for t in body] != ["paragraph_open", "inline", "paragraph_close"]:
            ctx.problem(item, "a worksheet prompt must be one paragraph of text")
            continue
        text = _plain(body[1])
        prompts.append(Prompt(ctx.unique_id(text), text, ctx.render([body[1]])))
    return Worksheet(title, tuple(prompts), tuple(_blocks(inner[:start], ctx)),
                     tuple(_blocks(inner[end + 1:], ctx)))


def _quote(inner: Sequence[Token], ctx: _Context) -> Quote:
    """A block quote; a last paragraph starting with a dash (after others) names its source."""
    attribution = None
    if (len(inner) > 3 and inner[-1].type == "paragraph_close"
            and inner[-2].content.lstrip().startswith(ATTRIBUTION_DASHES)):
        attribution = ctx.render([inner[-2]]).lstrip("—–- \u00a0")
        inner = inner[:-3]
    return Quote(tuple(_blocks(inner, ctx)), attribution)


def _table(tokens: Sequence[Token], ctx: _Context) -> Table:
    return Table(ctx.render(tokens))


def _lone_image(inline: Token) -> bool:
    children = [c for c in inline.children or []
                if not (c.type == "text" and not c.content.strip())]
    return len(children) == 1 and children[0].type == "image"


def _figure(inline: Token, ctx: _Context) -> Figure:
    image = next(c for c in inline.children or [] if c.type == "image")
    caption = image.attrGet("title")
    return Figure(str(image.attrGet("src")), image.content, str(caption) if caption else None)


def _collect_images(token: Token, ctx: _Context) -> None:
    """Record every image a token uses, in Markdown or in raw HTML, with its line."""
    if token.type == "html_block":
        ctx.images.extend((src, ctx.line(token)) for src in image_sources(token.content))
    for child in token.children or []:
        if child.type == "html_inline":
            ctx.images.extend((src, ctx.line(token)) for src in image_sources(child.content))
        if child.type != "image":
            continue
        src = str(child.attrGet("src"))
        if not child.content.strip():
            ctx.problem(token, f"image '{src}' needs alt text: ![what the picture shows]({src})")
        ctx.images.append((src, ctx.line(token)))


def _plain(inline: Token) -> str:
    """The text of an inline token without markup, for ids, outlines and nav."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()
