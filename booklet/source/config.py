"""Project configuration: `booklet.toml` at the project root, validated in one place.

Every key is optional; with no file the booklets carry no practice details. Like
front matter, unknown keys and bad values are errors naming the file and line, all
reported at once. Paths in the file are relative to the file.

    paper = "A5"                  # default paper size (--paper and front matter win)
    theme = "clinic-theme"        # templates/ and styles/ overrides (--theme wins)
    help_region = "US"            # whose contacts "When to get help now" lists
    base_url = "https://example.org/handouts/"   # QR code link: base_url + slug + "/"
    review_every = "3y"           # time between reviews (front matter wins)

    [practice]                    # front matter `practice:` overrides field by field
    name = "Riverside Counselling Practice"
    address = ["12 River Street", "Riverside"]
    phone = "(555) 010-0199"
    email = "hello@example.org"
    website = "https://example.org"
    logo = "branding/logo.svg"
    colour = "#1d3a4f"            # cover band and rules; white text must read on it

    [[extra_help_contacts]]       # after the region's contacts, in this order
    number = "111"
    name = "NHS 111"
    text = "Call 111 when you need help fast but it is not an emergency."

    [limits]                      # what rendering one booklet may take; 0: no limit
    memory_mb = 2048
    seconds = 300
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import BookletError, Problem
from ..options import CONFIG_NAME, default_path  # noqa: F401 (this module's API too)
from ..sandbox.limits import RenderBudget
from . import help_contacts, schema
from .advice import logo_overflow
from .frontmatter import PRACTICE
from .model import Contact, Practice, Region
from .schema import Field, KeyLines, validate
from .tomlfile import load

#: Where the files booklet.toml names must lie.
PROJECT_SCOPE = "the project's folder"

#: One of `[[extra_help_contacts]]`: a help contact written in booklet.toml itself.
CONTACT: dict[str, Field] = {
    "number": Field(schema.text, "What to dial or text, printed large; leave it out for "
                                 "a service without one number."),
    "name": Field(schema.text, "The service's short name, for the back cover.",
                  required=True),
    "text": Field(schema.text, "One or two plain sentences for 'When to get help now'.",
                  required=True),
}


def _contact_table(value: Any) -> Contact:
    raise ValueError("must be a table with a name, a text and (optionally) a number, "
                     "written under an [[extra_help_contacts]] line")


def _budget(low: int, high: int, unit: str) -> Any:
    """A converter for one `[limits]` value: a whole number from `low` to `high`, or 0."""

    def convert(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or \
                not (value == 0 or low <= value <= high):
            raise ValueError(f"must be a whole number of {unit} from {low} to {high}, or 0 "
                             f"for no limit, not {value!r}")
        return value

    return convert


#: `[limits]`: what rendering one booklet may take (`booklet.build.workers`).
LIMITS: dict[str, Field] = {
    "memory_mb": Field(_budget(256, 65536, "MB"), "Memory one booklet's rendering may "
                       "take, in MB (default 2048); a booklet that needs more fails alone."),
    "seconds": Field(_budget(1, 86400, "seconds"), "Wall-clock time one booklet's "
                     "rendering may take (default 300); a booklet that takes longer fails "
                     "alone."),
}


#: booklet.toml's keys; the `[practice]` table takes front matter's `practice:` keys.
SCHEMA: dict[str, Field] = {
    "paper": Field(schema.paper, "Default paper size (a5, a4, letter, half-letter); --paper "
                                 "and front matter `paper` win over it."),
    "theme": Field(schema.text, "Folder whose templates/ and styles/ override the built-ins; "
                                "--theme wins over it."),
    "help_region": Field(schema.text, "Region whose contacts 'When to get help now' lists: "
                                      "US, UK, IE; default: your local emergency number."),
    "help_contacts": Field(schema.text, "A contacts file replacing the built-in "
                                        "booklet/data/help-contacts.toml (same format)."),
    "base_url": Field(schema.url, "Where the booklets live online: a booklet without "
                                  "`online_url` links to base_url + slug + '/'."),
    "review_every": Field(schema.period, "Time between reviews of every booklet, e.g. 3y "
                                         "or 18m (front matter `review_every` wins); "
                                         "default: 3y."),
    "practice": Field(None, "Practice details: name, address, phone, email, website, logo, "
                            "colour.", table=PRACTICE, build=Practice,
                      shape="a [practice] table of practice details"),
    "extra_help_contacts": Field(
        _contact_table, "More help contacts, printed after the region's: [[extra_help_contacts]] "
        "tables of number (optional), name and text.", items=CONTACT, build=Contact,
        shape="a list of [[extra_help_contacts]] tables"),
    "limits": Field(None, "What rendering one booklet may take: memory_mb, seconds (0: no "
                          "limit).", table=LIMITS, build=RenderBudget,
                    shape="a [limits] table of memory_mb and seconds"),
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
    extra_help_contacts: tuple[Contact, ...] = ()
    #: The warning for a practice logo drawn outside its frame, if it is.
    logo_warning: Problem | None = None
    #: Months between reviews when a booklet does not say (`review_every = "3y"`).
    review_every: int | None = None
    #: What rendering one booklet may take (`[limits]`).
    limits: RenderBudget = field(default_factory=RenderBudget)

    @property
    def help(self) -> Region:
        """The help contacts for `help_region` (the default region when unset), then
        the `[[extra_help_contacts]]`."""
        found = help_contacts.region(self.help_region, self.help_contacts)
        return replace(found, contacts=found.contacts + self.extra_help_contacts)

    def link(self, slug: str) -> str | None:
        """The online address of the booklet in folder `slug`: base_url + slug + '/'."""
        return f"{self.base_url.rstrip('/')}/{slug}/" if self.base_url else None


def load_config(path: Path | None) -> Config:
    """Read and validate a booklet.toml; `None` gives the empty configuration."""
    if path is None:
        return Config()
    path = path.resolve()
    data, lines = load(path)
    values, problems = validate(data, SCHEMA, lines, path)
    _resolve_paths(values, path, lines, problems)
    if problems:
        raise BookletError(*sorted(problems, key=lambda p: p.line or 0))
    practice = values.get("practice")
    warning = logo_overflow(practice.logo if practice else None,
                            practice.logo_data if practice else None, path,
                            lines.of("practice", "logo"))
    return Config(path=path, logo_warning=warning, **values)


def _resolve_paths(values: dict[str, Any], path: Path, lines: KeyLines,
                   problems: list[Problem]) -> None:
    """Make paths absolute (relative to booklet.toml) and check them: the logo and the
    help contacts are files inside the project's folder, the logo a safe image."""
    from ..sandbox.files import Refused, within
    from .images import checked_logo

    base = path.parent
    practice = values.get("practice")
    if practice and practice.logo:
        line = lines.of("practice", "logo")
        checked = checked_logo(base, path, str(practice.logo), line, scope=PROJECT_SCOPE)
        if isinstance(checked, Problem):
            problems.append(checked)
            checked = None
        values["practice"] = replace(practice, logo=(base / practice.logo).resolve(),
                                     logo_data=checked)
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

