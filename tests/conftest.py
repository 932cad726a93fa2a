"""Shared fixtures: throwaway projects and one build of the bundled booklet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from booklet.build.pipeline import build
from booklet.options import BuildOptions

from .helpers import BUNDLED, EPOCH, PROJECT_CONFIG, SAMPLES, SPANISH


@pytest.fixture
def tmp_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                ) -> Callable[[dict[str, str | bytes]], Path]:
    """Write a throwaway project from {relative path: content} and chdir into it."""

    def make(files: dict[str, str | bytes]) -> Path:
        for name, content in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
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
