"""`booklet new SLUG`: start a booklet folder with every front-matter field explained.

The front matter is written from `frontmatter.SCHEMA`, so each field the tool knows
appears, with its description: the title filled in, the others commented out with
an example value. The body shows each kind of block once.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import BookletError
from ..source.frontmatter import SCHEMA
from ..source.loader import SOURCE_NAME

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: Example values shown (commented out) for the optional fields.
EXAMPLES: dict[str, str] = {
    "subtitle": "What it is and what helps",
    "short_title": "A short title",
    "language": "en",
    "authors": "[Your Name]",
    "date": "2026-01-31",
    "edition": "1",
    "summary": "One or two sentences on what the reader will find.",
    "keywords": "[anxiety, self-help]",
    "audience": "For people who ...",
    "reading_grade": "8",
    "reviewed": "2026-01-31",
    "review_every": "3y",
    "review_due": "2029-01-31",
    "changes": "[{edition: 2, date: 2027-03-01, change: New crisis numbers}]",
    "help_region": "US",
}

BODY = """\
# {title}

Start with why this matters to the reader. Use short sentences and everyday words.

::: key-points
- The main ideas, as a short list.
- One idea per point.
:::

::: note When to get help now
Say who to call in an emergency.
:::

## A first section

Each `## ` heading starts a section. Each `# ` heading starts a new part.

# Questions and answers

::: faq
### A question readers often ask?

Its answer, in a few sentences.
:::
"""


def new_booklet(slug: str, content_dir: Path = Path("content")) -> Path:
    """Create `content_dir/slug/booklet.md`; return its path. Never overwrites."""
    if not SLUG.match(slug):
        raise BookletError.at(None, None, f"'{slug}' cannot name a booklet: use lower-case "
                              "letters, digits and hyphens, like 'panic-attacks'")
    folder = content_dir / slug
    source = folder / SOURCE_NAME
    if folder.exists():
        raise BookletError.at(folder, None, "already exists; choose another name")
    title = slug.replace("-", " ").capitalize()
    folder.mkdir(parents=True)
    source.write_text(front_matter(title) + "\n" + BODY.format(title=title), encoding="utf-8")
    return source


def front_matter(title: str) -> str:
    """Front matter listing every schema field: the title set, the rest commented out."""
    lines = ["---"]
    for key, spec in SCHEMA.items():
        if key == "title":
            lines += [f"# {spec.doc} Required.", f"title: {title}"]
        else:
            lines += [f"# {spec.doc}", f"# {key}: {EXAMPLES.get(key, '...')}"]
    return "\n".join(lines) + "\n---\n"
