"""Parsed hyphenation dictionaries are kept per machine and give the same breaks."""

from __future__ import annotations

import pyphen
import pytest

from booklet.engine import hyphenation

WORDS = ["relationship", "depression", "concentrate", "vulnerable", "uncomfortable"]


@pytest.fixture
def dictionary(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return pyphen.LANGUAGES["en_US"]


def test_second_load_reads_the_parsed_copy(dictionary, tmp_path, monkeypatch):
    first = hyphenation.CachedHyphDict(dictionary)
    [copy] = (tmp_path / "booklet").iterdir()
    assert copy.name.startswith("hyph-hyph_en_US-")

    def no_parsing(self, path):
        raise AssertionError("parsed again")

    monkeypatch.setattr(hyphenation._original, "__init__", no_parsing)
    second = hyphenation.CachedHyphDict(dictionary)
    assert second.patterns == first.patterns and second.maxlen == first.maxlen
    assert [second.positions(w) for w in WORDS] == [first.positions(w) for w in WORDS]


def test_same_breaks_as_pyphen(dictionary):
    plain = hyphenation._original(dictionary)
    hyphenation.CachedHyphDict(dictionary)
    cached = hyphenation.CachedHyphDict(dictionary)
    assert [cached.positions(w) for w in WORDS] == [plain.positions(w) for w in WORDS]


def test_a_broken_copy_is_parsed_afresh(dictionary, tmp_path):
    hyphenation.CachedHyphDict(dictionary)
    [copy] = (tmp_path / "booklet").iterdir()
    copy.write_bytes(b"not marshal data")
    again = hyphenation.CachedHyphDict(dictionary)
    assert again.positions("relationship") == [2, 4, 8]
