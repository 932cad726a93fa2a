"""`booklet check`: validate booklets without rendering, and measure their readability.

The project's booklet.toml is validated first, then each booklet is loaded exactly as
a build would load it, with that configuration (so every content error is found), and
measured with `booklet.authoring.readability`. A reading grade above the booklet's
target (`reading_grade:`, default 8) is a warning, like those loading finds (a skipped
heading level ...), a review due soon, and a translation that is stale or built
differently from its original (`booklet.authoring.stale`, `booklet.authoring.parity`);
under `strict` they are problems. An overdue review is a problem, as in a build.
Nothing is written and neither WeasyPrint nor the writers are imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BookletError, Problem
from ..options import BuildOptions
from ..source.config import Config, load_config
from ..source.loader import load_booklet
from ..source.model import Booklet
from ..source.review import review_problems
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


def check(folders: list[Path], strict: bool = False, options: BuildOptions | None = None
          ) -> list[CheckResult]:
    """Check the project's booklet.toml (`options.config`), then every booklet folder
    with it; return one result for the file (when it has problems), then one per folder.
    `options` give the day reviews are measured against and `allow_overdue`."""
    options = options or BuildOptions()
    results = []
    project = Config()
    if options.config is not None:
        try:
            project = load_config(options.config)
        except BookletError as error:  # reported; the booklets are checked without it
            results.append(CheckResult(options.config, problems=error.problems))
    return results + [check_one(folder, strict, options, project) for folder in folders]


def check_one(folder: Path, strict: bool = False, options: BuildOptions | None = None,
              config: Config | None = None) -> CheckResult:
    """Load and measure one booklet folder."""
    options = options or BuildOptions()
    result = CheckResult(folder)
    try:
        result.booklet = load_booklet(folder, options, config)
    except BookletError as error:
        result.problems = error.problems
        return result
    units = booklet_units(result.booklet)
    result.stats = measure(units)
    grade_problems = list(reading_grade_problems(result))
    if grade_problems:
        result.hardest = hardest_sentences(units)
    overdue, warnings = review_problems(result.booklet, options.allow_overdue)
    warnings = [*result.booklet.warnings, *warnings, *grade_problems,
                *translation_problems(result.booklet, options, config)]
    if strict:
        result.problems = (*overdue, *warnings)
    else:
        result.problems = tuple(overdue)
        result.warnings.extend(warnings)
    return result


def translation_problems(booklet: Booklet, options: BuildOptions, config: Config | None
                         ) -> list[Problem]:
    """A translation's drift from its original (none when the original does not load:
    it reports its own problems)."""
    from .parity import parity_problems
    from .stale import stale_problems

    if booklet.meta.translation_of is None:
        return [Problem(booklet.source, booklet.meta_lines.of(key), f"'{key}' belongs in a "
                        "translation, beside 'translation_of'")
                for key in ("source_digest", "source_sections") if getattr(booklet.meta, key)]
    try:
        original = load_booklet(booklet.folder.parent / booklet.meta.translation_of,
                                options, config)
    except BookletError:
        return []
    return [*stale_problems(booklet, original), *parity_problems(booklet, original)]


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
