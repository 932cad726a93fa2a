"""Structure parity: a translation built like its original, part for part.

The translation has as many parts as the original; each part as many sections and
boxes of each kind; each worksheet as many prompts and each FAQ as many questions; the
same number of sources (leaving out those marked `added: true`); and the same help
region, unless its front matter sets `help_region` itself. Each difference names the
line in both files.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem, display_path
from ..source.markdown import CONTAINERS
from ..source.model import Booklet
from ..source.outline import Mark, Outline, outline


def parity_problems(translation: Booklet, original: Booklet) -> list[Problem]:
    """Where the translation's structure differs from its original's."""
    mine, theirs = outline(translation), outline(original)
    compare = _Compare(translation.source, original.source)
    if mine.parts != theirs.parts:
        compare.count(_first(mine, "part"), _first(theirs, "part"), mine.parts,
                      theirs.parts, "part")
        _whole(compare, mine, theirs)
    else:
        for number in range(1, mine.parts + 1):
            _part(compare, mine, theirs, number)
    _sources(compare, translation, original)
    _help(compare, translation, original)
    return compare.problems


class _Compare:
    """Collects differences, each at a line of the translation naming the original's."""

    def __init__(self, here: Path, there: Path) -> None:
        self.here, self.there = here, there
        self.problems: list[Problem] = []

    def count(self, line: int | None, there: int | None, n: int, m: int, noun: str,
              subject: str = "", versus: str = "the original has", extra: str = "",
              hint: str = "") -> None:
        """`<subject>N nouns<extra>; <versus> M (original:line)<hint>`, when N is not M."""
        if n != m:
            where = display_path(self.there) + (f":{there}" if there else "")
            self.problems.append(Problem(self.here, line, f"{subject}{_count(n, noun)}"
                                         f"{extra}; {versus} {m} ({where}){hint}"))


def _part(compare: _Compare, mine: Outline, theirs: Outline, number: int) -> None:
    """One part: its sections, its boxes of each kind, and their prompts and questions."""
    head, other = mine.of("part", number)[0], theirs.of("part", number)[0]
    subject, versus = f"part {number} '{head.title}' has ", "the original's has"
    compare.count(head.line, other.line, len(mine.of("section", number)),
                  len(theirs.of("section", number)), "section", subject, versus)
    for kind in _box_kinds(mine, theirs):
        here, there = mine.of("box", number, kind), theirs.of("box", number, kind)
        compare.count(here[0].line if here else head.line,
                      there[0].line if there else other.line, len(here), len(there),
                      f"'::: {kind}' box", subject, versus)
        item = {"worksheet": "prompt", "faq": "question"}.get(kind)
        for box, box_there in zip(here, there, strict=False):
            if item is not None:
                compare.count(box.line, box_there.line, _items(mine, item, box),
                              _items(theirs, item, box_there), item,
                              f"this '::: {kind}' box has ", versus)


def _items(shape: Outline, item: str, box: Mark) -> int:
    """The prompts or questions of one box."""
    return sum(m.index == box.index for m in shape.of(item, box.part, box.box))


def _whole(compare: _Compare, mine: Outline, theirs: Outline) -> None:
    """With parts that differ: sections, boxes, prompts and questions in all."""
    compare.count(_first(mine, "section"), _first(theirs, "section"),
                  len(mine.of("section")), len(theirs.of("section")), "section",
                  extra=" in all")
    for kind in _box_kinds(mine, theirs):
        here, there = mine.of("box", box=kind), theirs.of("box", box=kind)
        compare.count(here[0].line if here else None, there[0].line if there else None,
                      len(here), len(there), f"'::: {kind}' box", extra=" in all")
    for kind, noun in (("prompt", "worksheet prompt"), ("question", "FAQ question")):
        compare.count(_first(mine, kind), _first(theirs, kind), len(mine.of(kind)),
                      len(theirs.of(kind)), noun, extra=" in all")


def _sources(compare: _Compare, translation: Booklet, original: Booklet) -> None:
    mine = [s for s in translation.meta.sources if not s.added]
    theirs = [s for s in original.meta.sources if not s.added]
    line = translation.meta_lines.of("sources") if translation.meta.sources else \
        translation.meta_lines.of("translation_of")
    compare.count(line, original.meta_lines.of("sources") if theirs else None, len(mine),
                  len(theirs), "source", hint="; mark a reference only this edition has "
                  "with 'added: true'")


def _help(compare: _Compare, translation: Booklet, original: Booklet) -> None:
    mine, theirs = translation.help, original.help
    if mine is None or theirs is None or mine.code == theirs.code or \
            translation.meta.help_region is not None:
        return
    line = original.meta_lines.of("help_region") if original.meta.help_region else None
    where = display_path(original.source) + (f":{line}" if line else "")
    compare.problems.append(Problem(
        translation.source, translation.meta_lines.of("translation_of"),
        f"lists the help contacts for {mine.code}, the original those for {theirs.code} "
        f"({where}); set 'help_region' here to keep a different region"))


def _box_kinds(mine: Outline, theirs: Outline) -> list[str]:
    found = {m.box for m in (*mine.of("box"), *theirs.of("box"))}
    return [kind for kind in CONTAINERS if kind in found]


def _first(shape: Outline, kind: str) -> int | None:
    marks: list[Mark] = shape.of(kind)
    return marks[0].line if marks else None


def _count(n: int, noun: str) -> str:
    if noun.endswith("box"):
        return f"{n} {noun}" if n == 1 else f"{n} {noun}es"
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
