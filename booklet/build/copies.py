"""Personal copies: booklets made for one client, or for each row of a clients file.

A batch loads each booklet once (and the language editions its rows ask for), plans
each copy (`booklet.build.copyplan`), then keeps one set of templates, fonts, resource
policy and generic pages for every row, rendering row after row in this process or
spread over `--jobs` workers. What depends on the client
reaches the templates as a `Personal` record handed to the renderer
(`Renderer.for_client`), and goes nowhere else.

A client's name is health information, so:

- copies are written only into a private folder (made 0700; files 0600, atomically),
  never into the project (dist/, content/, the build cache), booklet's cache folder
  or a booklet's folder (`private_folder`);
- they never go through the build cache (`booklet.build.cache`); the disk caches a
  render uses hold no client text (compiled templates, parsed hyphenation patterns);
- PDF and EPUB metadata stay those of the generic edition: the templates add the
  client to pages only, and PDF form values are set on the written file
  (`booklet.pdf.prefill`);
- what is printed names rows and files, and any warning is stripped of the client's
  details (`redact`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BookletError, Problem, display_path
from ..options import BuildOptions
from ..output import cache_dir, sweep_folder, write_atomic
from ..source.clients import Client, Personal, RowProblem
from .copyplan import Rejected, Task, plan, vet
from .outputs import _render, make_renderer

if TYPE_CHECKING:
    from ..pdf.personal import CopyLayouts
    from ..render.html import Renderer
    from ..sandbox.policy import ResourcePolicy
    from ..source.config import Config
    from ..source.model import Booklet

#: Formats a personal copy can be made in (the imposed booklet drops form fields).
COPY_FORMATS = ("pdf", "large-print", "epub")
#: Permissions of the folder a batch makes, and of every copy.
FOLDER_MODE, FILE_MODE = 0o700, 0o600
#: What a client's details are replaced with in a message.
WITHHELD = "<client details>"
#: The project's folders a copy never goes into, with why (relative to the project).
PUBLIC = {"dist": "holds the published booklets", ".cache": "holds the build cache",
          "content": "holds the booklets' sources"}


@dataclass
class CopyOutcome:
    """What became of one copy (or of a row that could not be made): files or problems,
    every message already free of the client's details."""

    row: int | None
    slug: str = ""
    written: dict[str, Path] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def make_copies(folders: list[Path], clients: list[Client], options: BuildOptions,
                source: Path | None = None,
                on_done: Callable[[CopyOutcome], None] | None = None,
                on_warning: Callable[[str], None] | None = None) -> list[CopyOutcome]:
    """Make each client's copies of the booklets in `folders` into `options.out`.

    `source` is the clients file (for messages). Raises `BookletError` when nothing
    can be made: a booklet or the project's booklet.toml has problems (an overdue
    review among them, unless `options.allow_overdue`), or the output folder is one
    copies must not go into. A bad row is an outcome with problems. `on_warning` hears
    of each booklet's own warnings, once.
    """
    from .pipeline import project

    notify = on_done or (lambda outcome: None)
    options = replace(options, incremental=False)  # never through the build cache
    config = project(options)
    booklets = _load(folders, options, config)
    for booklet in booklets.values():
        for warning in vet(booklet, options):
            (on_warning or (lambda text: None))(warning)
    private_folder(options.out, list(booklets.values()))
    sweep_folder(options.out)
    outcomes: list[CopyOutcome] = []
    tasks = []
    for item in plan(clients, booklets, options, config, source):
        if isinstance(item, Rejected):
            outcomes.append(CopyOutcome(item.row, problems=list(item.problems)))
            notify(outcomes[-1])
        else:
            tasks.append(item)

    def finished(outcome: CopyOutcome) -> None:
        outcomes.append(outcome)
        notify(outcome)

    if tasks and (options.jobs > 1 and len(tasks) > 1 or options.contain and config.limits.on):
        from .workers import Workers

        count = max(1, min(options.jobs, len(tasks)))
        try:
            with Workers(options, config.limits, count, options.theme or config.theme,
                         one_build=True) as workers:
                workers.run(copy_in_worker, tasks, options, lambda task, result: finished(
                    result if isinstance(result, CopyOutcome) else  # else stopped by the budget
                    CopyOutcome(task.row, task.booklet.slug, problems=[str(p) for p in result])))
        finally:  # a process killed while writing (budget, Ctrl-C) leaves its temporary file
            sweep_folder(options.out)
    else:
        renderer, reused = make_renderer(options, config), Reused()
        for task in tasks:
            finished(make_copy(task, renderer, options, reused))
    return sorted(outcomes, key=lambda o: (o.row or 0, o.slug))


def _load(folders: list[Path], options: BuildOptions, config: Config) -> dict[str, Booklet]:
    """Every booklet given, by folder name; raise `BookletError` with all their problems."""
    from ..source.loader import load_booklet

    loaded, problems = {}, []
    for folder in folders:
        try:
            booklet = load_booklet(folder, options, config)
        except BookletError as error:
            problems.extend(error.problems)
            continue
        loaded[booklet.slug] = booklet
    if problems:
        raise BookletError(*problems)
    return loaded


def private_folder(out: Path, booklets: list[Booklet]) -> None:
    """Make `out` (and any folder above it that is missing) readable by its owner
    alone; raise `BookletError` if it lies where copies must never go."""
    target = out.resolve()
    refused = {Path(name).resolve(): f"{name}/, which {why}" for name, why in PUBLIC.items()}
    refused[cache_dir().resolve()] = f"{display_path(cache_dir())}, booklet's cache folder"
    for booklet in booklets:
        refused[booklet.folder] = f"{display_path(booklet.folder)}, a booklet's folder"
    project = Path.cwd()
    if (project / "content").is_dir() or (project / "booklet.toml").is_file():
        refused.setdefault(project.resolve(), "the project's folder, which is shared as a "
                           "whole (version control, backups, sync)")
    for folder, what in refused.items():
        if target == folder or folder in target.parents:
            raise BookletError(Problem(None, None, f"--out: {display_path(out)} is inside "
                                       f"{what}; copies for clients go into a private "
                                       "folder outside the project, e.g. --out ~/clients"))
    if target.exists() and not target.is_dir():
        raise BookletError(Problem(None, None, f"--out: {display_path(out)} is not a folder"))
    missing = [p for p in (target, *target.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=FOLDER_MODE, exist_ok=True)
        os.chmod(folder, FOLDER_MODE)


def folder_note(out: Path) -> str | None:
    """A note when others may list `out` (the copies inside are still the owner's)."""
    mode = out.stat().st_mode & 0o777
    if mode & 0o077:
        return (f"note: other users of this computer can list {display_path(out)} (mode "
                f"{mode:o}); the copies in it are readable by you alone")
    return None


# --- planning: which edition, which details, which files ---------------------------

# --- making one copy -----------------------------------------------------------------

@dataclass
class Reused:
    """What a process keeps from one copy of a batch to the next, none of it a
    client's: each booklet's resource policy (what it may read, and the images it
    read), and the layouts of the pages that are the same for every client."""

    policies: dict[Path, ResourcePolicy] = field(default_factory=dict)
    layouts: CopyLayouts = field(default_factory=lambda: _copy_layouts())


def _copy_layouts() -> CopyLayouts:
    from ..pdf.personal import CopyLayouts

    return CopyLayouts()


#: A `--jobs` worker's, for the one batch its pool serves.
_WORKER: Reused | None = None


def make_copy(task: Task, renderer: Renderer, options: BuildOptions, reused: Reused,
              budgeted: bool = False) -> CopyOutcome:
    """Render one copy in memory, fill its form fields, then write its files."""
    from ..pdf.prefill import prefill

    booklet = task.booklet
    outcome = CopyOutcome(task.row, booklet.slug)
    warnings: list[str] = []
    try:
        if booklet.folder not in reused.policies:
            reused.policies[booklet.folder] = renderer.policy(booklet, options.allow_remote)
        rendered = _render(booklet, renderer.for_client(task.personal), options, warnings,
                           {}, policy=reused.policies[booklet.folder], layouts=reused.layouts)
        if options.strict and warnings:
            raise BookletError(*(Problem(booklet.source, None, f"warning (strict): {w}")
                                 for w in warnings))
        answers = dict(task.personal.answers)
        for fmt, name in task.names:
            data = rendered[fmt]
            if fmt != "epub":
                data = prefill(data, answers)
            write_atomic(task.folder / name, data, mode=FILE_MODE)
            outcome.written[fmt] = task.folder / name
    except BookletError as error:
        outcome.problems = [str(problem) for problem in error.problems]
    except Exception as error:  # a bug; its message might quote the client, so not shown
        if budgeted and isinstance(error, MemoryError):
            raise  # the process's memory cap: it ends, and the row fails with the limit
        outcome.problems = [f"internal error ({type(error).__name__}) while making this copy; "
                            "the message is withheld as it may hold the client's details"]
    label = f"row {task.row}" if task.row is not None else booklet.slug
    outcome.warnings = [*task.notes, *(f"{label}: warning: {w}" for w in warnings)]
    outcome.problems = [redact(message, task.personal) for message in outcome.problems]
    outcome.warnings = [redact(message, task.personal) for message in outcome.warnings]
    return outcome


def copy_in_worker(task: Task, options: BuildOptions, renderer: Renderer) -> CopyOutcome:
    """`make_copy` in a rendering process (`booklet.build.rendering`), with the
    templates it set up when it started."""
    global _WORKER
    _WORKER = _WORKER or Reused()
    return make_copy(task, renderer, options, _WORKER, budgeted=True)


def redact(message: str, personal: Personal) -> str:
    """`message` with each of the client's details replaced by `WITHHELD`: every value,
    each line of one, and each word of three letters or more of a name."""
    pieces = set()
    for text in personal.texts():
        pieces.add(text.strip())
        pieces.update(line.strip() for line in text.splitlines())
    for name in (personal.name, personal.by):
        pieces.update(word for word in (name or "").split() if len(word) >= 3)
    for piece in sorted(pieces, key=len, reverse=True):
        if piece:
            message = message.replace(piece, WITHHELD)
    return message


# --- the command ---------------------------------------------------------------------

def run(folders: list[Path], clients: list[Client], problems: list[RowProblem],
        options: BuildOptions, source: Path | None) -> int:
    """`booklet copy`: make the copies, printing a line per copy (row numbers and file
    names only) and a summary; return the exit status."""
    import time

    start = time.perf_counter()
    _no_core_dumps()
    for problem in problems:
        print(problem, file=sys.stderr)
    try:
        outcomes = make_copies(folders, clients, options, source, on_done=print_copy,
                               on_warning=lambda text: print(text, file=sys.stderr))
    except BookletError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print("failed: nothing was made", file=sys.stderr)
        return 1
    if note := folder_note(options.out):
        print(note, file=sys.stderr)
    made = sum(1 for o in outcomes if o.written)
    elapsed = time.perf_counter() - start
    rate = f" ({made / elapsed * 60:.0f} a minute)" if made > 1 else ""
    print(f"{made} {'copy' if made == 1 else 'copies'} made in {elapsed:.1f} s{rate}")
    failed = sorted({o.row for o in outcomes if not o.ok and o.row is not None}
                    | {p.row for p in problems if p.row is not None})
    if failed or any(not o.ok for o in outcomes):
        rows = f": rows {', '.join(map(str, failed))}" if failed else ""
        print(f"failed{rows}", file=sys.stderr)
        return 1
    return 0


def _no_core_dumps() -> None:
    """A crash must not leave a client's details in a core file: none for this process
    and the ones it starts (the PDF child, the workers)."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))
    except (ImportError, ValueError, OSError):  # not on this system; nothing to turn off
        pass


def print_copy(outcome: CopyOutcome) -> None:
    """`row 2: copies/2-slug.pdf (61 KB), ...` on standard output; warnings and
    problems on standard error."""
    label = f"row {outcome.row}" if outcome.row is not None else "made"
    for warning in outcome.warnings:
        print(warning, file=sys.stderr)
    for problem in outcome.problems:
        print(problem, file=sys.stderr)
    if outcome.written:
        files = ", ".join(f"{display_path(path)} ({_size(path)})"
                          for path in outcome.written.values())
        print(f"{label}: {files}")


def _size(path: Path) -> str:
    return f"{max(1, round(path.stat().st_size / 1024))} KB"

