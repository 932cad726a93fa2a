"""The one rule for a booklet's folder name, for `booklet new` and the build alike.

The folder name names the outputs (`dist/<name>.pdf`) and ends the booklet's web
address (`base_url` + name + "/", printed as a QR code), so it must read well in
both: lower-case letters, digits and single hyphens. Letters of any alphabet count,
so a Spanish booklet may live in `ansiedad-niños`; a name is compared in Unicode's
composed form (NFC), so `ñ` typed on a Mac (which stores it as `n` + a combining
tilde) is the same letter. The QR code carries the address percent-encoded
(`booklet.render.branding`), which every scanner reads.
"""

from __future__ import annotations

import re
import unicodedata

#: Runs of letters or digits (any alphabet), joined by single hyphens.
RULE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
EXAMPLE = "panic-attacks"


def name_problem(name: str) -> str | None:
    """Why `name` cannot name a booklet folder, as advice, or None when it can."""
    composed = unicodedata.normalize("NFC", name)
    if RULE.fullmatch(composed) and composed == composed.lower():
        return None
    suggestion = suggested_name(name)
    like = f"'{suggestion}'" if suggestion != name and suggestion else f"'{EXAMPLE}'"
    return ("cannot name a booklet: use lower-case letters, digits and hyphens, "
            f"like {like}")


def suggested_name(name: str) -> str:
    """`name` made into one that follows the rule: 'Panic Attacks' -> 'panic-attacks'."""
    composed = unicodedata.normalize("NFC", name).lower()
    return "-".join(re.findall(r"[^\W_]+", composed))
