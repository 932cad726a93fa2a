"""What the commands print: progress while building, a summary table, check results.

Lines a script may read are the same on a terminal and in a log: `built <slug>: ...`
on standard output as each booklet is done, problems as `path:line: message` and a
last `failed: a, b` line on standard error. On a terminal a `rich` progress bar runs
below them while booklets build, and the summary is a drawn table.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import Problem, display_path, one_line

if TYPE_CHECKING:
    from ..authoring.check import CheckResult
    from ..authoring.stamp import Stamped
    from ..errors import BookletError
    from .outputs import Outcome


def is_terminal(stream: TextIO | None = None) -> bool:
    """Whether `stream` (standard output) is an interactive terminal."""
    stream = stream or sys.stdout
    return hasattr(stream, "isatty") and stream.isatty()


@contextmanager
def build_progress(total: int, fancy: bool | None = None) -> Iterator[Any]:
    """Yield a callback for finished booklets; draw a progress bar on a terminal.

    The bar (and `rich`) starts with the first booklet that had to be rendered, so a
    build where everything is up to date stays as quick as it can be.
    """
    fancy = is_terminal() if fancy is None else fancy
    if not fancy or total < 2:
        yield print_outcome
        return
    state: dict[str, Any] = {"finished": 0}

    def done(outcome: Outcome) -> None:
        print_outcome(outcome)
        state["finished"] += 1
        if outcome.skipped:
            return
        if "bar" not in state:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            # Redrawn as booklets finish, not by a thread of its own: with no other
            # thread running, a build may fork beside each PDF (`booklet.build.overlap`).
            state["bar"] = Progress("building", BarColumn(), MofNCompleteColumn(),
                                    TimeElapsedColumn(), transient=True, auto_refresh=False)
            state["task"] = state["bar"].add_task("building", total=total)
            state["bar"].start()
        state["bar"].update(state["task"], completed=state["finished"], refresh=True)

    try:
        yield done
    finally:
        if "bar" in state:
            state["bar"].stop()


def print_outcome(outcome: Outcome) -> None:
    """The lines for one finished booklet: warnings, then what it built or its problems."""
    if outcome.skipped:
        return
    for warning in outcome.warnings:
        print(f"{one_line(outcome.slug)}: warning: {one_line(warning)}", file=sys.stderr)
    if outcome.ok:
        print(f"built {one_line(outcome.slug)}: {_files(outcome)}")
    else:
        for problem in outcome.problems:
            print(problem, file=sys.stderr)


def summarize(outcomes: list[Outcome], seconds: float | None = None,
              fancy: bool | None = None) -> int:
    """Print the summary table and the `failed:` line; return the exit status."""
    fancy = is_terminal() if fancy is None else fancy
    header = ("booklet", "status", "outputs", "pages", "sizes", "warnings")
    rows = [_row(outcome) for outcome in outcomes]
    if fancy:
        _rich_table(header, rows)
    else:
        _plain_table(header, rows)
    print(_totals(outcomes, seconds))
    return finish([o.slug for o in outcomes if not o.ok])


def finish(failed: list[str]) -> int:
    """Print `failed: a, b` when anything failed; return the exit status."""
    if failed:
        print(f"failed: {', '.join(map(one_line, failed))}", file=sys.stderr)
        return 1
    return 0


def print_check(results: list[CheckResult]) -> int:
    """Print each booklet's numbers, warnings and problems; return the exit status.

    A line about booklet.toml (its logo) is shared by every booklet: printed once."""
    shown: set[str] = set()
    for result in results:
        if result.stats is not None:
            print(check_line(result))
        for edition, summary in result.layouts:
            print(f"  {edition}: {summary}")
        lines = [*(str(Problem(w.path, w.line, f"warning: {w.message}", w.example))
                   for w in result.warnings), *map(str, result.problems)]
        for line in lines:
            if line not in shown:
                shown.add(line)
                print(line, file=sys.stderr)
        for grade, sentence in result.hardest:
            text = sentence if len(sentence) <= 90 else sentence[:87] + "..."
            print(f"  hardest sentence (grade {grade:.1f}): {text}", file=sys.stderr)
    return finish([r.slug for r in results if not r.ok])


def print_stamped(results: dict[Path, Stamped | BookletError]) -> int:
    """Print what `booklet translated` stamped, its warnings and problems; return the
    exit status."""
    from ..authoring.stamp import Stamped

    failed = []
    for folder, result in results.items():
        if not isinstance(result, Stamped):
            for problem in result.problems:
                print(problem, file=sys.stderr)
            failed.append(folder.name)
            continue
        source = one_line(display_path(result.booklet.source))
        original = result.booklet.meta.translation_of
        if result.changed:
            print(f"stamped {source}: source_digest {result.digest} ({original} as it is now)")
        else:
            print(f"{source}: already stamped with {original}'s current digest {result.digest}")
        for warning in result.warnings:
            print(Problem(warning.path, warning.line, f"warning: {warning.message}"),
                  file=sys.stderr)
    return finish(failed)


def check_line(result: CheckResult) -> str:
    """`slug: N words, about M min to read; Flesch–Kincaid grade G, SMOG S (target T)`."""
    stats = result.stats
    assert stats is not None
    slug = one_line(result.slug)
    words = f"{stats.words:,} words, about {stats.reading_minutes} min to read"
    if result.target is None:
        return f"{slug}: {words}; reading grades are computed for English text only"
    return (f"{slug}: {words}; Flesch–Kincaid grade {stats.flesch_kincaid:.1f}, "
            f"SMOG {stats.smog:.1f} (target {result.target:g})")


def _files(outcome: Outcome) -> str:
    return ", ".join(f"{one_line(display_path(p))} ({_size(p)})"
                     for p in outcome.written.values())


def _size(path: Any) -> str:
    try:
        return f"{path.stat().st_size // 1024} KB"
    except OSError:
        return "?"


def _row(outcome: Outcome) -> tuple[str, ...]:
    status = "unchanged" if outcome.skipped else "built" if outcome.ok else "FAILED"
    outputs = ", ".join(outcome.written) if outcome.ok else "-"
    pages = page_counts(outcome.pages)
    sizes = ", ".join(_size(p) for p in outcome.written.values()) if outcome.ok else "-"
    return (one_line(outcome.slug), status, outputs, pages, sizes, str(len(outcome.warnings)))


#: The "pages" column: each PDF's count under a short name, always in this order.
PAGE_COLUMNS = (("pdf", "pdf"), ("large-print", "large"), ("booklet", "booklet"))


def page_counts(pages: dict[str, int]) -> str:
    """`pdf 15, large 19, booklet 4 sheets`: the fold-and-staple booklet counts the sheets
    of paper to print (two of its pages, front and back, to a sheet)."""
    shown = []
    for fmt, name in PAGE_COLUMNS:
        if fmt in pages:
            count = pages[fmt]
            if fmt == "booklet":
                sheets = -(-count // 2)
                shown.append(f"{name} {sheets} sheet{'s' if sheets != 1 else ''}")
            else:
                shown.append(f"{name} {count}")
    return ", ".join(shown) or "-"


def _plain_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
              .rstrip())


def _rich_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(*header, box=None, header_style="bold")
    for column in table.columns[3:]:
        column.justify = "right"
    for row in rows:
        style = {"FAILED": "red", "unchanged": "dim"}.get(row[1])
        table.add_row(*map(Text, row), style=style)  # as text: no markup, no emoji codes
    Console().print(table)


def _totals(outcomes: list[Outcome], seconds: float | None) -> str:
    counts = {"built": sum(o.ok and not o.skipped for o in outcomes),
              "unchanged": sum(o.skipped for o in outcomes),
              "failed": sum(not o.ok for o in outcomes)}
    text = ", ".join(f"{n} {label}" for label, n in counts.items() if n) or "nothing built"
    if seconds is not None:
        text += f" in {seconds:.1f} s"
    peaks = [o.peak_memory for o in outcomes if o.peak_memory]
    if peaks:
        text += f"; peak memory per worker {max(peaks) / 2**20:.0f} MB"
    if counts["unchanged"] and not counts["built"] and not counts["failed"]:
        text += " (all up to date; --force rebuilds)"
    return text
