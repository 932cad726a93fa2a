"""What a check found: failures, each tied to a rule, a page and an object."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Failure:
    """One failed condition: Matterhorn id (or an extension id), 1-based page, object, why."""

    rule: str
    page: int | None
    ref: str | None
    message: str

    def __str__(self) -> str:
        where = f"page {self.page}" if self.page is not None else "document"
        obj = f" [{self.ref}]" if self.ref else ""
        return f"{where}: {self.rule} {self.message}{obj}"


@dataclass
class Report:
    """Every failure found in one PDF, in the order the rules ran."""

    source: str
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def counts(self) -> Counter[str]:
        """Failures per rule id."""
        return Counter(f.rule for f in self.failures)

    def by_rule(self, rule: str) -> list[Failure]:
        return [f for f in self.failures if f.rule == rule]

    def summary(self) -> str:
        if self.ok:
            return f"{self.source}: passed"
        parts = ", ".join(f"{rule} x{n}" for rule, n in sorted(self.counts().items()))
        return f"{self.source}: {len(self.failures)} failures ({parts})"
