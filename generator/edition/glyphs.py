"""Text → the text as its letters look: Cyrillic capitals that print exactly like Latin ones
(А В С Е Н К М О Р Т Х) read as those Latin letters; `looks_alike` also reads the lower-case
а с е о р х as Latin.

A misprint such as «С3» (Cyrillic С) for the visa category C3 is recorded with `sic`, but
the corrected reading looks the same on a page; `looks_alike` lets the site skip a note a
reader could not tell from the printed text, and lets the lint name the letters.
"""
from __future__ import annotations

LOOKALIKES = "АВСЕНКМОРТХ"
_AS_LATIN = str.maketrans(LOOKALIKES, "ABCEHKMOPTX")
_LOWER = str.maketrans("асеорх", "aceopx")


def as_latin(text: str) -> str:
    return text.translate(_AS_LATIN)


def looks_alike(a: str, b: str) -> bool:
    """Do two texts print the same (they differ at most by look-alike capitals)?"""
    return as_latin(a).translate(_LOWER) == as_latin(b).translate(_LOWER)
