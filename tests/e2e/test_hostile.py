"""Hostile input: one small booklet per attack, each refused with an exact message, with
nothing read (an audit hook watches every file Python opens) and nothing fetched (a
server on 127.0.0.1 records every request)."""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html
from PIL import Image

from booklet.build.pipeline import build
from booklet.options import BuildOptions
from booklet.render.html import Renderer
from booklet.sandbox import remote
from booklet.source.loader import load_booklet

from ..epubcheck_run import epubcheck_report
from ..epubcheck_run import problems as epub_problems
from ..helpers import PNG, booklet_md
from ..pdfcheck import page_texts, reader
from ..recorder import RecordingServer, Route, opened_files, touched

SECRET = b"SECRET-PASSWORD-LINE"
OUTSIDE = "the folders a build may read (the booklet's folder, styles/, templates/ and the " \
          "font packages)"


@pytest.fixture
def server():
    with RecordingServer() as running:
        yield running


@pytest.fixture
def attempt(tmp_project, options_at_epoch):
    """Build content/demo from `files`; return (problems, files opened, output folder)."""

    def run(files: dict, setup=None, **options):
        root = tmp_project({"etc/passwd": SECRET, "secret.png": PNG, **files})
        if setup:
            setup(root)
        out = root / "dist"
        with opened_files() as opened:
            [outcome] = build([root / "content/demo"], options_at_epoch(out, **options))
        assert touched(opened, root / "etc/passwd", root / "secret.png", "/etc/passwd",
                       "/dev/urandom") == set()
        problems = [str(p) for p in outcome.problems]
        if problems:
            assert not out.exists() or list(out.iterdir()) == []
        return problems, outcome

    return run


def demo(body: str, front: str = "title: Demo", **more: str | bytes) -> dict:
    files: dict = {"content/demo/booklet.md": booklet_md(front, body)}
    files.update({f"content/demo/{name}": data for name, data in more.items()})
    return files


# --- files outside the booklet ---------------------------------------------------------

@pytest.mark.parametrize("src, message", [
    ("../../etc/passwd", "lies outside the booklet's folder"),
    ("../../secret.png", "lies outside the booklet's folder"),
    ("/etc/passwd", "must be a file in the booklet's folder"),
    ("%2Fetc%2Fpasswd", "lies outside the booklet's folder"),
    ("..%2F..%2Fsecret.png", "lies outside the booklet's folder"),
])
def test_paths_outside_the_folder_are_refused(attempt, src, message):
    problems, _ = attempt(demo(f"# T\n\n![x]({src})\n"))
    assert problems == [f"content/demo/booklet.md:6: image '{src}' {message}"]


def test_file_urls_are_never_images(attempt):
    problems, _ = attempt(demo("# T\n\n![x](file:///dev/urandom)\n"), formats=("epub",))
    assert problems == ["content/demo/booklet.md:6: image 'file:///dev/urandom' must be a "
                        "file in the booklet's folder"]


def test_links_leading_outside_are_refused(attempt):
    def links(root: Path) -> None:
        (root / "content/demo/secret-link.png").symlink_to(root / "secret.png")
        (root / "content/demo/noise.png").symlink_to("/dev/urandom")
        (root / "content/demo/up").symlink_to(root / "etc")

    problems, _ = attempt(demo("# T\n\n![a](secret-link.png)\n\n![b](noise.png)\n\n"
                               "![c](up/passwd)\n"), setup=links)
    assert problems == [
        "content/demo/booklet.md:6: image 'secret-link.png' is a link to a file outside the "
        "booklet's folder",
        "content/demo/booklet.md:8: image 'noise.png' is a link to a file outside the "
        "booklet's folder",
        "content/demo/booklet.md:10: image 'up/passwd' is a link to a file outside the "
        "booklet's folder",
    ]


def test_devices_pipes_and_folders_are_not_read(attempt):
    def specials(root: Path) -> None:
        os.mkfifo(root / "content/demo/pipe.png")
        (root / "content/demo/folder.png").mkdir()

    problems, _ = attempt(demo("# T\n\n![a](pipe.png)\n\n![b](folder.png)\n"), setup=specials)
    assert problems == [
        "content/demo/booklet.md:6: image 'pipe.png' is not a regular file",
        "content/demo/booklet.md:8: image 'folder.png' is not a regular file",
    ]


def test_a_booklet_md_that_links_outside_is_refused(attempt):
    def link(root: Path) -> None:
        (root / "content/demo").mkdir(parents=True)
        (root / "content/demo/booklet.md").symlink_to(root / "etc/passwd")

    problems, _ = attempt({}, setup=link)
    assert problems == ["content/demo/booklet.md: booklet.md is a link to a file outside the "
                        "booklet's folder"]


def theme(print_css: str = "", ebook_css: str = "") -> dict:
    return {"theme/styles/print.css": print_css or "@page { size: A5; }\n",
            "theme/styles/ebook.css": ebook_css or "body { margin: 0; }\n"}


@pytest.mark.parametrize("reference, message", [
    ("../../etc/passwd", f"lies outside {OUTSIDE}"),
    ("/etc/passwd", f"lies outside {OUTSIDE}"),
    ("file:///dev/urandom", f"lies outside {OUTSIDE}"),
    ("ftp://example.org/x.png", "uses a kind of address the build never reads ('ftp:')"),
])
def test_theme_stylesheet_references_are_refused_with_their_line(attempt, tmp_path, reference,
                                                                  message):
    css = f"/* a theme */\nbody {{\n  background: url('{reference}');\n}}\n"
    problems, _ = attempt({**demo("# T\n\nText.\n"), **theme(print_css=css)},
                          theme=tmp_path / "theme", formats=("pdf",))
    assert problems == [f"theme/styles/print.css:3: url('{reference}') {message}"]


# --- the network -----------------------------------------------------------------------

def test_remote_images_are_refused_without_allow_remote(attempt, server):
    server.routes["/x.png"] = Route(headers={"Content-Type": "image/png"}, body=PNG)
    problems, _ = attempt(demo(f"# T\n\n![x]({server.base}/x.png)\n"))
    assert problems == [f"content/demo/booklet.md:6: image '{server.base}/x.png' is on the "
                        "network: put the file in the booklet's folder, or build with "
                        "--allow-remote"]
    assert server.requests == []


def test_remote_stylesheets_are_refused_without_allow_remote(attempt, server, tmp_path):
    css = f'@import url("{server.base}/font.css");\n'
    problems, _ = attempt({**demo("# T\n\nText.\n"), **theme(print_css=css)},
                          theme=tmp_path / "theme")
    assert problems == [f"theme/styles/print.css:1: url('{server.base}/font.css') is on the "
                        "network: put the file in the booklet's folder, or build with "
                        "--allow-remote"]
    assert server.requests == []


def test_ebook_stylesheet_may_not_load_from_the_network(attempt, server, tmp_path):
    css = f"body {{\n  background: url({server.base}/pixel.gif);\n}}\n"
    problems, _ = attempt({**demo("# T\n\nText.\n"), **theme(ebook_css=css)},
                          theme=tmp_path / "theme", formats=("epub",), allow_remote=True)
    assert problems == [f"theme/styles/ebook.css:2: url('{server.base}/pixel.gif') is on the "
                        "network; an EPUB may only use files packed in it"]
    assert server.requests == []


def test_allow_remote_never_connects_to_local_addresses(attempt, server):
    problems, _ = attempt(demo(f"# T\n\n![x]({server.base}/x.png)\n"), allow_remote=True)
    assert problems == [f"content/demo/booklet.md:6: image '{server.base}/x.png' leads to a "
                        "private or local address (127.0.0.1): refused"]
    assert server.requests == []


@pytest.fixture
def reachable(monkeypatch):
    """Treat 127.0.0.1 (the test server) as public; every other local address stays refused."""
    checked = remote.address_allowed
    monkeypatch.setattr(remote, "address_allowed", lambda a: a == "127.0.0.1" or checked(a))


@pytest.mark.parametrize("location, reason", [
    ("http://169.254.169.254/latest/meta-data/", "redirects to "
     "'http://169.254.169.254/latest/meta-data/', which leads to a private or local address "
     "(169.254.169.254): refused"),
    ("http://10.0.0.1/x.png", "redirects to 'http://10.0.0.1/x.png', which leads to a private "
     "or local address (10.0.0.1): refused"),
    ("http://[::1]/x.png", "redirects to 'http://[::1]/x.png', which leads to a private or "
     "local address (::1): refused"),
    ("file:///etc/passwd", "redirects to 'file:///etc/passwd', which the build never reads"),
])
def test_redirects_to_private_addresses_are_refused(attempt, server, reachable, location,
                                                     reason):
    server.routes["/x.png"] = Route(302, {"Location": location})
    problems, _ = attempt(demo(f"# T\n\n![x]({server.base}/x.png)\n"), allow_remote=True,
                          formats=("pdf",))
    assert problems == [f"content/demo/booklet.md:6: image '{server.base}/x.png' {reason}"]
    assert server.requests == ["/x.png"]


def test_remote_size_limit(attempt, server, reachable):
    server.routes["/big.png"] = Route(headers={"Content-Type": "image/png",
                                               "Content-Length": str(30 * 1024 * 1024)})
    problems, _ = attempt(demo(f"# T\n\n![x]({server.base}/big.png)\n"), allow_remote=True,
                          formats=("pdf",))
    assert problems == [f"content/demo/booklet.md:6: image '{server.base}/big.png' is 30.0 MB; "
                        "the limit is 20.0 MB"]


def test_remote_time_limit(attempt, server, reachable, monkeypatch):
    monkeypatch.setattr(remote, "REMOTE_TIMEOUT", 0.5)
    server.routes["/slow.png"] = Route(headers={"Content-Type": "image/png"}, body=PNG,
                                       delay=2.0)
    problems, _ = attempt(demo(f"# T\n\n![x]({server.base}/slow.png)\n"), allow_remote=True,
                          formats=("pdf", "large-print", "epub"))
    assert problems == [f"content/demo/booklet.md:6: image '{server.base}/slow.png' took "
                        "longer than 0.5 seconds to fetch"]
    assert server.requests == ["/slow.png"]  # not tried again for each edition


def test_remote_image_must_be_an_image(attempt, server, reachable):
    server.routes["/x.png"] = Route(headers={"Content-Type": "text/html"}, body=b"<p>hi</p>")
    problems, _ = attempt(demo(f"# T\n\n![x]({server.base}/x.png)\n"), allow_remote=True,
                          formats=("epub",))
    assert problems == [f"content/demo/booklet.md:6: image '{server.base}/x.png' is not a PNG, "
                        "JPEG, GIF or SVG image (the server says 'text/html')"]


def test_allow_remote_embeds_remote_images_in_both_outputs(attempt, server, reachable):
    server.routes["/a/x.png"] = Route(301, {"Location": "/b/x.png"})
    server.routes["/b/x.png"] = Route(headers={"Content-Type": "image/png"}, body=PNG)
    problems, outcome = attempt(demo(f"# T\n\n![A dot]({server.base}/a/x.png)\n"),
                                allow_remote=True)
    assert problems == []
    epub = zipfile.ZipFile(outcome.written["epub"])
    [name] = [n for n in epub.namelist() if n.startswith("EPUB/images/remote-")]
    assert epub.read(name) == PNG
    part = epub.read("EPUB/part-01.xhtml").decode()
    assert f'src="{name.removeprefix("EPUB/")}"' in part and server.base not in part
    pdf = reader(outcome.written["pdf"])
    assert any("/XObject" in page["/Resources"] for page in pdf.pages)
    # once for the three editions that show it: reading PDF, large print, EPUB
    assert server.requests.count("/b/x.png") == 1


# --- sizes ---------------------------------------------------------------------------

def png_header(width: int, height: int) -> bytes:
    """A PNG that claims the given size (Pillow reads the size without decoding)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) \
        + chunk(b"IEND", b"")


def test_image_pixel_limit(attempt):
    problems, _ = attempt(demo("# T\n\n![a](wide.png)\n\n![b](bomb.png)\n",
                               **{"wide.png": png_header(10_000, 10_000),
                                  "bomb.png": png_header(60_000, 60_000)}))
    assert problems == [
        "content/demo/booklet.md:6: image 'wide.png' is 10000 × 10000 pixels (100.0 "
        "megapixels); the limit is 50 megapixels",
        "content/demo/booklet.md:8: image 'bomb.png' has more than 50 megapixels, the limit",
    ]


def test_image_file_size_limit(attempt):
    def big(root: Path) -> None:
        with open(root / "content/demo/big.png", "wb") as handle:
            handle.write(PNG)
            handle.truncate(21 * 1024 * 1024)

    problems, _ = attempt(demo("# T\n\n![a](big.png)\n"), setup=big)
    assert problems == ["content/demo/booklet.md:6: image 'big.png' is 21.0 MB; the limit is "
                        "20.0 MB"]


@pytest.mark.parametrize("size, shown", [(300_000, "293 KB"), (30_000_000, "28.6 MB")])
def test_source_size_limit(attempt, size, shown):
    problems, _ = attempt({"content/demo/booklet.md": booklet_md(
        body="# T\n\n" + "All work and no play. " * (size // 22))})
    assert problems == [f"content/demo/booklet.md: booklet.md is {shown}; the limit is 256 KB"]


def test_images_must_be_what_their_name_says(attempt):
    jpeg = io.BytesIO()
    Image.new("RGB", (2, 2)).save(jpeg, "JPEG")
    problems, _ = attempt(demo("# T\n\n![a](photo.png)\n\n![b](text.gif)\n",
                               **{"photo.png": jpeg.getvalue(), "text.gif": b"GIF? no"}))
    assert problems == [
        "content/demo/booklet.md:6: image 'photo.png' is really a JPEG image: give it the "
        "ending .jpg",
        "content/demo/booklet.md:8: image 'text.gif' is not a readable GIF image",
    ]


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ' \
      'width="10" height="10">{}</svg>'


@pytest.mark.parametrize("inside, reason", [
    ("<script>alert(1)</script>", "holds a <script> element, which images may not contain"),
    ('<rect width="5" height="5" onload="alert(1)"/>',
     "has an event handler (onload), which images may not contain"),
    ('<image href="file:///etc/passwd" width="5" height="5"/>',
     "refers to 'file:///etc/passwd'; an SVG image may only refer to its own parts"),
    ('<image xlink:href="../../secret.png" width="5" height="5"/>',
     "refers to '../../secret.png'; an SVG image may only refer to its own parts"),
    ('<rect width="5" height="5" fill="url(http://127.0.0.1:9/p)"/>',
     "refers to 'http://127.0.0.1:9/p'; an SVG image may only refer to its own parts"),
    ("<style>@import url(x.css);</style>",
     "imports a stylesheet (@import), which images may not do"),
    ("<foreignObject><p>hi</p></foreignObject>",
     "holds a <foreignObject> element, which images may not contain"),
])
def test_svg_images_may_not_script_or_reach_out(attempt, inside, reason):
    problems, _ = attempt(demo("# T\n\n![a](pic.svg)\n", **{"pic.svg": SVG.format(inside)}))
    assert problems == [f"content/demo/booklet.md:6: image 'pic.svg' {reason}"]


def test_svg_entities_are_refused(attempt):
    laughs = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;">]>'
              + SVG.format("<text>&b;</text>"))
    problems, _ = attempt(demo("# T\n\n![a](pic.svg)\n", **{"pic.svg": laughs}))
    assert problems == ["content/demo/booklet.md:6: image 'pic.svg' declares XML entities, "
                        "which the build does not expand"]


def test_a_safe_svg_is_used(attempt):
    problems, outcome = attempt(demo("# T\n\n![a](pic.svg)\n", **{"pic.svg": SVG.format(
        '<defs><linearGradient id="g"/></defs><rect width="5" height="5" fill="url(#g)"/>')}),
        formats=("epub",))
    assert problems == []
    assert "EPUB/pic.svg" in zipfile.ZipFile(outcome.written["epub"]).namelist()


def test_control_characters_are_refused_with_their_line(attempt):
    problems, _ = attempt(demo("# T\n\nA bell \x07 rings.\n"))
    assert problems == ["content/demo/booklet.md:6: the text holds a control character "
                        "(U+0007) that readers cannot show"]


# --- front matter --------------------------------------------------------------------

@pytest.mark.parametrize("front, message", [
    ("title: Demo\nkeywords: &a [x, x, x, x]\nsummary: [*a, *a, *a]",
     "content/demo/booklet.md:4: front matter is not valid YAML: YAML aliases (*name) are not "
     "allowed in front matter"),
    ("title: Demo\nkeywords: " + "[" * 50 + "x" + "]" * 50,
     "content/demo/booklet.md:3: front matter is not valid YAML: front matter nests deeper "
     "than 8 levels"),
    ("title: Demo\nsummary: " + "x" * 70_000,
     "content/demo/booklet.md:1: front matter is 68 KB; the limit is 64 KB"),
    ("title: Demo\nallow_html: 'yes'",
     "content/demo/booklet.md:3: 'allow_html' must be true or false, not text"),
    ('title: Demo\n"a\\nb": x', "content/demo/booklet.md:3: unknown key 'a\\nb'"),
    ('title: "Bell \\a"', "content/demo/booklet.md:2: 'title' holds a control character "
     "(U+0007) that readers cannot show"),
    ("title: Demo\ntitle: Again", "content/demo/booklet.md:3: 'title' is given twice (first "
     "on line 2)"),
    ("title: !!python/object/apply:os.system ['echo hacked']",
     "content/demo/booklet.md:2: 'title' is not valid YAML: could not determine a "
     "constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'"),
])
def test_front_matter_attacks(attempt, front, message):
    problems, _ = attempt(demo("# T\n\nText.\n", front=front))
    assert problems == [message]


# --- markup --------------------------------------------------------------------------

PAYLOAD = """\
<script>alert(1)</script>
<p onclick="alert(2)">Click <a href="javascript:alert(3)">here</a> or <a href="https://example.org/help">help</a>.</p>
<iframe src="https://example.org/frame"></iframe>
<object data="movie.swf"></object><embed src="movie.swf">
<link rel="stylesheet" href="https://example.org/x.css">
<meta http-equiv="refresh" content="0;url=https://example.org/">
<style>body { background: url(https://example.org/track.gif) }</style>
<div style="background-image: url(https://example.org/track.gif)">Styled <b>bold</b> <abbr title="cognitive behavioural therapy">CBT</abbr></div>
<p><img src="dot.png" alt="A dot" onerror="alert(4)"> <a rel="attachment" href="../../etc/passwd">attach</a></p>
<base href="https://example.org/">
<form action="https://example.org/"><input name="q"></form>
<svg><script>alert(5)</script></svg>
"""  # noqa: E501
FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "link", "style", "base", "form",
                  "input", "svg"}


def markup_problems(root) -> list[str]:
    """Everything in a parsed document that the sanitiser must never let through."""
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in FORBIDDEN_TAGS or tag == "meta" and element.get("http-equiv"):
            found.append(f"<{tag}>")
        for name, value in element.attrib.items():
            if name.lower().startswith("on") or name == "style" or "javascript:" in value:
                found.append(f"{tag} {name}={value!r}")
    return found


def body_of_parts(epub: zipfile.ZipFile) -> list:
    return [etree.fromstring(epub.read(n)).find("{*}body") for n in epub.namelist()
            if n.startswith("EPUB/part-")]


def test_raw_html_is_text_by_default_in_both_outputs(attempt):
    problems, outcome = attempt(demo(f"# T\n\n{PAYLOAD}", **{"dot.png": PNG}))
    assert problems == []
    epub = zipfile.ZipFile(outcome.written["epub"])
    [part] = body_of_parts(epub)
    assert markup_problems(part) == []
    assert "<script>alert(1)</script>" in "".join(part.itertext())
    assert "EPUB/dot.png" not in epub.namelist()
    text = "".join(page_texts(reader(outcome.written["pdf"])))
    assert "<script>alert(1)</script>" in text


def test_allow_html_passes_only_the_allow_list_in_both_outputs(attempt):
    files = demo(f"# T\n\n{PAYLOAD}", front="title: Demo\nallow_html: true",
                 **{"dot.png": PNG})
    problems, outcome = attempt(files)
    assert problems == []
    booklet = load_booklet(Path("content/demo"))
    print_html = Renderer().print_html(booklet, BuildOptions())
    assert markup_problems(lxml_html.document_fromstring(print_html).body) == []
    epub = zipfile.ZipFile(outcome.written["epub"])
    [part] = body_of_parts(epub)
    assert markup_problems(part) == []
    assert "EPUB/dot.png" in epub.namelist()
    links = [a.get("href") for a in part.iter("{http://www.w3.org/1999/xhtml}a")]
    assert links == [None, "https://example.org/help", None]
    assert part.find(".//{*}abbr").get("title") == "cognitive behavioural therapy"
    report = epubcheck_report(outcome.written["epub"])
    assert epub_problems(report) == []
    pdf = reader(outcome.written["pdf"])
    text = "".join(page_texts(pdf))
    assert "Styled bold CBT" in text and "alert(" not in text
    uris = [annot.get_object()["/A"].get("/URI") for page in pdf.pages
            for annot in page.get("/Annots") or [] if "/A" in annot.get_object()]
    assert uris == ["https://example.org/help"]
    catalog = pdf.trailer["/Root"]
    assert "/OpenAction" not in catalog and "/EmbeddedFiles" not in catalog.get("/Names", {})
    assert "/JavaScript" not in catalog.get("/Names", {})


def test_raw_html_images_are_checked_like_markdown_images(attempt):
    # The sanitiser drops the file: image (not an allowed scheme): nothing to check.
    body = '# T\n\n<img src="../../etc/passwd" alt="x">\n\nText <img src="file:///dev/urandom">.\n'
    problems, _ = attempt(demo(body, front="title: Demo\nallow_html: true"))
    assert problems == [
        "content/demo/booklet.md:7: image '../../etc/passwd' lies outside the booklet's folder",
    ]


TEMPLATE_TEXT = "{{ 7*7 }} and {% if true %}yes{% endif %} {# note #}"


def test_template_syntax_is_literal_in_front_matter_and_text_in_both_outputs(attempt):
    front = f"title: '{TEMPLATE_TEXT}'\nsubtitle: '{{{{ config }}}}'\nsummary: '{TEMPLATE_TEXT}'"
    problems, outcome = attempt(demo(f"# Part {{{{ 7*7 }}}}\n\n{TEMPLATE_TEXT}\n", front=front))
    assert problems == []
    text = " ".join(page_texts(reader(outcome.written["pdf"])))
    assert TEMPLATE_TEXT in text and "{{ config }}" in text and "Part {{ 7*7 }}" in text
    assert "49" not in text
    epub = zipfile.ZipFile(outcome.written["epub"])
    opf = etree.fromstring(epub.read("EPUB/content.opf"))
    assert opf.findtext(".//{*}title") == TEMPLATE_TEXT
    assert opf.findtext(".//{*}description") == TEMPLATE_TEXT
    [part] = body_of_parts(epub)
    assert TEMPLATE_TEXT in "".join(part.itertext())
    assert not any(b"49" in epub.read(n) for n in epub.namelist() if n.endswith(".xhtml"))


def test_the_allow_remote_flag_reaches_the_build(tmp_project, server, capsys):
    from booklet.cli import main

    tmp_project(demo(f"# T\n\n![x]({server.base}/x.png)\n"))
    assert main(["build", "--format", "epub"]) == 1
    assert "is on the network" in capsys.readouterr().err
    assert main(["build", "--format", "epub", "--allow-remote"]) == 1
    assert "leads to a private or local address (127.0.0.1): refused" in capsys.readouterr().err
    assert server.requests == []


def test_refusals_in_a_theme_given_as_a_relative_path(tmp_project, capsys):
    from booklet.cli import main

    tmp_project({**demo("# T\n\nText.\n"), **theme(print_css="p { background: url(/etc/passwd) }")})
    assert main(["build", "--theme", "theme"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert f"theme/styles/print.css:1: url('/etc/passwd') lies outside {OUTSIDE}" in err
    assert err[-1] == "failed: demo"


@pytest.mark.parametrize("opening", ["<div>", "<b>", "<span><i>"])
def test_deeply_nested_raw_html_is_an_error_not_a_hang(attempt, opening):
    body = "# T\n\nText.\n\n" + opening * 20_000 + "x\n"
    problems, _ = attempt(demo(body, front="title: Demo\nallow_html: true"))
    assert problems == ["content/demo/booklet.md:9: raw HTML nests deeper than 50 elements"]
