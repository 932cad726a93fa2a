"""Stale translations: what changed in the original since the translation was stamped.

A translation records its original's content digest (`source_digest`) and the digest
of each field and piece then (`source_sections`), written by `booklet translated`
(`booklet.authoring.stamp`). When the original's digest is no longer the same, the
check names what changed: fields, part openings and sections edited, added or
removed, by position and heading, each at the line of its counterpart in the
translation.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from ..errors import Problem, display_path
from ..source.digest import TRANSLATED, Fingerprint, Unit, fingerprint, parse_sections
from ..source.model import Booklet
from ..source.outline import outline

#: One entry of `source_sections`: label, short digest, heading digest.
Stamp = tuple[str, str, str]


def stale_problems(translation: Booklet, original: Booklet,
                   found: Fingerprint | None = None) -> list[Problem]:
    """What changed in `original` since `translation` was stamped; [] when nothing."""
    meta, lines, here = translation.meta, translation.meta_lines, translation.source
    command = f"booklet translated {display_path(translation.folder)}"
    old = parse_sections(meta.source_sections) if meta.source_sections else None
    if meta.source_sections and old is None:
        return [Problem(here, lines.of("source_sections"), "'source_sections' is not as "
                        f"`booklet translated` writes it: run `{command}` again")]
    if meta.source_digest is None:
        return [Problem(here, lines.of("translation_of"), "no 'source_digest': once this "
                        f"translation matches its original, run `{command}` to record it")]
    found = found or fingerprint(original)
    if meta.source_digest == found.digest:
        return []
    head = Problem(here, lines.of("source_digest"), "stale translation: "
                   f"{display_path(original.source)} has changed since it was stamped; "
                   f"update this translation, then run `{command}`")
    if old is None:
        return [head]
    return [head, *_fields(translation, original, old, found),
            *_pieces(translation, original, old, found)]


def _fields(translation: Booklet, original: Booklet, old: list[Stamp],
            found: Fingerprint) -> list[Problem]:
    """Front-matter fields the original changed, gained or lost."""
    before = {label: short for label, short, _ in old if not label[0].isdigit()}
    now = {unit.label: unit for unit in found.units if unit.kind == "field"}
    here, lines = translation.source, translation.meta_lines
    problems = []
    for name in TRANSLATED:
        there = f"{display_path(original.source)}:{original.meta_lines.of(name)}"
        line = lines.of(name) if (name,) in lines.lines else lines.of("source_digest")
        if name in before and name in now and before[name] != now[name].short:
            problems.append(Problem(here, line, f"the original's '{name}' changed ({there})"))
        elif name in now and name not in before:
            problems.append(Problem(here, line, f"the original now has '{name}' ({there})"))
        elif name in before and name not in now:
            problems.append(Problem(here, line, f"the original no longer has '{name}'"))
    return problems


def _pieces(translation: Booklet, original: Booklet, old: list[Stamp],
            found: Fingerprint) -> list[Problem]:
    """Part openings and sections the original edited, added or removed.

    The stamped pieces and today's are aligned by their digests; within a run that
    differs, a piece keeping its heading was edited, and the rest were removed and
    added (or, when no heading in the run survived and the numbers match, edited
    under a new heading)."""
    before = [entry for entry in old if entry[0][0].isdigit()]
    now = [unit for unit in found.units if unit.kind != "field"]
    mine = {piece.label: piece for piece in outline(translation).pieces}
    report = _Report(translation, original, mine)
    matcher = SequenceMatcher(None, [short for _, short, _ in before],
                              [unit.short for unit in now], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        gone, new = before[i1:i2], now[j1:j2]
        pairs = _same_headings(gone, new)
        left_old = [entry for entry in gone if entry not in pairs.values()]
        left_new = [unit for unit in new if id(unit) not in pairs]
        if not pairs and [_kind(e[0]) for e in left_old] == [u.kind for u in left_new]:
            pairs = {id(unit): entry for unit, entry in zip(left_new, left_old, strict=True)}
            left_old = []
        anchor = before[i1 - 1][0] if i1 > 0 else None
        for unit in new:
            if id(unit) in pairs:
                report.edited(pairs[id(unit)][0], unit)
                anchor = pairs[id(unit)][0]
            else:
                report.added(unit, anchor, before[i1][0] if i1 < len(before) else None)
        for label, _, _ in left_old:
            report.removed(label)
    return sorted(report.problems, key=lambda p: p.line or 0)


def _same_headings(gone: list[Stamp], new: list[Unit]) -> dict[int, Stamp]:
    """Today's pieces (by id) that kept the heading and kind of a stamped one."""
    pairs: dict[int, Stamp] = {}
    free = list(gone)
    for unit in new:
        match = next((e for e in free if e[2] == unit.heading and _kind(e[0]) == unit.kind),
                     None)
        if match is not None:
            pairs[id(unit)] = match
            free.remove(match)
    return pairs


def _kind(label: str) -> str:
    return "section" if "." in label else "part"


class _Report:
    """The messages for pieces, each at the line of the translation's counterpart."""

    def __init__(self, translation: Booklet, original: Booklet, mine: dict) -> None:
        self.here, self.there = translation.source, display_path(original.source)
        self.mine = mine
        self.fallback = translation.meta_lines.of("source_digest")
        self.problems: list[Problem] = []

    def _add(self, label: str | None, message: str) -> None:
        piece = self.mine.get(label or "")
        self.problems.append(Problem(self.here, piece.line if piece else self.fallback,
                                     message))

    def edited(self, label: str, unit: Unit) -> None:
        what = f"the opening of {_name(unit)}" if unit.kind == "part" else _name(unit)
        self._add(label, f"{what} changed in the original ({self.there}:{unit.line})")

    def added(self, unit: Unit, after: str | None, before: str | None) -> None:
        """A new piece: placed after its predecessor's counterpart, else before the
        counterpart of the piece it now precedes."""
        new = f"the original has a new {_name(unit)} ({self.there}:{unit.line})"
        for label, word in ((after, "after"), (before, "before")):
            if label in self.mine:
                piece = self.mine[label]
                what = f"{piece.kind} {label} '{piece.title}'"
                if piece.kind == "part" and word == "after":
                    what = f"the opening of {what}"
                self._add(label, f"{new}: add it {word} {what}")
                return
        self._add(None, new)

    def removed(self, label: str) -> None:
        piece = self.mine.get(label)
        here = f" ('{piece.title}' here)" if piece else ""
        self._add(label, f"the original no longer has {_kind(label)} {label}{here}")


def _name(unit: Unit) -> str:
    return f"{unit.kind} {unit.label} '{unit.title}'"
