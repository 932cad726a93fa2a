"""Property-based tests: whatever the text, front matter or nesting, the loader and the
templates give either a booklet (whose XHTML parses) or one clean `BookletError`, never
another exception or a hang. A few generated booklets go all the way to PDF and EPUB."""

from __future__ import annotations

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

from booklet.build.pipeline import build
from booklet.errors import BookletError
from booklet.options import BuildOptions
from booklet.render.html import Renderer
from booklet.source.frontmatter import SCHEMA
from booklet.source.loader import load_booklet

from .helpers import PNG
from .pdfcheck import reader

OPTIONS = BuildOptions(build_time=datetime(2026, 1, 15, tzinfo=UTC))
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
