"""`booklet watch`: rebuild what changed as soon as it is saved, in one warm process.

Watching starts first, then the first pass builds every booklet that is out of date
(a save made during it is built next). Then each batch of saved files is mapped to
the booklets it affects: a file inside `content/<slug>/` to that booklet; a template,
stylesheet or config file to every booklet. Those go through the same incremental
build (so a save that changes nothing renders nothing). A save to booklet.toml that
names another file (help contacts, a logo) adds it to what is watched.
WeasyPrint is imported once, before the first change, so each rebuild pays only
for layout and writing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BookletError, one_line
from ..options import BuildOptions
from ..render.html import Renderer
from ..source.config import Config
from ..source.loader import SOURCE_NAME, find_booklets
from . import memory
from .cache import CONFIG_FILES, config_references
from .outputs import Outcome, make_renderer
from .pipeline import build, project
from .report import finish, print_outcome

if TYPE_CHECKING:
    from ..pdf.parts import PartLayouts
    from .workers import Workers


class Watcher:
    """Maps saved files to booklets and rebuilds them."""

    def __init__(self, content_dir: Path, options: BuildOptions,
                 on_done: Callable[[Outcome], None] = print_outcome) -> None:
        self.content_dir = content_dir.resolve()
        self.options = replace(options, incremental=True)
        #: With `options.contain`, the warm rendering process, kept between rebuilds.
        self.workers: Workers | None = None
        #: Without it, the sections of the booklets being edited, laid out
        #: (`booklet.pdf.parts`; the rendering process keeps its own).
        self.parts: PartLayouts | None = None
        # Kept between rebuilds: Jinja recompiles a template only when its file changed.
        self.renderer = self._renderer()
        self.shared_dirs = [d.resolve() for d in (*self.renderer.template_dirs,
                                                  *self.renderer.style_dirs,
                                                  *self.renderer.locale_dirs)]
        self.on_done = on_done

    def _renderer(self) -> Renderer:
        """A renderer for the project as its booklet.toml is now."""
        from ..pdf.parts import PartLayouts

        config = project(self.options)
        self._contain(config)
        self.parts = None if self.workers is not None else PartLayouts()
        return make_renderer(self.options, config)

    def _contain(self, config: Config) -> None:
        """With `options.contain` (the command line), render in one warm child process
        held to booklet.toml's `[limits]` (`booklet.build.workers`): kept from save to
        save, replaced when it dies or the limits change."""
        theme = self.options.theme or config.theme
        if self.workers is not None and self.workers.budget == config.limits:
            self.workers.renew(theme)
            return
        self.close()
        if self.options.contain and config.limits.on:
            from .workers import Workers

            self.workers = Workers(self.options, config.limits, 1, theme, keep_parts=True)

    def close(self) -> None:
        """Stop the rendering process, if there is one."""
        if self.workers is not None:
            self.workers.close()
            self.workers = None

    def _config_inputs(self) -> list[Path]:
        """The project's config files, and the files and folders they name (help
        contacts, logo, theme), resolved."""
        names = [*CONFIG_FILES, *([self.options.config] if self.options.config else [])]
        configs = sorted({Path(name).resolve() for name in names})  # a deleted one counts
        return [*configs, *(path for config in configs if config.is_file()
                            for path in config_references(config))]

    @staticmethod
    def _is_config(path: Path, inputs: list[Path]) -> bool:
        return path.name in CONFIG_FILES or any(path.is_relative_to(i) for i in inputs)

    def paths(self) -> list[Path]:
        """Folders and files to watch: content, templates, styles, catalogues, config and
        what it names."""
        return [p for p in (self.content_dir, *self.shared_dirs, *self._config_inputs())
                if p.exists()]

    def affected(self, changed: Iterable[Path]) -> list[Path]:
        """The booklet folders a set of changed files can affect, sorted."""
        everything = False
        folders: set[Path] = set()
        inputs = [*self._config_inputs(), *self.shared_dirs]
        for path in (Path(p).resolve() for p in changed):
            if self._is_config(path, inputs) or path == self.content_dir:
                everything = True  # content/ itself: made again after it was deleted
            elif path.is_relative_to(self.content_dir) and path != self.content_dir:
                folder = self.content_dir / path.relative_to(self.content_dir).parts[0]
                if (folder / SOURCE_NAME).is_file():
                    folders.add(folder)
        if everything:
            return find_booklets(self.content_dir)
        return sorted(folders)

    def rebuild(self, changed: Iterable[Path]) -> list[Outcome]:
        """Rebuild the booklets `changed` affects; return their outcomes."""
        changed = [Path(p).resolve() for p in changed]
        folders = self.affected(changed)
        if not folders:
            return []
        inputs = self._config_inputs()
        renewed = any(self._is_config(path, inputs) for path in changed)
        if renewed:
            memory.thaw()  # the old renderer's cycles can then be collected
            self.renderer = self._renderer()
        try:
            return build(folders, self.options, on_done=self.on_done, renderer=self.renderer,
                         workers=self.workers, parts=self.parts)
        finally:
            memory.freeze() if renewed else memory.settle()

    def build_all(self) -> list[Outcome]:
        """Bring every booklet up to date."""
        try:
            return build(find_booklets(self.content_dir), self.options, on_done=self.on_done,
                         renderer=self.renderer, workers=self.workers, parts=self.parts)
        finally:
            memory.settle()

    def idle(self) -> None:
        """Work for the next save while nobody waits: lay out part by part a booklet
        just laid out whole and compare (`PartLayouts.verify`), so that the next save
        lays out only the sections it changed. (A rendering process does this itself
        once it has sent a booklet.)"""
        if self.parts is not None and self.parts.pending():
            try:
                self.parts.verify()
            finally:
                memory.settle()


def warm_up() -> None:
    """Import the renderers now, so the first rebuild does not pay for it."""
    from .. import engine
    from ..epub.writer import render_epub  # noqa: F401

    engine.install()
    memory.freeze()


#: How long each wait for changes lasts (ms) before it checks in: short, so watching
#: starts at once, before the first build.
TICK_MS = 200


def run(content_dir: Path, options: BuildOptions, stop_event: object | None = None) -> int:
    """Watch, build, then rebuild on every save until interrupted (Ctrl-C).

    Watching starts before the first build, so a save made while it runs is built
    next; after a save to booklet.toml, the files it names are watched too."""
    from . import handoff

    watcher = Watcher(content_dir, options)
    if watcher.workers is None:
        warm_up()
    report = Report()
    server: handoff.Server | None = None

    def serve_builds() -> None:
        if server is not None and server.poll():
            watcher.idle()  # what the builds laid out whole, part by part now

    saves = Saves(watcher.paths(), stop_event, expected=watcher.paths, on_tick=serve_builds,
                  tick_ms=handoff.POLL_MS)
    try:
        report(watcher.build_all())
        print(f"watching {', '.join(_shown(p) for p in saves.paths)} (Ctrl-C to stop)")
        sys.stdout.flush()
        watcher.idle()
        # From now on `booklet build` here hands its work over (not before: a build
        # would wait for the first one to end).
        server = handoff.Server.open(watcher)
        while (changes := saves.next()) is not None:
            start = time.perf_counter()
            try:
                outcomes = watcher.rebuild(changes)
            except BookletError as error:  # a broken booklet.toml: report, keep watching
                print(error, file=sys.stderr)
                continue
            if outcomes and any(not o.skipped for o in outcomes) or report.failing:
                report(outcomes, time.perf_counter() - start)
                sys.stdout.flush()
                watcher.idle()
            saves.follow(watcher.paths())
            if added := saves.newly_watched():  # here, or by the poll of `Saves.next`
                print(f"now also watching {', '.join(_shown(p) for p in added)}")
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.close()
        saves.close()
        watcher.close()
    return 0


class Saves:
    """The files saved under the watched paths, batch by batch; watching starts when
    this is made, and changes its paths without missing a save (`follow`).

    A watch ends with the folder or file it watches: content/ deleted and made again,
    booklet.toml saved by renaming a new file over it, or created after watching began,
    would go unseen. So, about once a second, the paths `expected` names now are
    compared with those watched (which exist, and which file each is); any that
    appeared or were replaced are watched anew and reported as saved."""

    def __init__(self, paths: list[Path], stop_event: object | None = None,
                 expected: Callable[[], list[Path]] | None = None,
                 on_tick: Callable[[], object] | None = None, tick_ms: int = TICK_MS
                 ) -> None:
        self.stop_event = stop_event
        self.expected = expected
        #: Called between saves every `tick_ms` milliseconds or so (a waiting build).
        self.on_tick, self.tick_ms = on_tick, tick_ms
        self.pending: set[Path] = set()
        self.added: list[Path] = []
        self.paths = paths
        self.identities = self.identities_before = _identities(paths)
        self.polled = time.monotonic()
        self.changes = self._start(paths)

    def _start(self, paths: list[Path]) -> Iterator[set]:
        from watchfiles import watch

        changes = watch(*paths, stop_event=self.stop_event, debounce=200, step=20,
                        rust_timeout=self.tick_ms, yield_on_timeout=True,
                        raise_interrupt=False)
        # The first wait starts the watching (and returns within a tick).
        self.pending |= {Path(p) for _, p in next(changes, set())}
        return changes

    def next(self) -> list[Path] | None:
        """The next batch of saved files (after waiting for one); None once stopped."""
        while not self.pending:
            batch = next(self.changes, None)
            if batch is None:
                return None
            if not batch and self.on_tick is not None:
                self.on_tick()
            self.pending = {Path(path) for _, path in batch} | self._replaced()
        batch, self.pending = sorted(self.pending), set()
        return batch

    def _replaced(self) -> set[Path]:
        """The expected paths that appeared or were replaced since they were watched,
        now watched anew (checked at most every `POLL_SECONDS`)."""
        if self.expected is None or time.monotonic() - self.polled < POLL_SECONDS:
            return set()
        self.polled = time.monotonic()
        paths = self.expected()
        now = _identities(paths)
        if now == self.identities:
            return set()
        self.follow(paths, force=True)
        return {path for path, identity in now.items() if self.identities_before.get(path)
                != identity}

    def follow(self, paths: list[Path], force: bool = False) -> list[Path]:
        """Watch `paths` from now on; return those newly watched. The new watch starts
        before the old one stops, so no save falls between them."""
        added = [path for path in paths if path not in self.paths]
        if set(paths) == set(self.paths) and not force:
            return []
        # A path that appeared before this watch began: its making was seen by neither
        # watch, so it counts as saved (a build of what it did not change does nothing).
        self.pending.update(path for path in added if path.exists())
        self.identities_before, self.identities = self.identities, _identities(paths)
        old, self.changes = self.changes, self._start(paths)
        self.paths = paths
        old.close()  # type: ignore[attr-defined]
        self.added += [path for path in added if path not in self.added]
        return added

    def newly_watched(self) -> list[Path]:
        """The paths watched since this was last asked (to tell the user once)."""
        added, self.added = self.added, []
        return added

    def close(self) -> None:
        """Stop watching."""
        self.changes.close()  # type: ignore[attr-defined]


#: Seconds between checks that the watched folders and files are still the same ones.
POLL_SECONDS = 1.0


def _identities(paths: list[Path]) -> dict[Path, tuple[int, int]]:
    """Which file or folder each existing path is (device and inode)."""
    found = {}
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            continue
        found[path] = (info.st_dev, info.st_ino)
    return found


class Report:
    """What watch prints after each build: `failed: a` for what broke, and `fixed: a`
    once a booklet that failed builds again (or its save was undone)."""

    def __init__(self) -> None:
        self.failing: set[str] = set()

    def __call__(self, outcomes: list[Outcome], seconds: float | None = None) -> None:
        built = [o for o in outcomes if not o.skipped]
        if seconds is not None and built:
            print(f"rebuilt {len(built)} in {seconds:.2f} s")
        fixed = sorted(o.slug for o in outcomes if o.ok and o.slug in self.failing)
        if fixed:
            print(f"fixed: {', '.join(map(one_line, fixed))}")
        self.failing = (self.failing - set(fixed)) | {o.slug for o in outcomes if not o.ok}
        finish([o.slug for o in outcomes if not o.ok])
        sys.stdout.flush()


def _shown(path: Path) -> str:
    try:
        return one_line(str(path.relative_to(Path.cwd().resolve())))
    except ValueError:
        return one_line(str(path))
