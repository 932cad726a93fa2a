"""`booklet check`: validate booklets without rendering, and measure their readability.

The project's booklet.toml is validated first, then each booklet is loaded exactly as
a build would load it, with that configuration (so every content error is found), and
measured with `booklet.authoring.readability`. A reading grade above the booklet's
target (`reading_grade:`, default 8) is a warning, like those loading finds (a skipped
heading level ...); under `strict` they are problems. Nothing is written and neither
WeasyPrint nor the writers are imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BookletError, Problem
from ..source.config import Config, load_config
from ..source.loader import load_booklet
from ..source.model import Booklet
from .readability import TextStats, booklet_units, hardest_sentences, is_graded, measure


@dataclass
class CheckResult:
    """One booklet's check: its problems, or its numbers and warnings."""

    folder: Path
    booklet: Booklet | None = None
    stats: TextStats | None = None
    problems: tuple[Problem, ...] = ()
    warnings: list[Problem] = field(default_factory=list)
    #: When a grade is above target: the hardest sentences, as (grade, sentence).
    hardest: list[tuple[float, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def slug(self) -> str:
        return self.folder.name

    @property
    def target(self) -> float | None:
        """The reading grade aimed at, when the grade formulas apply to the language."""
        if self.booklet is None or not is_graded(self.booklet.meta.language):
            return None
        return self.booklet.meta.reading_grade


def check(folders: list[Path], strict: bool = False, config: Path | None = None
          ) -> list[CheckResult]:
    """Check the project's booklet.toml (`config`), then every booklet folder with it;
    return one result for the file (when it has problems), then one per folder."""
    results = []
    project = Config()
    if config is not None:
        try:
            project = load_config(config)
        except BookletError as error:  # reported; the booklets are checked without it
            results.append(CheckResult(config, problems=error.problems))
    return results + [check_one(folder, strict, project) for folder in folders]


def check_one(folder: Path, strict: bool = False, config: Config | None = None
              ) -> CheckResult:
    """Load and measure one booklet folder."""
    result = CheckResult(folder)
    try:
        result.booklet = load_booklet(folder, config=config)
    except BookletError as error:
        result.problems = error.problems
        return result
    units = booklet_units(result.booklet)
    result.stats = measure(units)
    grade_problems = list(reading_grade_problems(result))
    if grade_problems:
        result.hardest = hardest_sentences(units)
    warnings = [*result.booklet.warnings, *grade_problems]
    if strict and warnings:
        result.problems = tuple(warnings)
    else:
        result.warnings.extend(warnings)
    return result


def reading_grade_problems(result: CheckResult) -> list[Problem]:
    """One problem for each reading grade above the booklet's target."""
    target, stats, booklet = result.target, result.stats, result.booklet
    if target is None or stats is None or booklet is None or not stats.words:
        return []
    problems = []
    for name, grade in (("Flesch–Kincaid", stats.flesch_kincaid), ("SMOG", stats.smog)):
        if round(grade, 1) > target:
            problems.append(Problem(booklet.source, None, (
                f"{name} reading grade {grade:.1f} is above the target "
                f"{target:g} (reading_grade); use shorter sentences and shorter words")))
    return problems
