"""Paper sizes: the page a booklet is typeset on, the sheet it is imposed on, and the
page its large-print edition uses.

The paper of a booklet is chosen when it is loaded, in this order: `--paper` on the
command line (`BuildOptions.paper`), else the booklet's front matter `paper:`, else
booklet.toml's `paper`, else A5.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paper:
    """One paper size; dimensions in millimetres, portrait."""

    #: The name used by `--paper`, front matter and the `styles/paper/<name>.css` file.
    name: str
    width: float
    height: float
    #: The sheet two pages are imposed on, side by side (landscape): name, width, height.
    sheet: tuple[str, float, float]
    #: The page size of the large-print edition (always single pages, A4 or Letter).
    large_print: str
    #: Stylesheets under styles/ layered on print.css for this size (page size,
    #: margins, type sizes).
    stylesheets: tuple[str, ...] = ()


INCH = 25.4

#: Every paper size the tool typesets on, by name.
PAPERS: dict[str, Paper] = {
    "a5": Paper("a5", 148, 210, ("A4", 297, 210), "a4", ("paper/a5.css",)),
    "a4": Paper("a4", 210, 297, ("A3", 420, 297), "a4", ("paper/full-page.css", "paper/a4.css")),
    "letter": Paper("letter", 8.5 * INCH, 11 * INCH, ("Tabloid", 17 * INCH, 11 * INCH),
                    "letter", ("paper/full-page.css", "paper/letter.css")),
    "half-letter": Paper("half-letter", 5.5 * INCH, 8.5 * INCH,
                         ("Letter", 11 * INCH, 8.5 * INCH), "letter", ("paper/half-letter.css",)),
}

DEFAULT_PAPER = "a5"


def paper_names() -> str:
    """The paper names for messages: `a5, a4, letter, half-letter`."""
    return ", ".join(PAPERS)


def check_paper(value: str) -> str:
    """A valid paper name (lower-cased); raise ValueError naming the choices."""
    name = value.strip().lower()
    if name not in PAPERS:
        raise ValueError(f"must be one of {paper_names()}, not {value!r}")
    return name


def choose_paper(*choices: str | None) -> Paper:
    """The first paper named among `choices` (most important first), else A5."""
    return PAPERS[next((name for name in choices if name), DEFAULT_PAPER)]
