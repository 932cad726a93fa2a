"""Command line: parse arguments into `BuildOptions`, run a command, report.

`main(argv)` is injectable for tests. Expected problems print as `path:line: message`
and give exit status 1; a traceback means a bug. Commands: `new`, `blocks`, `check`,
`build`, `watch`, `serve`, `translated`, `copy`; the work is done in `scaffold`,
`blocks`, `check`, `pipeline`, `watch`, `serve`, `stamp` and `copies`.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import time
from pathlib import Path
from typing import NoReturn

from . import __version__
from .errors import BookletError, display_path
from .options import FORMATS, PDF_VARIANTS, BuildOptions, default_path
from .source.loader import find_booklets
from .source.paper import PAPERS

CONTENT_DIR = Path("content")


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


def _jobs(value: str) -> int:
    if value == "auto":
        return usable_cpus()
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of 1 or more, or 'auto', "
                                         f"not {value!r}")
    return int(value)


def usable_cpus() -> int:
    """The CPUs this process may run on (fewer than the machine's in a container)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _folder(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"no folder {value!r}")
    return path


#: What `booklet --help` says, to the people who write booklets.
DESCRIPTION = """\
Build handouts from Markdown: each folder content/<name>/ holding a booklet.md
becomes a print PDF, a fold-and-staple booklet, a large-print PDF and an EPUB,
in dist/."""

EPILOG = """\
the writing loop:
  booklet new panic-attacks   start content/panic-attacks/booklet.md, every part explained
  booklet blocks              the boxes you can use (key points, help now, worksheet ...)
  booklet check               find mistakes and see how easy the text is to read
  booklet watch               rebuild each booklet as you save it
  booklet build               build everything that changed

Your practice's name, logo, colour and help numbers go in booklet.toml.
`booklet COMMAND --help` tells more about each command."""


def parser() -> argparse.ArgumentParser:
    """The `booklet` argument parser."""
    root = argparse.ArgumentParser(prog="booklet", description=DESCRIPTION, epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    root.add_argument("--version", action="version", version=f"booklet {__version__}")
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                   title="commands")
    new = commands.add_parser("new", help="start a new booklet, with every part explained")
    new.add_argument("slug", metavar="NAME", help="its folder name: lower-case words joined "
                                                  "by hyphens, e.g. panic-attacks")
    commands.add_parser("blocks", help="list the boxes a booklet can hold, with examples")
    check = commands.add_parser("check", help="find mistakes and measure how easy the text "
                                              "is to read (quick: builds nothing)")
    _add_paths(check, "check")
    check.add_argument("--strict", action="store_true",
                       help="fail on warnings too (a skipped heading level, a reading grade "
                            "above the target, a review due soon, a translation out of step "
                            "with its original, with --layout a near-empty page ...)")
    check.add_argument("--config", type=Path, metavar="FILE",
                       help="project configuration (default: ./booklet.toml if there is one)")
    _add_allow_overdue(check)
    check.add_argument("--layout", action="store_true",
                       help="also lay out each PDF edition and report its pages: "
                            "near-empty pages and boxes split over pages (renders; slower)")
    check.add_argument("--paper", choices=tuple(PAPERS), type=str.lower,
                       help="with --layout: the paper to lay out on (default: the "
                            "booklet's, else the project's, else a5)")
    build = commands.add_parser("build", help="make the PDFs and EPUBs of what changed")
    _add_paths(build, "build")
    _add_build_options(build)
    build.add_argument("--jobs", "-j", type=_jobs, default="auto", metavar="N",
                       help="render N booklets at once in worker processes (default "
                            "'auto': one per CPU, never more than there are booklets)")
    build.add_argument("--force", action="store_true",
                       help="rebuild every booklet, even when its outputs are up to date")
    watch = commands.add_parser("watch", help="rebuild each booklet as you save it")
    _add_build_options(watch)
    serve = commands.add_parser("serve", help="preview the web edition in a browser; "
                                "rebuild and reload on save")
    _add_paths(serve, "serve")
    _add_build_options(serve)
    serve.add_argument("--port", type=_port, default=8000,
                       help="port to serve on (default 8000; 0 picks a free one)")
    serve.add_argument("--host", default="127.0.0.1", metavar="ADDRESS",
                       help="address to listen on (default 127.0.0.1, this computer only; "
                            "0.0.0.0 lets other computers in)")
    translated = commands.add_parser(
        "translated", help="record that a translation matches its original as it is now")
    translated.add_argument("paths", nargs="+", type=Path, metavar="TRANSLATION_DIR",
                            help="translation folders to stamp with their original's digest")
    _add_copy(commands.add_parser(
        "copy", help="personal copies for a client (--for) or for each row of a CSV (--from)"))
    return root


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 0 to 65535, not {value!r}")
    return int(value)


def _add_allow_overdue(command: argparse.ArgumentParser) -> None:
    command.add_argument("--allow-overdue", action="store_true",
                         help="build booklets whose review is overdue (their back cover "
                              "says so) instead of failing them")


def _add_copy(copy: argparse.ArgumentParser) -> None:
    # Values are taken as plain text and checked by booklet.source.clients: an argparse
    # error would repeat the value, and it may be a client's name.
    copy.add_argument("paths", nargs="+", type=Path, metavar="BOOKLET_DIR",
                      help="booklet folders to make copies of")
    who = copy.add_mutually_exclusive_group(required=True)
    who.add_argument("--for", dest="client", metavar="NAME", help="the client's name")
    who.add_argument("--from", dest="clients", type=Path, metavar="CSV",
                     help="a CSV file, one client a row (columns for, by, note, next, "
                          "booklets, language, file, field:<prompt>)")
    copy.add_argument("--by", metavar="NAME", help="who prepared it (e.g. Dr Lee)")
    note = copy.add_mutually_exclusive_group()
    note.add_argument("--note", metavar="TEXT", help="a note for the page after the contents")
    note.add_argument("--note-file", type=Path, metavar="FILE", help="the note, from a file")
    copy.add_argument("--next", metavar="WHEN", help="the next appointment (back cover)")
    copy.add_argument("--field", action="append", default=[], metavar="PROMPT=ANSWER",
                      help="a worksheet answer, filled in and still editable (repeatable)")
    copy.add_argument("--file", metavar="NAME",
                      help="file name without extension (default: the booklet's folder name)")
    copy.add_argument("--out", type=Path, required=True,
                      help="a private folder for the copies (made readable by you alone)")
    copy.add_argument("--format", type=_copy_formats, default=("pdf",), dest="formats",
                      help="comma-separated formats to write: pdf, large-print, epub (pdf)")
    copy.add_argument("--jobs", "-j", type=_jobs, default="auto", metavar="N",
                      help="make N copies at once in worker processes (default 'auto')")
    _add_project_options(copy, "paper size, overriding the booklets' own")
    _add_allow_overdue(copy)


def _copy_formats(value: str) -> tuple[str, ...]:
    from .build.copies import COPY_FORMATS

    chosen = _formats(value)
    if unknown := [v for v in chosen if v not in COPY_FORMATS]:
        raise argparse.ArgumentTypeError(f"a personal copy is made as {', '.join(COPY_FORMATS)}"
                                         f", not {', '.join(unknown)}")
    return chosen


def _add_paths(command: argparse.ArgumentParser, verb: str) -> None:
    command.add_argument("paths", nargs="*", type=Path, metavar="BOOKLET_DIR",
                         help=f"booklet folders to {verb} (default: every folder under "
                              "content/)")


def _add_project_options(command: argparse.ArgumentParser, paper_help: str) -> None:
    """--strict, --theme, --config and --paper, as `build` and `copy` take them."""
    command.add_argument("--strict", action="store_true", help="treat warnings as failures")
    command.add_argument("--theme", type=_folder,
                         help="folder whose templates/ and styles/ override the built-ins")
    command.add_argument("--config", type=Path, metavar="FILE",
                         help="project configuration (default: ./booklet.toml if there is one)")
    command.add_argument("--paper", choices=tuple(PAPERS), type=str.lower, help=paper_help)


def _add_build_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--out", type=Path, default=Path("dist"), help="output folder (dist)")
    command.add_argument("--format", type=_formats, default=FORMATS, dest="formats",
                         help=f"comma-separated formats to write ({','.join(FORMATS)})")
    _add_project_options(command, "paper size for every booklet, overriding front matter "
                                  "(default: the booklet's 'paper:', else the project's, "
                                  "else a5)")
    command.add_argument("--bleed", type=_bleed, default=0.0, metavar="LENGTH",
                         help="bleed around each page of the reading PDF, e.g. 3mm "
                              "(print shops)")
    command.add_argument("--marks", action="store_true",
                         help="add crop and registration marks to the reading PDF")
    command.add_argument("--pdf-variant", choices=PDF_VARIANTS, metavar="VARIANT",
                         help=f"write PDFs as this variant, e.g. pdf/a-3u "
                              f"({', '.join(PDF_VARIANTS)})")
    command.add_argument("--allow-remote", action="store_true",
                         help="let booklets and themes use http(s) resources (time and size "
                              "limits; never private addresses)")
    _add_allow_overdue(command)


def options_from(args: argparse.Namespace) -> BuildOptions:
    """The build options the parsed arguments ask for."""
    return BuildOptions(out=args.out, formats=args.formats, strict=args.strict,
                        theme=args.theme, config=args.config or default_path(),
                        paper=args.paper, bleed=args.bleed, marks=args.marks,
                        pdf_variant=args.pdf_variant, allow_remote=args.allow_remote,
                        allow_overdue=args.allow_overdue,
                        jobs=getattr(args, "jobs", 1),
                        incremental=not getattr(args, "force", False), contain=True)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args, unknown = parser().parse_known_args(argv)
    if unknown:
        if args.command == "copy":  # argparse would repeat them, and they may be a name
            print(f"booklet copy: {len(unknown)} unexpected argument(s); a value with spaces "
                  'needs quotes, e.g. --for "Sam Lee"', file=sys.stderr)
            return 2
        parser().parse_args(argv)  # the usual message and exit
    logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.ERROR)
    try:
        return COMMANDS[args.command](args)
    except BookletError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    except BrokenPipeError:  # `booklet build | head`: the reader left; stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def run() -> NoReturn:
    """The `booklet` command (and `python build.py`): `main`, then end the process at
    once (`booklet.build.memory.exit_now`); `main` itself returns, for tests and other
    callers."""
    from .build.memory import exit_now

    exit_now(main())


def cmd_new(args: argparse.Namespace) -> int:
    """`booklet new SLUG`."""
    from .authoring.scaffold import new_booklet

    source, starting = new_booklet(args.slug)
    if starting:
        print(f"created {display_path(source)}, starting a new project in {Path.cwd()} "
              "(there was no content/ folder or booklet.toml here)")
    else:
        print(f"created {display_path(source)}")
    print("Fill in the lines at the top, then write; `booklet watch` rebuilds it as you "
          "save, and `booklet blocks` lists the boxes you can use.")
    return 0


def cmd_blocks(args: argparse.Namespace) -> int:
    """`booklet blocks`."""
    from .authoring.blocks import blocks_text

    print(blocks_text())
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """`booklet check [PATH...] [--strict] [--layout [--paper P]]`."""
    from .authoring.check import check
    from .build.report import print_check

    folders = _folders(args)
    if folders is None:
        return 1
    options = BuildOptions(config=args.config or default_path(),
                           allow_overdue=args.allow_overdue, contain=True)
    results = check(folders, args.strict, options)
    if args.layout:
        from dataclasses import replace

        from .build.layouts import add_layouts

        add_layouts(results, replace(options, paper=args.paper), args.strict)
    return print_check(results)


def cmd_translated(args: argparse.Namespace) -> int:
    """`booklet translated TRANSLATION_DIR...`."""
    from .authoring.stamp import Stamped, stamp
    from .build.report import print_stamped
    from .source.config import load_config

    options = BuildOptions(config=default_path())
    config = load_config(options.config)
    results: dict[Path, Stamped | BookletError] = {}
    for path in args.paths:
        try:
            results[path] = stamp(path, options, config)
        except BookletError as error:
            results[path] = error
    return print_stamped(results)


def cmd_build(args: argparse.Namespace) -> int:
    """`booklet build [PATH...] [options]`."""
    from .build import spare
    from .build.handoff import SOCKET

    if not SOCKET.exists():  # else a watch of this project may take the work
        spare.start()  # a rendering process importing WeasyPrint while we get ready
    try:
        return _build(args)
    finally:
        spare.discard()  # unless the build took it


def _build(args: argparse.Namespace) -> int:
    from .build import interrupt
    from .build.handoff import hand_over
    from .build.pipeline import build
    from .build.report import build_progress, summarize
    from .output import OutputFolderError

    folders = _folders(args)
    if folders is None:
        return 1
    start = time.perf_counter()
    try:
        options = options_from(args)
        with interrupt.stop_on_signals(), build_progress(len(folders)) as done:
            # A `booklet watch` of this project, if one runs, builds it warm.
            outcomes = hand_over(folders, options, done)
            if outcomes is None:
                outcomes = build(folders, options, on_done=done)
    except KeyboardInterrupt as stop:
        print(f"booklet: stopped ({stop or 'SIGINT'}); each file in the output folder is "
              "whole: this build's, or the one before", file=sys.stderr)
        return interrupt.status(stop)
    except OutputFolderError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print("failed: nothing was built", file=sys.stderr)
        return 1
    except BookletError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print("failed: the project configuration has problems; nothing was built",
              file=sys.stderr)
        return 1
    return summarize(outcomes, time.perf_counter() - start)


def cmd_watch(args: argparse.Namespace) -> int:
    """`booklet watch [options]`."""
    from .build import interrupt
    from .build.watch import run

    if not find_booklets(CONTENT_DIR):
        return _no_booklets()
    with interrupt.stop_on_signals():  # SIGTERM stops it as Ctrl-C does
        return run(CONTENT_DIR, options_from(args))


def cmd_serve(args: argparse.Namespace) -> int:
    """`booklet serve [PATH...] [--port N] [--host ADDRESS] [options]`."""
    from .build import interrupt
    from .build.serve import run

    folders = _folders(args)
    if folders is None:
        return 1
    with interrupt.stop_on_signals():
        return run(CONTENT_DIR, list(args.paths), options_from(args), args.host, args.port)


def cmd_copy(args: argparse.Namespace) -> int:
    """`booklet copy BOOKLET_DIR... (--for NAME [...] | --from CSV) --out DIR`."""
    from .build import interrupt
    from .build.copies import run
    from .source.clients import client_from_options, read_clients

    options = BuildOptions(out=args.out, formats=args.formats, strict=args.strict,
                           theme=args.theme, config=args.config or default_path(),
                           paper=args.paper, jobs=args.jobs, allow_overdue=args.allow_overdue,
                           contain=True)
    if args.clients is not None:
        if given := [f"--{name.replace('_', '-')}" for name in _ONE_CLIENT if getattr(args, name)]:
            print(f"booklet copy: {', '.join(given)} go with --for; with --from, each row "
                  "gives them in its own columns", file=sys.stderr)
            return 2
        clients, problems = read_clients(args.clients,
                                         frozenset(p.resolve().name for p in args.paths))
    else:
        clients, problems = [client_from_options(args.client, args.by, args.note,
                                                 args.note_file, args.next, args.field,
                                                 args.file)], []
    try:
        with interrupt.stop_on_signals():
            return run(args.paths, clients, problems, options, args.clients)
    except KeyboardInterrupt as stop:
        print(f"booklet copy: stopped ({stop or 'SIGINT'}); each copy in the output folder "
              "is whole", file=sys.stderr)
        return interrupt.status(stop)


#: The options that describe the one client of `--for`.
_ONE_CLIENT = ("by", "note", "note_file", "next", "field", "file")


def _folders(args: argparse.Namespace) -> list[Path] | None:
    folders = args.paths or find_booklets(CONTENT_DIR)
    if not folders:
        _no_booklets()
        return None
    return folders


def _no_booklets() -> int:
    print("booklet: no booklets found (expected content/<slug>/booklet.md; "
          "`booklet new SLUG` starts one)", file=sys.stderr)
    return 1


COMMANDS = {"new": cmd_new, "blocks": cmd_blocks, "check": cmd_check, "build": cmd_build,
            "watch": cmd_watch, "serve": cmd_serve, "translated": cmd_translated,
            "copy": cmd_copy}
