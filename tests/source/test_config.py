from __future__ import annotations

from pathlib import Path

import pytest

from booklet.build.pipeline import build
from booklet.cli import main
from booklet.errors import BookletError
from booklet.options import default_path
from booklet.source import help_contacts
from booklet.source.config import Config, load_config
from booklet.source.loader import load_booklet
from booklet.source.model import Practice

from ..helpers import PNG, ROOT, booklet_md

SAMPLE = ROOT / "booklet.toml"

GOOD = """\
help_region = "uk"
base_url = "https://example.org/handouts"
paper = "letter"
theme = "theme"

[practice]
name = "Lakeside Therapy"
address = ["1 Shore Road", "Lakeside"]
phone = "(555) 010-0123"
email = "hello@lakeside.example.org"
website = "https://lakeside.example.org"
logo = "logo.png"
"""


def problems(project, text: str) -> list[str]:
    root = project({"booklet.toml": text, "logo.png": PNG})
    with pytest.raises(BookletError) as caught:
        load_config(root / "booklet.toml")
    return [str(p) for p in caught.value.problems]


def test_a_full_config_is_converted(tmp_project):
    root = tmp_project({"booklet.toml": GOOD, "logo.png": PNG, "theme/styles/print.css": ""})
    config = load_config(root / "booklet.toml")
    assert config.practice == Practice(
        name="Lakeside Therapy", address=("1 Shore Road", "Lakeside"), phone="(555) 010-0123",
        email="hello@lakeside.example.org", website="https://lakeside.example.org",
        logo=root / "logo.png")
    assert config.paper == "letter"
    assert config.theme == root / "theme"
    assert config.help.code == "UK"
    assert config.base_url == "https://example.org/handouts"


def test_no_config_means_no_practice_and_the_default_contacts():
    config = load_config(None)
    assert config == Config()
    assert not config.practice
    assert config.help.code == help_contacts.DEFAULT_REGION
    assert config.paper is None and config.theme is None


def test_every_problem_is_reported_with_its_line(tmp_project):
    assert problems(tmp_project, """\
paper = "B5"
thme = "x"
help_region = "FR"
base_url = "example.org"

[practice]
name = ""
phon = "555"
email = "nobody"
logo = "missing.svg"
""") == [
        "booklet.toml:1: 'paper' must be one of a5, a4, letter, half-letter, not 'B5'",
        "booklet.toml:2: unknown key 'thme' (did you mean 'theme'?)",
        "booklet.toml:3: 'help_region' must be one of IE, UK, US (or leave it out for the "
        "default), not 'FR'",
        "booklet.toml:4: 'base_url' must be a web address starting with https://, not "
        "'example.org'",
        "booklet.toml:7: 'name' must not be empty",
        "booklet.toml:8: unknown key 'phon' (did you mean 'phone'?)",
        "booklet.toml:9: 'email' must be an email address such as 'name@example.org', not "
        "'nobody'",
        "booklet.toml:10: logo 'missing.svg' not found",
    ]


def test_dotted_and_inline_keys_are_located(tmp_project):
    assert problems(tmp_project, 'practice.nme = "x"\n\n[colours]\nkey = 1\n') == [
        "booklet.toml:1: unknown key 'nme' (did you mean 'name'?)",
        "booklet.toml:3: unknown key 'colours'",
    ]


def test_logo_must_be_svg_or_png_and_theme_must_exist(tmp_project):
    assert problems(tmp_project, 'theme = "nowhere"\n[practice]\nlogo = "logo.jpg"\n') == [
        "booklet.toml:1: theme folder 'nowhere' not found",
        "booklet.toml:3: 'logo' must be an SVG or PNG file, not 'logo.jpg'",
    ]


def test_practice_must_be_a_table(tmp_project):
    assert problems(tmp_project, 'practice = "Lakeside"\n') == [
        "booklet.toml:1: 'practice' must be a [practice] table of practice details, "
        "not text"]


def test_broken_toml_names_the_line(tmp_project):
    assert problems(tmp_project, 'help_region = "US"\nbase_url = \n') == [
        "booklet.toml:2: not valid TOML: Invalid value"]
    assert problems(tmp_project, 'help_region = "US"\n\n[practice\n') == [
        "booklet.toml:3: not valid TOML: Expected ']' at the end of a table declaration"]


def test_missing_config_file(tmp_project):
    root = tmp_project({})
    with pytest.raises(BookletError, match=r"booklet.toml: file not found"):
        load_config(root / "booklet.toml")


def test_default_path_is_booklet_toml_in_the_working_directory(tmp_project):
    root = tmp_project({"content/a/booklet.md": booklet_md()})
    assert default_path() is None
    (root / "booklet.toml").write_text("")
    assert default_path() == root / "booklet.toml"


def test_online_url_from_front_matter_else_base_url_and_slug(tmp_project):
    root = tmp_project({
        "booklet.toml": 'base_url = "https://example.org/handouts/"\n',
        "content/plain/booklet.md": booklet_md(),
        "content/own/booklet.md": booklet_md("title: Own\nonline_url: https://own.example.org/x"),
    })
    config = load_config(root / "booklet.toml")
    assert load_booklet(root / "content/plain", config=config).online_url == \
        "https://example.org/handouts/plain/"
    assert load_booklet(root / "content/own", config=config).online_url == \
        "https://own.example.org/x"
    assert load_booklet(root / "content/plain", config=Config()).online_url is None


def test_front_matter_practice_overrides_field_by_field(tmp_project):
    root = tmp_project({
        "booklet.toml": GOOD.replace('theme = "theme"\n', ""), "logo.png": PNG,
        "content/demo/booklet.md": booklet_md(
            "title: Demo\npractice:\n  name: Lakeside Young People's Service\n"
            "  logo: young.png"),
        "content/demo/young.png": PNG,
    })
    config = load_config(root / "booklet.toml")
    practice = load_booklet(root / "content/demo", config=config).practice
    assert practice.name == "Lakeside Young People's Service"
    assert practice.logo == root / "content/demo/young.png"
    assert practice.phone == "(555) 010-0123"
    assert practice.address == ("1 Shore Road", "Lakeside")


def test_front_matter_logo_must_be_in_the_booklet_folder(tmp_project):
    root = tmp_project({
        "logo.png": PNG,
        "content/demo/booklet.md": booklet_md("title: Demo\npractice:\n  logo: ../../logo.png"),
        "content/gone/booklet.md": booklet_md("title: Gone\npractice: {logo: gone.svg}"),
    })
    with pytest.raises(BookletError) as caught:
        load_booklet(root / "content/demo")
    assert [str(p) for p in caught.value.problems] == [
        "content/demo/booklet.md:4: image '../../logo.png' lies outside the booklet's folder"]
    with pytest.raises(BookletError) as caught:
        load_booklet(root / "content/gone")
    assert [str(p) for p in caught.value.problems] == [
        "content/gone/booklet.md:3: image 'gone.svg' not found"]


def test_the_sample_config_is_valid():
    config = load_config(SAMPLE)
    assert config.practice.name == "Riverside Counselling Practice"
    assert config.practice.logo is not None and config.practice.logo.is_file()
    assert config.help.code == "US"


def test_cli_reports_a_broken_config_once_and_builds_nothing(tmp_project, capsys):
    root = tmp_project({"booklet.toml": 'help_regoin = "US"\n',
                        "content/a/booklet.md": booklet_md(), "content/b/booklet.md": booklet_md()})
    assert main(["build", "--format", "epub"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "booklet.toml:1: unknown key 'help_regoin' (did you mean 'help_region'?)",
        "failed: the project configuration has problems; nothing was built"]
    assert not (root / "dist").exists()


def test_cli_config_option(tmp_project, capsys):
    tmp_project({"content/a/booklet.md": booklet_md(), "clinic.toml": "paper = 'A4'\n"})
    assert main(["build", "--format", "epub", "--config", "clinic.toml"]) == 0
    assert main(["build", "--format", "epub", "--config", "other.toml"]) == 1
    assert "other.toml: file not found" in capsys.readouterr().err


def test_config_theme_overrides_templates_and_cli_theme_wins(tmp_project):
    root = tmp_project({
        "booklet.toml": 'theme = "clinic"\n',
        "clinic/templates/ebook/titlepage.xhtml": _titlepage("From the config theme"),
        "cli-theme/templates/ebook/titlepage.xhtml": _titlepage("From the command line"),
        "content/a/booklet.md": booklet_md(),
    })
    assert main(["build", "--format", "epub"]) == 0
    assert "From the config theme" in _titlepage_text(root / "dist/a.epub")
    assert main(["build", "--format", "epub", "--theme", "cli-theme"]) == 0
    assert "From the command line" in _titlepage_text(root / "dist/a.epub")


def _titlepage(text: str) -> str:
    return ('{% extends "ebook/base.xhtml" %}{% block body %}<h1>' + text +
            "</h1>{% endblock %}")


def _titlepage_text(epub: Path) -> str:
    import zipfile

    return zipfile.ZipFile(epub).read("EPUB/titlepage.xhtml").decode()


def test_config_paper_is_the_default_for_booklets_without_their_own(tmp_project, options_at_epoch):
    from ..pdfcheck import reader

    root = tmp_project({"content/a/booklet.md": booklet_md(),
                        "content/b/booklet.md": booklet_md("title: B\npaper: a5"),
                        "booklet.toml": "paper = 'letter'\n"})
    options = options_at_epoch(root / "dist", formats=("pdf",), config=root / "booklet.toml")
    sizes = {}
    for outcome in build([root / "content/a", root / "content/b"], options):
        page = reader(outcome.written["pdf"]).pages[0]
        box = page.mediabox
        sizes[outcome.slug] = (round(float(box.width)), round(float(box.height)))
    assert sizes == {"a": (612, 792), "b": (420, 595)}
