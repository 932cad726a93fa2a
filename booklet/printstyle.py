"""The print stylesheet and its fonts, parsed once per process for the same CSS.

Parsing `print.css` and loading the @font-face fonts into a fresh fontconfig setup
takes a tenth of a second per PDF, and so does Pango's first use of the fonts in
layout. `booklet watch` and the `--jobs` workers build one booklet after another
with the same stylesheet, so the parsed stylesheet and its `FontConfiguration` are
kept, keyed by the stylesheet's text and base URL (an edited stylesheet is parsed
afresh). A stylesheet that tried to read a refused resource is never kept, so the
refusal is reported for every booklet.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from .fonts import font_face_css
from .render import Renderer

#: Stylesheets kept (one per theme and version of `print.css` in use).
LIMIT = 4
_parsed: OrderedDict[tuple[str, str], tuple[Any, Any]] = OrderedDict()


def print_stylesheet(renderer: Renderer, fetcher: Any, refused: list[str]
                     ) -> tuple[Any, Any]:
    """(FontConfiguration, CSS) for the renderer's `print.css` with booklet's fonts."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    text = font_face_css() + renderer.stylesheet("print.css")
    base_url = renderer.style_dirs[0].as_uri() + "/"
    key = (text, base_url)
    if key in _parsed:
        _parsed.move_to_end(key)
        return _parsed[key]
    font_config = FontConfiguration()
    before = len(refused)
    parsed = (font_config, CSS(string=text, font_config=font_config, url_fetcher=fetcher,
                               base_url=base_url))
    if len(refused) == before:
        _parsed[key] = parsed
        if len(_parsed) > LIMIT:
            _parsed.popitem(last=False)
    return parsed
