"""WeasyPrint's temporary font folders, removed when booklet is done with its fonts.

A `FontConfiguration` copies each `@font-face` file into a temporary folder of its
own (`_folder`) and removes the folder in `__del__`, when the configuration is freed.
The command line ends its process at once, without freeing objects one by one
(`booklet.cli.run`), so a configuration still held then (by the laid-out pages of a
finished build, say) would leave its folder behind; `remove_font_folder` removes it
first. Written for WeasyPrint 70 (reading an attribute only: no switch).
"""

from __future__ import annotations

import shutil
from typing import Any


def remove_font_folder(font_config: Any) -> None:
    """Remove the temporary folder of a font configuration no longer used."""
    folder = getattr(font_config, "_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        font_config._folder = None  # what WeasyPrint's __del__ reads: nothing to do
