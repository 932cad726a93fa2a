"""The words a reader should hear for each run of text, where the drawn glyphs say otherwise.

WeasyPrint draws each line of a paragraph as its own run of text and drops the space it
broke the line at, so text extraction and screen readers join the last word of one
line to the first of the next ("family andsocial"); a word it hyphenated keeps the
hyphen it added ("part‐" "ner"). Right-to-left text is drawn glyph by glyph in visual
order, through a ToUnicode map that cannot give the letters back. For such runs the
PDF gets /ActualText (ISO 32000-1 14.9.4): the run's text in logical order, with the
space restored or the added hyphen removed. Whether a line break stood at a space is
read from the block's source text, not guessed from the glyphs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ...engine.marks import Mark

SOFT_HYPHEN = "\u00ad"

Key = tuple[int, int]  # (page, MCID)


def spoken_texts(marks: Iterable[Mark], sources: Mapping[int, str]) -> dict[Key, str]:
    """ActualText by (page, MCID) for runs whose drawn text is not what a reader hears."""
    runs = [m for m in marks if m.line is not None and m.margin is None and not m.leader
            and m.text.strip()]
    spoken: dict[Key, str] = {(m.page, m.mcid): m.text for m in runs if m.rtl}
    for before, after in zip(runs, runs[1:], strict=False):
        if before.block is None or before.block != after.block or before.line == after.line:
            continue
        text = spoken.get((before.page, before.mcid), before.text)
        joined = line_end(text, after.text, sources.get(before.block, ""), before.hyphen)
        if joined != text or before.rtl:
            spoken[(before.page, before.mcid)] = joined
    return spoken


def line_end(text: str, following: str, source: str, hyphen: str) -> str:
    """`text`, the end of a line, as it reads before `following` (the start of the next
    line of the same block): with the space the line was broken at, or without the
    hyphen the line breaking added. Unchanged when the source shows neither."""
    if not text or not following or text[-1].isspace() or following[0].isspace():
        return text
    last, first = text.split()[-1], following.split()[0]
    words = _fold(source)
    if hyphen and last.endswith(hyphen) and len(last) > len(hyphen):
        stem = last[: -len(hyphen)]
        if _fold(stem + first) in words and _fold(last + first) not in words:
            return text[: -len(hyphen)]
    if _fold(f"{last} {first}") in words:
        return text + " "
    return text


def _fold(text: str) -> str:
    """Text compared without case (text-transform) or soft hyphens."""
    return text.replace(SOFT_HYPHEN, "").casefold()
