"""The web edition and the handout library: structure, text, links, files, and safety."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from fontTools.ttLib import TTFont
from lxml import html as lxml_html

from booklet.authoring.readability import booklet_units
from booklet.build.pipeline import build
from booklet.source.loader import load_booklet
from booklet.web.page import CSP, phone_links

from ..e2e.test_hostile import PAYLOAD, markup_problems
from ..helpers import BUNDLED, PNG, booklet_md
from ..pdfcheck import reader

#: Elements whose attribute makes the browser fetch something.
FETCHING = {"link": "href", "img": "src", "script": "src", "source": "src", "iframe": "src",
            "video": "src", "audio": "src", "object": "data", "embed": "src"}


def parse(path: Path):
    return lxml_html.document_fromstring(path.read_bytes())


def normal(text: str) -> str:
    return " ".join(text.split())


def local_references(path: Path) -> list[str]:
    """Every link, image and stylesheet a page names that is not another site."""
    found = []
    for element in parse(path).iter():
        if not isinstance(element.tag, str):
            continue
        for name in ("href", "src"):
            value = element.get(name)
            if value and not urlsplit(value).scheme and not value.startswith("#"):
                found.append(value)
    return found


def test_the_page_holds_every_heading_and_paragraph(bundled):
    page = parse(bundled["html"])
    text = normal(page.find(".//main").text_content())
    booklet = load_booklet(BUNDLED)
    headings = [part.title for part in booklet.parts] + [
        section.title for part in booklet.parts for section in part.sections]
    units = booklet_units(booklet)
    assert len(units) > 50 and len(headings) > 10
    missing = [unit for unit in headings + units if normal(unit) not in text]
    assert missing == []
    assert [normal(h.text_content()) for h in page.iter("h2") if h.getparent().get("class")
            == "part"] == [part.title for part in booklet.parts]
    assert page.findtext(".//h1") == booklet.meta.title


def test_the_page_is_one_accessible_document(bundled):
    page = parse(bundled["html"])
    assert page.get("lang") == "en"
    head = [e for e in page.find("head") if isinstance(e.tag, str)]
    assert head[0].get("charset") == "utf-8"
    [csp] = [n for n, e in enumerate(head) if e.get("http-equiv") == "Content-Security-Policy"]
    assert head[csp].get("content") == CSP
    assert csp < min(n for n, e in enumerate(head) if e.tag in ("link", "style"))
    assert "script-src" not in CSP and "default-src 'none'" in CSP
    assert page.find(".//meta[@name='viewport']") is not None
    assert page.xpath("//script") == []
    # Skip link to main, one h1, headings never skip a level.
    assert page.xpath("//a[@class='skip-link']/@href") == ["#main"]
    levels = [int(h.tag[1]) for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    # The help box comes before the first part, with the numbers as tel: links.
    body = [e for e in page.find(".//main").iter() if e.get("class") in ("help-top", "part")]
    assert body[0].get("class") == "help-top"
    assert len(page.xpath("//aside[@class='help-top']//li")) == 1  # no booklet.toml here


def test_every_block_type_and_the_back_matter(bundled):
    page = parse(bundled["html"])
    classes = {c for e in page.iter() if isinstance(e.tag, str) for c in
               (e.get("class") or "").split()}
    assert {"callout-key-points", "callout-try-this", "help-now", "faq", "worksheet",
            "sources", "downloads", "about", "edition-line"} <= classes
    sources = page.xpath("//section[@id='sources']//a/@href")
    assert "https://www.nimh.nih.gov/health/topics/depression" in sources
    assert "Edition 1 · Published November 2026" in normal(page.text_content())


def test_worksheets_are_forms_with_labels_and_a_fillable_pdf(bundled):
    page = parse(bundled["html"])
    [form] = page.xpath("//section[@class='worksheet']//form")
    fields = form.xpath(".//textarea")
    labels = {label.get("for"): normal(label.text_content()) for label in form.iter("label")}
    assert [labels[f.get("id")] for f in fields] == [
        "What I notice when my partner withdraws", "What I need",
        "One thing I can do for myself this week"]
    assert form.get("action") is None
    assert page.xpath("//p[@class='worksheet-note']/a/@href") == [bundled["pdf"].name]


def test_downloads_name_every_other_edition_with_its_size(bundled):
    page = parse(bundled["html"])
    items = page.xpath("//ul[@class='download-list']/li")
    hrefs = [item.find("a").get("href") for item in items]
    assert hrefs == [bundled[f].name for f in ("pdf", "large-print", "booklet", "epub")]
    for item, href in zip(items, hrefs, strict=True):
        size = (bundled["html"].parent / href).stat().st_size
        assert f"{max(1, round(size / 1024))}\u00a0KB" in item.text_content()
    pages = len(reader(bundled["pdf"]).pages)
    assert f"{pages} pages" in items[0].text_content()
    assert "short edge" in page.find(".//ol[@class='print-steps']").text_content()


def test_every_local_reference_resolves_and_nothing_is_fetched_from_elsewhere(bundled):
    out = bundled["html"].parent
    spanish = "partner-pushing-away-es.html"  # the other edition: not built here
    for page_path in (bundled["html"], out / "index.html"):
        for ref in set(local_references(page_path)) - {spanish}:
            target = out / unquote(urlsplit(ref).path)
            assert target.is_file(), f"{page_path.name}: {ref}"
        page = parse(page_path)
        for tag, attribute in FETCHING.items():
            for element in page.iter(tag):
                value = element.get(attribute, "")
                if tag == "link" and element.get("rel") == "alternate":
                    continue
                assert not urlsplit(value).scheme and not value.startswith("//"), value
    css = (out / "assets/web.css").read_text()
    for url in re.findall(r"url\(['\"]?([^'\")]+)", css):
        assert not urlsplit(url).scheme and (out / "assets" / url).is_file(), url


def test_fonts_are_woff2_and_hold_the_page_text(bundled):
    out = bundled["html"].parent
    text = parse(bundled["html"]).text_content()
    font = TTFont(io.BytesIO((out / "assets/fonts/Literata-Regular-latin.woff2").read_bytes()))
    assert font.flavor == "woff2"
    cmap = font.getBestCmap()
    assert [c for c in set(text) if c.isprintable() and not c.isspace()
            and ord(c) not in cmap] == []
    assert "'Literata'" in (out / "assets/web.css").read_text()


def test_help_numbers_become_tel_links():
    assert str(phone_links("112 or 999")) == \
        '<a href="tel:112">112</a> or <a href="tel:999">999</a>'
    assert str(phone_links("116 123")) == '<a href="tel:116123">116 123</a>'
    assert str(phone_links("<b>")) == "&lt;b&gt;"


# --- the library page -----------------------------------------------------------------

@pytest.fixture
def project(tmp_project):
    return tmp_project({
        "content/alpha/booklet.md": booklet_md(
            "title: Alpha\naudience: For partners\nlanguage: en",
            "# One\n\n![A dot](dot.png)\n\n::: worksheet Notes\n- A prompt\n:::\n"),
        "content/alpha/dot.png": PNG,
        "content/alpha-es/booklet.md": booklet_md(
            "title: Alfa\nlanguage: es\ntranslation_of: alpha", "# Uno\n\nTexto.\n"),
        "content/beta/booklet.md": booklet_md("title: Beta", "# Two\n\nText.\n"),
        "booklet.toml": 'help_region = "UK"\n[practice]\nname = "Test Practice"\n'
                        'logo = "logo.png"\n',
        "logo.png": PNG,
    })


def library(out: Path) -> dict[str, object]:
    index = parse(out / "index.html")
    return {e.findtext(".//h2/a"): e for e in index.xpath("//li[@class='library-entry']")}


def test_the_library_lists_every_booklet_with_its_facts(project, options_at_epoch):
    out = project / "dist"
    outcomes = build(sorted((project / "content").iterdir()),
                     options_at_epoch(out, config=project / "booklet.toml"))
    assert all(o.ok for o in outcomes)
    index = parse(out / "index.html")
    assert index.findtext(".//h1") == "Handouts from Test Practice"
    for page in (index, parse(out / "alpha.html")):  # the practice's region, tel: links
        assert page.xpath("//aside[@class='help-top']//a/@href") == ["tel:999", "tel:116123"]
        [logo] = page.xpath("//img[@class='site-logo']/@src")
        assert (out / logo).read_bytes() == PNG
    entries = library(out)
    assert list(entries) == ["Alpha", "Alfa", "Beta"]  # each original, then its translations
    alpha = entries["Alpha"]
    assert alpha.find(".//h2/a").get("href") == "alpha.html"
    assert alpha.findtext(".//p[@class='audience']") == "For partners"
    facts = normal(alpha.findtext(".//p[@class='library-facts']"))
    assert re.fullmatch(r"English · \d+ pages · reading grade -?[\d.]+", facts), facts
    assert alpha.xpath(".//p[@class='other-edition']/a/@href") == ["alpha-es.html"]
    assert alpha.xpath(".//p[@class='other-edition']/a/@hreflang") == ["es"]
    assert alpha.find(".//img").get("src") == "assets/covers/alpha.jpg"
    assert alpha.xpath(".//ul[@class='library-downloads']//a/@href") == [
        "alpha.pdf", "alpha-large-print.pdf", "alpha-booklet.pdf", "alpha.epub"]
    assert entries["Alfa"].find(".//h2").get("lang") == "es"
    for ref in local_references(out / "index.html"):
        assert (out / ref).is_file(), ref
    # The translation's page names the original in the head and in the text.
    page = parse(out / "alpha-es.html")
    assert page.xpath("//link[@rel='alternate']/@hreflang") == ["es", "en"]
    assert page.get("lang") == "es"
    # The image is stored under its digest, with its alt text.
    [img] = parse(out / "alpha.html").xpath("//figure//img")
    assert img.get("alt") == "A dot" and (out / img.get("src")).read_bytes() == PNG


def test_the_library_keeps_booklets_an_incremental_build_skipped(project, options_at_epoch):
    out = project / "dist"
    folders = sorted((project / "content").iterdir())
    options = options_at_epoch(out, formats=("html",), incremental=True)
    build(folders, options)
    (out / "index.html").unlink()
    (project / "content/beta/booklet.md").write_text(booklet_md("title: Beta, edited"))
    outcomes = build(folders, options)
    assert [o.slug for o in outcomes if not o.skipped] == ["beta"]
    assert list(library(out)) == ["Alpha", "Alfa", "Beta, edited"]
    # Nothing to do, and the library is missing: it is written again.
    (out / "index.html").unlink()
    assert all(o.skipped for o in build(folders, options))
    assert list(library(out)) == ["Alpha", "Alfa", "Beta, edited"]
    # A booklet whose page is gone is no longer listed; one built alone keeps the rest.
    (out / "beta.html").unlink()
    build([project / "content/alpha"], options_at_epoch(out, formats=("html",)))
    assert list(library(out)) == ["Alpha", "Alfa"]
    record = json.loads((out / "assets/library/alpha.json").read_text())
    assert record["slug"] == "alpha" and record["page"] == "alpha.html"


def test_a_failed_build_writes_no_library(tmp_project, options_at_epoch):
    root = tmp_project({"content/bad/booklet.md": booklet_md("title: Bad\nsubtitel: x")})
    [outcome] = build([root / "content/bad"], options_at_epoch(root / "dist"))
    assert not outcome.ok and not (root / "dist/index.html").exists()


def test_a_hostile_booklet_cannot_put_script_in_the_page(tmp_project, options_at_epoch):
    front = "title: '</title><script>alert(1)</script>'\nallow_html: true\n" \
            "audience: '<img src=x onerror=alert(1)>'"
    root = tmp_project({"content/demo/booklet.md": booklet_md(front, f"# T\n\n{PAYLOAD}"),
                        "content/demo/dot.png": PNG})
    [outcome] = build([root / "content/demo"], options_at_epoch(root / "dist",
                                                                 formats=("html",)))
    assert outcome.ok, outcome.problems
    for path in (outcome.written["html"], root / "dist/index.html"):
        page = parse(path)
        assert page.xpath("//script") == [] and page.xpath("//iframe|//object|//embed") == []
        assert markup_problems(page.find(".//main")) == []
        [csp] = page.xpath("//meta[@http-equiv]")
        assert csp.get("content") == CSP
        assert page.findtext(".//title") == "</title><script>alert(1)</script>" or \
            path.name == "index.html"
    text = parse(outcome.written["html"]).text_content()
    assert "<img src=x onerror=alert(1)>" in text


def test_an_incremental_build_brings_back_deleted_assets(project, options_at_epoch):
    out = project / "dist"
    folders = [project / "content/beta"]
    options = options_at_epoch(out, formats=("html",), incremental=True)
    build(folders, options)
    assert all(o.skipped for o in build(folders, options))
    (out / "assets/web.css").unlink()
    [outcome] = build(folders, options)
    assert outcome.ok and not outcome.skipped and (out / "assets/web.css").is_file()


def test_the_online_address_leads_to_the_page_when_dist_is_uploaded_as_it_is(bundled):
    """The QR code holds base_url + slug + "/": that folder's index sends readers on."""
    out = bundled["html"].parent
    folder_page = parse(out / BUNDLED.name / "index.html")
    refresh = folder_page.find(".//meta[@http-equiv='refresh']").get("content")
    link = folder_page.find(".//body//a").get("href")
    assert refresh == f"0; url={link}"
    assert (out / BUNDLED.name / link).resolve() == bundled["html"].resolve()
    assert folder_page.get("lang") == "en"
