"""Checks on the text a screen reader would speak, stricter than Matterhorn's machine tests."""

from __future__ import annotations

import re
from collections import defaultdict

from .context import Context
from .fonts import FontInfo

# Four or more leader characters in a row ('....', '. . . .', '····', '……').
LEADERS = re.compile(r"(?:[.\u00b7\u2024\u2026\u2027]\s?){4,}")


def check_leaders(ctx: Context) -> None:
    """X-leaders: dot leaders in tagged text are read aloud as a string of periods."""
    if not ctx.extensions:
        return
    infos: dict[object, FontInfo] = {}
    hits: dict[int, list[int]] = defaultdict(list)
    for seq in ctx.scan.seqs:
        if seq.in_artifact or (seq.container, seq.mcid) not in ctx.tree.mcid_owner:
            continue  # untagged content is 01-005's business
        spoken = []
        for font_key, data in seq.texts:
            use = ctx.scan.fonts.get(font_key)
            if use is None:
                continue
            info = infos.setdefault(font_key, FontInfo(use.font))
            spoken.append(info.decode(data))
        if LEADERS.search("".join(spoken)):
            hits[seq.page].append(seq.mcid)
    for page, mcids in sorted(hits.items()):
        ctx.fail("X-leaders", page, None, f"{len(mcids)} tagged text run(s) hold dot leaders, "
                 f"read aloud as periods (MCID {', '.join(map(str, mcids[:8]))}"
                 f"{', ...' if len(mcids) > 8 else ''}); mark leaders as Artifacts")


RULES = (check_leaders,)
