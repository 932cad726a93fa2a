from __future__ import annotations

import pytest

from booklet.errors import BookletError
from booklet.source.loader import load_booklet
from booklet.source.model import Edition

from ..helpers import BUNDLED, booklet_md

ORIGINAL = booklet_md("title: Original\nlanguage: en")


def translation(of: str, language: str = "es", title: str = "Traducción") -> str:
    return booklet_md(f"title: {title}\nlanguage: {language}\ntranslation_of: {of}")


def test_bundled_editions_name_each_other():
    english = load_booklet(BUNDLED)
    spanish = load_booklet(BUNDLED.parent / "partner-pushing-away-es")
    assert spanish.meta.translation_of == "partner-pushing-away"
    assert english.editions == (Edition("partner-pushing-away-es", "es",
                                        "Cuando tu pareja se aleja"),)
    assert spanish.editions == (Edition("partner-pushing-away", "en",
                                        "When Your Partner Pulls Away"),)


def test_every_edition_lists_all_the_others(tmp_project):
    root = tmp_project({"content/orig/booklet.md": ORIGINAL,
                        "content/orig-es/booklet.md": translation("orig"),
                        "content/orig-ar/booklet.md": translation("orig", "ar", "ترجمة"),
                        "content/other/booklet.md": booklet_md("title: Unrelated")})
    langs = {name: [e.slug for e in load_booklet(root / "content" / name).editions]
             for name in ("orig", "orig-es", "orig-ar", "other")}
    assert langs == {"orig": ["orig-ar", "orig-es"], "orig-es": ["orig", "orig-ar"],
                     "orig-ar": ["orig", "orig-es"], "other": []}


@pytest.mark.parametrize("files, message", [
    ({"content/es/booklet.md": translation("missing")},
     "content/es/booklet.md:4: 'translation_of' names 'missing', but there is no booklet "
     "folder content/missing"),
    ({"content/es/booklet.md": translation("es")},
     "content/es/booklet.md:4: 'translation_of' names this booklet itself; name the folder "
     "of the booklet it translates"),
    ({"content/orig/booklet.md": ORIGINAL, "content/es/booklet.md": translation("orig", "en")},
     "content/es/booklet.md:4: 'orig' is in the same language (en); a translation needs its "
     "own 'language'"),
    ({"content/orig/booklet.md": ORIGINAL, "content/es/booklet.md": translation("orig"),
      "content/fr/booklet.md": translation("es", "fr")},
     "content/fr/booklet.md:4: 'es' is itself a translation of 'orig'; name the original "
     "instead"),
    ({"content/es/booklet.md": translation("../elsewhere")},
     "content/es/booklet.md:4: 'translation_of' must be the name of a booklet folder beside "
     "this one, not '../elsewhere'"),
])
def test_translation_of_must_name_an_original_beside_it(tmp_project, files, message):
    root = tmp_project(files)
    slug = list(files)[-1].split("/")[1]
    with pytest.raises(BookletError) as error:
        load_booklet(root / "content" / slug)
    assert str(error.value) == message
