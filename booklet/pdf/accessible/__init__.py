"""The accessibility pass: a tagged WeasyPrint PDF made to pass PDF/UA-1's checks.

WeasyPrint 70 tags what it draws, but leaves what a screen reader trips over (see
`booklet.pdfua` for the checker and each module here for the fix):

- running titles and page numbers tagged as text no element holds (Matterhorn
  01-005): they become Pagination Artifacts, dot leaders Layout Artifacts;
- line ends without their space, hyphens it added, right-to-left text in visual
  order: /ActualText with the author's words (`words`);
- ToUnicode maps with holes (10-001): filled (`fonts`);
- a link as several nested or neighbouring Link elements with slugs for /Contents
  (28-012): one Link element, worded (`links`);
- text in another language than the document's: /Lang (`language`);
- table headers without /Scope (15-003): scope and complete /Headers (`tables`);
- no XMP (06-001..06-003): title, language and the PDF/UA identification (`xmp`).

`finish` runs on the written PDF's bytes with pikepdf, with what WeasyPrint's boxes
said about each marked-content sequence (`booklet.engine.marks`). Without those
marks (a WeasyPrint the reader was not written for) it does what the file alone
allows and claims no PDF/UA conformance.
"""

from __future__ import annotations

import io

import pikepdf

from ...engine.marks import Mark, Recording
from . import content, fonts, language, links, tables, words, xmp
from .tree import Key, Tree

__all__ = ["finish"]


def finish(data: bytes, recording: Recording | None,
           page_link: str = "{title}, page {page}") -> bytes:
    """The PDF `data` with its tags, text, links and metadata put right; `page_link`
    is how a link showing a page number reads aloud."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = Tree.read(pdf)
        if tree is None:
            return data
        marks = {(m.page, m.mcid): m for m in recording.marks} if recording else {}
        shown = content.read(pdf)
        artifacts = _artifacts(shown.keys(), tree, marks)
        spoken = words.spoken_texts(recording.marks, recording.sources,
                                    recording.flows) if recording else {}
        fonts.repair(shown, marks, spoken)
        spoken = {key: text for key, text in spoken.items() if key not in artifacts}
        content.rewrite(pdf, shown, artifacts, spoken)
        tree.drop(set(artifacts))
        links.fix(tree, marks, spoken, page_link)
        language.mark_languages(tree, marks)
        tables.fix(tree)
        tree.commit()
        xmp.write(pdf, conforms=bool(marks) and not shown.unread)
        out = io.BytesIO()
        # Object streams only where the version allows them (PDF/A-1 is PDF 1.4).
        streams = pikepdf.ObjectStreamMode.generate if pdf.pdf_version >= "1.5" else \
            pikepdf.ObjectStreamMode.preserve
        pdf.save(out, object_stream_mode=streams, deterministic_id=True,
                 fix_metadata_version=False)
    return out.getvalue()


def _artifacts(keys: list[Key], tree: Tree, marks: dict[Key, Mark]) -> dict[Key, bytes]:
    """Marked content to draw as Artifacts: page margins (running title, page number),
    leaders, and anything no reachable element holds."""
    found = {}
    for key in keys:
        mark = marks.get(key)
        if mark is not None and mark.margin:
            found[key] = content.HEADER if mark.margin.startswith("@top") else \
                content.FOOTER if mark.margin.startswith("@bottom") else content.PAGINATION
        elif mark is not None and mark.leader:
            found[key] = content.LAYOUT
        elif key not in tree.owner:
            found[key] = content.UNKNOWN
    return found
