"""The kinds of block a booklet can hold, each with a plain-words line and an example.

One table serves `booklet blocks` (which prints it) and `booklet new` (whose scaffold
shows every block with its line as a comment), so both always match what the Markdown
reader accepts (`tests/authoring/test_scaffold.py` builds every example).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BlockKind:
    """One kind of block: its name, what it is for in a sentence, and how to write it."""

    name: str
    says: str
    example: str


BLOCKS: tuple[BlockKind, ...] = (
    BlockKind("help-now", "Who to call in an emergency. Write when to get help; the "
              "practice's phone numbers are added for you.",
              "::: help-now\n"
              "If you think someone may harm themselves, or their life is in danger, "
              "get help at once.\n"
              ":::"),
    BlockKind("key-points", "A shaded box with the few ideas to remember, as a short list.",
              "::: key-points\n"
              "- Depression is an illness, not a choice.\n"
              "- It can be treated.\n"
              ":::"),
    BlockKind("try-this", "Something to do now, in a dashed box. The words after "
              "'::: try-this' are its title.",
              "::: try-this A two-minute pause\n"
              "Breathe in for four counts and out for six. Do this five times.\n"
              ":::"),
    BlockKind("worksheet", "Questions to write answers under. Each '- ' line gets lines "
              "to write on (and a box to type in, in the PDF).",
              "::: worksheet My week\n"
              "- What helped this week?\n"
              "- What was hard?\n"
              ":::"),
    BlockKind("warning", "Something the reader must not miss, in a heavy box marked "
              "'Important'.",
              "::: warning\n"
              "Do not stop taking medicine without talking to your doctor first.\n"
              ":::"),
    BlockKind("note", "A side note with a line beside it. The words after '::: note' "
              "are its title.",
              "::: note A word on words\n"
              "We say \"partner\" for a husband, wife, boyfriend or girlfriend.\n"
              ":::"),
    BlockKind("faq", "Questions and answers. Start each question with '### '.",
              "::: faq\n"
              "### Will it go away?\n"
              "\n"
              "Most people get better with the right help.\n"
              ":::"),
    BlockKind("quote", "Someone's own words. A last line starting with '-- ' says whose.",
              "> It felt like talking through glass.\n"
              ">\n"
              "> -- A partner, aged 34"),
    BlockKind("table", "A small table: a header row, a line of dashes, then one row a line.",
              "| When | What helps |\n"
              "| --- | --- |\n"
              "| Morning | A short walk |\n"
              "| Evening | A warm drink |"),
    BlockKind("image", "A picture from the booklet's folder. The words in [ ] say what it "
              "shows, for readers who cannot see it; the words in quotes are its caption.",
              '![A sun over hills](picture.svg "Put your own picture here")'),
)


def blocks_text() -> str:
    """What `booklet blocks` prints: each kind, its line, and its example, indented."""
    out = ["Blocks a booklet can hold (boxes start with ':::' and end with a ':::' line):", ""]
    for kind in BLOCKS:
        out.append(f"{kind.name}: {kind.says}")
        out += [f"    {line}" if line else "" for line in kind.example.split("\n")]
        out.append("")
    out.append("Also: '# ' starts a part (a new page), '## ' a section, '### ' a "
               "subheading. <!-- A comment --> is never printed.")
    return "\n".join(out)
