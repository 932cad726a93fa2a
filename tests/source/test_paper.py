from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from booklet.build.pipeline import build
from booklet.cli import main
from booklet.errors import BookletError
from booklet.options import BuildOptions
from booklet.source.config import load_config
from booklet.source.frontmatter import parse
from booklet.source.loader import load_booklet

from ..helpers import booklet_md
from ..pdfcheck import reader

MM = 72 / 25.4
#: Page size in points and the smallest (outer) side margin in mm, by paper.
PAPERS = {"a5": ((419.53, 595.28), 15), "half-letter": ((396.0, 612.0), 13),
          "a4": ((595.28, 841.89), 24), "letter": ((612.0, 792.0), 25)}

STRESS = """
# A part whose title is long enough to need two lines on the narrowest paper of all

Antidisestablishmentarianismforeverandeverwithoutanybreakopportunity is one long word,
and so is https://example.org/a/very/long/address/that/does/not/break/anywhere/at/all.

| Feeling | What it may look like | What you can do | Who can help |
| --- | --- | --- | --- |
| Low energy | Staying in bed, cancelling plans | Offer small, concrete help | A family doctor |
| Shame | Avoiding talk, changing the subject | Listen without judging | A counsellor or therapist |

::: note When to get help now
Call **988** in the US, **116 123** for Samaritans in the UK and Ireland.
:::

## A section

- A list item that runs on for quite a while so that it has to wrap onto a second line.
"""


def test_front_matter_paper_is_checked():
    assert parse("title: x\npaper: Letter\n", Path("b.md")).paper == "letter"
    with pytest.raises(BookletError) as caught:
        parse("title: x\npaper: b5\n", Path("b.md"))
    assert [str(p) for p in caught.value.problems] == [
        "b.md:3: 'paper' must be one of a5, a4, letter, half-letter, not 'b5'"]


def test_command_line_beats_front_matter_beats_project_default(tmp_project):
    root = tmp_project({"booklet.toml": 'paper = "half-letter"\n',
                        "content/own/booklet.md": booklet_md("title: x\npaper: letter"),
                        "content/plain/booklet.md": booklet_md()})
    config = load_config(root / "booklet.toml")

    def paper(slug: str, explicit: str | None = None) -> str:
        return load_booklet(root / "content" / slug, BuildOptions(paper=explicit),
                            config).paper.name

    assert paper("own") == "letter"
    assert paper("own", "a4") == "a4"
    assert paper("plain") == "half-letter"
    assert load_booklet(root / "content/plain").paper.name == "a5"


def test_unknown_paper_is_a_usage_error(tmp_project, capsys):
    tmp_project({"content/demo/booklet.md": booklet_md()})
    with pytest.raises(SystemExit):
        main(["build", "--paper", "b5"])
    assert "argument --paper: invalid choice: 'b5'" in capsys.readouterr().err


@pytest.mark.parametrize("paper, fmt", [*((p, "pdf") for p in PAPERS), ("a5", "large-print")])
def test_every_paper_keeps_text_inside_the_margins(paper, fmt, tmp_project, options_at_epoch,
                                                   tmp_path):
    root = tmp_project({"content/demo/booklet.md": booklet_md("title: Stress test", STRESS)})
    [outcome] = build([root / "content/demo"], options_at_epoch(
        tmp_path / "out", formats=(fmt,), paper=paper))
    assert outcome.ok, outcome.problems
    size, margin = PAPERS[paper] if fmt == "pdf" else (PAPERS["a4"][0], 20)
    for page in reader(outcome.written[fmt]).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == \
            pytest.approx(size, abs=0.1)
    outside = []
    for number, page in enumerate(pdfium.PdfDocument(str(outcome.written[fmt])), start=1):
        width, height = page.get_size()
        text = page.get_textpage()
        for index in range(text.count_chars()):
            left, bottom, right, top = text.get_charbox(index)
            if right <= left:
                continue
            if left < (margin - 0.5) * MM or right > width - (margin - 0.5) * MM \
                    or bottom < 10 * MM or top > height - 10 * MM:
                outside.append((number, text.get_text_range(index, 1)))
    assert not outside, f"text outside the margins on {paper}: {outside[:10]}"
