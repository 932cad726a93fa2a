"""The one user-facing error type.

Expected problems (bad content, a missing file, a refused resource) are raised as
`BookletError`; the CLI prints them as `path:line: message` and exits non-zero.
Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One located problem in a booklet's sources."""

    path: Path | None
    line: int | None
    message: str
    #: Lines printed indented under the message: an example of what to write.
    example: tuple[str, ...] = ()

    def __str__(self) -> str:
        message = one_line(self.message)
        if self.path is not None:  # a folder name can hold a line break or an escape
            where = one_line(display_path(self.path))
            message = f"{where}:{self.line}: {message}" if self.line else f"{where}: {message}"
        return "".join([message, *(f"\n    {one_line(line)}" for line in self.example)])


class BookletError(Exception):
    """One or more problems that stop a booklet from being built."""

    def __init__(self, *problems: Problem) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

    @classmethod
    def at(cls, path: Path | None, line: int | None, message: str) -> BookletError:
        """Build an error for a single located problem."""
        return cls(Problem(path, line, message))


def one_line(text: str) -> str:
    """`text` with line breaks and other invisible characters shown as escapes, so that
    each problem stays one line even when it quotes a booklet's odd text."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode()
                   for c in text)


def display_path(path: Path) -> str:
    """Show `path` relative to the working directory when it lies inside it.

    Links are not followed first, so a refused link is named, not its target.
    """
    cwd = Path.cwd()
    for candidate, base in ((Path(os.path.abspath(path)), Path(os.path.abspath(cwd))),
                            (path.resolve(), cwd.resolve())):
        try:
            return str(candidate.relative_to(base))
        except ValueError:
            pass
    return str(path)
