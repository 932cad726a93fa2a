"""A theme a build may use: its `templates/`, `styles/` and `locales/` lie inside it.

The resource policy lets stylesheets read files in the theme's `styles/` and
`templates/` folders. A link there to a folder outside (`styles -> /home/me`) would
make that folder readable, its files then reaching a PDF through `url()`; a link to a
file outside would be read as a stylesheet, template or catalogue. So a theme holding
such links is refused, as is one holding something that is not a regular file (a pipe
named `print.css` would hang the build). The theme folder itself may be a link.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import BookletError, Problem

#: The folders of a theme that a build reads.
THEME_FOLDERS = ("templates", "styles", "locales")


def check_theme(theme: Path | None) -> None:
    """Raise `BookletError` naming every link out of the theme and every special file."""
    if theme is None or not theme.is_dir():
        return
    root = theme.resolve()
    problems: list[Problem] = []
    for name in THEME_FOLDERS:
        folder = theme / name
        if not folder.exists() and not folder.is_symlink():
            continue
        if not _inside(folder, root):
            problems.append(Problem(folder, None, "is a link to a folder outside the theme: "
                                    "a theme's templates/, styles/ and locales/ must lie "
                                    "inside it"))
            continue
        problems.extend(_entry_problems(folder, root))
    if problems:
        raise BookletError(*problems)


def _entry_problems(folder: Path, root: Path) -> list[Problem]:
    """Links leading outside the theme, and special files, anywhere under `folder`."""
    problems = []
    for top, dirs, files in os.walk(folder):  # links to folders are listed, not entered
        for name in sorted((*dirs, *files)):
            path = Path(top) / name
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode) and not _inside(path, root):
                problems.append(Problem(path, None, "is a link to a file outside the theme"))
            elif not stat.S_ISLNK(mode) and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                problems.append(Problem(path, None, "is not a regular file"))
    return problems


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a link loop
        return False
