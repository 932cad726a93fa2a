"""Where a booklet's links may lead: the web, email, a phone number, or a heading.

A link is a PDF link annotation and an EPUB `href`: a reader's viewer follows it on a
click. `file:` and absolute paths would name (and leak) the build machine's folders,
`smb:`, `ms-msdt:` or `launch:` start programs or connections in some viewers, and
`javascript:` and `data:` run or show content outside the booklet. A relative link to
a file would dangle (the outputs carry no files beside them), so it is refused too.
"""

from __future__ import annotations

from urllib.parse import urlsplit

REFUSED = "is not allowed: a link may lead to a web page (https://...), an email " \
          "address (mailto:), a phone number (tel:) or a heading in the booklet (#...)"


def link_problem(href: str) -> str | None:
    """Why a link target is refused, or None for an allowed one."""
    target = href.strip()
    if target.startswith("#") and len(target) > 1:
        return None
    try:
        parts = urlsplit(target)
    except ValueError:
        return REFUSED
    scheme = parts.scheme.lower()
    if scheme in ("http", "https") and parts.netloc or scheme in ("mailto", "tel") \
            and parts.path:
        return None
    return REFUSED
