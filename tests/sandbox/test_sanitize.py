from __future__ import annotations

import pytest
from lxml import etree

from booklet.sandbox.sanitize import HtmlLimit, sanitize


@pytest.mark.parametrize("raw, clean", [
    ("<b onclick='x()'>bold</b>", "<b>bold</b>"),
    ("<script>alert(1)</script>after", "after"),
    ("<p>a<br>b</p>", "<p>a<br/>b</p>"),
    ("<div>", "<div></div>"),
    ("</div>", ""),
    ("<img>", ""),
    ('<img src="dot.png" alt="A dot" onerror="x()">', '<img src="dot.png" alt="A dot"/>'),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="../notes.txt">x</a>', "<a>x</a>"),
    ('<a href="#help" rel="attachment">x</a>', '<a href="#help">x</a>'),
    ('<a href="https://example.org/?a=1&b=2">x</a>',
     '<a href="https://example.org/?a=1&amp;b=2">x</a>'),
    ('<td style="text-align:right;background:url(https://x.org/t.gif)">1</td>', "1"),
    ('<table><tr><th style="text-align:right;background:url(x)">1</th></tr></table>',
     '<table><tbody><tr><th style="text-align:right">1</th></tr></tbody></table>'),
    ("<div style='background:url(https://x.org/t.gif)'>x</div>", "<div>x</div>"),
    ('<meta http-equiv="refresh" content="0"><link rel="stylesheet" href="x.css">', ""),
    ("<iframe src='x'></iframe><object data='x'></object><embed src='x'>", ""),
    ("<svg><image href='file:///etc/passwd'/></svg>text", "text"),
    ("<h1>Heading</h1>", "Heading"),
    ("a &amp; b < c", "a &amp; b &lt; c"),
    ("<b>bell&#7;</b>", "<b>bell\ufffd</b>"),
])
def test_sanitize(raw, clean):
    assert sanitize(raw).html == clean
    etree.fromstring(f"<div>{sanitize(raw).html}</div>".encode())


@pytest.mark.parametrize("raw, images", [
    ('<p><img src="dot.png"> <IMG SRC="a.png"></p>', ("dot.png", "a.png")),
    ("<img/src=a.png>", ("a.png",)),
    ('<img alt="a>b" src=b.png>', ("b.png",)),
    ("<image src=c.png>", ("c.png",)),
    ("<img src='d&#46;png' srcset='x.png 2x'>", ("d.png",)),
    ("<p>no images</p>", ()),
])
def test_the_images_the_sanitised_html_shows_are_reported(raw, images):
    clean = sanitize(raw)
    assert clean.images == images
    shown = etree.fromstring(f"<div>{clean.html}</div>".encode()).iter("img")
    assert tuple(img.get("src") for img in shown) == images


@pytest.mark.parametrize("raw, cells", [
    ("<table><tr><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr></table>", 4),
    ('<table><tr><td colspan="3">1</td></tr><tr><td>2</td></tr></table>', 6),
    ('<table><tr><td rowspan="2">1</td><td>2</td></tr><tr><td>3</td></tr></table>', 4),
    ('<table><colgroup span="5"></colgroup><tr><td>1</td></tr></table>', 5),
])
def test_table_cells_are_counted_as_laid_out(raw, cells):
    assert sanitize(raw).cells == cells


@pytest.mark.parametrize("raw, message", [
    ('<table><tr><td colspan="100000000">x</td></tr></table>',
     'colspan="100000000" is more than 100, the limit'),
    ('<table><tr><td rowspan="65534">x</td></tr></table>',
     'rowspan="65534" is more than 100, the limit'),
    ('<table><col span="1000000"><tr><td>x</td></tr></table>',
     'span="1000000" is more than 100, the limit'),
    ("<table>" + ("<tr>" + "<td>x</td>" * 40 + "</tr>") * 26 + "</table>",
     "a raw HTML table lays out more than 1,000 cells (columns × rows), the limit"),
    ('<table><tr><td colspan="100">x</td></tr>' + "<tr><td>y</td></tr>" * 10 + "</table>",
     "a raw HTML table lays out more than 1,000 cells (columns × rows), the limit"),
])
def test_tables_past_the_limits_are_refused(raw, message):
    """A few bytes of spans asked WeasyPrint for 11.8 GB (issue 20)."""
    with pytest.raises(HtmlLimit) as refused:
        sanitize(raw)
    assert str(refused.value) == message
