#!/usr/bin/env python3
"""Build the booklets under content/ into dist/: `python build.py [BOOKLET_DIR ...] [options]`."""

import sys

from booklet import cli

if __name__ == "__main__":
    sys.argv[1:1] = ["build"]  # `python build.py ...` is `booklet build ...`
    cli.run()
