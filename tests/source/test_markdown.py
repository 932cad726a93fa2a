from __future__ import annotations

from pathlib import Path

import pytest

from booklet.errors import BookletError
from booklet.source.markdown import parse_body
from booklet.source.model import Callout, Faq, Figure, Heading, Html

SOURCE = Path("content/demo/booklet.md")


def parse(text: str, language: str = "en"):
    parts, images = parse_body(text, SOURCE, 10, language)
    return parts, images


def errors(text: str) -> list[str]:
    with pytest.raises(BookletError) as caught:
        parse(text)
    return [str(p) for p in caught.value.problems]


def test_parts_and_sections():
    parts, _ = parse("# One\n\nIntro.\n\n## A\n\nText a.\n\n## B\n\nText b.\n\n# Two\n\nMore.\n")
    assert [p.title for p in parts] == ["One", "Two"]
    assert [s.title for s in parts[0].sections] == ["A", "B"]
    assert parts[0].blocks == (Html("<p>Intro.</p>"),)
    assert parts[0].sections[1].blocks == (Html("<p>Text b.</p>"),)
    assert parts[1].sections == ()


def test_ids_are_unique_and_readable():
    parts, _ = parse("# Why *it* happens\n\n## Low energy\n\nx\n\n# Low energy\n\ny\n")
    assert parts[0].id == "why-it-happens"
    assert parts[0].title_html == "Why <em>it</em> happens"
    assert parts[0].sections[0].id == "low-energy"
    assert parts[1].id == "low-energy-2"


def test_headings_never_take_the_ids_of_cover_and_contents():
    parts, _ = parse("# Contents\n\n## Cover\n\nx\n")
    assert parts[0].id == "contents-2"
    assert parts[0].sections[0].id == "cover-2"


def test_typography_follows_the_language():
    parts, _ = parse('# T\n\n"Quoted" -- it\'s fine...\n')
    assert parts[0].blocks[0].html == "<p>“Quoted” – it’s fine…</p>"
    parts, _ = parse('# T\n\n"Citado"\n', language="es")
    assert parts[0].blocks[0].html == "<p>«Citado»</p>"


def test_raw_html_is_shown_as_text():
    parts, _ = parse("# T\n\n<script>alert(1)</script> and <b>bold</b>\n")
    html = parts[0].blocks[0].html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_containers():
    parts, _ = parse(
        "# T\n\n::: key-points\n- a\n- b\n:::\n\n::: note When to get help now\nCall.\n:::\n")
    key_points, note = parts[0].blocks
    assert key_points == Callout("key-points", None, (Html("<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),))
    assert note == Callout("note", "When to get help now", (Html("<p>Call.</p>"),))


def test_faq_questions_and_answers():
    parts, _ = parse("# Q&A\n\n::: faq\n### First?\n\nYes.\n\n### Second?\n\nNo.\n\nReally.\n:::\n")
    [faq] = parts[0].blocks
    assert isinstance(faq, Faq)
    assert [q.title_html for q in faq.questions] == ["First?", "Second?"]
    assert faq.questions[1].blocks == (Html("<p>No.</p>\n<p>Really.</p>"),)


def test_subheadings_and_figures():
    parts, images = parse('# T\n\n## S\n\n### Sub\n\n![A calm lake](lake.png "Breathe")\n')
    heading, figure = parts[0].sections[0].blocks
    assert heading == Heading(3, "sub", "Sub")
    assert figure == Figure("lake.png", "A calm lake", "Breathe")
    assert images == (("lake.png", 16),)


def test_inline_images_are_collected():
    _, images = parse("# T\n\nSee ![a map](map.png) here.\n")
    assert images == (("map.png", 12),)


def test_error_lines_are_file_lines():
    assert errors("Intro text.\n\n# T\n") == [
        "content/demo/booklet.md:10: text before the first '# ' heading: start the booklet "
        "with a part heading"]


def test_unknown_container():
    assert errors("# T\n\n::: warnign\nx\n:::\n") == [
        "content/demo/booklet.md:12: unknown block '::: warnign' (did you mean "
        "'::: warning'?); use one of: "
        "key-points, note, try-this, warning, faq, worksheet, help-now"]


def test_unnamed_container():
    assert errors("# T\n\n:::\nx\n:::\n") == [
        "content/demo/booklet.md:12: a ':::' line with no block name (or a stray closing "
        "':::'); name one of: key-points, note, try-this, warning, faq, worksheet, help-now"]


def test_faq_needs_questions_and_answers():
    assert errors("# T\n\n::: faq\nJust text.\n:::\n") == [
        "content/demo/booklet.md:12: '::: faq' holds no questions: start each with a '### ' "
        "heading"]
    assert errors("# T\n\n::: faq\n### Q?\n:::\n") == [
        "content/demo/booklet.md:13: the question 'Q?' has no answer"]


def test_image_needs_alt_text():
    assert errors("# T\n\n![](photo.png)\n") == [
        "content/demo/booklet.md:12: image 'photo.png' needs alt text: "
        "![what the picture shows](photo.png)"]


def test_no_parts():
    assert errors("") == [
        "content/demo/booklet.md:10: the booklet has no '# ' heading: start each part with one"]


def test_section_headings_inside_a_box_are_refused():
    assert errors("# T\n\n::: note\n## Inside\n:::\n") == [
        "content/demo/booklet.md:13: a '## ' heading cannot go inside a box: the '::: note' "
        "box opened on line 12 is still open here; close it with ':::' before this heading"]
