from __future__ import annotations

import pytest
from lxml import etree

from booklet.sandbox.sanitize import image_sources, sanitize


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
    assert sanitize(raw) == clean
    etree.fromstring(f"<div>{sanitize(raw)}</div>".encode())


def test_image_sources_are_read_before_sanitising():
    assert image_sources('<p><img src="file:///dev/urandom"> <IMG SRC="a.png"></p>') == [
        "file:///dev/urandom", "a.png"]
    assert image_sources("<p>no images</p>") == []
