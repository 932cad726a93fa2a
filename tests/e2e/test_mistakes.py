"""Mistakes writers make, one case each: the first line printed says where and what to do.

Each case is a booklet folder beside a good one. `booklet check` must print the exact
first line, at the line of the cause (the test reads that line back from the file),
and still check the good booklet; one build of every case together must still build
the good booklet. Cases marked `ok` are mistakes the tool now forgives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from booklet.cli import main

from ..helpers import PNG, booklet_md

GOOD = booklet_md("title: Good", "# Part\n\nA short, plain text.\n")
BOXES = "key-points, note, try-this, warning, faq, worksheet, help-now"


@dataclass(frozen=True)
class Case:
    """One mistake: the booklet's files, the first line `booklet check` prints, and the
    text that must be on the line it names (None: the line is the cause by itself)."""

    slug: str
    text: str
    first: str | None
    cause: str | None = None
    files: dict[str, bytes] = field(default_factory=dict)


CASES = [
    # The list.
    Case("box-left-open", "---\ntitle: Boxes\n---\n# Part\n\n::: note\nA note.\n\nMore text.\n",
         "content/box-left-open/booklet.md:6: the '::: note' box opened here is never "
         "closed: add a ':::' line where it ends", "::: note"),
    Case("box-open-at-heading",
         "---\ntitle: Boxes\n---\n# Part\n\n::: key-points\n- One idea.\n\n## Next\n\nText.\n",
         "content/box-open-at-heading/booklet.md:9: a '## ' heading cannot go inside a box: "
         "the '::: key-points' box opened on line 6 is still open here; close it with ':::' "
         "before this heading", "## Next"),
    Case("skipped-level", "---\ntitle: Levels\n---\n# Part\n\nText.\n\n### Too deep\n\nText.\n",
         "content/skipped-level/booklet.md:8: warning: the '### ' heading skips a level after "
         "the '# ' heading on line 4: make it '## ' (a skipped level leaves it out of the "
         "contents and bookmarks)", "### Too deep"),
    Case("byte-order-mark", "\ufeff" + booklet_md("title: Saved on Windows"), None),
    Case("curly-quotes", booklet_md("title: “Curly: quoted”\nsubtitle: ‘Single’"), None),
    Case("colon-in-value",
         "---\ntitle: Worry\nsummary: Anxiety: what helps and what does not\n---\n# Part\n",
         "content/colon-in-value/booklet.md:3: 'summary' holds ': ' in its value, which YAML "
         "reads as another key: put this value in quotes: summary: \"Anxiety: what helps and "
         "what does not\"", "summary: Anxiety"),
    Case("colon-in-list",
         "---\ntitle: Worry\nsources:\n  - publisher: NHS\n    title: Anxiety\n"
         "  - Mind: Understanding anxiety\n---\n# Part\n",
         "content/colon-in-list/booklet.md:6: 'sources' item 2 holds ': ', which YAML reads "
         "as a key: put this value in quotes: - \"Mind: Understanding anxiety\"",
         "- Mind: Understanding"),
    Case("tab-indent", "---\ntitle: Tabs\nkeywords:\n\t- worry\n---\n# Part\n",
         "content/tab-indent/booklet.md:4: this line is indented with a tab: indent with "
         "spaces, not tabs", "\t- worry"),
    Case("image-case", booklet_md("title: Pictures", "# Part\n\n![A calm lake](lake.png)\n"),
         "content/image-case/booklet.md:6: image 'lake.png' not found (did you mean "
         "'Lake.PNG'?)", "(lake.png)", {"Lake.PNG": PNG}),
    Case("image-misspelt",
         booklet_md("title: Pictures", "# Part\n\n![A calm lake](images/lakee.png)\n"),
         "content/image-misspelt/booklet.md:6: image 'images/lakee.png' not found (did you "
         "mean 'images/lake.png'?)", "lakee.png", {"images/lake.png": PNG}),
    Case("Panic Attacks", GOOD,
         "content/Panic Attacks: the folder name 'Panic Attacks' cannot name a booklet: use "
         "lower-case letters, digits and hyphens, like 'panic-attacks'; rename the folder"),
    Case("ansiedad-niños", booklet_md("title: Ansiedad\nlanguage: es-MX"), None),
    # Mistakes of our own.
    Case("box-name-typo", booklet_md("title: T", "# Part\n\n::: keypoints\n- Idea.\n:::\n"),
         f"content/box-name-typo/booklet.md:6: unknown block '::: keypoints' (did you mean "
         f"'::: key-points'?); use one of: {BOXES}", "::: keypoints"),
    Case("worksheet-without-prompts",
         booklet_md("title: T", "# Part\n\n::: worksheet My week\nWrite here.\n:::\n"),
         "content/worksheet-without-prompts/booklet.md:6: '::: worksheet' holds no prompts: "
         "list them as '- ' items", "::: worksheet"),
    Case("empty-alt-text", booklet_md("title: T", "# Part\n\nText.\n\n![](lake.png)\n"),
         "content/empty-alt-text/booklet.md:8: image 'lake.png' needs alt text: ![what the "
         "picture shows](lake.png)", "![](lake.png)", {"lake.png": PNG}),
    Case("heading-without-space", booklet_md("title: T", "# Part\n\nText.\n\n##Coping\n\nMore.\n"),
         "content/heading-without-space/booklet.md:8: '##Coping' needs a space after '##' to "
         "be a heading: write '## Coping'", "##Coping"),
    Case("date-written-otherwise", booklet_md("title: T\ndate: 25/11/2026"),
         "content/date-written-otherwise/booklet.md:3: 'date' must be a date written "
         "YYYY-MM-DD, not '25/11/2026': write 2026-11-25", "date: 25/11/2026"),
    Case("no-space-after-colon", "---\ntitle:Worry\nsubtitle: What helps\n---\n# Part\n",
         "content/no-space-after-colon/booklet.md:2: put a space after the colon: "
         "'title: Worry'", "title:Worry"),
    Case("comment-left-open",
         booklet_md("title: T", "# Part\n\n<!-- check this with Ana\n\nText.\n"),
         "content/comment-left-open/booklet.md:6: this comment is never closed: end it with "
         "'-->'", "<!-- check"),
]
BROKEN = [case for case in CASES if case.first and ": warning: " not in case.first]


def _project(tmp_project, cases: list[Case]) -> Path:
    files: dict[str, str | bytes] = {"content/good/booklet.md": GOOD}
    for case in cases:
        files[f"content/{case.slug}/booklet.md"] = case.text
        files.update({f"content/{case.slug}/{name}": data for name, data in case.files.items()})
    return tmp_project(files)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.slug)
def test_check_prints_where_and_what_to_do(case, tmp_project, capsys):
    root = _project(tmp_project, [case])
    status = main(["check", "content/good", f"content/{case.slug}"])
    out, err = capsys.readouterr()
    assert out.startswith("good: ")  # the other booklet is still checked
    if case.first is None:
        assert (status, err) == (0, "")
        return
    assert err.splitlines()[0] == case.first
    assert status == (0 if ": warning: " in case.first else 1)
    located = re.match(r"([^:]+):(\d+): ", case.first)
    if located and case.cause is not None:
        line = (root / located[1]).read_text(encoding="utf-8").splitlines()[int(located[2]) - 1]
        assert case.cause in line


def test_one_build_of_every_mistake_still_builds_the_good_booklet(tmp_project, capsys):
    root = _project(tmp_project, CASES)
    assert main(["build", "--format", "epub", "--jobs", "1"]) == 1
    out, err = capsys.readouterr()
    lines = err.splitlines()
    for case in BROKEN:
        assert case.first in lines
    assert lines[-1] == "failed: " + ", ".join(sorted(case.slug for case in BROKEN))
    built = {p.name for p in (root / "dist").iterdir()}
    forgiven = {f"{case.slug}.epub" for case in CASES if case not in BROKEN}
    assert built == {"good.epub"} | forgiven
    assert "skipped-level: warning: content/skipped-level/booklet.md:8: the '### ' heading " \
           "skips a level" in err


def test_the_forgiven_mistakes_read_as_meant(tmp_project):
    from booklet.source.loader import load_booklet

    root = _project(tmp_project, [c for c in CASES if c.first is None])
    assert load_booklet(root / "content/byte-order-mark").meta.title == "Saved on Windows"
    curly = load_booklet(root / "content/curly-quotes").meta
    assert (curly.title, curly.subtitle) == ("Curly: quoted", "Single")


def test_strict_makes_a_skipped_level_fail(tmp_project, capsys):
    [case] = [c for c in CASES if c.slug == "skipped-level"]
    _project(tmp_project, [case])
    assert main(["check", "--strict", "content/skipped-level"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        case.first.replace(": warning: ", ": "), "failed: skipped-level"]
    assert main(["build", "--strict", "--format", "epub", "content/skipped-level"]) == 1
    assert case.first.replace(": warning: ", ": ") in capsys.readouterr().err.splitlines()


def test_a_heading_that_steps_down_one_level_at_a_time_is_fine(tmp_project, capsys):
    _project(tmp_project, [Case("levels", booklet_md(
        "title: T", "# A\n\n## B\n\n### C\n\n#### D\n\n## E\n\n# F\n\n### G\n"), None)])
    assert main(["check", "content/levels"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "content/levels/booklet.md:16: warning: the '### ' heading skips a level after the "
        "'# ' heading on line 14: make it '## ' (a skipped level leaves it out of the "
        "contents and bookmarks)"]


def test_a_box_closed_by_a_longer_fence_and_in_a_quote_is_closed(tmp_project, capsys):
    _project(tmp_project, [Case("fences", booklet_md(
        "title: T", "# A\n\n::: note\nText.\n::::\n\n> ::: warning\n> Careful.\n> :::\n"), None)])
    assert main(["check", "content/fences"]) == 0, capsys.readouterr().err


def test_comments_are_never_printed_and_keep_line_numbers(tmp_project, capsys):
    from booklet.source.loader import load_booklet

    root = _project(tmp_project, [Case("notes", booklet_md("title: T", (
        "# Part\n\nSeen <!-- unseen --> too.\n\n<!--\nA note\nover lines\n-->\n\n"
        "::: sidebar\n:::\n")), None)])
    assert main(["check", "content/notes"]) == 1
    assert capsys.readouterr().err.splitlines()[0].startswith(
        "content/notes/booklet.md:13: unknown block '::: sidebar'")
    (root / "content/notes/booklet.md").write_text(booklet_md("title: T", (
        "# Part\n\nSeen <!-- unseen --> too.\n")), encoding="utf-8")
    [html] = load_booklet(root / "content/notes").parts[0].blocks
    assert html.html == "<p>Seen  too.</p>"
