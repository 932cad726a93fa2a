"""booklet.toml mistakes and practice settings: `check` validates the file, a brand
colour must carry white text, extra help contacts, the help-contacts format, a logo
drawn outside its frame, and a language that writes dates the American way."""

from __future__ import annotations

import zipfile

import pytest

from booklet.cli import main
from booklet.options import BuildOptions
from booklet.render.html import Renderer
from booklet.source.config import load_config
from booklet.source.loader import load_booklet

from ..helpers import NO_DEFAULT_REGION, booklet_md

GOOD = booklet_md("title: Good", "# Part\n\nText.\n\n::: help-now\n:::\n")
LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 40">'
        '<rect x="0" y="0" width="40" height="40"/>'
        '<text x="45" y="28" font-size="20">Riverside Counselling</text></svg>')


@pytest.mark.parametrize("toml, first", [
    ('[practice]\nname = "Riverside"\nphon = "555"\n',
     "booklet.toml:3: unknown key 'phon' (did you mean 'phone'?)"),
    ('[practice]\ncolour = "#f0c000"\n',
     "booklet.toml:2: 'colour' #f0c000 is too light for white text on it: their contrast is "
     "1.7:1, and at least 4.5:1 is needed; try a darker shade, such as #907300"),
    ('[practice]\ncolour = "teal"\n',
     "booklet.toml:2: 'colour' must be a colour written #RRGGBB, such as '#1d3a4f', not "
     "'teal'"),
    ('help_region = "UK"\n\n[[extra_help_contacts]]\nnumber = "111"\nname = "NHS 111"\n',
     "booklet.toml:3: 'extra_help_contacts' item 1: 'text' is required"),
    ('extra_help_contacts = ["NHS 111"]\n',
     "booklet.toml:1: 'extra_help_contacts' item 1: must be a table with a name, a text and "
     "(optionally) a number, written under an [[extra_help_contacts]] line"),
])
def test_check_validates_booklet_toml_and_still_checks_the_booklets(tmp_project, capsys,
                                                                    toml, first):
    tmp_project({"booklet.toml": toml, "content/good/booklet.md": GOOD})
    assert main(["check"]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines()[0] == first
    assert err.splitlines()[-1] == "failed: booklet.toml"
    assert out.startswith("good: ")


def test_a_contacts_file_without_its_default_region_says_what_to_write(tmp_project, capsys):
    tmp_project({"booklet.toml": 'help_contacts = "contacts.toml"\n',
                 "contacts.toml": '[NZ]\nname = "New Zealand"\n',
                 "content/good/booklet.md": GOOD})
    assert main(["check"]) == 1
    assert capsys.readouterr().err.splitlines()[:4] == NO_DEFAULT_REGION


def test_extra_help_contacts_follow_the_regions_own(tmp_project):
    root = tmp_project({"booklet.toml": (
        'help_region = "UK"\n\n[[extra_help_contacts]]\nnumber = "111"\nname = "NHS 111"\n'
        'text = "Call NHS 111 when you need help fast but it is not an emergency."\n'),
        "content/good/booklet.md": GOOD})
    config = load_config(root / "booklet.toml")
    assert [c.number for c in config.help.contacts] == ["999", "116 123", "111"]
    assert main(["build", "--format", "epub"]) == 0
    book = zipfile.ZipFile(root / "dist/good.epub")
    part = book.read("EPUB/part-01.xhtml").decode()
    assert part.index("116 123") < part.index(
        "111</strong> <span class=\"help-text\">Call NHS 111 when you need help fast")


def test_the_brand_colour_paints_the_cover_band_and_rules(tmp_project):
    from pypdf import PdfReader

    root = tmp_project({"booklet.toml": '[practice]\nname = "Riverside"\ncolour = "#7A1F5C"\n',
                        "content/good/booklet.md": GOOD})
    booklet = load_booklet(root / "content/good", config=load_config(root / "booklet.toml"))
    assert booklet.practice.colour == "#7a1f5c"
    html = Renderer().print_html(booklet, BuildOptions())
    assert ".cover::before, .back-cover::after { background: #7a1f5c; }" in html
    assert main(["build", "--format", "pdf"]) == 0
    cover = PdfReader(root / "dist/good.pdf").pages[0].get_contents().get_data().decode("latin-1")
    # #7a1f5c as WeasyPrint writes a fill colour: 122/255 31/255 92/255.
    assert "0.478431 0.121569 0.360784 rg" in cover


def test_the_booklet_front_matter_may_choose_its_own_colour(tmp_project):
    root = tmp_project({"content/yp/booklet.md": booklet_md(
        "title: Young people\npractice: {colour: '#005a9c'}")})
    assert load_booklet(root / "content/yp").practice.colour == "#005a9c"


def test_a_logo_drawn_outside_its_viewbox_is_a_warning(tmp_project, capsys):
    tmp_project({"booklet.toml": '[practice]\nname = "Riverside"\nlogo = "logo.svg"\n',
                 "logo.svg": LOGO, "content/a/booklet.md": GOOD, "content/b/booklet.md": GOOD})
    warning = ("booklet.toml:3: warning: the logo 'logo.svg' draws outside its viewBox "
               "'0 0 100 40' (its shapes reach from x 0 to 255 and y 0 to 40), so the printed "
               "logo is cut off: set viewBox=\"0 0 255 40\"")
    assert main(["check"]) == 0
    assert capsys.readouterr().err.splitlines() == [warning]  # once, not once per booklet
    assert main(["check", "--strict", "content/a"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == warning.replace("warning: ", "")


def test_a_booklets_own_logo_is_measured_at_its_own_line(tmp_project, capsys):
    tmp_project({"content/a/booklet.md": booklet_md("title: A\npractice: {logo: logo.svg}"),
                 "content/a/logo.svg": LOGO})
    assert main(["check"]) == 0
    assert capsys.readouterr().err.startswith(
        "content/a/booklet.md:3: warning: the logo 'logo.svg' draws outside its viewBox")


def test_the_bundled_logo_fits_its_frame():
    from booklet.source.svgbox import overflow

    from ..helpers import ROOT

    assert overflow((ROOT / "branding/riverside-logo.svg").read_bytes()) is None


def test_language_en_for_a_uk_practice_is_a_warning(tmp_project, capsys):
    tmp_project({"booklet.toml": 'help_region = "UK"\n',
                 "content/a/booklet.md": booklet_md("title: A\nlanguage: en"),
                 "content/b/booklet.md": booklet_md("title: B\nlanguage: en-GB"),
                 "content/c/booklet.md": booklet_md("title: C\nlanguage: es"),
                 "content/d/booklet.md": booklet_md("title: D")})
    assert main(["check"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "content/a/booklet.md:3: warning: language 'en' writes dates as March 2, 2026, but "
        "the practice's help region is UK, where it is 2 March 2026: write 'language: en-GB'",
        "content/d/booklet.md:1: warning: language 'en' (the default) writes dates as March "
        "2, 2026, but the practice's help region is UK, where it is 2 March 2026: write "
        "'language: en-GB'"]


def test_new_in_a_uk_project_writes_british_english(tmp_project, capsys):
    root = tmp_project({"booklet.toml": 'help_region = "UK"\n'})
    assert main(["new", "low-mood"]) == 0
    text = (root / "content/low-mood/booklet.md").read_text(encoding="utf-8")
    assert "\nlanguage: en-GB   # from booklet.toml's help_region\n" in text
    assert main(["check", "--strict"]) == 0


def test_qr_codes_hold_the_address_percent_encoded(tmp_project):
    """A QR code holding 'ñ' stores it as one Latin-1 byte, which scanners misread."""
    import segno

    from booklet.render.branding import ERROR_LEVEL, QUIET_ZONE, ascii_url, qr_data_uri

    root = tmp_project({"booklet.toml": 'base_url = "https://clínica.example.org/guías/"\n',
                        "content/ansiedad-niños/booklet.md": booklet_md("title: Ansiedad")})
    booklet = load_booklet(root / "content/ansiedad-niños",
                           config=load_config(root / "booklet.toml"))
    assert booklet.online_url == "https://clínica.example.org/guías/ansiedad-niños/"
    address = ascii_url(booklet.online_url)
    assert address == "https://xn--clnica-4va.example.org/gu%C3%ADas/ansiedad-ni%C3%B1os/"
    expected = segno.make(address, error=ERROR_LEVEL, micro=False, boost_error=False)
    assert qr_data_uri(booklet.online_url) == expected.svg_data_uri(
        border=QUIET_ZONE, omitsize=True, dark="#000", light=None)
    assert ascii_url("https://example.org/already%20encoded/?q=1#top") == \
        "https://example.org/already%20encoded/?q=1#top"
