"""Dot leaders drawn as one run of text per line instead of one box per dot.

The contents page draws dots from each title to its page number (`leader('.')` in
print.css). WeasyPrint 70 lays out the leader as a copy of the dot's text box for
every dot, and draws each one on its own: some 1,300 boxes for a booklet's contents,
a quarter of a second of every PDF. With `install()`, once WeasyPrint has placed the
dots, they are put into a single text box at the first dot's place, which draws the
same dots at the same positions. A leader whose repeated text would not line up
as a single run (kerning between the repeats) keeps its separate boxes.
"""

from __future__ import annotations

from typing import Any

from .counters import hits

#: How far (in CSS px) a run may differ from the dots it replaces.
TOLERANCE = 1e-3


def install() -> None:
    """Make WeasyPrint's line layout merge each line's leader boxes (idempotent)."""
    from weasyprint.layout import inline

    original = inline.handle_leader
    if getattr(original, "booklet_merges", False):
        return

    def handle_leader(context: Any, line: Any, containing_block: Any) -> None:
        original(context, line, containing_block)
        merge_leader(context, line)

    handle_leader.booklet_merges = True  # type: ignore[attr-defined]
    inline.handle_leader = handle_leader


def merge_leader(context: Any, line: Any) -> None:
    """Replace the placed copies of a line's leader text by one text box."""
    from weasyprint.layout.leader import leader_index
    from weasyprint.text.line_break import split_first_line

    _, leader = leader_index(line)
    if leader is None or len(leader.children) < 2:
        return
    copies = leader.children
    first = min(copies, key=lambda box: box.position_x)
    if any(box.text != first.text or box.width != first.width for box in copies):
        return
    text = first.text * len(copies)
    layout, length, _, width, _, _ = split_first_line(
        text, first.style, context, None, first.justification_spacing)
    if length != len(text.encode()) or abs(width - first.width * len(copies)) > TOLERANCE:
        return
    run = first.copy_with_text(text)
    run.width = width
    run.pango_layout = layout
    leader.children = (run,)
    hits["leaders"] += 1
