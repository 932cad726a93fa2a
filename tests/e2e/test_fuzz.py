"""Property-based tests: whatever the text, front matter or nesting, the loader and the
templates give either a booklet (whose XHTML parses) or one clean `BookletError`, never
another exception or a hang; so do the checks of SVG images, stylesheets and
booklet.toml. A few generated booklets go all the way to PDF and EPUB."""

from __future__ import annotations

import base64
import os
import tempfile
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html
from markdown_it.rules_core.smartquotes import smartquotes as original_smartquotes
from markupsafe import escape

from booklet.build.pipeline import build
from booklet.errors import BookletError
from booklet.options import BuildOptions
from booklet.render.html import Renderer
from booklet.sandbox.images import check_image
from booklet.sandbox.limits import MAX_SVG_ELEMENTS
from booklet.sandbox.policy import ebook_stylesheet_refusals
from booklet.source.config import load_config
from booklet.source.frontmatter import SCHEMA
from booklet.source.loader import load_booklet
from booklet.source.markdown import QUOTES, make_parser

from ..helpers import PNG
from ..pdfcheck import reader

OPTIONS = BuildOptions(build_time=datetime(2026, 1, 15, tzinfo=UTC))
PNG_URI = "data:image/png;base64," + base64.b64encode(PNG).decode()
RENDERER = Renderer()
#: Examples per property; raise it (BOOKLET_FUZZ_EXAMPLES=2000) for a longer hunt.
EXAMPLES = int(os.environ.get("BOOKLET_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=timedelta(seconds=20),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def load_or_error(source: str | bytes, images: bool = True):
    """Load a booklet.md with these contents; return the booklet, or the error's lines."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "demo"
        folder.mkdir()
        data = source.encode("utf-8", "surrogatepass") if isinstance(source, str) else source
        (folder / "booklet.md").write_bytes(data)
        if images:
            (folder / "dot.png").write_bytes(PNG)
        try:
            booklet = load_booklet(folder)
        except BookletError as error:
            lines = [str(p) for p in error.problems]
            assert lines, "a BookletError with no problem"
            for line in lines:
                assert line and "\n" not in line, repr(line)
            return None
        check_rendering(booklet)
        return booklet


def check_rendering(booklet) -> None:
    """Render the print HTML and every EPUB document; the XHTML must be well-formed."""
    lxml_html.document_fromstring(RENDERER.print_html(booklet, OPTIONS))
    for document in RENDERER.ebook_documents(booklet, OPTIONS):
        etree.fromstring(document.xhtml.encode())
    etree.fromstring(RENDERER.ebook_nav(booklet, OPTIONS).encode())


# --- arbitrary input ---------------------------------------------------------------------

@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes(data):
    load_or_error(b"---\ntitle: x\n---\n" + data)


@FUZZ
@given(st.text(max_size=600))
def test_any_text(text):
    load_or_error(text)


@FUZZ
@given(st.text(max_size=300), st.text(max_size=300))
def test_any_front_matter_and_body(front, body):
    load_or_error(f"---\n{front}\n---\n{body}")


# --- structured input --------------------------------------------------------------------

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=30), st.dates())
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)
KEYS = st.one_of(st.sampled_from(sorted(SCHEMA)), st.text(max_size=12))


@st.composite
def front_matter(draw) -> str:
    values = draw(st.dictionaries(KEYS, VALUES, max_size=6))
    if draw(st.booleans()):
        values["title"] = draw(st.text(min_size=1, max_size=40))
    return yaml.safe_dump(values, allow_unicode=True, sort_keys=False)


WORDS = st.sampled_from([
    "word", "*emphasis*", "**strong**", "`code`", "{{ 7*7 }}", "{% if x %}", "{#", "&amp;",
    "<b>bold</b>", "<script>alert(1)</script>", "<img src=dot.png alt=x>",
    '<a href="javascript:x">j</a>', "<div>", "</div>", "![a dot](dot.png)",
    "![gone](missing.png)", "![](dot.png)", "[link](https://example.org)", "\\", "|", "--",
    '"quoted"', "<!-- c -->", "\u00a0", "é", "🙂", "![x](../x.png)", "<svg><style>",
])
LINE = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)
#: Words that never make a booklet fail, for generated booklets that must build.
GOOD_LINE = st.lists(WORDS.filter(lambda w: w not in ("![gone](missing.png)", "![](dot.png)",
                                                      "![x](../x.png)")),
                     min_size=1, max_size=6).map(" ".join)
GOOD_BOXES = ["note", "key-points", "note Title"]


def blocks(depth: int = 0, line=LINE, boxes=(*GOOD_BOXES, "faq", "warning", "")
           ) -> st.SearchStrategy[str]:
    leaf = st.one_of(
        line,
        st.lists(line, min_size=1, max_size=3).map(lambda ls: "\n".join(f"- {x}" for x in ls)),
        line.map(lambda x: f"### {x}"),
        line.map(lambda x: f"```\n{x}\n```"),
        st.just("| a | b |\n|---|--:|\n| 1 | 2 |"),
    )
    if depth >= 3:
        return leaf
    inner = st.lists(st.deferred(lambda: blocks(depth + 1, line, boxes)), min_size=1,
                     max_size=3)
    return st.one_of(
        leaf,
        st.tuples(st.sampled_from(boxes),
                  inner).map(lambda t: f"::: {t[0]}\n" + "\n\n".join(t[1]) + "\n:::"),
        inner.map(lambda bs: "\n".join("> " + line for line in "\n\n".join(bs).splitlines())),
        inner.map(lambda bs: "\n".join("  " + line if n else "- " + line
                                       for n, line in enumerate("\n\n".join(bs).splitlines()))),
    )


@st.composite
def booklet_source(draw, good: bool = False) -> str:
    line, body = (GOOD_LINE, blocks(line=GOOD_LINE, boxes=GOOD_BOXES)) if good else \
        (LINE, blocks())
    parts = []
    for _ in range(draw(st.integers(1 if good else 0, 3))):
        parts.append(f"# {draw(line)}")
        parts.extend(draw(st.lists(body, max_size=3)))
        for _ in range(draw(st.integers(0, 2))):
            parts.append(f"## {draw(line)}")
            parts.extend(draw(st.lists(body, max_size=2)))
    allow = draw(st.sampled_from(["", "allow_html: true\n", "allow_html: false\n"]))
    return f"---\ntitle: {draw(st.sampled_from(['Demo', '{{ 7*7 }}', 'A <b>']))!r}\n" \
           f"{allow}---\n" + "\n\n".join(parts) + "\n"


@FUZZ
@given(front_matter())
@example('title: "\\e"\n')  # a YAML escape for a control character
@example("? '\n\n  '\n: null\n")  # a key holding line breaks
def test_any_front_matter_values(front):
    load_or_error(f"---\n{front}---\n# Part\n\nText.\n")


@FUZZ
@given(booklet_source())
def test_structured_booklets_load_and_render(source):
    load_or_error(source)


NESTING = {
    "quote": lambda n: "> " * n + "x\n",
    "list": lambda n: "".join("  " * i + "- x\n" for i in range(n)),
    "ordered": lambda n: "".join("   " * i + "1. x\n" for i in range(n)),
    "box": lambda n: "::: note\n" * n + "x\n" + ":::\n" * n,
    "emphasis": lambda n: "*_" * n + "x" + "_*" * n + "\n",
    "links": lambda n: "[" * n + "x" + "](y)" * n + "\n",
    "html": lambda n: "<div><b>" * n + "x\n",
    "closing html": lambda n: "<span>x</span>" * n + "</div>" * n + "\n",
}


@FUZZ
@given(st.integers(1, 3000), st.sampled_from(sorted(NESTING)), st.booleans())
def test_deep_nesting(depth, kind, allow_html):
    allow = "allow_html: true\n" if allow_html else ""
    load_or_error(f"---\ntitle: Deep\n{allow}---\n# Part\n\n{NESTING[kind](depth)}")


@settings(max_examples=int(os.environ.get("BOOKLET_FUZZ_BUILDS", "3")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(booklet_source(good=True))
def test_generated_booklets_build_into_a_pdf_and_an_epub(source):
    assume(load_or_error(source) is not None)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "demo"
        folder.mkdir()
        (folder / "booklet.md").write_text(source, encoding="utf-8")
        (folder / "dot.png").write_bytes(PNG)
        [outcome] = build([folder], BuildOptions(out=Path(tmp) / "out",
                                                 build_time=OPTIONS.build_time))
        assert outcome.ok, outcome.problems
        assert len(reader(outcome.written["pdf"]).pages) >= 3
        with zipfile.ZipFile(outcome.written["epub"]) as epub:
            for name in epub.namelist():
                if name.endswith(".xhtml"):
                    etree.fromstring(epub.read(name))


# --- typographic quotes -------------------------------------------------------------------

QUOTE_TEXT = st.lists(st.sampled_from([*"\"'\"' a1.-*_`[]()!\n>", "\n\n", "**", "- "]),
                      max_size=60).map("".join)


@FUZZ
@given(QUOTE_TEXT, st.sampled_from(sorted(QUOTES)))
def test_linear_smart_quotes_match_markdown_its(text, language):
    """Our linear-time rule makes the same choices as the (quadratic) original."""
    ours = make_parser(language)
    theirs = make_parser(language)
    theirs.core.ruler.at("smartquotes", original_smartquotes)
    assert ours.render(text) == theirs.render(text)


# --- SVG images, stylesheets and booklet.toml ---------------------------------------------

SVG_PIECES = st.sampled_from([
    "<rect/>", '<rect id="a"/>', '<g id="b">', "</g>", '<use href="#a"/>', '<use href="#b"/>',
    '<use xlink:href="#c"/>', '<g id="c"><use href="#b"/></g>', '<rect fill="url(#a)"/>',
    '<path marker-mid="url(#m)" d="M0 0 L1 1 L2 2"/>', '<marker id="m"><rect/></marker>',
    "<style>rect { fill: url(#a) }</style>", "<style>@import 'x.css';</style>",
    "<style>a{b:u\\72l(http://x)}</style>", '<rect style="fill:url(\\68ttp://x)"/>',
    '<image href="data:image/png;base64,iVBORw0KGgo="/>', f'<image href="{PNG_URI}"/>',
    '<image href="data:image/png;base64,!!!"/>', "<script>x</script>", '<rect onload="x"/>',
    "<set to='x'/>", '<a xml:base="http://x/"/>', "<!-- c -->", "<![CDATA[ x ]]>", "&amp;",
    "<text>é 🙂</text>", '<rect style="' + "(" * 40 + '"/>', "<style>" + "{" * 40 + "</style>",
    '<foreignObject/>', '<rect fill="image-set(&quot;x&quot; 1x)"/>', "<", "&x;", "]]>",
])
PROLOGUES = st.sampled_from([
    "", '<?xml version="1.0"?>', '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
    '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">', '<!DOCTYPE svg SYSTEM "x.dtd">',
    '<!DOCTYPE svg [<!ENTITY x "y">]>', "<?xml-stylesheet href='x'?>"])


@FUZZ
@given(PROLOGUES, st.lists(SVG_PIECES, max_size=30), st.sampled_from(["utf-8", "utf-16"]))
def test_any_svg_is_checked_without_an_exception(prologue, pieces, encoding):
    svg = prologue + '<svg xmlns="http://www.w3.org/2000/svg" ' \
        'xmlns:xlink="http://www.w3.org/1999/xlink">' + "".join(pieces) + "</svg>"
    checked = check_image(svg.encode(encoding), ".svg")
    assert checked.problem is None or "\n" not in checked.problem
    if checked.problem is None:
        assert checked.elements <= MAX_SVG_ELEMENTS


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_as_an_svg_image(data):
    check_image(b"<svg " + data, ".svg")


CSS_PIECES = st.sampled_from([
    "a", "{", "}", "(", ")", "url(", "u\\72l(", "\\68ttp://x/", "'", '"', "/*", "*/", ";",
    "@import", "@\\69mport", "image-set(", "data:image/png;base64,iVBORw0KGgo=", "#x",
    "http://x/y.png", " ", "\n", "\\", "@namespace", "src(", "@font-face", ":", ",",
])


@FUZZ
@given(st.lists(CSS_PIECES, max_size=40).map("".join))
def test_any_stylesheet_is_read_without_an_exception(css):
    path = Path("/tmp/theme/styles/ebook.css")
    for url, reason in ebook_stylesheet_refusals(path, css):
        assert url and reason and "\n" not in reason
    svg = f'<svg xmlns="http://www.w3.org/2000/svg"><style>{escape(css)}</style></svg>'
    check_image(svg.encode(), ".svg")


TOML_PIECES = st.sampled_from([
    "paper", "theme", "help_region", "help_contacts", "base_url", "[practice]", "name",
    "logo", "address", "phone", "email", "website", "x", " = ", "=", '"', "'", '"""', "\n",
    "[", "]", "{", "}", ",", "#", "1", "true", "2026-01-01", '"US"', '"a4"', '"logo.svg"',
    '"https://example.org"', "\\u0007", "\\uD800", "\\", ".", "[[", "]]", '"../x.toml"',
    '"/etc/passwd"', '"contacts.toml"',
])


@FUZZ
@given(st.lists(TOML_PIECES, max_size=40).map("".join), st.integers(0, 600))
def test_any_booklet_toml_gives_a_config_or_booklet_errors(text, depth):
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "booklet.toml"
        config.write_text(text + ("\nz = " + "[" * depth + "]" * depth if depth else ""),
                          encoding="utf-8")
        (Path(tmp) / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
        (Path(tmp) / "contacts.toml").write_text('[default]\nname = "{x}"\n')
        try:
            assert load_config(config).help.contacts is not None
        except BookletError as error:
            assert error.problems
            assert all(str(p) and "\n" not in str(p) for p in error.problems)
