"""How often each engine patch changed what a library did in this process.

The tests read `hits` to prove each patch is reached; each patch counts its own.
"""

from __future__ import annotations

from collections import Counter

#: Patch name -> times it acted (a leader merged, a font reused, a parsed copy read ...).
hits: Counter[str] = Counter()
