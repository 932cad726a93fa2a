"""Dot leaders: one run of dots per line, at the places WeasyPrint gives the dots."""

from __future__ import annotations

import io

import pypdf
import pytest
from weasyprint.formatting_structure import boxes

from booklet import engine
from booklet.engine import leaders
from booklet.render.fonts import font_face_css

from ..pdfcheck import LEADER_LINE

#: Contents entries, each pointing at a heading on the next page: pages 2 and 3.
ENTRIES = ["Why your partner may pull away", "Low energy"]


def contents(direction: str = "ltr", leader_text: str = ".", size: str = "10.5pt") -> str:
    items = "".join(f'<li><a href="#p{n}">{title}</a></li>' for n, title in enumerate(ENTRIES))
    pages = "".join(f'<h1 id="p{n}" style="break-before: page">{title}</h1>'
                    for n, title in enumerate(ENTRIES))
    return (f'<html dir="{direction}"><body style="font: {size} \'Source Sans 3\'">'
            f'<ol style="list-style: none; width: 100mm">{items}</ol>{pages}</body></html>'
            f"<style>a::after {{ content: leader('{leader_text}') "
            "target-counter(attr(href url), page) }</style>")


def render(html: str):
    engine.install()
    leaders.install()
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    fonts = CSS(string=font_face_css(), font_config=config)
    return HTML(string=html).render(stylesheets=[fonts], font_config=config)


def leader_runs(document) -> list[list[boxes.TextBox]]:
    """The text boxes inside each leader of the first page, line by line."""
    found = []

    def walk(box):
        if box.is_leader:
            found.append(list(box.children))
        for child in getattr(box, "children", ()):
            walk(child)

    walk(document.pages[0]._page_box)
    return found


@pytest.mark.parametrize("direction", ["ltr", "rtl"])
def test_each_leader_is_one_run_where_the_dots_were(direction, monkeypatch):
    merged = leader_runs(render(contents(direction)))
    monkeypatch.setattr(leaders, "merge_leader", lambda context, line: None)
    dots = leader_runs(render(contents(direction)))
    assert len(merged) == len(dots) == len(ENTRIES)
    for [run], separate in zip(merged, dots, strict=True):
        assert len(separate) > 20
        assert run.text == "." * len(separate)
        assert run.position_x == pytest.approx(min(b.position_x for b in separate))
        assert run.position_x + run.width == pytest.approx(
            max(b.position_x + b.width for b in separate), abs=1e-3)
        assert run.position_y == separate[0].position_y


def test_contents_text_reads_title_dots_number():
    pdf = pypdf.PdfReader(io.BytesIO(render(contents()).write_pdf()))
    lines = pdf.pages[0].extract_text().splitlines()
    found = [LEADER_LINE.match(line.strip()) for line in lines if line.strip()]
    assert [(m["title"], int(m["page"])) for m in found if m] == [
        (title, n) for n, title in enumerate(ENTRIES, start=2)]


def test_kerned_repeats_keep_their_own_boxes():
    """'VA' repeated kerns A against the next V: one run would not line up."""
    [first, *_] = leader_runs(render(contents(leader_text="VA", size="30pt")))
    assert len(first) > 1
    assert {box.text for box in first} == {"VA"}
