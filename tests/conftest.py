"""Shared fixtures: throwaway projects and one build of the bundled booklet."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from booklet.build.pipeline import build
from booklet.options import BuildOptions

from .epubcheck_run import epubcheck_reports
from .helpers import BUNDLED, EPOCH, PNG, PROJECT_CONFIG, ROOT, SAMPLES, SPANISH, write_files

ARABIC_SAMPLE = ROOT / "tests" / "samples" / "arabic"
GOLDEN_BLOCKS = ROOT / "tests" / "golden" / "blocks"


@pytest.fixture
def tmp_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                ) -> Callable[[dict[str, str | bytes]], Path]:
    """Write a throwaway project from {relative path: content} and chdir into it."""

    def make(files: dict[str, str | bytes]) -> Path:
        write_files(tmp_path, files)
        monkeypatch.chdir(tmp_path)
        return tmp_path

    return make


@pytest.fixture(scope="session")
def options_at_epoch() -> Callable[..., BuildOptions]:
    def make(out: Path, **kw) -> BuildOptions:
        return BuildOptions(out=out, build_time=datetime.fromtimestamp(EPOCH, tz=UTC), **kw)
    return make


@pytest.fixture(scope="session")
def bundled(tmp_path_factory: pytest.TempPathFactory, options_at_epoch) -> dict[str, Path]:
    """The bundled booklet built once into a temporary folder: {format: path}."""
    out = tmp_path_factory.mktemp("dist")
    [outcome] = build([BUNDLED], options_at_epoch(out))
    assert outcome.ok, outcome.problems
    return outcome.written


@pytest.fixture(scope="session")
def editions(tmp_path_factory, options_at_epoch) -> dict[str, dict]:
    """Both editions of the bundled booklet built once: {language: {format: path}}."""
    out = tmp_path_factory.mktemp("editions")
    outcomes = build([BUNDLED, SPANISH], options_at_epoch(out))
    assert all(o.ok for o in outcomes), [o.problems for o in outcomes]
    ours = [w for o in outcomes for w in o.warnings if "glyph" in w or "translation" in w]
    assert ours == []
    return {"en": outcomes[0].written, "es": outcomes[1].written}


@pytest.fixture(scope="session")
def arabic(tmp_path_factory, options_at_epoch) -> dict[str, Path]:
    """The right-to-left sample (tests/samples/arabic) built once: {format: path}."""
    [outcome] = build([ARABIC_SAMPLE], options_at_epoch(tmp_path_factory.mktemp("arabic")))
    assert outcome.ok, outcome.problems
    assert [w for w in outcome.warnings if "glyph" in w or "translation" in w] == []
    return outcome.written


#: The every-block sample's practice: a US config with a logo.
US_CONFIG = """\
help_region = "US"
base_url = "https://riverside.example.org/handouts/"
[practice]
name = "Riverside Counselling Practice"
phone = "(555) 010-0199"
logo = "logo.png"
"""


@pytest.fixture(scope="session")
def blocks(tmp_path_factory, options_at_epoch) -> dict[str, Path]:
    """The every-block sample built with a US practice config: {format: path}."""
    root = tmp_path_factory.mktemp("blocks")
    shutil.copytree(GOLDEN_BLOCKS, root / "blocks")
    (root / "booklet.toml").write_text(US_CONFIG)
    (root / "logo.png").write_bytes(PNG)
    [outcome] = build([root / "blocks"], options_at_epoch(root / "dist",
                                                          config=root / "booklet.toml"))
    warnings = [w for w in outcome.warnings if not w.startswith("Ignored `font-weight")]
    assert outcome.ok and not warnings, outcome
    return outcome.written


def deep_boxes(folder: Path) -> Path:
    """A booklet whose boxes nest deeper than HTML's six heading levels."""
    folder.mkdir(parents=True)
    boxes = "".join(f"{':' * (12 - n)} note Level {n}\n" for n in range(6))
    closing = "".join(f"{':' * (7 + n)}\n" for n in range(6))
    (folder / "booklet.md").write_text(
        f"---\ntitle: Deep boxes\n---\n# Part\n\n## Section\n\n{boxes}Inside.\n{closing}",
        encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def deep(tmp_path_factory, options_at_epoch) -> dict[str, Path]:
    """`deep_boxes` built as an EPUB: {format: path}."""
    root = tmp_path_factory.mktemp("deep")
    [outcome] = build([deep_boxes(root / "deep")], options_at_epoch(root / "dist",
                                                                    formats=("epub",)))
    assert outcome.ok, outcome.problems
    return outcome.written


@pytest.fixture(scope="session")
def plain_blocks(tmp_path_factory, options_at_epoch) -> dict[str, Path]:
    """The every-block sample built with no practice config: {format: path}."""
    [outcome] = build([GOLDEN_BLOCKS], options_at_epoch(tmp_path_factory.mktemp("plain")))
    assert outcome.ok, outcome.problems
    assert outcome.warnings == []
    return outcome.written


@pytest.fixture(scope="session")
def epub_reports(bundled, editions, arabic, blocks, deep, plain_blocks) -> dict[str, dict]:
    """EPUBCheck's report on every EPUB the session builds, from one EPUBCheck run."""
    return epubcheck_reports({"bundled": bundled["epub"], "es": editions["es"]["epub"],
                              "arabic": arabic["epub"], "blocks": blocks["epub"],
                              "deep": deep["epub"], "plain-blocks": plain_blocks["epub"]})


@pytest.fixture(scope="session")
def pdf_editions(tmp_path_factory: pytest.TempPathFactory, options_at_epoch
                 ) -> dict[str, dict[str, Path]]:
    """Every PDF of the bundled booklets and of the Arabic and table samples, built once
    with the project's booklet.toml (the back covers carry the practice and a QR code):
    {booklet folder name: {format: path}}."""
    out = tmp_path_factory.mktemp("editions")
    folders = [BUNDLED, SPANISH, SAMPLES / "arabic", SAMPLES / "tables"]
    outcomes = build(folders, options_at_epoch(out, formats=("pdf", "booklet", "large-print"),
                                               config=PROJECT_CONFIG))
    assert all(outcome.ok for outcome in outcomes), [o.problems for o in outcomes]
    return {o.slug: o.written for o in outcomes}
