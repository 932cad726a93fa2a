"""Command line: parse arguments into `BuildOptions`, run the build, report.

`main(argv)` is injectable for tests. Expected problems print as `path:line: message`
and give exit status 1; a traceback means a bug.
"""

from __future__ import annotations

import argparse
import logging
import re
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import __version__
from .config import CONFIG_NAME, default_path
from .content import find_booklets
from .errors import BookletError, display_path
from .options import FORMATS, PDF_VARIANTS, BuildOptions
from .paper import PAPERS
from .pipeline import Outcome, build


def _formats(value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    unknown = [v for v in chosen if v not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or value!r}; choose from {', '.join(FORMATS)}")
    return chosen


MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72}


def _bleed(value: str) -> float:
    """A bleed such as `3mm`, `0.125in` or `9pt`, in millimetres."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)\s*", value)
    if not match or float(match[1]) * MM_PER_UNIT[match[2]] > 25:
        raise argparse.ArgumentTypeError(
            f"bleed must be a length up to 25mm such as 3mm or 0.125in, not {value!r}")
    return float(match[1]) * MM_PER_UNIT[match[2]]


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
    b.add_argument("--config", type=Path, metavar="FILE",
                   help=f"project configuration (default: ./{CONFIG_NAME} if there is one)")
    b.add_argument("--paper", choices=tuple(PAPERS), type=str.lower,
                   help="paper size for every booklet, overriding front matter "
                        "(default: the booklet's 'paper:', else a5)")
    b.add_argument("--bleed", type=_bleed, default=0.0, metavar="LENGTH",
                   help="bleed around each page of the reading PDF, e.g. 3mm (print shops)")
    b.add_argument("--marks", action="store_true",
                   help="add crop and registration marks to the reading PDF")
    b.add_argument("--pdf-variant", choices=PDF_VARIANTS, metavar="VARIANT",
                   help=f"write PDFs as this variant, e.g. pdf/a-3u ({', '.join(PDF_VARIANTS)})")
    b.add_argument("--allow-remote", action="store_true",
                   help="let booklets and themes use http(s) resources (time and size "
                        "limits; never private addresses)")
    return root


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = parser().parse_args(argv)
    logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.ERROR)
    options = BuildOptions(out=args.out, formats=args.formats, strict=args.strict,
                           theme=args.theme, config=args.config or default_path(),
                           paper=args.paper, bleed=args.bleed, marks=args.marks,
                           pdf_variant=args.pdf_variant, allow_remote=args.allow_remote)
    folders = args.paths or find_booklets(Path("content"))
    if not folders:
        print("booklet: no booklets found (expected content/<slug>/booklet.md)", file=sys.stderr)
        return 1
    try:
        with _exit_on_sigterm():
            outcomes = build(folders, options)
    except BookletError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print("failed: the project configuration has problems; nothing was built",
              file=sys.stderr)
        return 1
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
