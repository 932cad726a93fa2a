"""WeasyPrint objects booklet builds on that live outside the `weasyprint` package's
top level: the font configuration of a set of `@font-face` rules, and the URL
fetcher class every resource is read through.

Both are documented for WeasyPrint 70 (`weasyprint.text.fonts.FontConfiguration`,
and subclassing `weasyprint.urls.URLFetcher` to fetch URLs another way), but their
module paths have moved between major versions, so they are reached from here, beside
the version checks of `booklet.engine.patches`, and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def font_configuration() -> Any:
    """A new WeasyPrint font configuration."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def url_fetcher(read: Callable[[str], tuple[str, bytes, str]],
                check_data: Callable[[str], None]) -> Any:
    """A WeasyPrint URL fetcher that answers every URL with `read(url)` (the URL
    read, its bytes and its media type), and data: URLs itself once `check_data`
    has let them through; no redirects, no other protocol of its own."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            if url[:5].lower() == "data:":
                check_data(url)
                return super().fetch(url, headers)
            found, data, media_type = read(url)
            return URLFetcherResponse(found, data, {"Content-Type": media_type})

    return Fetcher(allowed_protocols=("data",), allow_redirects=False)
