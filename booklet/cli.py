"""Command line: parse arguments into `BuildOptions`, run the build, report.

`main(argv)` is injectable for tests. Expected problems print as `path:line: message`
and give exit status 1; a traceback means a bug.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import __version__
from .content import find_booklets
from .errors import display_path
from .options import FORMATS, BuildOptions
from .pipeline import Outcome, build


def _formats(value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    unknown = [v for v in chosen if v not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or value!r}; choose from {', '.join(FORMATS)}")
    return chosen


def parser() -> argparse.ArgumentParser:
    """The `booklet` argument parser."""
    root = argparse.ArgumentParser(prog="booklet", description=__doc__.splitlines()[0])
    root.add_argument("--version", action="version", version=f"booklet {__version__}")
    commands = root.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build", help="build booklets into PDF and EPUB")
    b.add_argument("paths", nargs="*", type=Path, metavar="BOOKLET_DIR",
                   help="booklet folders to build (default: every folder under content/)")
    b.add_argument("--out", type=Path, default=Path("dist"), help="output folder (dist)")
    b.add_argument("--format", type=_formats, default=FORMATS, dest="formats",
                   help=f"comma-separated formats to write ({','.join(FORMATS)})")
    b.add_argument("--strict", action="store_true", help="treat warnings as failures")
    b.add_argument("--theme", type=Path,
                   help="folder whose templates/ and styles/ override the built-ins")
    b.add_argument("--allow-remote", action="store_true",
                   help="let booklets and themes use http(s) resources (time and size "
                        "limits; never private addresses)")
    return root


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = parser().parse_args(argv)
    logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.ERROR)
    options = BuildOptions(out=args.out, formats=args.formats, strict=args.strict,
                           theme=args.theme, allow_remote=args.allow_remote)
    folders = args.paths or find_booklets(Path("content"))
    if not folders:
        print("booklet: no booklets found (expected content/<slug>/booklet.md)", file=sys.stderr)
        return 1
    with _exit_on_sigterm():
        outcomes = build(folders, options)
    return report(outcomes)


@contextmanager
def _exit_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM into SystemExit, so an unfinished output's temporary file is removed."""

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def report(outcomes: list[Outcome]) -> int:
    """Print what was built and every problem; return 1 if any booklet failed."""
    for outcome in outcomes:
        for warning in outcome.warnings:
            print(f"{outcome.slug}: warning: {warning}", file=sys.stderr)
        if outcome.ok:
            files = ", ".join(f"{display_path(p)} ({p.stat().st_size // 1024} KB)"
                              for p in outcome.written.values())
            print(f"built {outcome.slug}: {files}")
        else:
            for problem in outcome.problems:
                print(problem, file=sys.stderr)
    failed = [o.slug for o in outcomes if not o.ok]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0
