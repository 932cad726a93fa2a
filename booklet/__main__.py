"""`python -m booklet ...`: the same as the `booklet` command."""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
