"""Which files and URLs the renderers may read while building a booklet.

Allowed: `data:` URLs, and regular files inside the booklet's folder, the theme and
built-in `styles/` and `templates/`, and the font packages, checked after following
links; of the booklet's folder, only the images the loader checked, with the bytes it
checked. `http(s)` only with `--allow-remote`, through `booklet.sandbox.remote`.
Everything else is refused, and each refusal names the file and line that referenced it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit
from urllib.request import url2pathname

from ..errors import BookletError, Problem
from .files import (
    IMAGE_MEDIA_TYPES,
    REMOTE_HINT,
    Refused,
    Resource,
    media_type,
    read_local,
)

BUILD_SCOPE = "the folders a build may read (the booklet's folder, styles/, templates/ " \
              "and the font packages)"
#: The stylesheets a build reads, whose `url()` references refusals can point at.
STYLESHEETS = ("print.css", "large-print.css", "ebook.css")


@dataclass(frozen=True)
class Reference:
    """Where a resource is referenced: the file, its line, and the reference as written."""

    path: Path
    line: int | None
    text: str
    kind: str = "image"

    def problem(self, reason: str) -> Problem:
        """The refusal as a located problem: `image 'x.png' lies outside ...`."""
        text = shorten(self.text)
        label = f"image '{text}'" if self.kind == "image" else f"url('{text}')"
        return Problem(self.path, self.line, f"{label} {reason}")


def shorten(url: str, limit: int = 60) -> str:
    """A URL as a message shows it: a long `data:` URL cut short."""
    return url if len(url) <= limit else url[:limit - 1] + "…"


def reference_key(url: str) -> str:
    """A URL as the renderers see it, normalised for looking up where it came from."""
    return url if _is_data(url) else unquote(urldefrag(url)[0])


@dataclass
class ResourcePolicy:
    """What one booklet's build may read, and the refusals it has made so far.

    `references` maps each URL (see `reference_key`) to where it is referenced, so a
    refusal names that file and line; `fallback` is named for URLs of unknown origin.
    """

    roots: tuple[Path, ...]
    allow_remote: bool = False
    scope: str = BUILD_SCOPE
    references: dict[str, Reference] = field(default_factory=dict)
    fallback: Path | None = None
    #: The SHA-256 of each image the loader checked, by its path as referenced; with
    #: it, a file in `checked_folder` is read only if it still has the bytes checked
    #: (not one swapped in since). None: nothing was checked, nothing is compared.
    checked: Mapping[Path, str] | None = None
    checked_folder: Path | None = None
    problems: list[Problem] = field(default_factory=list)
    _cache: dict[str, Resource | Refused] = field(default_factory=dict, repr=False)
    _data_checked: dict[str, str | None] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.roots = tuple(root.resolve() for root in self.roots)

    def read(self, url: str) -> Resource:
        """The resource at `url`; a refusal is recorded with its reference, then raised.

        Each URL is read once per policy (one per booklet's build), however many
        editions use it; a refusal (a remote time limit) is not tried again."""
        if url not in self._cache:
            try:
                self._cache[url] = self._read(url)
            except Refused as refusal:
                self._cache[url] = refusal
        found = self._cache[url]
        if isinstance(found, Refused):
            self.refuse(url, str(found))
            raise Refused(str(found))
        return found

    def _read(self, url: str) -> Resource:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(url2pathname(unquote(parts.path)))
            data = read_local(path, self.roots, self.scope)
            self._same_as_checked(path, data)
            return Resource(url, data, media_type(path))
        if scheme in ("http", "https"):
            if not self.allow_remote:
                raise Refused(REMOTE_HINT)
            return self._fetch_checked(url)
        raise Refused(f"uses a kind of address the build never reads ('{scheme}:')")

    def _same_as_checked(self, path: Path, data: bytes) -> None:
        """Refuse a file of the booklet's folder that the loader did not check, or
        whose bytes are not the ones it checked."""
        if self.checked is None or self.checked_folder is None:
            return
        path = Path(os.path.normpath(path))
        if not path.is_relative_to(self.checked_folder):
            return
        expected = self.checked.get(path)
        if expected is None:
            raise Refused("was not among the images checked when the booklet was loaded")
        if hashlib.sha256(data).hexdigest() != expected:
            raise Refused("changed after the booklet was loaded and checked; build again")

    def _fetch_checked(self, url: str) -> Resource:
        """A remote resource; one used as an image must be a safe, supported image."""
        from .images import image_problem
        from .remote import fetch

        resource = fetch(url)
        reference = self.references.get(reference_key(url))
        if reference and reference.kind == "image":
            if resource.media_type not in IMAGE_MEDIA_TYPES:
                raise Refused(f"is not a PNG, JPEG, GIF or SVG image (the server says "
                              f"'{resource.media_type}')")
            suffix = ".svg" if resource.media_type == "image/svg+xml" else None
            if problem := image_problem(resource.data, suffix):
                raise Refused(problem)
        return resource

    def check_data(self, url: str) -> None:
        """Refuse a `data:` image that is not a safe image within the limits (a renderer
        decodes those it meets anywhere: in stylesheets, in SVG images, in the logo)."""
        from .images import data_url_problem

        if url not in self._data_checked:
            self._data_checked[url] = data_url_problem(url)
        if problem := self._data_checked[url]:
            self.refuse(url, problem)
            raise Refused(problem)

    def refuse(self, url: str, reason: str) -> None:
        """Record a refusal of `url`, located at its reference when that is known."""
        reference = self.references.get(reference_key(url))
        problem = (reference.problem(reason) if reference else
                   Problem(self.fallback, None, f"'{shorten(url)}' {reason}"))
        if problem not in self.problems:
            self.problems.append(problem)

    def raise_refusals(self) -> None:
        """Raise every refusal made so far as one `BookletError`."""
        if self.problems:
            raise BookletError(*self.problems)


def image_references(refs: Iterable[tuple[str, int]], folder: Path, source: Path
                     ) -> dict[str, Reference]:
    """The booklet's image references keyed by the URL a renderer resolves them to."""
    base = folder.as_uri() + "/"
    found: dict[str, Reference] = {}
    for src, line in refs:
        found.setdefault(reference_key(urljoin(base, src)), Reference(source, line, src))
    return found


def css_references(path: Path, text: str) -> dict[str, Reference]:
    """Every address in a stylesheet (`url()`, `@import`, `image-set()` ..., escapes
    decoded: see `booklet.sandbox.css`), keyed by the URL it resolves to."""
    from .css import stylesheet_urls

    base = path.parent.as_uri() + "/"
    found: dict[str, Reference] = {}
    for ref in stylesheet_urls(text):
        target = ref.url.strip()
        if target and not target.startswith("#"):
            key = target if _is_data(target) else reference_key(urljoin(base, target))
            found.setdefault(key, Reference(path, ref.line, target, kind="url"))
    return found


def _is_data(url: str) -> bool:
    return url[:5].lower() == "data:"


def ebook_stylesheet_refusals(path: Path, text: str) -> list[tuple[str, str]]:
    """(URL, reason) for every address in the EPUB's stylesheet that a reader would
    fetch from outside the EPUB, and every `data:` URL that is not a safe image or font."""
    from .images import data_url_problem

    refusals = []
    for url in css_references(path, text):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            reason = data_url_problem(url, fonts=True)
        elif scheme in ("http", "https"):
            reason = "is on the network; an EPUB may only use files packed in it"
        else:
            reason = "is not packed in the EPUB; embed it as a data: URL"
        if reason:
            refusals.append((url, reason))
    return refusals


def make_fetcher(policy: ResourcePolicy):
    """A WeasyPrint URL fetcher that reads everything through `policy`."""
    from ..engine.objects import url_fetcher

    def read(url: str) -> tuple[str, bytes, str]:
        resource = policy.read(url)
        return resource.url, resource.data, resource.media_type

    return url_fetcher(read, policy.check_data)


def quiet_refusals() -> AbstractContextManager[None]:
    """While rendering, keep refused resources out of WeasyPrint's warnings."""
    from ..engine.messages import quiet_fetch_errors

    return quiet_fetch_errors(Refused)
