"""`booklet watch` with the real file watcher: saves during the first build are built,
a broken save that is fixed says `fixed:`, and a file booklet.toml names later is
watched from the next save of booklet.toml."""

from __future__ import annotations

import threading
import zipfile

from booklet.build import watch
from booklet.build.outputs import Outcome
from booklet.build.watch import Report
from booklet.options import BuildOptions

from ..helpers import ROOT, Screen, booklet_md

CONTACTS = (ROOT / "booklet/data/help-contacts.toml").read_text(encoding="utf-8")


def epub_text(path) -> str:
    book = zipfile.ZipFile(path)
    return " ".join(book.read(n).decode() for n in book.namelist() if n.endswith("xhtml"))


def test_watch_from_start_to_stop(tmp_project, capsys, monkeypatch):
    root = tmp_project({"content/a/booklet.md": booklet_md("title: A"),
                        "content/b/booklet.md": booklet_md("title: B"),
                        "booklet.toml": 'help_region = "US"\n',
                        "contacts.toml": CONTACTS})
    b_source = root / "content/b/booklet.md"
    first_build = watch.Watcher.build_all

    def save_while_building(self):  # a save after b was read, before the build ends
        outcomes = first_build(self)
        b_source.write_text(booklet_md("title: B, saved during the first build"))
        return outcomes

    monkeypatch.setattr(watch.Watcher, "build_all", save_while_building)
    stop = threading.Event()
    options = BuildOptions(out=root / "dist", formats=("epub",), config=root / "booklet.toml")
    thread = threading.Thread(target=watch.run, args=(root / "content", options, stop))
    thread.start()
    screen = Screen(capsys)
    try:
        screen.wait_for(lambda text: "built b:" in text.partition("watching")[2])
        assert "B, saved during the first build" in epub_text(root / "dist/b.epub")

        (root / "content/a/booklet.md").write_text("---\ntitle: [oops\n---\n# A\n")
        screen.wait_for(lambda text: "failed: a" in text)
        (root / "content/a/booklet.md").write_text(booklet_md("title: A again"))
        screen.wait_for(lambda text: "fixed: a" in text)

        (root / "booklet.toml").write_text('help_region = "US"\nhelp_contacts = "contacts.toml"\n')
        screen.wait_for(lambda text: "now also watching contacts.toml" in text)
        mark = "now also watching contacts.toml"
        (root / "contacts.toml").write_text(CONTACTS.replace("Call or text 988",
                                                             "Phone or text 988"))
        screen.wait_for(lambda text: "built a:" in screen.after(mark)
                        and "built b:" in screen.after(mark))
        assert "Phone or text 988" in epub_text(root / "dist/a.epub")
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive()


def test_fixed_is_said_once_and_also_for_an_undone_save(tmp_path, capsys):
    report = Report()
    broken = Outcome(tmp_path / "a", problems=("x",))  # type: ignore[arg-type]
    report([broken, Outcome(tmp_path / "b")], 1.0)
    assert capsys.readouterr().err.splitlines() == ["failed: a"]
    undone = Outcome(tmp_path / "a", skipped=True)  # the last good text, saved again
    report([undone])
    assert capsys.readouterr().out.splitlines() == ["fixed: a"]
    report([Outcome(tmp_path / "a")], 1.0)
    assert capsys.readouterr().out.splitlines() == ["rebuilt 1 in 1.00 s"]


def test_a_file_the_poll_began_watching_is_still_announced(tmp_path, monkeypatch):
    # booklet.toml names contacts.toml; the once-a-second poll may follow it before the
    # rebuild does, and the user must still hear "now also watching contacts.toml".
    monkeypatch.setattr(watch, "POLL_SECONDS", 0.0)
    config, contacts = tmp_path / "booklet.toml", tmp_path / "contacts.toml"
    config.write_text("x = 1\n")
    expected = [config]
    saves = watch.Saves([config], threading.Event(), expected=lambda: list(expected))
    try:
        contacts.write_text(CONTACTS)
        expected.append(contacts)
        config.write_text('help_contacts = "contacts.toml"\n')
        assert config in saves.next()
        saves.follow(list(expected))  # what the rebuild loop does next
        assert saves.newly_watched() == [contacts]
        assert saves.newly_watched() == []
    finally:
        saves.close()


def test_a_file_made_before_it_is_watched_counts_as_saved(tmp_path):
    # booklet.toml made while a build ran, then followed: no watch saw it being made,
    # yet the build must not miss it.
    content, config = tmp_path / "content", tmp_path / "booklet.toml"
    content.mkdir()
    stop = threading.Event()
    saves = watch.Saves([content], stop)
    timer = threading.Timer(20, stop.set)  # `next` returns None then, not the file
    timer.start()
    try:
        config.write_text('help_region = "UK"\n')
        assert saves.follow([content, config]) == [config]
        assert saves.next() == [config]
    finally:
        timer.cancel()
        saves.close()
