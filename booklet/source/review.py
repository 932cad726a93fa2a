"""Review dates: when a booklet was last reviewed, when it is next due, and what that
means on the build's day.

`reviewed:` is the day of the last review; `review_date:` is its older name and still
works (a booklet gives one or the other). The next review is due on `review_due:` when
given, else `reviewed` plus `review_every` (front matter, else booklet.toml, else
`DEFAULT_MONTHS`). "Today" is `BuildOptions.today`: the UTC date of the build time,
which follows SOURCE_DATE_EPOCH. A review due within `WARN_DAYS` is a warning; an
overdue one fails the booklet, unless the build allows it (`--allow-overdue`).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from pathlib import Path

from ..errors import BookletError, Problem
from .model import Booklet, Meta, Review
from .schema import KeyLines

#: Months between reviews when neither the booklet nor booklet.toml says: three years,
#: the cycle of Ireland's HSE and many NHS trusts.
DEFAULT_MONTHS = 36
#: A review due within this many days is announced.
WARN_DAYS = 60


def add_months(day: date, months: int) -> date:
    """`day` moved on by `months`, kept within the month (31 January + 1 month is the
    28th or 29th of February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def resolve(meta: Meta, lines: KeyLines, source: Path, today: date,
            default_months: int | None = None) -> Review | None:
    """The booklet's review on `today`; None when its front matter names no review."""
    problems = []
    if meta.reviewed and meta.review_date:
        problems.append(Problem(source, lines.of("review_date"), "'review_date' is the older "
                                "name of 'reviewed': give one of them"))
    if meta.review_due and meta.review_every:
        problems.append(Problem(source, lines.of("review_every"), "give 'review_every' or "
                                "'review_due', not both"))
    reviewed = meta.reviewed or meta.review_date
    if meta.review_every and not reviewed:
        problems.append(Problem(source, lines.of("review_every"), "'review_every' needs "
                                "'reviewed': the day of the last review"))
    if problems:
        raise BookletError(*problems)
    if not (reviewed or meta.reviewed_by or meta.review_due):
        return None
    if meta.review_due:
        due, line = meta.review_due, lines.of("review_due")
    elif reviewed:
        months = meta.review_every or default_months or DEFAULT_MONTHS
        due = add_months(reviewed, months)
        line = lines.of("reviewed" if meta.reviewed else "review_date")
    else:
        due, line = None, lines.of("reviewed_by")
    return Review(reviewed, meta.reviewed_by, due, today, line)


def review_problems(booklet: Booklet, allow_overdue: bool = False
                    ) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) for the booklet's review on its build's day: overdue is an
    error (a warning when allowed), due within `WARN_DAYS` a warning."""
    review = booklet.review
    if review is None or review.due is None or review.days_left is None:
        return [], []
    since = _since(review)
    if review.overdue:
        problem = Problem(booklet.source, review.line,
                          f"review overdue since {review.due.isoformat()}{since}")
        return ([], [problem]) if allow_overdue else ([problem], [])
    if review.days_left <= WARN_DAYS:
        when = "today" if review.days_left == 0 else \
            f"in {review.days_left} day{'s' if review.days_left > 1 else ''}"
        return [], [Problem(booklet.source, review.line,
                            f"review due {review.due.isoformat()}, {when}{since}")]
    return [], []


def _since(review: Review) -> str:
    """` (reviewed 2024-03-01 by Dr Ana Ruiz)`, or as much of it as is known."""
    parts = []
    if review.reviewed:
        parts.append(f"reviewed {review.reviewed.isoformat()}")
    if review.by:
        parts.append(f"by {review.by}")
    return f" ({' '.join(parts)})" if parts else ""


def next_change(review: Review | None) -> date | None:
    """The first day after the review's build day on which its state changes (a
    warning begins, or it falls overdue); None when it never will."""
    if review is None or review.due is None:
        return None
    warn_from = review.due - timedelta(days=WARN_DAYS)
    if review.today < warn_from:
        return warn_from
    return review.due + timedelta(days=1) if not review.overdue else None
