"""Which files and URLs the renderers may read while building a booklet.

Allowed: `data:` URLs, and regular files inside the booklet's folder, the theme and
built-in `styles/` and `templates/`, and the font packages, checked after following
links. `http(s)` only with `--allow-remote`, through `booklet.remote`. Everything else
is refused, and each refusal names the file and line that referenced it.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urldefrag, urljoin, urlsplit
from urllib.request import url2pathname

from .errors import BookletError, Problem
from .limits import MAX_IMAGE_BYTES, megabytes

if TYPE_CHECKING:
    from .model import Booklet
    from .options import BuildOptions
    from .render import Renderer

BOOKLET_SCOPE = "the booklet's folder"
BUILD_SCOPE = "the folders a build may read (the booklet's folder, styles/, templates/ " \
              "and the font packages)"
#: The stylesheets a build reads, whose `url()` references refusals can point at.
STYLESHEETS = ("print.css", "large-print.css", "ebook.css")
REMOTE_HINT = "is on the network: put the file in the booklet's folder, or build with " \
              "--allow-remote"


#: Image files the outputs can hold, by file ending, with their media types.
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".svg": "image/svg+xml"}
#: The same the other way round: the file ending an image of each type is stored under.
IMAGE_MEDIA_TYPES = {media: suffix for suffix, media in IMAGE_TYPES.items()
                     if suffix != ".jpeg"}


class Refused(Exception):  # noqa: N818 (a refusal, not a failure of the tool)
    """A resource the policy does not allow; the message says why, after the reference."""


@dataclass(frozen=True)
class Resource:
    """Bytes the policy let through, with the URL they came from and their media type."""

    url: str
    data: bytes
    media_type: str


@dataclass(frozen=True)
class Reference:
    """Where a resource is referenced: the file, its line, and the reference as written."""

    path: Path
    line: int | None
    text: str
    kind: str = "image"

    def problem(self, reason: str) -> Problem:
        """The refusal as a located problem: `image 'x.png' lies outside ...`."""
        label = f"image '{self.text}'" if self.kind == "image" else f"url('{self.text}')"
        return Problem(self.path, self.line, f"{label} {reason}")


def media_type(path: Path) -> str:
    """The media type of a resource file from its name."""
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _inside(path: Path, roots: Iterable[Path]) -> bool:
    return any(path.is_relative_to(root) for root in roots)


def within(path: Path, roots: Sequence[Path], scope: str = BOOKLET_SCOPE) -> Path:
    """`path` with links followed, if it lies inside one of `roots`; else raise `Refused`."""
    try:
        resolved = path.resolve()
    except (OSError, ValueError, RuntimeError):
        raise Refused("is not a usable file name") from None
    if not _inside(resolved, roots):
        if _inside(Path(os.path.normpath(path.absolute())), roots):
            raise Refused(f"is a link to a file outside {scope}")
        raise Refused(f"lies outside {scope}")
    return resolved


def local_file(path: Path, roots: Sequence[Path], scope: str = BOOKLET_SCOPE,
               limit: int = MAX_IMAGE_BYTES) -> Path:
    """The regular file `path` names, links followed, if it lies inside one of `roots`.

    Raises `Refused` for a path outside (directly, or through a link), a missing file,
    anything that is not a regular file (devices, pipes, folders) and files over the
    size limit.
    """
    resolved = within(path, roots, scope)
    try:
        info = resolved.stat()
    except FileNotFoundError:
        raise Refused("not found") from None
    except OSError as error:
        raise Refused(f"cannot be read ({error.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise Refused("is not a regular file")
    _check_size(info.st_size, limit)
    return resolved


def read_local(path: Path, roots: Sequence[Path], scope: str = BOOKLET_SCOPE,
               limit: int = MAX_IMAGE_BYTES) -> bytes:
    """The bytes of an allowed local file, read without following a last-moment link."""
    resolved = local_file(path, roots, scope, limit)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC
    try:
        fd = os.open(resolved, flags)
    except OSError as error:
        raise Refused(f"cannot be read ({error.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Refused("is not a regular file")
        data = handle.read(limit + 1)
    _check_size(len(data), limit)
    return data


def _check_size(size: int, limit: int) -> None:
    if size > limit:
        raise Refused(f"is {megabytes(size)}; the limit is {megabytes(limit)}")


def reference_key(url: str) -> str:
    """A URL as the renderers see it, normalised for looking up where it came from."""
    return unquote(urldefrag(url)[0])


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
    problems: list[Problem] = field(default_factory=list)
    _cache: dict[str, Resource] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.roots = tuple(root.resolve() for root in self.roots)

    def read(self, url: str) -> Resource:
        """The resource at `url`; a refusal is recorded with its reference, then raised."""
        if url not in self._cache:
            try:
                self._cache[url] = self._read(url)
            except Refused as refusal:
                self.refuse(url, str(refusal))
                raise
        return self._cache[url]

    def _read(self, url: str) -> Resource:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(url2pathname(unquote(parts.path)))
            return Resource(url, read_local(path, self.roots, self.scope), media_type(path))
        if scheme in ("http", "https"):
            if not self.allow_remote:
                raise Refused(REMOTE_HINT)
            return self._fetch_remote(url)
        raise Refused(f"uses a kind of address the build never reads ('{scheme}:')")

    def _fetch_remote(self, url: str) -> Resource:
        """A remote resource, fetched once per booklet build (see `fetched_once`)."""
        if _fetched is None:
            return self._fetch_checked(url)
        if url not in _fetched:
            try:
                _fetched[url] = self._fetch_checked(url)
            except Refused as refusal:
                _fetched[url] = refusal
        found = _fetched[url]
        if isinstance(found, Refused):
            raise Refused(str(found))
        return found

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

    def refuse(self, url: str, reason: str) -> None:
        """Record a refusal of `url`, located at its reference when that is known."""
        reference = self.references.get(reference_key(url))
        problem = (reference.problem(reason) if reference else
                   Problem(self.fallback, None, f"'{url}' {reason}"))
        if problem not in self.problems:
            self.problems.append(problem)

    def raise_refusals(self) -> None:
        """Raise every refusal made so far as one `BookletError`."""
        if self.problems:
            raise BookletError(*self.problems)


#: Remote resources (or their refusals) fetched in the current booklet's build.
_fetched: dict[str, Resource | Refused] | None = None


@contextmanager
def fetched_once() -> Iterator[None]:
    """Within the block (one booklet's build), each remote address is fetched once,
    however many editions use it, and one that failed (a time limit) is not tried again."""
    global _fetched
    outer = _fetched
    _fetched = {} if outer is None else outer
    try:
        yield
    finally:
        _fetched = outer


def booklet_policy(booklet: Booklet, renderer: Renderer, options: BuildOptions
                   ) -> ResourcePolicy:
    """The rules both writers apply to a booklet: its folder, the theme's and built-in
    styles and templates, the font packages; the network only with `--allow-remote`."""
    from .fonts import LARGE_PRINT_FACES, faces_for, font_dirs
    from .paper import PAPERS

    references = image_references(booklet.image_refs, booklet.folder, booklet.source)
    papers = sorted({name for paper in PAPERS.values() for name in paper.stylesheets})
    for name in (*STYLESHEETS, *papers):
        path = renderer.stylesheet_path(name)
        for key, reference in css_references(path, path.read_text(encoding="utf-8")).items():
            references.setdefault(key, reference)
    faces = (*faces_for(booklet.meta.language), *LARGE_PRINT_FACES)
    roots = (booklet.folder, *renderer.style_dirs, *renderer.template_dirs, *font_dirs(faces))
    return ResourcePolicy(roots, allow_remote=options.allow_remote, references=references,
                          fallback=booklet.source)


def image_references(refs: Iterable[tuple[str, int]], folder: Path, source: Path
                     ) -> dict[str, Reference]:
    """The booklet's image references keyed by the URL a renderer resolves them to."""
    base = folder.as_uri() + "/"
    found: dict[str, Reference] = {}
    for src, line in refs:
        found.setdefault(reference_key(urljoin(base, src)), Reference(source, line, src))
    return found


_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)"""
                      r"""|@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)


def css_references(path: Path, text: str) -> dict[str, Reference]:
    """Every `url(...)` and `@import` in a stylesheet, keyed by the URL it resolves to."""
    text = _CSS_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    base = path.parent.as_uri() + "/"
    found: dict[str, Reference] = {}
    for match in _CSS_URL.finditer(text):
        target = next((g for g in match.groups() if g is not None), "")
        if target.startswith(("data:", "#")) or not target:
            continue
        line = text.count("\n", 0, match.start()) + 1
        found.setdefault(reference_key(urljoin(base, target)),
                         Reference(path, line, target, kind="url"))
    return found


def make_fetcher(policy: ResourcePolicy):
    """A WeasyPrint URL fetcher that reads everything through `policy`."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PolicyFetcher(URLFetcher):
        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            resource = policy.read(url)
            return URLFetcherResponse(resource.url, resource.data,
                                      {"Content-Type": resource.media_type})

    return PolicyFetcher(allowed_protocols=("data",), allow_redirects=False)


class _DropRefusals(logging.Filter):
    """Hide WeasyPrint's "failed to load" lines for refusals we report ourselves."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Refused: " not in record.getMessage()


@contextmanager
def quiet_refusals() -> Iterator[None]:
    """While rendering, keep refused resources out of WeasyPrint's warnings."""
    logger = logging.getLogger("weasyprint")
    drop = _DropRefusals()
    logger.addFilter(drop)
    try:
        yield
    finally:
        logger.removeFilter(drop)
