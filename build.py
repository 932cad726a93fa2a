#!/usr/bin/env python3
"""Build the booklets under content/ into dist/: `python build.py [BOOKLET_DIR ...] [options]`."""

import sys

from booklet.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
