"""Read booklet folders from disk into validated `Booklet` models.

A booklet is a folder holding `booklet.md` (YAML front matter + Markdown) and the
images it uses. Loading checks everything a writer will need, so writers never fail
on content: sizes, characters, and every image (where it is, what it really is).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BookletError, Problem
from ..options import BuildOptions
from ..sandbox.limits import MAX_SOURCE_BYTES, forbidden_character
from .names import name_problem

if TYPE_CHECKING:
    from .config import Config
    from .model import Booklet, Region

SOURCE_NAME = "booklet.md"


def find_booklets(content_dir: Path) -> list[Path]:
    """Every folder directly under `content_dir` that holds a booklet.md, sorted."""
    if not content_dir.is_dir():
        return []
    return sorted(p for p in content_dir.iterdir() if (p / SOURCE_NAME).is_file())


def load_booklet(folder: Path, options: BuildOptions | None = None,
                 config: Config | None = None) -> Booklet:
    """Load and validate one booklet folder; raise `BookletError` naming every problem.

    The project's settings (`config`, booklet.toml; none when None) and the options'
    paper are resolved into the booklet's fields here, once."""
    # Imported here: listing booklets (and a build with nothing to do) stays quick.
    from . import frontmatter
    from .advice import language_for_region, logo_overflow
    from .config import Config
    from .images import check_images, checked_logo
    from .markdown import parse_body
    from .model import Booklet
    from .paper import choose_paper
    from .review import resolve
    from .translations import editions_of

    allow_remote = options.allow_remote if options else False
    folder = folder.resolve()
    if problem := name_problem(folder.name):
        raise BookletError.at(folder, None, f"the folder name '{folder.name}' {problem}; "
                              "rename the folder")
    source = folder / SOURCE_NAME
    text = _read_source(folder, source)
    yaml_text, body, body_line = frontmatter.split(text, source)
    meta, lines = frontmatter.read(yaml_text, source)
    editions = editions_of(source, lines, meta)
    warnings: list[Problem] = []
    parts, image_refs = parse_body(body, source, body_line, meta.language, meta.allow_html,
                                   warnings)
    problems, digests = check_images(folder, source, image_refs, allow_remote)
    config = config or Config()
    logo_warning = config.logo_warning
    if meta.practice and meta.practice.logo:
        line = lines.of("practice", "logo")
        logo = str(meta.practice.logo)
        checked = checked_logo(folder, source, logo, line, label="image")
        if isinstance(checked, Problem):
            problems.insert(0, checked)
        else:
            meta = replace(meta, practice=replace(meta.practice, logo=(folder / logo).resolve(),
                                                  logo_data=checked))
            logo_warning = logo_overflow(meta.practice.logo, checked, source, line)
    help = _help_region(config, meta.help_region, source, lines.of("help_region"), problems)
    if problems:
        raise BookletError(*problems)
    images = tuple(dict.fromkeys(src for src, _ in image_refs))
    advice = (language_for_region(meta, lines, help, source), logo_warning)
    warnings = sorted([*warnings, *(w for w in advice if w)],
                      key=lambda w: (w.path != source, w.line or 0))
    if options is not None and options.strict and warnings:
        raise BookletError(*warnings)
    review = resolve(meta, lines, source, (options or BuildOptions()).today,
                     config.review_every)
    return Booklet(slug=folder.name, folder=folder, source=source, meta=meta, parts=parts,
                   images=images, editions=editions, image_refs=image_refs,
                   paper=choose_paper(options.paper if options else None, meta.paper,
                                      config.paper),
                   practice=config.practice.merged(meta.practice),
                   online_url=meta.online_url or config.link(folder.name),
                   help=help, review=review, meta_lines=lines, text=text,
                   warnings=tuple(warnings), image_digests=digests)


def _help_region(config: Config, code: str | None, source: Path, line: int | None,
                 problems: list[Problem]) -> Region | None:
    """The help contacts: front matter `help_region`, else booklet.toml's; then the
    practice's `[[extra_help_contacts]]`."""
    from . import help_contacts

    if code is None:
        return config.help
    known = help_contacts.regions(config.help_contacts)
    if code.upper() not in known:
        codes = sorted({r.code for r in known.values()} - {help_contacts.DEFAULT_REGION})
        problems.append(Problem(source, line, f"'help_region' must be one of "
                                f"{', '.join(codes)} (or leave it out for booklet.toml's), "
                                f"not {code!r}"))
        return None
    found = known[code.upper()]
    return replace(found, contacts=found.contacts + config.extra_help_contacts)


def _read_source(folder: Path, source: Path) -> str:
    """The text of booklet.md: a regular UTF-8 file in the folder, within the size limit."""
    from ..sandbox.files import Refused, read_local

    if not source.exists() and not source.is_symlink():
        raise BookletError.at(folder, None, f"no {SOURCE_NAME} in this folder")
    try:
        data = read_local(source, (folder,), limit=MAX_SOURCE_BYTES)
    except Refused as refusal:
        raise BookletError.at(source, None, f"{SOURCE_NAME} {refusal}") from None
    try:
        text = data.decode("utf-8-sig")  # Windows editors may start with a byte-order mark
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise BookletError.at(source, line, "the file is not UTF-8 text") from None
    if found := forbidden_character(text):
        line = text.count("\n", 0, found[0]) + 1
        raise BookletError.at(source, line, f"the text holds {found[1]} that readers "
                              "cannot show")
    return text

