"""Which files the renderers may read while building a booklet.

Allowed: `data:` URLs and files inside the booklet's folder, the theme and built-in
`styles/`, and the font packages. Everything else (other files, the network) is
refused and reported, so a booklet can never leak a file or reach out unasked.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname


@dataclass(frozen=True)
class ResourcePolicy:
    """The folders a build may read from."""

    roots: tuple[Path, ...]

    def local_path(self, url: str) -> Path:
        """The file a `file:` URL names, if it lies inside an allowed folder.

        Raises PermissionError naming the refused URL otherwise.
        """
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise PermissionError(f"'{url}' is not a local file (only files in the "
                                  "booklet's folder may be used)")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise PermissionError(f"'{path}' lies outside the booklet's folder")
        if not path.is_file():
            raise FileNotFoundError(f"'{path}' not found")
        return path


def media_type(path: Path) -> str:
    """The media type of a resource file from its name."""
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def make_fetcher(policy: ResourcePolicy, refused: list[str]):
    """A WeasyPrint URL fetcher that applies `policy` and records each refusal."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PolicyFetcher(URLFetcher):
        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            try:
                path = policy.local_path(url)
            except OSError as error:
                refused.append(str(error))
                raise
            return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                      {"Content-Type": media_type(path)})

    return PolicyFetcher(allowed_protocols=("file", "data"), allow_redirects=False)
