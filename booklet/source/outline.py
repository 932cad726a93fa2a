"""The outline of a booklet's text, with lines: its parts, sections, boxes, worksheet
prompts and FAQ questions, and the text of each part's opening and each section.

The model holds rendered XHTML; checking a translation against its original needs the
Markdown as written and where each piece starts. The body is parsed by the same parser
(`booklet.source.markdown.make_parser`), and only for a booklet that has loaded, so
the structure rules (what a part, a prompt or a question is) are the loader's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import frontmatter
from .markdown import make_parser
from .model import Booklet

NEWLINE = re.compile(r"\r\n|\r|\n")  # as markdown-it splits lines


@dataclass(frozen=True)
class Mark:
    """One piece of the structure: `kind` part, section, box, prompt or question."""

    kind: str
    line: int
    #: The heading, the box's title, the prompt's or question's text.
    title: str
    #: The part it is in (1-based).
    part: int
    #: A box's kind (`key-points`, `worksheet` ...); for a prompt or question, the
    #: position of its box among the part's boxes of that kind (0-based).
    box: str = ""
    index: int = 0


@dataclass(frozen=True)
class Piece:
    """A part's opening (its heading and the text before its first section) or a
    section (its heading and text): `label` "2" or "2.3", the Markdown it holds."""

    label: str
    kind: str
    title: str
    line: int
    text: str


@dataclass(frozen=True)
class Outline:
    """A booklet's structure in the order written, and its text in pieces."""

    marks: tuple[Mark, ...]
    pieces: tuple[Piece, ...]

    def of(self, kind: str, part: int | None = None, box: str | None = None
           ) -> list[Mark]:
        """The marks of one kind, in one part and of one box kind when given."""
        return [m for m in self.marks if m.kind == kind and part in (None, m.part)
                and box in (None, m.box)]

    @property
    def parts(self) -> int:
        return len(self.of("part"))


def outline(booklet: Booklet) -> Outline:
    """The outline of a loaded booklet's text."""
    _, body, first_line = frontmatter.split(booklet.text, booklet.source)
    meta = booklet.meta
    tokens = make_parser(meta.language, meta.allow_html).parse(body)
    marks: list[Mark] = []
    boxes: list[tuple[str, int, int]] = []  # open boxes: kind, token level, index
    counts: dict[tuple[int, str], int] = {}
    part = 0
    for n, token in enumerate(tokens):
        line = first_line + (token.map[0] if token.map else 0)
        if token.type == "heading_open" and token.level == 0 and token.tag in ("h1", "h2"):
            part += token.tag == "h1"
            marks.append(Mark("part" if token.tag == "h1" else "section", line,
                              tokens[n + 1].content.strip(), part))
        elif token.type == "container_block_open":
            kind, _, title = token.info.strip().partition(" ")
            index = counts.get((part, kind), 0)
            counts[(part, kind)] = index + 1
            boxes.append((kind, token.level, index))
            marks.append(Mark("box", line, title.strip(), part, kind, index))
        elif token.type == "container_block_close" and boxes:
            boxes.pop()
        elif boxes and (kind := _item_kind(token, *boxes[-1][:2])):
            title = tokens[n + (1 if kind == "question" else 2)].content.strip()
            marks.append(Mark(kind, line, title, part, boxes[-1][0], boxes[-1][2]))
    return Outline(tuple(marks), _pieces(marks, body, first_line))


def _item_kind(token, box: str, level: int) -> str | None:
    """`prompt` for a worksheet's list item, `question` for an FAQ's `###` heading."""
    if box == "worksheet" and token.type == "list_item_open" and token.level == level + 2:
        return "prompt"
    if box == "faq" and token.type == "heading_open" and token.tag == "h3" \
            and token.level == level + 1:
        return "question"
    return None


def _pieces(marks: list[Mark], body: str, first_line: int) -> tuple[Piece, ...]:
    """The Markdown between each part or section heading and the next."""
    lines = NEWLINE.split(body)
    heads = [m for m in marks if m.kind in ("part", "section")]
    pieces = []
    section = 0
    for n, head in enumerate(heads):
        end = heads[n + 1].line if n + 1 < len(heads) else first_line + len(lines)
        text = "\n".join(lines[head.line - first_line:end - first_line])
        section = 0 if head.kind == "part" else section + 1
        label = f"{head.part}" if head.kind == "part" else f"{head.part}.{section}"
        pieces.append(Piece(label, head.kind, head.title, head.line, text))
    return tuple(pieces)
