"""EPUB Accessibility 1.1 metadata: what the book offers a reader, each claim true of it.

The claims follow from how booklet builds every EPUB (headings for every part and
section, a contents and landmarks nav, one reading order, alt text required for every
image, reflowable text styled in relative units) plus what this book has: images, and
a page list from its print edition. No `a11y:certifiedBy` is written: nobody but the
tool's own checks has evaluated the book (see the README).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: The conformance claim (EPUB Accessibility 1.1 pattern).
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


@dataclass(frozen=True)
class BookFacts:
    """What an EPUB contains that its accessibility metadata depends on."""

    #: Any image, the cover included (all carry alt text).
    images: bool
    #: The print edition the page list follows, or None without a page list.
    page_source: str | None


def accessibility_metadata(facts: BookFacts, words: Callable[..., str]
                           ) -> list[tuple[str, str]]:
    """(property, value) pairs for the package's `<meta>` elements, in order.

    `words` is the booklet's translator (`_`), for the summary.
    """
    modes = ["textual", *(["visual"] if facts.images else [])]
    features = ["structuralNavigation", "tableOfContents", "readingOrder",
                "displayTransformability", "ARIA"]
    if facts.images:
        features.append("alternativeText")
    if facts.page_source:
        features += ["pageBreakMarkers", "pageNavigation"]
    pairs = [("schema:accessMode", mode) for mode in modes]
    pairs.append(("schema:accessModeSufficient", "textual"))
    if facts.images:
        pairs.append(("schema:accessModeSufficient", "textual,visual"))
    pairs += [("schema:accessibilityFeature", feature) for feature in features]
    pairs.append(("schema:accessibilityHazard", "none"))
    pairs.append(("schema:accessibilitySummary", accessibility_summary(facts, words)))
    pairs.append(("dcterms:conformsTo", CONFORMS_TO))
    if facts.page_source:
        pairs.append(("pageBreakSource", facts.page_source))
    return pairs


def accessibility_summary(facts: BookFacts, _: Callable[..., str]) -> str:
    """A plain-language summary of the accessibility of the book, in its language."""
    sentences = [_("This booklet has a table of contents, a heading for every part and "
                   "section, and one reading order.")]
    if facts.images:
        sentences.append(_("Every image, the cover included, has a text description."))
    if facts.page_source:
        sentences.append(_("Page markers and a page list follow the print edition, so a "
                           "page number given in a session can be found in the ebook."))
    sentences.append(_("Text reflows and takes the reader's own font, size and colours. "
                       "There are no flashing, motion or sound hazards."))
    return " ".join(sentences)
