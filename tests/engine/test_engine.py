"""The engine boundary: patches on and off give the same booklets, each patch is
reached, and a library at another version gets a warning and no patch."""

from __future__ import annotations

import gc
import http.server
import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections import Counter, OrderedDict
from types import SimpleNamespace

import pyphen
import pytest

from booklet import engine
from booklet.build.cache import shared_digest
from booklet.build.pipeline import build
from booklet.engine import fontcache
from booklet.engine.connection import pinned_connection
from booklet.engine.loader import GC_THRESHOLDS
from booklet.options import BuildOptions

from ..helpers import BUNDLED, EPOCH, ROOT, booklet_md
from ..pdfcheck import fonts, outline, page_texts, reader

SPANISH = BUNDLED.parent / "partner-pushing-away-es"
PDFS = ("pdf", "booklet", "large-print")
WEASYPRINT_PATCHES = ("libraries", "lazy-fonttools", "cffi-arrays", "instancer", "fontcache",
                      "leaders", "attributes", "parts")

#: Builds booklets in a fresh process (patches are process-wide) and reports, as JSON,
#: what it wrote and which patches it installed and hit.
BUILD = """
import gc, json, sys
from datetime import UTC, datetime
from pathlib import Path
from booklet import engine
from booklet.build.pipeline import build
from booklet.options import BuildOptions
epoch, out, *folders = sys.argv[1:]
options = BuildOptions(out=Path(out), formats=("pdf", "booklet", "large-print"),
                       build_time=datetime.fromtimestamp(int(epoch), tz=UTC))
outcomes = build([Path(folder) for folder in folders], options)
print(json.dumps({"outcomes": [{"problems": [str(p) for p in o.problems],
                                "warnings": o.warnings,
                                "written": {k: str(v) for k, v in o.written.items()}}
                               for o in outcomes],
                  "active": sorted(engine.active()), "hits": engine.hits,
                  "gc": gc.get_threshold()}))
"""


def run_python(code: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`code` run by a new Python with this checkout first on the path."""
    environ = {key: value for key, value in os.environ.items() if key != engine.ENV}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=True, env={**environ, "PYTHONPATH": str(ROOT), **env})


# --- patches on and off: the same booklets ------------------------------------------

@pytest.fixture(scope="module")
def patched(bundled, tmp_path_factory, options_at_epoch) -> dict[str, dict[str, object]]:
    """Both bundled booklets built here, with the patches: {slug: {format: path}}."""
    out = tmp_path_factory.mktemp("patched")
    [spanish] = build([SPANISH], options_at_epoch(out, formats=PDFS))
    assert spanish.ok, spanish.problems
    return {BUNDLED.name: bundled, SPANISH.name: spanish.written}


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> dict:
    """Both bundled booklets built by plain WeasyPrint (BOOKLET_ENGINE_PATCHES=off)."""
    out = tmp_path_factory.mktemp("plain")
    result = run_python(BUILD, str(EPOCH), str(out), str(BUNDLED), str(SPANISH),
                        **{engine.ENV: "off"})
    return json.loads(result.stdout)


def test_plain_weasyprint_has_no_patch(plain):
    assert plain["active"] == [] and plain["hits"] == {}
    assert tuple(plain["gc"]) != GC_THRESHOLDS
    assert [(o["problems"], o["warnings"]) for o in plain["outcomes"]] == [([], [])] * 2


@pytest.mark.parametrize("slug", [BUNDLED.name, SPANISH.name])
@pytest.mark.parametrize("fmt", PDFS)
def test_patches_change_nothing_a_reader_sees(patched, plain, slug, fmt):
    unpatched = plain["outcomes"][[BUNDLED.name, SPANISH.name].index(slug)]["written"][fmt]
    ours, theirs = reader(patched[slug][fmt]), reader(unpatched)
    assert len(ours.pages) == len(theirs.pages)
    # pypdf puts a space where one text run ends and the next begins, and the leaders
    # patch draws a line's dots as one run: the characters shown are compared.
    assert [_shown(t) for t in page_texts(ours)] == [_shown(t) for t in page_texts(theirs)]
    assert outline(ours) == outline(theirs)
    assert fonts(ours) == fonts(theirs) and all(fonts(ours).values())


def _shown(text: str) -> str:
    return "".join(text.split())


# --- each patch is reached -----------------------------------------------------------

@pytest.fixture(scope="module")
def hits(tmp_path_factory, options_at_epoch) -> tuple[Counter, Counter]:
    """What each patch did in two builds of one booklet in this process (as in `booklet
    watch`), with nothing prepared or parsed before: (first build, second build)."""
    engine.install()
    root = tmp_path_factory.mktemp("hits")
    words = "Understanding relationships, communication, vulnerability and responsibility."
    (root / "content/a").mkdir(parents=True)
    body = f"# One\n\n{' '.join([words] * 12)}\n\n# Two\n\n*{words}* **{words}**\n"
    (root / "content/a/booklet.md").write_text(booklet_md("title: Hits", body=body))
    options = options_at_epoch(root / "dist", formats=("pdf",), overlap=False)
    counts = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(root / "cache"))  # no parsed patterns yet
        patch.setattr(fontcache, "_prepared", OrderedDict())  # no fonts prepared yet
        for _ in range(2):
            patch.setattr(pyphen, "hdcache", {})  # Pyphen's own per-process cache
            before = Counter(engine.hits)
            [outcome] = build([root / "content/a"], options)
            assert outcome.ok, outcome.problems
            counts.append(engine.hits - before)
    return counts[0], counts[1]


@pytest.mark.parametrize("patch", ["cffi-arrays", "instancer", "leaders", "attributes"])
def test_patch_is_hit(hits, patch):
    first, _ = hits
    assert first[patch] > 0


def test_leaders_are_merged_in_every_layout(hits):
    first, second = hits
    assert second["leaders"] == first["leaders"] >= 2  # a line per contents entry


def test_fontcache_is_hit_when_fonts_were_prepared_before(hits):
    first, second = hits
    assert first["fontcache"] == 0 and second["fontcache"] >= 3  # regular, italic, bold...


def test_hyphenation_is_hit_once_patterns_were_parsed_before(hits):
    first, second = hits
    assert first["hyphenation"] == 0 and second["hyphenation"] == 1


#: Lays out the same page 20 times with one font configuration, as a warm process
#: does, and prints how much the resident memory grew (MB), freed garbage returned.
REPEATED_LAYOUT = """
from booklet import engine
from booklet.build import memory
engine.install()
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
fonts = FontConfiguration()
page = "<body style='font-kerning: normal'>" + "<p>Kerning, AV.</p>" * 400
for n in range(22):
    HTML(string=page).render(font_config=fonts)
    memory.settle()
    if n == 1:
        before = memory.resident()
print((memory.resident() - before) / 2**20)
"""


def test_text_layouts_free_their_attribute_lists():
    """Plain WeasyPrint 70 leaks a Pango attribute list with every text layout: some
    0.1 MB for each layout of this page; with the patch the process keeps its size."""
    patched = float(run_python(REPEATED_LAYOUT).stdout)
    plain = float(run_python(REPEATED_LAYOUT, **{engine.ENV: "-attributes"}).stdout)
    assert patched < 0.5 < 1.0 < plain


def test_gc_patch_is_applied():
    engine.install()
    assert "gc" in engine.active() and gc.get_threshold() == GC_THRESHOLDS


def test_import_patches_are_hit():
    """Only a process that installs before importing WeasyPrint gets them."""
    code = ("import json, sys; from booklet import engine; engine.install(); "
            "print(json.dumps([sorted(engine.active()), engine.hits, "
            "'fontTools.varLib.instancer' in sys.modules]))")
    active, counts, instancer_loaded = json.loads(run_python(code).stdout)
    assert active == sorted(engine.NAMES)
    assert counts["libraries"] > 0 and counts["lazy-fonttools"] == 1
    assert not instancer_loaded


# --- fontcache replays warnings ------------------------------------------------------

@pytest.mark.parametrize("overlap", [False, True])
def test_a_reused_font_fails_strict_as_a_cold_build_does(tmp_project, options_at_epoch,
                                                         monkeypatch, overlap):
    """`booklet watch --strict` fails where a cold build fails, even when the fonts are
    reused (in this process, or prepared by the forked child that wrote the PDF)."""
    engine.install()
    from weasyprint.pdf import fonts as weasyprint_fonts

    def cannot(*args, **kwargs):
        raise ValueError("no instance today")

    monkeypatch.setattr(weasyprint_fonts, "instantiateVariableFont", cannot)
    monkeypatch.setattr(fontcache, "_prepared", OrderedDict())
    root = tmp_project({"content/a/booklet.md": booklet_md("title: Strict")})
    options = options_at_epoch(root / "dist", formats=("pdf",), strict=True, overlap=overlap)
    reused = engine.hits["fontcache"]
    cold, warm = ([str(p) for p in build([root / "content/a"], options)[0].problems]
                  for _ in range(2))
    assert any('Unable to instantiate "Literata" variable font' in p for p in cold), cold
    assert warm == cold
    assert len(fontcache._prepared) >= 2
    if not overlap:
        assert engine.hits["fontcache"] > reused


def test_warnings_are_recorded_even_when_not_shown(caplog):
    """A font prepared while WeasyPrint's warnings are off is reused while they are on."""
    logger = logging.getLogger("weasyprint")
    calls = []

    def clean(font, to_unicode, hinting):
        calls.append(font)
        logger.warning('Unable to subset "%s" with HarfBuzz', "Test Sans")
        font.file_content = b"cut"

    def font():
        return SimpleNamespace(file_content=b"whole", index=0, missing={}, variations={},
                               weight=400, font_size=10, style=0, tables=["glyf"],
                               png=False, svg=False, colr=False)

    reusing = fontcache.reusing(clean)
    saved, fontcache._prepared = fontcache._prepared, OrderedDict()
    level = logger.level
    try:
        logger.setLevel(logging.ERROR)
        with caplog.at_level(logging.WARNING):
            reusing(font(), {1: "a"}, False)
        assert caplog.records == [] and logger.level == logging.ERROR
        logger.setLevel(logging.WARNING)
        again = font()
        with caplog.at_level(logging.WARNING):
            reusing(again, {1: "a"}, False)
    finally:
        fontcache._prepared = saved
        logger.setLevel(level)
    assert len(calls) == 1 and again.file_content == b"cut"
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("weasyprint", logging.WARNING, 'Unable to subset "Test Sans" with HarfBuzz')]


# --- versions and switches ------------------------------------------------------------

def test_weasyprint_of_another_version_gets_a_warning_and_no_patch():
    code = """
import importlib.metadata as metadata, json, logging, sys
logging.basicConfig(level=logging.ERROR)  # as the command line does
real = metadata.version
metadata.version = lambda name: "71.0" if name.lower() == "weasyprint" else real(name)
from booklet import engine
engine.install()
engine.install()
import pyphen
import weasyprint.layout.inline as inline, weasyprint.pdf.fonts as fonts
print(json.dumps([sorted(engine.active()), engine.hits,
                  getattr(inline.handle_leader, "booklet_merges", False),
                  getattr(fonts.Font.clean, "booklet_reuses", False),
                  fonts.instantiateVariableFont.__module__, pyphen.HyphDict.__module__]))
"""
    result = run_python(code)
    active, counts, leaders, reuses, instancer, hyph = json.loads(result.stdout)
    assert result.stderr.splitlines() == [
        "warning: WeasyPrint 71.0 is not a version booklet's engine was written for "
        "(WeasyPrint >= 70.0, < 71): building without libraries, lazy-fonttools, "
        "cffi-arrays, instancer, fontcache, leaders, attributes, parts; the EPUB's print "
        "page list may be wrong and the PDFs claim no PDF/UA conformance"]
    assert active == ["gc", "hyphenation"] and counts == {}
    assert (leaders, reuses) == (False, False)
    assert instancer == "fontTools.varLib.instancer"
    assert hyph == "booklet.engine.hyphenation"


VERSIONS = {"weasyprint": "70.0", "fonttools": "4.68.0", "pyphen": "0.18.1", "cffi": "2.0.0"}


@pytest.mark.parametrize("setting, expected", [
    (None, engine.NAMES), ("on", engine.NAMES), ("", engine.NAMES),
    ("off", ()), ("OFF", ()), ("none", ()),
    ("-leaders,-fontcache", tuple(n for n in engine.NAMES if n not in ("leaders", "fontcache"))),
    ("leaders, instancer", ("instancer", "leaders")),
    ("leaders,instancer,-leaders", ("instancer",)),
])
def test_switches(setting, expected):
    chosen, problems = engine.choose(setting, VERSIONS)
    assert sorted(chosen) == sorted(expected) and problems == []


def test_an_unknown_switch_is_named():
    chosen, problems = engine.choose("-leaders,-fontcach", VERSIONS)
    assert "fontcache" in chosen and "leaders" not in chosen
    assert problems == [f"BOOKLET_ENGINE_PATCHES: unknown patch 'fontcach' ignored; the "
                        f"patches are {', '.join(engine.NAMES)}"]


@pytest.mark.parametrize("versions, left_out, message", [
    ({"pyphen": "0.19.0"}, {"hyphenation"},
     "Pyphen 0.19.0 is not a version booklet's engine was written for (Pyphen >= 0.14, "
     "< 0.19): building without hyphenation"),
    ({"fonttools": "5.0"}, {"lazy-fonttools", "instancer"},
     "fontTools 5.0 is not a version booklet's engine was written for (fontTools >= 4.40, "
     "< 5): building without lazy-fonttools, instancer"),
    ({"cffi": None}, {"cffi-arrays"},
     "cffi (not installed) is not a version booklet's engine was written for (cffi >= "
     "1.15, < 3): building without cffi-arrays"),
    ({"weasyprint": "70.0b1"}, set(), None),  # a pre-release of 70.0 is 70.0
    ({"weasyprint": "69.9"}, set(WEASYPRINT_PATCHES),
     "WeasyPrint 69.9 is not a version booklet's engine was written for (WeasyPrint >= "
     "70.0, < 71): building without libraries, lazy-fonttools, cffi-arrays, instancer, "
     "fontcache, leaders, attributes, parts; the EPUB's print page list may be wrong and "
     "the PDFs claim no PDF/UA conformance"),
])
def test_versions_outside_a_patch_range(versions, left_out, message):
    chosen, problems = engine.choose(None, {**VERSIONS, **versions})
    assert set(engine.NAMES) - chosen == left_out
    assert problems == ([message] if message else [])


def test_a_library_no_chosen_patch_needs_is_not_warned_about():
    assert engine.choose("-hyphenation", {**VERSIONS, "pyphen": "0.19"}) == (
        frozenset(engine.NAMES) - {"hyphenation"}, [])


def test_switching_patches_rebuilds(monkeypatch, tmp_path):
    options = BuildOptions(out=tmp_path)
    digests = []
    for setting in ("", "on", "off", "-leaders", "-leaders,-leaders"):
        monkeypatch.setenv(engine.ENV, setting)
        digests.append(shared_digest(options, tmp_path))
    assert digests[0] == digests[1] != digests[2] != digests[3] == digests[4]


# --- reading internals without a switch ------------------------------------------------

def test_a_remote_fetch_connects_to_the_checked_address():
    """The host name goes in the request; the connection goes to the given address."""
    hosts = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hosts.append(self.headers["Host"])
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    try:
        port = server.server_address[1]
        connection = pinned_connection("http", "booklet.invalid", port, "127.0.0.1",
                                       time.monotonic() + 5)
        connection.request("GET", "/", headers={"Host": "booklet.invalid"})
        status = connection.getresponse().status
        connection.close()
    finally:
        thread.join(5)
        server.server_close()
    assert status == 204 and hosts == ["booklet.invalid"]
