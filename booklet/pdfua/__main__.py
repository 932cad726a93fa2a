"""`python -m booklet.pdfua FILE.pdf...`: one line per failure, a summary, exit 1 on failures."""

from __future__ import annotations

import argparse
import sys

import pikepdf

from . import COVERAGE, EXTENSIONS, check


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m booklet.pdfua",
                                     description="Check PDFs against PDF/UA-1 (Matterhorn "
                                                 "Protocol 1.1 machine-testable conditions).")
    parser.add_argument("files", nargs="*", metavar="FILE.pdf")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the summaries")
    parser.add_argument("--matterhorn-only", action="store_true",
                        help="skip the X- checks that go beyond Matterhorn")
    parser.add_argument("--coverage", action="store_true",
                        help="list the conditions checked and exit")
    args = parser.parse_args(argv)
    if args.coverage:
        for rule, (condition, how) in COVERAGE.items():
            print(f"{rule}  {condition}: {how}")
        for rule, what in EXTENSIONS.items():
            print(f"{rule}  {what}")
        return 0
    if not args.files:
        parser.error("no files given")
    status = 0
    for path in args.files:
        try:
            report = check(path, extensions=not args.matterhorn_only)
        except (OSError, pikepdf.PdfError) as exc:
            print(f"{path}: cannot be read: {exc}", file=sys.stderr)
            status = 2
            continue
        if not args.quiet:
            for failure in report.failures:
                print(f"{path}: {failure}")
        print(report.summary())
        if not report.ok and status == 0:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
