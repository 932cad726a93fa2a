"""The web edition checked by the standards' own tools, in a real browser.

The bundled booklets (English and Spanish, with the project's booklet.toml), a booklet
with every block type, and the Arabic sample are built once. Then:

- the Nu Html Checker (vnu-jar, on Java) reads every page over HTTP from 127.0.0.1:
  no errors, no warnings;
- Debian's Chromium (puppeteer-core, `tools/web-check/check.mjs`) opens every page at
  1000 and 320 px wide: axe-core finds no WCAG 2.1 A or AA violation, nothing scrolls
  sideways, nothing is requested outside the output folder and the policy blocks
  nothing; the bundled page with everything it loads weighs at most 150 KB; printed
  to A4 it gives pages of text in the page's typefaces.

Slow (Java and a browser start); `.ci/run` installs the tools and runs them.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from pypdf import PdfReader

from booklet.build.pipeline import build

from ..helpers import BUNDLED, PNG, ROOT, booklet_md

TOOLS = ROOT / "tools" / "web-check"
VNU = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHECK = TOOLS / "check.mjs"
#: The bundled booklet's page with everything it loads, at most.
PAGE_WEIGHT = 150 * 1024

pytestmark = [
    pytest.mark.slow,
    # Skipped on a developer machine without the tools; never in CI, which installs them.
    pytest.mark.skipif((not VNU.exists() or not (TOOLS / "node_modules" / "axe-core").exists()
                        or shutil.which("chromium") is None or shutil.which("java") is None)
                       and not os.environ.get("CI"),
                       reason="needs tools/web-check (npm), Java and Debian's chromium; "
                              ".ci/run installs them"),
]

EVERY_BLOCK = """\
# Every block

Opening text with a [link](https://example.org/) and *emphasis*.

::: note A word on words
A note with a title.
:::

::: warning
Something important.
:::

::: help-now Getting help
Call someone now.
:::

## Pictures, tables and quotes

![A small square](dot.png "A caption under the picture")

| Feeling | What helps |
| --- | ---: |
| Worried | A walk |
| Low | A friend, and a long address https://example.org/a/very/long/path/that/goes/on/and/on |

> Words that helped someone.
>
> -- A reader

### A smaller heading

Text under it.

::: worksheet
Before the prompts.

- First prompt
- Second prompt
:::
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory, options_at_epoch) -> Path:
    """Every page to check, built into one output folder."""
    root = tmp_path_factory.mktemp("site")
    demo = root / "every-block"
    demo.mkdir()
    (demo / "booklet.md").write_text(booklet_md(
        "title: Every block\nsubtitle: A test of the web edition\naudience: For testers\n"
        "reviewed_by: A reviewer\nreview_date: 2026-01-05\n"
        "sources:\n  - One line of plain text.", EVERY_BLOCK), encoding="utf-8")
    (demo / "dot.png").write_bytes(PNG)
    out = root / "dist"
    folders = [BUNDLED, BUNDLED.parent / "partner-pushing-away-es", demo,
               ROOT / "tests" / "samples" / "arabic"]
    outcomes = build(folders, options_at_epoch(out, config=ROOT / "booklet.toml"))
    assert all(o.ok for o in outcomes), [o.problems for o in outcomes]
    return out


def pages(out: Path) -> list[Path]:
    return sorted(out.glob("*.html"))


@pytest.fixture(scope="module")
def checked(site, tmp_path_factory) -> dict[str, dict]:
    """check.mjs's findings for every page, and for a broken copy of one (which axe must
    fault: proof the check runs)."""
    work = tmp_path_factory.mktemp("checked")
    broken = site / "zz-broken.html"
    text = (site / "partner-pushing-away.html").read_text(encoding="utf-8")
    broken.write_text(text.replace('<html lang="en">', "<html>", 1), encoding="utf-8")
    try:
        subprocess.run(["node", str(CHECK), str(work / "found.json"),
                        *map(str, pages(site))], check=True, timeout=600, cwd=TOOLS)
    finally:
        broken.unlink()
    found = json.loads((work / "found.json").read_text(encoding="utf-8"))
    return {Path(name).name: result for name, result in found.items()}


def test_the_nu_html_checker_finds_nothing(site):
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            base = f"http://127.0.0.1:{server.server_address[1]}/"
            urls = [base + page.name for page in pages(site)]
            # The checker refuses loopback addresses unless told they are allowed.
            result = subprocess.run(["java", "-Dnu.validator.servlet.allow-forbidden-hosts=true",
                                     "-jar", str(VNU), "--format", "json", "--stdout", *urls],
                                    capture_output=True, text=True, timeout=600)
        finally:
            server.shutdown()
    messages = json.loads(result.stdout)["messages"]
    checked = {m["url"] for m in messages} | set(urls)
    assert len(checked) == len(pages(site)) >= 5
    problems = [f"{m['url']}:{m.get('lastLine')}: {m['type']} {m.get('subType', '')}: "
                f"{m['message']}" for m in messages
                if m["type"] != "info" or m.get("subType") == "warning"]
    assert problems == []


def test_axe_finds_no_wcag_violations_at_any_width(checked):
    assert len(checked) >= 6
    violations = {name: {width: [(v["id"], v["targets"][:3]) for v in found]
                         for width, found in result["violations"].items() if found}
                  for name, result in checked.items() if name != "zz-broken.html"}
    assert {name: v for name, v in violations.items() if v} == {}
    assert "html-has-lang" in {v["id"] for v in checked["zz-broken.html"]["violations"]["1000"]}


def test_no_page_scrolls_sideways_at_320_px(checked):
    assert {name: r["overflow"] for name, r in checked.items()
            if any(r["overflow"].values())} == {}


def test_pages_load_only_their_own_files(site, checked):
    for name, result in checked.items():
        if name == "zz-broken.html":  # removed once checked
            continue
        assert result["csp"] == [], name
        for url in result["requests"]:
            parts = urlsplit(url)
            assert parts.scheme == "file", (name, url)
            assert Path(unquote(parts.path)).is_relative_to(site), (name, url)
            assert Path(unquote(parts.path)).is_file(), (name, url)


def test_the_bundled_page_weighs_at_most_150_kb(site, checked):
    files = {Path(unquote(urlsplit(u).path)) for u in
             checked["partner-pushing-away.html"]["requests"]}
    weight = sum(path.stat().st_size for path in files)
    print(f"page weight: {weight / 1024:.0f} KB in {len(files)} files")
    assert {p.suffix for p in files} == {".html", ".css", ".woff2", ".svg"}
    assert weight <= PAGE_WEIGHT


def test_printed_from_the_browser_it_gives_readable_a4_pages(checked):
    reader = PdfReader(checked["partner-pushing-away.html"]["pdf"])
    assert 6 <= len(reader.pages) <= 30
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1  # A4
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "When Your Partner Pulls Away" in text and "What you can do" in text
    assert "Skip to the text" not in text and "Download and print" not in text
    fonts = {str(font.get_object()["/BaseFont"]).split("+")[-1]
             for page in reader.pages for font in (page["/Resources"].get("/Font") or {})
             .values()}
    assert any(f.startswith("Literata") for f in fonts), fonts
