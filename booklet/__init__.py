"""booklet: typeset Markdown handouts into a print PDF booklet and an accessible EPUB."""

from __future__ import annotations

__version__ = "0.1.0"
