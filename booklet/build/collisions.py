"""Booklets whose outputs would land on the same file, found before anything is written.

Output names come from folder names (`x.pdf`, `x-booklet.pdf` ...), so the folders
`x` and `x-booklet` would both write `x-booklet.pdf`: the fold-and-staple edition of
one and the reading edition of the other, and whichever came last would win. Each
such booklet fails, naming the other, before anything is rendered. The names
compared are every file a booklet can write, in every format (with the web
edition's cover picture and library record, and the library's own `index.html`),
whatever this build's `--format` asks for, so a clash never depends on the options;
and folders beside the ones being built count too (`booklet build content/x-booklet`
would overwrite `x`'s file all the same). Names are compared in Unicode's composed
form: `ñ` written as `n` and a combining tilde is the same file on a Mac.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from ..errors import Problem, display_path
from ..options import FORMATS
from ..source.loader import SOURCE_NAME, find_booklets
from ..source.names import name_problem
from .outputs import output_name

#: Files the build writes for no one booklet, by what they are.
SHARED_FILES = {"index.html": "the handout library"}
#: What each format's file is, for the message.
KINDS = {"pdf": "reading edition", "booklet": "fold-and-staple booklet",
         "large-print": "large-print edition", "epub": "EPUB", "html": "web page"}


def booklet_files(slug: str) -> dict[str, str]:
    """Every file (path under the output folder) a booklet in folder `slug` can write,
    with what it is."""
    from ..web.library import COVER_FOLDER, RECORD_FOLDER

    files = {output_name(slug, fmt): KINDS.get(fmt, fmt) for fmt in FORMATS}
    files[f"{COVER_FOLDER}/{slug}.jpg"] = "cover picture for the library page"
    files[f"{RECORD_FOLDER}/{slug}.json"] = "record for the library page"
    return files


def collisions(folders: list[Path]) -> dict[Path, Problem]:
    """A problem for each of `folders` whose output names clash with those of another
    booklet folder (given, or beside a given one) or with a shared file."""
    candidates = {folder.resolve(): folder for folder in folders}
    for parent in {folder.resolve().parent for folder in folders}:
        for sibling in find_booklets(parent):
            candidates.setdefault(sibling.resolve(), sibling)
    owners: dict[str, list[tuple[Path, str]]] = {}
    for resolved, folder in candidates.items():
        if name_problem(resolved.name) is None:  # a refused name writes nothing
            for name, kind in booklet_files(resolved.name).items():
                owners.setdefault(_key(name), []).append((folder, kind))
    problems: dict[Path, Problem] = {}
    for folder in folders:
        if clashes := _clashes(folder, owners):
            problems[folder] = Problem(folder / SOURCE_NAME, None, "; ".join(clashes) +
                                       ": one would overwrite the other; rename the folder")
    return problems


def _clashes(folder: Path, owners: dict[str, list[tuple[Path, str]]]) -> list[str]:
    """What `folder`'s files clash with, in words."""
    resolved = folder.resolve()
    if name_problem(resolved.name) is not None:
        return []
    shared = {_key(name): kind for name, kind in SHARED_FILES.items()}
    found = []
    for name, kind in booklet_files(resolved.name).items():
        if _key(name) in shared:
            found.append(f"its {kind} {name} has the name of {shared[_key(name)]}")
        for other, other_kind in owners.get(_key(name), []):
            if other.resolve() != resolved:
                found.append(f"its {kind} {name} has the name of "
                             f"{display_path(other)}'s {other_kind}")
    return found


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name)
