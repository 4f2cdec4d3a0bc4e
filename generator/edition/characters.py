"""A text read from YAML → the first character that may not be published, named, or None.

YAML itself refuses raw control characters in a file, but its escapes ("\x7f", "\u202e",
"\ud800") and invisible characters written as they are reach the text unchecked. None of them
belongs in a printed guidebook, and each can break something downstream: a control or line
separator ends a page's front matter or a YAML line, a bidi override (U+202A–U+202E,
U+2066–U+2069) reverses how a title reads, a zero-width character makes two equal-looking ids
or texts differ, a lone surrogate cannot be written as UTF-8. So every string of every input
file is checked once, in the loader, and the first such character is a located problem naming
its code point.
"""
from __future__ import annotations

import unicodedata

# Categories no printed text needs: controls, invisible format characters (zero-width, bidi,
# byte-order mark, soft hyphen), line/paragraph separators, surrogates, private use.
REFUSED_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co"}
ALLOWED_CONTROLS = {"\t", "\n"}  # block scalars hold line breaks; tabs fold to a space like them

KINDS = {
    "Cc": "a control character",
    "Cf": "an invisible formatting character",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
    "Cs": "a lone surrogate (half of an escaped pair; not a character)",
    "Co": "a private-use character",
}
BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A)) | {0x061C, 0x200E, 0x200F}
ZERO_WIDTH = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x180E}


def _noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def refused_character(text: str) -> tuple[int, str] | None:
    """(index, description) of the first character `text` may not hold, or None."""
    if text.isprintable():  # False for every category above (and for spaces other than U+0020)
        return None
    for index, char in enumerate(text):
        code = ord(char)
        category = unicodedata.category(char)
        if char in ALLOWED_CONTROLS or category not in REFUSED_CATEGORIES and not _noncharacter(code):
            continue  # a no-break or thin space, a letter of a newer Unicode: printed text may hold them
        if code in BIDI:
            kind = "an invisible bidirectional control, which changes the order text reads in"
        elif code in ZERO_WIDTH:
            kind = "an invisible zero-width character"
        elif _noncharacter(code):
            kind = "a noncharacter"
        else:
            kind = KINDS[category]
        name = unicodedata.name(char, "")
        return index, f"U+{code:04X}" + (f" {name}" if name else "") + f", {kind}"
    return None
