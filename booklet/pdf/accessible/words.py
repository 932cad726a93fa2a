"""The words a reader should hear for each run of text, where the drawn glyphs say otherwise.

WeasyPrint draws each line of a paragraph as its own run of text and drops the space it
broke the line at, so text extraction and screen readers join the last word of one
line to the first of the next ("family andsocial"); a word it hyphenated keeps the
hyphen it added ("part‐" "ner", where ISO 32000-1 14.8.2.2.3 wants a soft hyphen,
U+00AD, that extraction drops). Right-to-left text is drawn glyph by glyph in visual
order, through a ToUnicode map that cannot give the letters back. For such runs the
PDF gets /ActualText (ISO 32000-1 14.9.4): the run's text in logical order, with the
space restored or the added hyphen made a soft hyphen. Whether a line break stood at a
space is read from the block's source text, not guessed from the glyphs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ...engine.marks import Mark

SOFT_HYPHEN = "\u00ad"
ZERO_WIDTH_SPACE = "\u200b"

Key = tuple[int, int]  # (page, MCID)


def spoken_texts(marks: Iterable[Mark], sources: Mapping[int, str],
                 flows: Mapping[int, int]) -> dict[Key, str]:
    """ActualText by (page, MCID) for runs whose drawn text is not what a reader hears.

    `flows` maps a block taken out of a line (a float) to the block it sits in."""
    runs: list[Mark] = []
    gap_after: set[int] = set()  # runs followed by a leader on their line
    for mark in marks:
        if mark.line is None or mark.margin is not None:
            continue
        if mark.leader:
            if runs and runs[-1].line == mark.line:
                gap_after.add(len(runs) - 1)
        elif mark.text.strip():
            runs.append(mark)
    spoken: dict[Key, str] = {(m.page, m.mcid): m.text for m in runs if m.rtl}
    for index, (before, after) in enumerate(zip(runs, runs[1:], strict=False)):
        key = (before.page, before.mcid)
        text = spoken.get(key, before.text)
        if before.line == after.line:
            joined = text + " " if index in gap_after and not text[-1].isspace() else text
        elif (block := _common_block(before.block, after.block, flows)) is not None:
            joined = line_end(text, after.text, sources.get(block, ""), before.hyphen)
        else:
            continue
        if joined != text or before.rtl:
            spoken[key] = joined
    # Zero-width spaces mark where print may break a web address: not words to hear.
    return {key: text.replace(ZERO_WIDTH_SPACE, "") for key, text in spoken.items()}


def _common_block(first: int | None, second: int | None, flows: Mapping[int, int]
                  ) -> int | None:
    """The block whose text holds both runs' blocks: the same block, or the one a float
    in it sits in; None for runs in unrelated blocks."""
    if first is None or second is None:
        return None
    if first == second:
        return first
    outer_first, outer_second = flows.get(first), flows.get(second)
    if outer_first == second or outer_second == first:  # a float and its block
        return second if outer_first == second else first
    return outer_first if outer_first is not None and outer_first == outer_second else None


def line_end(text: str, following: str, source: str, hyphen: str) -> str:
    """`text`, the end of a line, as it reads before `following` (the start of the next
    line of the same block): with the space the line was broken at, or with the hyphen
    the line breaking added as a soft hyphen. Unchanged when the source shows neither."""
    if not text or not following or text[-1].isspace() or following[0].isspace():
        return text
    last, first = text.split()[-1], following.split()[0]
    words = _fold(source)
    if hyphen and last.endswith(hyphen) and len(last) > len(hyphen):
        stem = last[: -len(hyphen)]
        if _fold(stem + first) in words and _fold(last + first) not in words:
            return text[: -len(hyphen)] + SOFT_HYPHEN
    if _fold(f"{last} {first}") in words:
        return text + " "
    return text


def _fold(text: str) -> str:
    """Text compared without case (text-transform) or soft hyphens."""
    return text.replace(SOFT_HYPHEN, "").casefold()
