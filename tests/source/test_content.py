from __future__ import annotations

import pytest

from booklet.errors import BookletError
from booklet.source.loader import find_booklets, load_booklet

from ..helpers import BUNDLED, PNG, booklet_md


def load_error(project, files):
    root = project(files)
    with pytest.raises(BookletError) as caught:
        load_booklet(root / "content" / "demo")
    return [str(p) for p in caught.value.problems]


def test_bundled_booklet_loads():
    booklet = load_booklet(BUNDLED)
    assert booklet.slug == "partner-pushing-away"
    assert booklet.meta.language == "en"
    assert len(booklet.parts) >= 3


def test_find_booklets_lists_folders_with_a_source(tmp_project):
    root = tmp_project({"content/b/booklet.md": booklet_md(), "content/a/booklet.md": booklet_md(),
                        "content/notes/readme.txt": "x"})
    assert [p.name for p in find_booklets(root / "content")] == ["a", "b"]


def test_images_are_checked(tmp_project):
    body = ("# T\n\n![a dot](dot.png)\n\n![gone](missing.png)\n\n![up](../secret.png)\n\n"
            "![web](https://example.org/x.png)\n\n![doc](notes.txt)\n")
    problems = load_error(tmp_project, {"content/demo/booklet.md": booklet_md(body=body),
                                        "content/demo/dot.png": PNG,
                                        "content/demo/notes.txt": "x"})
    assert problems == [
        "content/demo/booklet.md:8: image 'missing.png' not found",
        "content/demo/booklet.md:10: image '../secret.png' lies outside the booklet's folder",
        "content/demo/booklet.md:12: image 'https://example.org/x.png' is on the network: put "
        "the file in the booklet's folder, or build with --allow-remote",
        "content/demo/booklet.md:14: image 'notes.txt' has an unsupported type (use .gif, "
        ".jpeg, .jpg, .png, .svg)",
    ]


def test_used_images_are_listed_once(tmp_project):
    root = tmp_project({"content/demo/booklet.md": booklet_md(
        body="# T\n\n![a dot](dot.png)\n\nAgain ![a dot](dot.png).\n"),
        "content/demo/dot.png": PNG})
    assert load_booklet(root / "content" / "demo").images == ("dot.png",)


def test_not_utf8(tmp_project):
    problems = load_error(tmp_project, {"content/demo/booklet.md":
                                        b"---\ntitle: x\n---\n# Caf\xe9\n"})
    assert problems == ["content/demo/booklet.md:4: the file is not UTF-8 text"]
