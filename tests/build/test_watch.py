"""`booklet watch`: which saves rebuild which booklets (driven without the file watcher)."""

from __future__ import annotations

import pytest

from booklet.build.watch import Watcher
from booklet.options import BuildOptions

from ..helpers import booklet_md


@pytest.fixture
def watcher(tmp_project):
    root = tmp_project({"content/a/booklet.md": booklet_md("title: A"),
                        "content/b/booklet.md": booklet_md("title: B"),
                        "theme/templates/.keep": "", "notes.txt": "x"})
    built: list[str] = []
    watcher = Watcher(root / "content", BuildOptions(out=root / "dist", formats=("epub",),
                                                     theme=root / "theme"),
                      on_done=lambda outcome: built.append(outcome.slug))
    watcher.built = built
    return watcher


def test_watches_content_templates_and_styles(watcher):
    root = watcher.content_dir.parent
    paths = watcher.paths()
    assert root / "content" in paths and root / "theme/templates" in paths
    assert any(p.name == "styles" for p in paths)


def test_a_save_maps_to_its_booklet(watcher):
    root = watcher.content_dir.parent
    assert watcher.affected([root / "content/a/booklet.md"]) == [root / "content/a"]
    assert watcher.affected([root / "content/a/new.png", root / "content/b"]) == [
        root / "content/a", root / "content/b"]
    assert watcher.affected([root / "theme/templates/base.html"]) == [
        root / "content/a", root / "content/b"]
    assert watcher.affected([root / "notes.txt", root / "content/stray.md"]) == []


def test_rebuild_builds_only_what_changed(watcher):
    root = watcher.content_dir.parent
    outcomes = watcher.build_all()
    assert [o.slug for o in outcomes if not o.skipped] == ["a", "b"]
    before = (root / "dist/b.epub").stat().st_mtime_ns
    (root / "content/a/booklet.md").write_text(booklet_md("title: A, edited"))
    [outcome] = watcher.rebuild([root / "content/a/booklet.md"])
    assert outcome.slug == "a" and outcome.ok and not outcome.skipped
    assert (root / "dist/b.epub").stat().st_mtime_ns == before
    # Saving without changing anything renders nothing.
    [again] = watcher.rebuild([root / "content/a/booklet.md"])
    assert again.skipped


def test_a_new_booklet_is_picked_up(watcher):
    root = watcher.content_dir.parent
    watcher.build_all()
    (root / "content/c").mkdir()
    (root / "content/c/booklet.md").write_text(booklet_md("title: C"))
    [outcome] = watcher.rebuild([root / "content/c/booklet.md"])
    assert outcome.slug == "c" and (root / "dist/c.epub").is_file()


def test_a_broken_save_keeps_the_last_good_file(watcher):
    root = watcher.content_dir.parent
    watcher.build_all()
    good = (root / "dist/a.epub").read_bytes()
    (root / "content/a/booklet.md").write_text("---\ntitle: [oops\n---\n# A\n")
    [outcome] = watcher.rebuild([root / "content/a/booklet.md"])
    assert [str(p) for p in outcome.problems] == [
        "content/a/booklet.md:2: front matter is not valid YAML: expected ',' or ']', "
        "but got '<stream end>'"]
    assert (root / "dist/a.epub").read_bytes() == good


def quiet_watcher(root, **options) -> Watcher:
    """A watcher of `root`/content building into `root`/dist, reporting nothing."""
    return Watcher(root / "content", BuildOptions(out=root / "dist", **options),
                   on_done=lambda outcome: None)


def test_a_stylesheet_save_changes_the_pdf_of_a_lone_booklet(tmp_project):
    """The last layout is kept for the other editions: never across a stylesheet edit."""
    from pypdf import PdfReader

    from ..helpers import ROOT

    css = (ROOT / "styles/print.css").read_text(encoding="utf-8")
    root = tmp_project({"content/a/booklet.md": booklet_md("title: Alone"),
                        "theme/styles/print.css": css})
    watcher = quiet_watcher(root, formats=("pdf",), theme=root / "theme")
    [first] = watcher.build_all()
    assert "(draft)" not in PdfReader(first.written["pdf"]).pages[0].extract_text()
    (root / "theme/styles/print.css").write_text(
        css + '\n.cover-title::after { content: " (draft)"; }\n', encoding="utf-8")
    [second] = watcher.rebuild([root / "theme/styles/print.css"])
    assert second.ok and not second.skipped
    assert "Alone (draft)" in PdfReader(second.written["pdf"]).pages[0].extract_text()


def test_a_catalogue_save_in_the_theme_is_seen(tmp_project):
    """A theme's message catalogue is watched, and read again once it changed."""
    import zipfile

    root = tmp_project({"content/a/booklet.md": booklet_md("title: Words"),
                        "theme/locales/en.yaml": "Contents: In this booklet\n"})
    watcher = quiet_watcher(root, formats=("epub",), theme=root / "theme")
    assert root / "theme/locales" in watcher.paths()

    def contents_title(outcome) -> str:
        nav = zipfile.ZipFile(outcome.written["epub"]).read("EPUB/nav.xhtml").decode()
        return nav.split('id="contents-title">')[1].split("<")[0]

    [first] = watcher.build_all()
    assert contents_title(first) == "In this booklet"
    (root / "theme/locales/en.yaml").write_text("Contents: What is inside\n", encoding="utf-8")
    [second] = watcher.rebuild([root / "theme/locales/en.yaml"])
    assert second.ok and not second.skipped
    assert contents_title(second) == "What is inside"


def test_a_save_to_the_help_contacts_the_config_names_is_seen(tmp_project):
    """Crisis numbers live in a file booklet.toml names: an edit must reach the booklet."""
    import zipfile

    from ..helpers import ROOT

    contacts = (ROOT / "booklet/data/help-contacts.toml").read_text(encoding="utf-8")
    root = tmp_project({"content/a/booklet.md": booklet_md(body="# Part\n\n::: help-now\n:::\n"),
                        "contacts.toml": contacts,
                        "booklet.toml": 'help_region = "US"\nhelp_contacts = "contacts.toml"\n'})
    watcher = quiet_watcher(root, formats=("epub",), config=root / "booklet.toml")
    assert root / "contacts.toml" in watcher.paths()

    def text(outcome) -> str:
        book = zipfile.ZipFile(outcome.written["epub"])
        return " ".join(book.read(n).decode() for n in book.namelist() if n.endswith("xhtml"))

    [first] = watcher.build_all()
    assert "Call or text 988" in text(first)
    (root / "contacts.toml").write_text(contacts.replace("Call or text 988",
                                                         "Phone or text 988"))
    assert watcher.affected([root / "contacts.toml"]) == [root / "content/a"]
    [second] = watcher.rebuild([root / "contacts.toml"])
    assert second.ok and "Phone or text 988" in text(second)
