"""Hostile content, round two (issue 20): what content may ask for, paths booklet.toml
names, and what reaches the outputs. Each attack is generated here, small; each test
runs the command line on a project holding the attack and a good booklet, and checks
the one-line message, the exit status, that the good booklet was still built, that no
file outside the project was opened and, where the attack was a hang, the time."""

from __future__ import annotations

import base64
import io
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from PIL import Image

from booklet import cli
from booklet.cli import main, options_from
from booklet.source.loader import load_booklet

from ..helpers import PNG, booklet_md, write_files
from ..pdfcheck import page_texts, reader
from ..recorder import RecordingServer, opened_files
from .test_hostile import png_header

SECRET = "SECRET-LINE-7731"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ' \
      'width="10" height="10">{}</svg>'
LINKS = "is not allowed: a link may lead to a web page (https://...), an email address " \
        "(mailto:), a phone number (tel:) or a heading in the booklet (#...)"
CONFIG_FAILED = "failed: the project configuration has problems; nothing was built"


@dataclass
class Run:
    """One command-line run on a throwaway project."""

    status: int
    errors: list[str]
    root: Path
    seconds: float

    def built(self, name: str) -> bool:
        return (self.root / "dist" / name).is_file()


@pytest.fixture
def project(tmp_path, monkeypatch, capsys):
    """Write `files` into tmp/project (beside tmp/outside, which holds a secret), add a
    good booklet, run the command line there, and check that nothing outside was read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.toml").write_text(f'[{SECRET}]\nname = "{SECRET}"\n')
    (outside / "secret.css").write_text(f"/* {SECRET} */\n")
    (outside / "logo.png").write_bytes(PNG)
    root = tmp_path / "project"

    def run(files: dict[str, str | bytes], *args: str, command: str = "build",
            setup=None, good: bool = True) -> Run:
        if good:
            files = {"content/good/booklet.md": booklet_md("title: Good"), **files}
        write_files(root, files)
        if setup:
            setup(root, outside)
        monkeypatch.chdir(root)
        # Rendered in this process, where the audit hook sees every file opened (the
        # command line's rendering processes are tested in test_hostile_run).
        monkeypatch.setattr(cli, "options_from",
                            lambda args: replace(options_from(args), contain=False))
        capsys.readouterr()
        extra = ("-j", "1", "--format", "pdf") if command == "build" else ()
        start = time.perf_counter()
        with opened_files() as opened:
            status = main([command, *extra, *args])
        seconds = time.perf_counter() - start
        assert not [p for p in opened if p.startswith(str(outside)) or p == "/etc/passwd"]
        err = capsys.readouterr().err
        assert "Traceback" not in err and SECRET not in err
        return Run(status, err.splitlines(), root, seconds)

    return run


def demo(body: str, front: str = "title: Demo", **more: str | bytes) -> dict:
    files: dict = {"content/demo/booklet.md": booklet_md(front, body)}
    files.update({f"content/demo/{name}": data for name, data in more.items()})
    return files


def refused(run: Run, *problems: str) -> None:
    """The bad booklet failed with exactly these problems; the good one was built."""
    assert run.status == 1
    assert run.errors == [*problems, "failed: demo"]
    assert run.built("good.pdf") and not run.built("demo.pdf")


def png(width: int = 2, height: int = 2) -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (width, height)).save(data, "PNG")
    return data.getvalue()


def data_uri(data: bytes, media: str = "image/png") -> str:
    return f"data:{media};base64,{base64.b64encode(data).decode()}"


# --- what content may ask for ----------------------------------------------------------

def nested_uses(copies: int, levels: int) -> str:
    """An SVG whose last group draws copies**levels rectangles through nested <use>s."""
    defs = '<rect id="l0" width="1" height="1"/>'
    for level in range(1, levels):
        defs += f'<g id="l{level}">' + f'<use href="#l{level - 1}"/>' * copies + "</g>"
    return SVG.format(f"<defs>{defs}</defs>" + f'<use href="#l{levels - 1}"/>' * copies)


def test_an_svg_of_nested_uses_is_refused_without_drawing_it(project):
    bomb = nested_uses(10, 9)  # 10⁹ rectangles from 2 KB: it never finished before
    assert len(bomb) < 2500
    run = project(demo("# T\n\n![a](bomb.svg)\n", **{"bomb.svg": bomb}))
    refused(run, "content/demo/booklet.md:6: image 'bomb.svg' draws more than 20,000 "
                 "elements (counting each <use> as a copy of what it uses), the limit")
    assert run.seconds < 60


@pytest.mark.parametrize("inside, reason", [
    ('<g id="a"><use href="#a"/></g>',
     "has a <use> or url(#...) reference that leads back to itself"),
    ('<defs><pattern id="p">' + "<rect/>" * 200 + "</pattern></defs>"
     + '<rect fill="url(#p)"/>' * 120,
     "draws more than 20,000 elements (counting each <use> as a copy of what it uses), "
     "the limit"),
    ('<defs><marker id="m">' + "<rect/>" * 100 + "</marker></defs>"
     '<path marker-mid="url(#m)" d="' + "L 1 1 " * 300 + '"/>',
     "draws more than 20,000 elements (counting each <use> as a copy of what it uses), "
     "the limit"),
])
def test_svg_copies_by_reference_are_counted(inside, reason):
    from booklet.sandbox.svg import svg_problem

    assert svg_problem(SVG.format(inside).encode()) == reason


def test_the_svg_elements_a_booklet_draws_are_bounded(project):
    picture = SVG.format("<rect/>" * 3_000)  # under the limit alone, not twenty times
    body = "# T\n\n" + "".join(f"![a{n}](pic.svg)\n\n" for n in range(20))
    refused(project(demo(body, **{"pic.svg": picture})),
            "content/demo/booklet.md:38: the booklet's SVG images draw more than 50,000 "
            "elements in all (each counted at every use), the limit")


def test_the_images_of_a_booklet_are_counted(project):
    images = {f"i{n}.png": PNG for n in range(201)}
    body = "# T\n\n" + "".join(f"![a](i{n}.png)\n\n" for n in range(201))
    refused(project(demo(body, **images)),
            "content/demo/booklet.md:406: the booklet uses more than 200 different images, "
            "the limit")


@pytest.mark.parametrize("html, problem", [
    ('<table><tr><td colspan="100000000">x</td></tr></table>',
     'colspan="100000000" is more than 100, the limit'),
    ('<table><tr><td rowspan="99999">x</td><td>y</td></tr></table>',
     'rowspan="99999" is more than 100, the limit'),
    ('<table><colgroup span="1000000"></colgroup><tr><td>x</td></tr></table>',
     'span="1000000" is more than 100, the limit'),
    ('<table><tr><td colspan="100">x</td></tr>' + "<tr><td>y</td></tr>" * 20 + "</table>",
     "a raw HTML table lays out more than 1,000 cells (columns × rows), the limit"),
])
def test_raw_html_tables_are_bounded(project, html, problem):
    run = project(demo(f"# T\n\n{html}\n", front="title: Demo\nallow_html: true"))
    refused(run, f"content/demo/booklet.md:7: {problem}")
    assert run.seconds < 60


def test_a_markdown_table_is_bounded_before_it_is_built(project):
    header = "|h" * 250 + "|\n" + "|-" * 250 + "|\n"  # 1.8 KB asked for 65,000 cells
    run = project(demo("# T\n\n" + header + "|\n" * 300))
    refused(run, "content/demo/booklet.md:6: a table of more than 1,000 cells (columns × "
                 "rows), the limit")
    assert run.seconds < 60


def test_the_table_cells_of_a_booklet_are_bounded(project):
    table = "|a|b|c|d|e|f|g|h|i|j|\n" + "|-" * 10 + "|\n" + "|1|2|3|4|5|6|7|8|9|0|\n" * 90
    body = "# T\n\n" + "\n".join(table for _ in range(6))  # 910 cells each
    refused(project(demo(body)), "content/demo/booklet.md:471: the booklet's tables hold "
                                 "more than 5,000 cells in all, the limit")


def test_parts_and_sections_are_bounded(project):
    run = project({**demo("# a\n" * 6_000), **{
        "content/many/booklet.md": booklet_md(body="# T\n\n" + "## s\n" * 300)}})
    assert run.status == 1
    assert run.errors == [
        "content/demo/booklet.md:54: the booklet has more than 50 parts ('# ' headings), the "
        "limit",
        "content/many/booklet.md:256: the booklet has more than 250 sections ('## ' "
        "headings), the limit",
        "failed: demo, many"]
    assert run.built("good.pdf")
    assert run.seconds < 60  # 6,000 parts took 558 s and 3.1 GB


def test_images_inside_svg_images_are_held_to_the_pixel_limit(project):
    inside = f'<image href="{data_uri(png_header(13_000, 13_000))}" width="5" height="5"/>'
    refused(project(demo("# T\n\n![a](pic.svg)\n", **{"pic.svg": SVG.format(inside)})),
            "content/demo/booklet.md:6: image 'pic.svg' embeds an image that is 13000 × "
            "13000 pixels (169.0 megapixels); the limit is 50 megapixels")


def test_images_inside_svg_images_count_together(project):
    inside = f'<image id="i" href="{data_uri(png_header(5_000, 5_000))}"/>' \
             + '<use href="#i"/>' * 2
    refused(project(demo("# T\n\n![a](pic.svg)\n", **{"pic.svg": SVG.format(inside)})),
            "content/demo/booklet.md:6: image 'pic.svg' draws embedded images of more than "
            "50 megapixels in all, the limit")


@pytest.mark.parametrize("sheet, formats", [("print.css", "pdf"), ("ebook.css", "epub")])
def test_images_inside_stylesheets_are_held_to_the_pixel_limit(project, sheet, formats):
    uri = data_uri(png_header(13_000, 13_000))
    run = project({**demo("# T\n\nText.\n"),
                   f"theme/styles/{sheet}": f"/* a theme */\nbody {{ background: url({uri}) }}\n"},
                  "--theme", "theme", "--format", formats)
    assert run.status == 1 and run.errors[-1] == "failed: demo, good"
    shown = uri[:59] + "…"
    assert run.errors[0] == f"theme/styles/{sheet}:2: url('{shown}') is 13000 × 13000 " \
                            "pixels (169.0 megapixels); the limit is 50 megapixels"


def test_quotes_are_parsed_in_linear_time(tmp_path):
    """markdown-it's smart quotes took 31 s on 60 KB of these; 1.8 MB took 35 s."""
    folder = tmp_path / "demo"
    folder.mkdir()
    body = '"a ' * 10_000 + "b' " * 10_000 + "\n\n" + '"a\n' * 20_000
    (folder / "booklet.md").write_text(booklet_md(body="# T\n\n" + body))
    start = time.perf_counter()
    booklet = load_booklet(folder)
    assert time.perf_counter() - start < 10
    assert "b’ " in booklet.parts[0].blocks[0].html


# --- paths booklet.toml names ----------------------------------------------------------

def link(target: str):
    def setup(root: Path, outside: Path) -> None:
        (root / "branding").mkdir(exist_ok=True)
        os.symlink(target.format(outside=outside), root / "branding/link.svg")
    return setup


@pytest.mark.parametrize("logo, problem, setup", [
    ("{outside}/logo.png", "logo '{outside}/logo.png' must be a file in the project's folder",
     None),
    ("../outside/logo.png", "logo '../outside/logo.png' lies outside the project's folder",
     None),
    ("branding/link.svg", "logo 'branding/link.svg' is a link to a file outside the "
     "project's folder", link("/etc/passwd")),
    ("branding/link.svg", "logo 'branding/link.svg' is a link to a file outside the "
     "project's folder", link("{outside}/logo.png")),
    ("branding/fake.png", "logo 'branding/fake.png' is not a readable PNG image", None),
    ("branding/script.svg", "logo 'branding/script.svg' holds a <script> element, which "
     "images may not contain", None),
    ("branding/onload.svg", "logo 'branding/onload.svg' has an event handler (onload), which "
     "images may not contain", None),
    ("branding/foreign.svg", "logo 'branding/foreign.svg' holds a <foreignObject> element, "
     "which images may not contain", None),
    ("branding/remote.svg", "logo 'branding/remote.svg' refers to 'http://127.0.0.1:9/x.png'; "
     "an SVG image may only refer to its own parts", None),
])
def test_the_practice_logo_is_checked_like_booklet_images(project, tmp_path, logo, problem,
                                                          setup):
    outside = tmp_path / "outside"
    files = {
        "booklet.toml": f'[practice]\nname = "Clinic"\nlogo = "{logo.format(outside=outside)}"\n',
        "branding/fake.png": "not a picture",
        "branding/script.svg": SVG.format("<script>alert(1)</script>"),
        "branding/onload.svg": SVG.format('<rect onload="alert(1)"/>'),
        "branding/foreign.svg": SVG.format("<foreignObject><p>x</p></foreignObject>"),
        "branding/remote.svg": SVG.format('<image href="http://127.0.0.1:9/x.png"/>'),
    }
    run = project(files, setup=setup)
    assert run.status == 1
    assert run.errors == [f"booklet.toml:3: {problem.format(outside=outside)}", CONFIG_FAILED]
    assert not run.built("good.pdf")


@pytest.mark.parametrize("contacts, problem, setup", [
    ("/etc/passwd", "help_contacts '/etc/passwd' lies outside the project's folder", None),
    ("{outside}/secret.toml", "help_contacts '{outside}/secret.toml' lies outside the "
     "project's folder", None),
    ("../outside/secret.toml", "help_contacts '../outside/secret.toml' lies outside the "
     "project's folder", None),
    ("../../../../../../etc/passwd", "help_contacts '../../../../../../etc/passwd' lies "
     "outside the project's folder", None),
    ("contacts.toml", "help_contacts 'contacts.toml' is a link to a file outside the "
     "project's folder",
     lambda root, outside: os.symlink(outside / "secret.toml", root / "contacts.toml")),
])
def test_help_contacts_must_be_inside_the_project_and_are_not_shown(project, tmp_path,
                                                                    contacts, problem, setup):
    outside = tmp_path / "outside"
    toml = f'help_contacts = "{contacts.format(outside=outside)}"\n'
    run = project({"booklet.toml": toml}, setup=setup)
    assert run.status == 1
    assert run.errors == [f"booklet.toml:1: {problem.format(outside=outside)}", CONFIG_FAILED]


@pytest.mark.parametrize("setup, problem", [
    (lambda root, outside: os.symlink(outside, root / "theme/styles"),
     "theme/styles: is a link to a folder outside the theme: a theme's templates/, styles/ "
     "and locales/ must lie inside it"),
    (lambda root, outside: os.symlink(outside, root / "theme/templates"),
     "theme/templates: is a link to a folder outside the theme: a theme's templates/, "
     "styles/ and locales/ must lie inside it"),
    (lambda root, outside: (root / "theme/styles").mkdir()
     or os.symlink(outside / "secret.css", root / "theme/styles/print.css"),
     "theme/styles/print.css: is a link to a file outside the theme"),
    (lambda root, outside: (root / "theme/styles").mkdir()
     or os.mkfifo(root / "theme/styles/print.css"),
     "theme/styles/print.css: is not a regular file"),
])
def test_a_theme_linking_outside_itself_is_refused(project, setup, problem):
    run = project({"theme/README": "a theme"}, "--theme", "theme", setup=setup)
    assert run.status == 1
    assert run.errors == [problem, CONFIG_FAILED]


def test_a_900_deep_array_in_booklet_toml_is_one_located_error(project):
    toml = 'help_region = "US"\nx = ' + "[" * 900 + "]" * 900 + "\n"
    run = project({"booklet.toml": toml})
    assert run.status == 1
    assert run.errors == ["booklet.toml:2: arrays and tables nest deeper than 16 levels, the "
                          "limit", CONFIG_FAILED]


# --- what reaches the outputs ----------------------------------------------------------

@pytest.mark.parametrize("markdown, target", [
    ("[x](file:///etc/passwd)", "file:///etc/passwd"),
    ("[x](FILE:///etc/passwd)", "FILE:///etc/passwd"),
    ("[x](/etc/passwd)", "/etc/passwd"),
    ("[x](/home/someone/notes.pdf)", "/home/someone/notes.pdf"),
    ("[x](smb://host/share)", "smb://host/share"),
    ("<smb://host/share>", "smb://host/share"),
    ("[x](ms-msdt:/id)", "ms-msdt:/id"),
    ("[x](launch:calc)", "launch:calc"),
    ("[x](data:text/html,hi)", "data:text/html,hi"),
    ("[x](javascript:alert(1))", "javascript:alert(1)"),
    ("[x][r]\n\n[r]: vbscript:x", "vbscript:x"),
    ("[x](worksheet.pdf)", "worksheet.pdf"),
])
def test_links_lead_only_to_the_web_email_phones_and_headings(project, markdown, target):
    refused(project(demo(f"# T\n\n{markdown}\n")),
            f"content/demo/booklet.md:6: link '{target}' {LINKS}")


def test_allowed_links_reach_the_pdf(project):
    body = "# T\n\n## Help\n\n[web](https://example.org/help) [mail](mailto:a@example.org) " \
           "[call](tel:+15550100) [up](#help)\n"
    run = project(demo(body))
    assert run.status == 0
    uris = {annot.get_object()["/A"].get("/URI") for page in reader(
        run.root / "dist/demo.pdf").pages for annot in page.get("/Annots") or []
        if "/A" in annot.get_object()}
    assert {"https://example.org/help", "mailto:a@example.org", "tel:+15550100"} <= uris


SCRIPT_SVG = SVG.format("<script>alert(1)</script>")


@pytest.mark.parametrize("html", [
    "<div>\n<img/src=big.png>\n</div>",
    '<div>\n<img alt="a>b" src=big.png>\n</div>',
    "<div>\n<image src=big.png>\n</div>",
    "Text <img src=big.png alt=x>.",
])
def test_raw_html_images_are_checked_as_the_sanitiser_keeps_them(project, html):
    run = project(demo(f"# T\n\n{html}\n", front="title: Demo\nallow_html: true",
                       **{"big.png": png_header(13_000, 13_000)}))
    refused(run, "content/demo/booklet.md:7: image 'big.png' is 13000 × 13000 pixels (169.0 "
                 "megapixels); the limit is 50 megapixels")


def test_raw_html_svg_images_are_checked(project):
    run = project(demo("# T\n\n<div>\n<image src=evil.svg>\n</div>\n",
                       front="title: Demo\nallow_html: true", **{"evil.svg": SCRIPT_SVG}))
    refused(run, "content/demo/booklet.md:7: image 'evil.svg' holds a <script> element, "
                 "which images may not contain")


@pytest.fixture
def server():
    with RecordingServer() as running:
        yield running


@pytest.mark.parametrize("css", [
    "body {{ background: url(\\68ttp://{host}/a.gif) }}",
    "body {{ background: u\\72l({base}/b.gif) }}",
    "body {{ content: '/*'; background: url({base}/c.gif) }} /* */",
    '@import "{base}/d.css";',
    "@\\69mport url({base}/e.css);",
    'body {{ background: image-set("{base}/f.png" 1x) }}',
    "body {{ background: -webkit-image-set(url({base}/g.png) 1x) }}",
])
def test_the_ebook_stylesheet_is_read_with_a_css_tokenizer(project, server, css):
    sheet = "/* a theme */\n" + css.format(base=server.base, host=server.base[7:]) + "\n"
    run = project({**demo("# T\n\nText.\n"), "theme/styles/ebook.css": sheet},
                  "--theme", "theme", "--format", "epub", "--allow-remote")
    assert run.status == 1 and run.errors[-1] == "failed: demo, good"
    assert run.errors[0].startswith("theme/styles/ebook.css:2: url('")
    assert run.errors[0].endswith("') is on the network; an EPUB may only use files packed in it")
    assert server.requests == []


def test_the_ebook_stylesheet_may_only_embed(project):
    run = project({**demo("# T\n\nText.\n"), "theme/styles/ebook.css":
                   "body { background: url(paper.png) }\n", "theme/styles/paper.png": PNG},
                  "--theme", "theme", "--format", "epub")
    assert run.status == 1 and run.errors[-1] == "failed: demo, good"
    assert run.errors[0] == "theme/styles/ebook.css:1: url('paper.png') is not packed in the " \
                            "EPUB; embed it as a data: URL"


@pytest.mark.parametrize("inside, reason", [
    ('<style>@\\69mport "x.css";</style>',
     "imports a stylesheet (@import), which images may not do"),
    ("<style>rect { fill: u\\72l(http://127.0.0.1:9/p) }</style>",
     "refers to 'http://127.0.0.1:9/p'; an SVG image may only refer to its own parts"),
    ("<style>rect { fill: <!-- hidden -->url(http://127.0.0.1:9/q) }</style>",
     "refers to 'http://127.0.0.1:9/q'; an SVG image may only refer to its own parts"),
    ('<rect style="fill: url(\\68ttp://127.0.0.1:9/r)"/>',
     "refers to 'http://127.0.0.1:9/r'; an SVG image may only refer to its own parts"),
    ('<rect fill="u\\72l(http://127.0.0.1:9/s)"/>',
     "refers to 'http://127.0.0.1:9/s'; an SVG image may only refer to its own parts"),
    ('<style>rect { background: image-set("http://127.0.0.1:9/t" 1x) }</style>',
     "refers to 'http://127.0.0.1:9/t'; an SVG image may only refer to its own parts"),
    ('<a href="#x"><set attributeName="href" to="javascript:alert(1)"/></a>',
     "holds a <set> element, which images may not contain"),
    ('<rect><animate attributeName="fill" values="url(http://127.0.0.1:9/u)"/></rect>',
     "holds a <animate> element, which images may not contain"),
    ('<g xml:base="http://127.0.0.1:9/"><use href="#x"/></g><rect id="x"/>',
     "sets xml:base, which would send its references elsewhere"),
    ('<image href="data:image/svg+xml;base64,PHN2Zy8+"/>',
     "refers to 'data:image/svg+xml;base64,PHN2Zy8+'; an SVG image may only refer to its "
     "own parts"),
])
def test_svg_images_read_with_a_css_tokenizer_and_without_animation(project, inside, reason):
    refused(project(demo("# T\n\n![a](pic.svg)\n", **{"pic.svg": SVG.format(inside)})),
            f"content/demo/booklet.md:6: image 'pic.svg' {reason}")


@pytest.mark.parametrize("prologue, reason", [
    ('<!DOCTYPE svg SYSTEM "http://127.0.0.1:9/x.dtd">',
     "refers to an external DTD ('http://127.0.0.1:9/x.dtd'), which images may not do"),
    ('<!DOCTYPE svg [<!ATTLIST rect fill CDATA "url(http://127.0.0.1:9/v)">]>',
     "declares a DTD (<!DOCTYPE svg [ ... ]>), which images may not do"),
    ('<?xml-stylesheet href="http://127.0.0.1:9/w.css"?>',
     "links a stylesheet (<?xml-stylesheet?>), which images may not do"),
])
def test_svg_doctypes_and_stylesheet_links_are_refused(project, prologue, reason):
    picture = prologue + SVG.format("<rect/>")
    refused(project(demo("# T\n\n![a](pic.svg)\n", **{"pic.svg": picture})),
            f"content/demo/booklet.md:6: image 'pic.svg' {reason}")


def test_an_svg_with_the_w3c_doctype_is_used(project):
    picture = '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" ' \
              '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n' + SVG.format(
                  '<defs><linearGradient id="g"/></defs><rect width="5" height="5" '
                  'style="fill: url(#g)"/><use href="#g"/>'
                  f'<image href="{data_uri(png())}" width="2" height="2"/>')
    run = project(demo("# T\n\n![a](pic.svg)\n", **{"pic.svg": picture}))
    assert run.status == 0, run.errors


CONTACTS = '[default]\nname = "Anywhere"\n\n[[default.contacts]]\nname = "Help"\n' \
           'text = "{text}"\n'


def test_help_contact_text_is_data_not_a_format_string(project):
    text = "Call {x} or {0.__class__} now {"
    run = project({"booklet.toml": 'help_contacts = "contacts.toml"\n',
                   "contacts.toml": CONTACTS.format(text=text),
                   **demo("# T\n\n::: help-now\nNow.\n:::\n")})
    assert run.status == 0, run.errors
    assert text in " ".join(page_texts(reader(run.root / "dist/demo.pdf")))


@pytest.mark.parametrize("files, problem", [
    ({"booklet.toml": 'help_contacts = "contacts.toml"\n',
      "contacts.toml": CONTACTS.format(text="a \\u0007 bell")},
     "contacts.toml:6: contact 'text' holds a control character (U+0007) that readers "
     "cannot show"),
    ({"booklet.toml": '[practice]\nname = "Clinic \\u000c"\n'},
     "booklet.toml:2: 'name' holds a control character (U+000C) that readers cannot show"),
])
def test_control_characters_in_the_configuration_are_refused(project, files, problem):
    run = project(files)
    assert run.status == 1
    assert run.errors == [problem, CONFIG_FAILED]


def test_control_characters_in_front_matter_are_refused(project):
    refused(project(demo("# T\n\nText.\n", front='title: "x \\uD800 y"')),
            "content/demo/booklet.md:2: 'title' holds an unpaired surrogate (U+D800) that "
            "readers cannot show")


@pytest.mark.parametrize("markdown", ["A form &#12; feed.", "A form &#x0C; feed.",
                                      "![a &#12; b](x.png)", "[a](https://x.org 'a&#12;')",
                                      "# Part &#12;"])
def test_character_references_to_control_characters_are_refused(project, markdown):
    problem = "content/demo/booklet.md:6: the text holds a control character (U+000C) " \
              "that readers cannot show"
    refused(project(demo(f"# T\n\n{markdown}\n", **{"x.png": PNG})), problem)
    run = project({}, command="check")
    assert run.status == 1 and problem in run.errors

