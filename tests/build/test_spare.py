"""The rendering process `booklet build` starts first thing (`booklet.build.spare`):
the build's first rendering process is that one, and one the build did not need ends
with it."""

from __future__ import annotations

from booklet.build import spare
from booklet.build.workers import Workers
from booklet.sandbox.limits import RenderBudget
from booklet.source.loader import load_booklet

from ..helpers import booklet_md


def test_the_first_rendering_process_is_the_one_started_first(tmp_project, options_at_epoch):
    root = tmp_project({"content/a/booklet.md": booklet_md("title: A")})
    options = options_at_epoch(root / "dist", formats=("epub",))
    spare.start()
    started = spare._spare[0]
    booklet = load_booklet(root / "content/a", options)
    outcomes = []
    with Workers(options, RenderBudget(), 1, None, one_build=True) as workers:
        assert workers.workers[0].process is started
        workers.build([booklet], options, outcomes.append)
    assert outcomes[0].ok and (root / "dist/a.epub").is_file()
    assert spare.take() is None


def test_a_rendering_process_nobody_took_ends_with_the_build():
    spare.start()
    process = spare._spare[0]
    spare.discard()
    assert process.wait(timeout=30) is not None and spare.take() is None


def test_a_process_whose_imports_took_more_than_the_budget_says_so(monkeypatch):
    # It imports before it knows the budget; past it already, it cannot start (the
    # build then names `[limits] memory_mb`), and it sets no limit on this process.
    import resource

    from booklet.build import rendering

    before = resource.getrlimit(resource.RLIMIT_AS)
    monkeypatch.setattr(rendering, "_address_space", lambda: 300 * 2**20)
    monkeypatch.setattr(resource, "setrlimit", lambda *args: None)  # not this process
    assert rendering._limit(RenderBudget(memory_mb=256)) is False
    assert rendering._limit(RenderBudget(memory_mb=512)) is True
    assert resource.getrlimit(resource.RLIMIT_AS) == before
