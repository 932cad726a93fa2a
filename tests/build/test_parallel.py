"""`--jobs N`: booklets rendered in worker processes give the same files."""

from __future__ import annotations

from booklet.build.pipeline import build
from booklet.options import BuildOptions

from ..helpers import booklet_md

MB = 2**20


def test_workers_write_the_same_files_as_one_process(tmp_project, options_at_epoch):
    root = tmp_project({
        **{f"content/b{n}/booklet.md": booklet_md(f"title: Booklet {n}") for n in range(3)},
        "content/broken/booklet.md": booklet_md(body="# T\n\n::: sidebar\nx\n:::\n"),
    })
    folders = sorted((root / "content").iterdir())
    serial = build(folders, options_at_epoch(root / "one"))
    done: list[str] = []
    parallel = build(folders, options_at_epoch(root / "two", jobs=2),
                     on_done=lambda outcome: done.append(outcome.slug))
    assert [o.slug for o in parallel] == ["b0", "b1", "b2", "broken"]
    assert sorted(done) == ["b0", "b1", "b2", "broken"]
    assert [str(p) for p in parallel[3].problems] == [
        "content/broken/booklet.md:6: unknown block '::: sidebar'; use one of: key-points, "
        "note, try-this, warning, faq, worksheet, help-now"]
    for one, two in zip(serial[:3], parallel[:3], strict=True):
        assert two.ok and two.pages == one.pages == {"pdf": 4, "booklet": 2, "large-print": 4}
        for fmt in ("pdf", "epub"):
            assert two.written[fmt].read_bytes() == one.written[fmt].read_bytes()
        assert one.peak_memory is None
        assert 30 * MB < two.peak_memory < 250 * MB


def test_one_booklet_needs_no_workers(tmp_project):
    root = tmp_project({"content/a/booklet.md": booklet_md()})
    [outcome] = build([root / "content/a"],
                      BuildOptions(out=root / "dist", formats=("epub",), jobs=4))
    assert outcome.ok and outcome.peak_memory is None


def test_a_process_serving_one_build_ends_as_soon_as_no_work_is_left(tmp_project,
                                                                     options_at_epoch):
    # It ends, its font folders removed, while the build writes the last files, not
    # when the build closes the pool (which then waits ~0.1 s for it).
    from booklet.build.workers import Workers
    from booklet.sandbox.limits import RenderBudget
    from booklet.source.loader import load_booklet

    root = tmp_project({"content/a/booklet.md": booklet_md("title: A")})
    options = options_at_epoch(root / "dist", formats=("epub",))
    booklet = load_booklet(root / "content/a", options)
    outcomes = []
    with Workers(options, RenderBudget(), 1, None, one_build=True) as workers:
        workers.build([booklet], options, outcomes.append)
        assert workers.workers[0].process.wait(timeout=30) == 0
    assert outcomes[0].ok and (root / "dist/a.epub").is_file()


def test_a_process_told_to_end_is_not_killed_while_it_ends(tmp_project, options_at_epoch):
    # Two processes; the one with the small booklet is told to end while the other
    # still renders, and must end by itself (status 0), removing its font folders.
    from booklet.build.workers import Workers
    from booklet.sandbox.limits import RenderBudget
    from booklet.source.loader import load_booklet

    long = "".join(f"# Part {n}\n\n" + "Some text for this part. " * 200 + "\n\n"
                   for n in range(12))
    root = tmp_project({"content/a/booklet.md": booklet_md("title: A"),
                        "content/b/booklet.md": booklet_md("title: B", long)})
    options = options_at_epoch(root / "dist", formats=("pdf",))
    booklets = [load_booklet(root / "content" / name, options) for name in ("b", "a")]
    outcomes = []
    with Workers(options, RenderBudget(), 2, None, one_build=True) as workers:
        workers.build(booklets, options, outcomes.append)
        processes = [worker.process for worker in workers.workers]
    assert all(outcome.ok for outcome in outcomes)
    assert [process.wait(timeout=30) for process in processes] == [0, 0]
