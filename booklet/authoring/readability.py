"""How hard a booklet is to read: words, reading time, Flesch–Kincaid grade and SMOG.

The text measured is what a reader reads as prose: paragraphs, list items, table
cells, box contents, FAQ questions and answers, and figure captions. Part, section
and box headings are left out (they are labels, not sentences). Each paragraph,
list item or cell ends a sentence even without a full stop, so a list of short
items counts as short sentences. Syllables are counted by `syllables` below.

Formulas (US school grades):
- Flesch–Kincaid grade = 0.39 × words/sentences + 11.8 × syllables/words − 15.59
  (Kincaid et al. 1975).
- SMOG grade = 1.0430 × √(polysyllables × 30 / sentences) + 3.1291, where a
  polysyllable has three or more syllables (McLaughlin 1969; the formula form of
  Harry McLaughlin's table).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from html.parser import HTMLParser

import pyphen

from ..source.model import Block, Booklet, Callout, Faq, Figure, Html

#: Reading speed used for the reading-time estimate, in words per minute. Adults read
#: English non-fiction silently at about 240 wpm; handouts are often read by people
#: under stress or with less practice, so the estimate is deliberately slower.
WORDS_PER_MINUTE = 200

#: Languages the grade formulas are valid for (they were fitted to English text).
GRADED_LANGUAGES = ("en",)

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
#: Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "e.g i.e etc vs mr mrs ms dr prof st no approx dept fig incl u.s u.k".split())


@dataclass(frozen=True)
class TextStats:
    """Counts over a text, and the readability measures computed from them."""

    words: int
    sentences: int
    syllables: int
    polysyllables: int

    @property
    def flesch_kincaid(self) -> float:
        """Flesch–Kincaid grade level (0 for an empty text)."""
        if not self.words:
            return 0.0
        return (0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words
                - 15.59)

    @property
    def smog(self) -> float:
        """SMOG grade (0 for an empty text)."""
        if not self.sentences:
            return 0.0
        return 1.0430 * math.sqrt(self.polysyllables * 30 / self.sentences) + 3.1291

    @property
    def reading_minutes(self) -> int:
        """Estimated reading time in whole minutes (at least 1 for any text)."""
        return math.ceil(self.words / WORDS_PER_MINUTE) if self.words else 0


def measure(units: list[str]) -> TextStats:
    """Count words, sentences and syllables over text units (paragraphs, items)."""
    words = sentences = total = poly = 0
    for unit in units:
        if _mostly_capitals(unit):
            unit = unit.lower()
        for sentence in split_sentences(unit):
            found = _WORD.findall(sentence)
            if not found:
                continue
            sentences += 1
            for word in found:
                count = syllables(word)
                words += 1
                total += count
                poly += count >= 3
    return TextStats(words, sentences, total, poly)


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences at `.`, `!` and `?` (not after `e.g.` and such)."""
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start:match.start()].split()
        last = before[-1].lower().rstrip(".") if before else ""
        if match.group().startswith(".") and (last in _ABBREVIATIONS or len(last) == 1):
            continue
        sentences.append(text[start:match.end()].strip())
        start = match.end()
    rest = text[start:].strip()
    return [s for s in (*sentences, rest) if s]


def hardest_sentences(units: list[str], count: int = 3) -> list[tuple[float, str]]:
    """The sentences with the highest Flesch–Kincaid grade, hardest first, as
    (grade, sentence); sentences under eight words are left out (too short to judge)."""
    graded = []
    for unit in units:
        for sentence in split_sentences(unit):
            stats = measure([sentence])
            if stats.words >= 8:
                graded.append((round(stats.flesch_kincaid, 1), sentence))
    return sorted(graded, key=lambda item: -item[0])[:count]


def booklet_units(booklet: Booklet) -> list[str]:
    """The booklet's prose as text units, in reading order (see the module docstring)."""
    units: list[str] = []
    for part in booklet.parts:
        units.extend(_block_units(part.blocks))
        for section in part.sections:
            units.extend(_block_units(section.blocks))
    return units


def booklet_stats(booklet: Booklet) -> TextStats:
    """Readability counts for a whole booklet."""
    return measure(booklet_units(booklet))


def is_graded(language: str) -> bool:
    """Whether the grade formulas apply to text in this language."""
    return language.split("-")[0].lower() in GRADED_LANGUAGES


def _block_units(blocks: tuple[Block, ...]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Html):
            yield from _html_units(block.html)
        elif isinstance(block, Callout):
            yield from _block_units(block.blocks)
        elif isinstance(block, Faq):
            for question in block.questions:
                yield from _html_units(question.title_html)
                yield from _block_units(question.blocks)
        elif isinstance(block, Figure) and block.caption:
            yield block.caption


def _mostly_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 8 and sum(c.isupper() for c in letters) > len(letters) / 2


class _Units(HTMLParser):
    """Text of an XHTML fragment, cut into units at block-level elements."""

    BLOCKS = frozenset("p li td th dt dd blockquote pre h1 h2 h3 h4 h5 h6 caption".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.units: list[str] = []
        self.current: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.BLOCKS:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        self.current.append(data)

    def flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.units.append(text)
        self.current = []


def _html_units(html: str) -> list[str]:
    parser = _Units()
    parser.feed(html)
    parser.close()
    parser.flush()
    return parser.units


# Syllables. Counting the syllables of English words, offline, for the readability formulas.
#
# The method (checked against the CMU Pronouncing Dictionary in the tests):
#
# 1. Initialisms written in capitals (`UK`, `NHS`) have one syllable per letter.
# 2. Clitics: `n't` adds a syllable after a consonant (`does-n't`, not `don't`), `'s`
#    after a hissing sound (`Ross's`); `'re`, `'ll`, `'ve`, `'m`, `'d` add none.
# 3. A hyphenated word is the sum of its parts.
# 4. For each part, two estimates, and the larger wins:
#    - the pieces Pyphen's TeX hyphenation patterns (en_US) cut the word into; the
#      patterns never cut near the ends of a word, so alone they undercount
#      (`a-bout`, `i-de-a`);
#    - vowel groups (`aeiouy` runs), plus vowel pairs usually spoken apart
#      (`i-de-a`, `vi-o-lin`, `go-ing`), less a silent `e` at the end of a word or of
#      a hyphenation piece (`hope-ful`, `some-thing`) and a silent `-ed` / `-es`.

_VOWEL_GROUP = re.compile(r"[aeiouy]+")
#: Vowel pairs usually spoken as two syllables (i-de-a, vi-o-lent, u-su-al, go-ing...);
#: not `-cial`, `-tion`, `-lian`, `-nion` (so-cial, ac-tion, rep-til-ian, o-pin-ion).
_HIATUS = re.compile(
    r"(?<![cgstxln])ia|(?<=[cgstx])ia(?![ln])|(?<=[ln])ia(?!n)|(?<![cghstxln])io|(?<=[ln])io(?!n)|[aeouy]i(?=ng$)|(?<![gq])ua"
    r"|(?<![gq])uo|(?<!p)eo|iu|ea$|(?<=[^aeiou])ie(?=t|st)|oa$|ao|ui(?=c|d|n)")
_SILENT_ED = re.compile(r"[^aeiouytd]ed$")
_ES = re.compile(r"[^aeiouy]es$")
_SPOKEN_ES = re.compile(r"(?:[sxz]|[cs]h|[cgsz]|[^aeiouy]l)es$")
_HISSING_END = re.compile(r"(?:[sxz]|[cs]h|[cgsz]e)$")


@cache
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=1 << 16)  # a booklet's words repeat: counted once each per process
def syllables(word: str) -> int:
    """The number of syllables in one English word (at least 1)."""
    if 1 < len(word) <= 4 and word.isalpha() and word.isupper():
        return len(word)
    text = word.lower().replace("’", "'")
    extra = 0
    if text.endswith("n't"):
        text = text[:-3]
        extra = 0 if text[-1:] in ("", *"aeiouy") or text in ("ca", "wo", "do") else 1
    elif "'" in text:
        text, _, clitic = text.partition("'")
        extra = 1 if clitic == "s" and _HISSING_END.search(text) else 0
    return extra + max(1, sum(_part(part) for part in text.split("-") if part))


def _part(word: str) -> int:
    """Syllables of one hyphen-free, lower-case word."""
    pieces = _dictionary().inserted(word).split("-")
    count = len(_VOWEL_GROUP.findall(word)) + len(_HIATUS.findall(word))
    for number, piece in enumerate(pieces):
        if _silent_e(piece, final=number == len(pieces) - 1):
            count -= 1
    if _SILENT_ED.search(word) or (_ES.search(word) and not _SPOKEN_ES.search(word)):
        count -= 1
    return max(1, count, len(pieces))


def _silent_e(piece: str, final: bool) -> bool:
    """Whether a hyphenation piece ends in a silent `e` (`hope`, `some`, but not `ple`)."""
    if not piece.endswith("e") or len(_VOWEL_GROUP.findall(piece)) < 2:
        return False
    if final and re.search(r"[^aeiouy]le$", piece):
        return False
    return not piece.endswith(("ee", "ye", "ie"))
