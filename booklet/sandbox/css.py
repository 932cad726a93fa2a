"""What a piece of CSS refers to, found with a real CSS tokenizer (tinycss2).

Readers and renderers decode escapes (`\\68ttp`, `u\\72l(`), skip comments but not a
`/*` inside a string, and fetch from `url()`, `@import "..."`, `image-set("...")` and
their kin. A regular expression misses some of these; tinycss2 tokenizes as CSS Syntax
Level 3 says, as browsers and WeasyPrint do, so every reference they would fetch is seen.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import tinycss2

#: Functions whose text arguments are addresses too, not only their `url()` ones.
URL_FUNCTIONS = {"url", "src", "image", "image-set", "-webkit-image-set", "cross-fade",
                 "-webkit-cross-fade"}
#: Deepest nesting of blocks and functions a stylesheet in an image may have (what
#: renderers walk recursively; tinycss2 itself parses without recursing).
MAX_CSS_DEPTH = 32


@dataclass(frozen=True)
class CssUrl:
    """One address in CSS, as the renderer reads it, with its 1-based line."""

    url: str
    line: int


class TooDeep(ValueError):
    """CSS nested deeper than `MAX_CSS_DEPTH`."""


def stylesheet_urls(css: str, max_depth: int | None = None) -> list[CssUrl]:
    """Every address a stylesheet refers to (`@namespace` only names a namespace).

    With `max_depth`, CSS nested deeper raises `TooDeep`."""
    return list(_stylesheet_urls(css, max_depth))


@lru_cache(maxsize=32)
def _stylesheet_urls(css: str, max_depth: int | None) -> tuple[CssUrl, ...]:
    """`stylesheet_urls`, kept for the stylesheets read again at every build of a
    long-lived process (`booklet watch`: the edition stylesheets, ~12 ms each)."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return tuple(_walk(rules, max_depth))


def value_urls(css: str, max_depth: int | None = None) -> list[CssUrl]:
    """Every address in declarations or a value: a `style` or presentation attribute."""
    nodes = tinycss2.parse_component_value_list(css, skip_comments=True)
    return list(_walk(nodes, max_depth))


def imports(css: str) -> bool:
    """Whether a stylesheet has an `@import` rule (escaped or not)."""
    return any(node.type == "at-rule" and node.lower_at_keyword == "import"
               for node in tinycss2.parse_stylesheet(css, skip_comments=True))


def _walk(nodes: list, max_depth: int | None) -> Iterator[CssUrl]:
    """The addresses in parsed CSS, walked with a stack (no recursion) and a depth limit."""
    stack = [(node, 0) for node in reversed(nodes)]
    while stack:
        node, depth = stack.pop()
        if max_depth is not None and depth > max_depth:
            raise TooDeep(f"nests CSS deeper than {max_depth} levels")
        kind = node.type
        if kind == "url":
            yield CssUrl(node.value, node.source_line)
        elif kind == "function" and node.lower_name in URL_FUNCTIONS:
            yield from (CssUrl(arg.value, arg.source_line) for arg in node.arguments
                        if arg.type == "string")
        elif kind == "at-rule" and node.lower_at_keyword == "import":
            yield from (CssUrl(t.value, t.source_line) for t in node.prelude
                        if t.type == "string")
        elif kind == "at-rule" and node.lower_at_keyword == "namespace":
            continue
        children = [child for name in ("prelude", "content", "arguments")
                    for child in (getattr(node, name, None) or ())]
        stack.extend((child, depth + 1) for child in reversed(children))
