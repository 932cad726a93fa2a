"""Words the templates add ("Contents", "Key points" ...), by the booklet's language.

Templates write English text through `_()`; each language other than English has a
catalogue `booklet/locales/<language>.yaml` mapping that English text to its own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import yaml

LOCALES = Path(__file__).parent / "locales"


@cache
def catalogue(language: str) -> dict[str, str]:
    """The catalogue for a language tag, trying `es-MX` then `es`; empty for English."""
    for tag in (language, language.split("-")[0]):
        path = LOCALES / f"{tag.lower()}.yaml"
        if path.is_file():
            return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {}


def translator(language: str) -> Callable[[str], str]:
    """A `_()` function for templates: the text in `language`, else the English text."""
    table = catalogue(language)
    return lambda text: table.get(text, text)
