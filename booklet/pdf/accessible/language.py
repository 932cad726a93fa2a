"""/Lang on structure elements whose text is in another language than the document
(WCAG 3.1.2, Matterhorn 11): "También disponible en español: …" on an English back
cover is read with Spanish voices. WeasyPrint 70 writes the document's language only."""

from __future__ import annotations

from collections.abc import Mapping

import pikepdf

from ...engine.marks import Mark
from .tree import Key, Node, Tree


def mark_languages(tree: Tree, marks: Mapping[Key, Mark]) -> None:
    """Set /Lang on the highest elements whose text is all in one other language."""
    document = str(tree.pdf.Root.get("/Lang", "")).lower()
    found: dict[int, dict[str, str]] = {}

    def languages(node: Node) -> dict[str, str]:
        """The languages of the text below `node`, lower case -> as written."""
        if id(node) not in found:
            langs: dict[str, str] = {}
            for kid in node.kids:
                if isinstance(kid, Node):
                    langs.update(languages(kid))
                elif (mark := marks.get(kid.key)) is not None and mark.lang and \
                        mark.text.strip():
                    langs[mark.lang.lower()] = mark.lang
            found[id(node)] = langs
        return found[id(node)]

    stack = [(top, document) for top in tree.tops]
    while stack:
        node, inherited = stack.pop()
        langs = languages(node)
        if len(langs) == 1:  # all of it in one language: said here, or inherited
            if inherited not in langs:
                node.obj.Lang = pikepdf.String(next(iter(langs.values())))
        elif langs:
            stack.extend((kid, inherited) for kid in node.elements())
