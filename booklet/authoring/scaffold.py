"""`booklet new SLUG`: start a booklet folder that teaches how to write one.

The front matter is written from `frontmatter.SCHEMA`, so each field the tool knows
appears with its description: the title filled in, the others commented out with an
example value. The body shows every kind of block (`booklet.authoring.blocks`), each
under a comment in plain words, and a picture to replace.

Where it writes: `content/SLUG/` under the current folder when that is a project (it
has `content/` or `booklet.toml`); a new project when no folder above is one either;
and nowhere, with the reason, when the current folder lies inside a project (the
classic slip: running it from `content/` would make `content/content/SLUG`).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import BookletError
from ..options import CONFIG_NAME
from ..source.frontmatter import SCHEMA
from ..source.loader import SOURCE_NAME
from ..source.names import name_problem
from .blocks import BLOCKS

CONTENT = "content"
PICTURE = "picture.svg"

#: Example values shown (commented out) for the optional fields.
EXAMPLES: dict[str, str] = {
    "subtitle": "What it is and what helps",
    "short_title": "A short title",
    "language": "en-GB",
    "authors": "[Your Name]",
    "date": "2026-01-31",
    "edition": "1",
    "summary": "One or two sentences on what the reader will find.",
    "keywords": "[anxiety, self-help]",
    "audience": "For people who ...",
    "translation_of": "panic-attacks",
    "reviewed_by": "Dr Ana Ruiz, clinical psychologist",
    "review_date": "2026-01-20",
    "online_url": "https://example.org/handouts/panic-attacks/",
    "practice": "{name: Riverside Young People's Service}",
    "paper": "a5",
    "allow_html": "false",
    "reading_grade": "8",
    "sources": "\n#   - publisher: NHS\n#     title: Depression in adults\n"
               "#     url: https://www.nhs.uk/mental-health/conditions/depression-in-adults/\n"
               "#   - Or one line of plain text.",
    "reviewed": "2026-01-31",
    "review_every": "3y",
    "review_due": "2029-01-31",
    "changes": "[{edition: 2, date: 2027-03-01, change: New crisis numbers}]",
    "help_region": "US",
}

#: The language to fill in for a practice whose booklet.toml names its help region
#: (dates are written the local way: 2 March 2026 in the UK, March 2, 2026 in the US).
LANGUAGE_BY_REGION = {"US": "en-US", "UK": "en-GB", "GB": "en-GB", "IE": "en-IE"}

BLOCK = {kind.name: kind for kind in BLOCKS}


def _block(name: str) -> str:
    kind = BLOCK[name]
    return f"<!-- {kind.name}: {kind.says} -->\n{kind.example}\n"


def body(title: str) -> str:
    """The scaffold's text: every kind of block, under a comment saying what it is for."""
    return "\n".join([
        f"# {title}",
        "",
        "<!-- Lines like this one are comments: notes to you, never printed. Delete them "
        "when you are done. `booklet blocks` lists every kind of box. -->",
        "",
        "Start with why this matters to the reader. Use short sentences and everyday words.",
        "",
        _block("help-now"),
        _block("key-points"),
        "## Things to try",
        "",
        "<!-- Each '## ' heading starts a section. Each '# ' heading starts a new part, on a "
        "new page. -->",
        "",
        _block("try-this"),
        _block("worksheet"),
        "## Good to know",
        "",
        _block("warning"),
        _block("note"),
        _block("quote"),
        _block("table"),
        _block("image"),
        "# Questions and answers",
        "",
        _block("faq"),
    ])


#: A placeholder picture for the image example: a sun over hills, inside its frame.
PICTURE_SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 100" width="160" height="100">
  <title>A placeholder: replace it with your own picture</title>
  <rect x="1" y="1" width="158" height="98" rx="6" fill="#f4f4f4" stroke="#777" stroke-width="2"/>
  <circle cx="118" cy="32" r="12" fill="#999"/>
  <path d="M2 88 L50 46 L80 70 L104 54 L158 90 L158 98 L2 98 Z" fill="#bbb"/>
</svg>
"""


def new_booklet(slug: str, root: Path | None = None) -> tuple[Path, bool]:
    """Create `root`/content/`slug`/booklet.md (root: the current folder); return its
    path and whether this started a new project. Never overwrites."""
    if problem := name_problem(slug):
        raise BookletError.at(None, None, f"'{slug}' {problem}")
    root = (root or Path.cwd()).absolute()
    starting = not (root / CONTENT).is_dir() and not (root / CONFIG_NAME).is_file()
    if starting and (project := _enclosing_project(root)) is not None:
        raise BookletError.at(None, None, (
            f"this folder is inside the booklet project in {project}: run "
            f"`booklet new {slug}` there, so the booklet goes in its content/ folder"))
    folder = root / CONTENT / slug
    if folder.exists():
        raise BookletError.at(folder, None, "already exists; choose another name")
    title = slug.replace("-", " ").capitalize()
    folder.mkdir(parents=True)
    source = folder / SOURCE_NAME
    text = front_matter(title, _language(root)) + "\n" + body(title)
    source.write_text(text, encoding="utf-8")
    (folder / PICTURE).write_text(PICTURE_SVG, encoding="utf-8")
    return source, starting


def _enclosing_project(folder: Path) -> Path | None:
    """The project folder above `folder`: one holding booklet.toml, or whose content/
    holds `folder`."""
    for above in folder.parents:
        if (above / CONFIG_NAME).is_file() or (
                (above / CONTENT).is_dir() and folder.is_relative_to(above / CONTENT)):
            return above
    return None


def _language(root: Path) -> str | None:
    """The language tag for the practice's country, from booklet.toml's help_region."""
    import tomllib

    try:
        region = tomllib.loads((root / CONFIG_NAME).read_text(encoding="utf-8-sig")).get(
            "help_region")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return LANGUAGE_BY_REGION.get(region.upper()) if isinstance(region, str) else None


def front_matter(title: str, language: str | None = None) -> str:
    """Front matter listing every schema field: the title set (and the language, when
    the practice's country is known), the rest commented out."""
    lines = ["---"]
    for key, spec in SCHEMA.items():
        if key == "title":
            lines += [f"# {spec.doc} Required.", f"title: {title}"]
        elif key == "language" and language:
            lines += [f"# {spec.doc}", f"language: {language}   # from booklet.toml's "
                      "help_region"]
        else:
            example = EXAMPLES.get(key, "...")
            lines += [f"# {spec.doc}", f"# {key}:{'' if example[:1] == chr(10) else ' '}"
                                       f"{example}"]
    return "\n".join(lines) + "\n---\n"
