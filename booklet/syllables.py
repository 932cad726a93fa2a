"""Counting the syllables of English words, offline, for the readability formulas.

The method (checked against the CMU Pronouncing Dictionary in the tests):

1. Initialisms written in capitals (`UK`, `NHS`) have one syllable per letter.
2. Clitics: `n't` adds a syllable after a consonant (`does-n't`, not `don't`), `'s`
   after a hissing sound (`Ross's`); `'re`, `'ll`, `'ve`, `'m`, `'d` add none.
3. A hyphenated word is the sum of its parts.
4. For each part, two estimates, and the larger wins:
   - the pieces Pyphen's TeX hyphenation patterns (en_US) cut the word into; the
     patterns never cut near the ends of a word, so alone they undercount
     (`a-bout`, `i-de-a`);
   - vowel groups (`aeiouy` runs), plus vowel pairs usually spoken apart
     (`i-de-a`, `vi-o-lin`, `go-ing`), less a silent `e` at the end of a word or of
     a hyphenation piece (`hope-ful`, `some-thing`) and a silent `-ed` / `-es`.
"""

from __future__ import annotations

import re
from functools import cache

import pyphen

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
