"""Project configuration: `booklet.toml` at the project root, validated in one place.

Every key is optional; with no file the booklets carry no practice details. Like
front matter, unknown keys and bad values are errors naming the file and line, all
reported at once. Paths in the file are relative to the file.

    paper = "A5"                  # default paper size (--paper and front matter win)
    theme = "clinic-theme"        # templates/ and styles/ overrides (--theme wins)
    help_region = "US"            # whose contacts "When to get help now" lists
    base_url = "https://example.org/handouts/"   # QR code link: base_url + slug + "/"

    [practice]                    # front matter `practice:` overrides field by field
    name = "Riverside Counselling Practice"
    address = ["12 River Street", "Riverside"]
    phone = "(555) 010-0199"
    email = "hello@example.org"
    website = "https://example.org"
    logo = "branding/logo.svg"
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import BookletError, Problem
from ..options import CONFIG_NAME, default_path  # noqa: F401 (this module's API too)
from . import help_contacts
from .frontmatter import PRACTICE, Field, _text, _url, unknown_key
from .help_contacts import Region
from .model import Booklet, Practice
from .paper import check_paper
from .tomlfile import KeyLines, load

#: Where the files booklet.toml names must lie.
PROJECT_SCOPE = "the project's folder"


def _paper(value: Any) -> str:
    return check_paper(_text(value))


#: booklet.toml's keys; the `[practice]` table takes `frontmatter.PRACTICE`'s keys.
SCHEMA: dict[str, Field] = {
    "paper": Field(_paper, "Default paper size (a5, a4, letter, half-letter); --paper "
                           "and front matter `paper` win over it."),
    "theme": Field(_text, "Folder whose templates/ and styles/ override the built-ins; "
                          "--theme wins over it."),
    "help_region": Field(_text, "Region whose contacts 'When to get help now' lists: US, UK, "
                                "IE; default: your local emergency number."),
    "help_contacts": Field(_text, "A contacts file replacing the built-in "
                                  "booklet/data/help-contacts.toml (same format)."),
    "base_url": Field(_url, "Where the booklets live online: a booklet without `online_url` "
                            "links to base_url + slug + '/'."),
    "practice": Field(dict, "Practice details: name, address, phone, email, website, logo."),
}


@dataclass(frozen=True)
class Config:
    """The validated booklet.toml (`path` None: no file, every default)."""

    path: Path | None = None
    practice: Practice = field(default_factory=Practice)
    paper: str | None = None
    theme: Path | None = None
    help_region: str | None = None
    help_contacts: Path = help_contacts.BUILTIN
    base_url: str | None = None

    @property
    def help(self) -> Region:
        """The help contacts for `help_region` (the default region when unset)."""
        return help_contacts.region(self.help_region, self.help_contacts)

    def online_url(self, booklet: Booklet) -> str | None:
        """The booklet's link: front matter `online_url`, else base_url + slug + '/'."""
        if booklet.meta.online_url:
            return booklet.meta.online_url
        if self.base_url:
            return f"{self.base_url.rstrip('/')}/{booklet.slug}/"
        return None

    def practice_for(self, booklet: Booklet) -> Practice:
        """The practice details printed in a booklet: ours, then its front matter's."""
        return self.practice.merged(booklet.meta.practice)


def load_config(path: Path | None) -> Config:
    """Read and validate a booklet.toml; `None` gives the empty configuration."""
    if path is None:
        return Config()
    path = path.resolve()
    data, lines = load(path)
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for key, raw in data.items():
        line = lines.of(key)
        if key not in SCHEMA:
            problems.append(Problem(path, line, unknown_key(key, SCHEMA)))
        elif key == "practice":
            values[key] = _practice(raw, path, lines, problems)
        else:
            try:
                values[key] = SCHEMA[key].convert(raw)
            except ValueError as error:
                problems.append(Problem(path, line, f"'{key}' {error}"))
    _resolve_paths(values, path, lines, problems)
    if problems:
        raise BookletError(*sorted(problems, key=lambda p: p.line or 0))
    return Config(path=path, **values)


def _practice(raw: Any, path: Path, lines: KeyLines, problems: list[Problem]) -> Practice:
    if not isinstance(raw, dict):
        problems.append(Problem(path, lines.of("practice"), "'practice' must be a [practice] "
                                "table of practice details"))
        return Practice()
    values = {}
    for key, item in raw.items():
        line = lines.of("practice", key)
        if key not in PRACTICE:
            problems.append(Problem(path, line, unknown_key(key, PRACTICE)))
            continue
        try:
            values[key] = PRACTICE[key].convert(item)
        except ValueError as error:
            problems.append(Problem(path, line, f"'{key}' {error}"))
    return Practice(**values)


def _resolve_paths(values: dict[str, Any], path: Path, lines: KeyLines,
                   problems: list[Problem]) -> None:
    """Make paths absolute (relative to booklet.toml) and check them: the logo and the
    help contacts are files inside the project's folder, the logo a safe image."""
    from ..sandbox.files import Refused, within
    from .images import image_problem

    base = path.parent
    practice = values.get("practice")
    if practice and practice.logo:
        line = lines.of("practice", "logo")
        if problem := image_problem(base, path, str(practice.logo), line, label="logo",
                                    scope=PROJECT_SCOPE):
            problems.append(problem)
        values["practice"] = replace(practice, logo=(base / practice.logo).resolve())
    if "theme" in values:
        theme = values["theme"]
        values["theme"] = (base / theme).resolve()
        if not values["theme"].is_dir():
            problems.append(Problem(path, lines.of("theme"), f"theme folder '{theme}' not found"))
    if "help_contacts" in values:
        given = values["help_contacts"]
        try:  # refused before it is read: a message must not show another file's keys
            values["help_contacts"] = within(base / given, (base,), PROJECT_SCOPE)
        except Refused as refusal:
            problems.append(Problem(path, lines.of("help_contacts"),
                                    f"help_contacts '{given}' {refusal}"))
            return
    contacts = values.get("help_contacts", help_contacts.BUILTIN)
    try:
        known = help_contacts.regions(contacts)
    except BookletError as error:
        problems.extend(error.problems)
        return
    region = values.get("help_region")
    if region is not None and region.upper() not in known:
        codes = sorted({r.code for r in known.values()} - {help_contacts.DEFAULT_REGION})
        problems.append(Problem(path, lines.of("help_region"),
                                f"'help_region' must be one of {', '.join(codes)} (or leave "
                                f"it out for the default), not {region!r}"))

