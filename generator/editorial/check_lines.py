"""The diff of an edition from the one before it → proof that every change cites its item's own
printed line (run by `guidebook check-source YEAR` for the pair ending in YEAR).

For each change record and each edition it cites a line of: the line must print the item — a
document's or text's official words (their start where the print breaks the item across lines,
or inside a paragraph), a fee option's table row holding that fee's amount, a condition's quoted
words, a phone's number, a service or step heading's words. A line that prints something else,
or a service heading cited for an item that has its own line, is reported with the change's id.
"""
from __future__ import annotations

import re

from ..changes.diff import MONEY_KINDS, Change, diff
from ..changes.print_lines import words
from ..edition.models import Edition, Text

_MIN = 25  # words compared at the start of an item the print breaks across lines


def _prints(line: str, text: str) -> bool:
    a, b = words(line), words(text)
    if not a or not b:
        return False
    return b in a or a in b and len(a) >= min(_MIN, len(b)) and b.startswith(a)


def _amount(line: str, value) -> bool:
    digits = re.sub(r"[\s\u00a0]", "", line)
    amount = format(value, "f").rstrip("0").rstrip(".") if "." in format(value, "f") else format(value, "f")
    return "\t" in line and (amount in digits or amount.replace(".", ",") in digits)


def check_change_lines(old: Edition, new: Edition, changes=None) -> list[str]:
    """Problems (one line each) with the printed lines the changes old → new (`changes`, or the
    diff) cite."""
    problems = []
    headings = [{s.provenance.line for s in e.services()} | {x.provenance.line for x in e.sections}
                for e in (old, new)]
    for change in diff(old, new) if changes is None else changes:
        for side, edition in enumerate((old, new)):
            line = change.old_line if side == 0 else change.new_line
            if line is None or not edition.printed:
                continue
            why = _wrong(change, side, edition, line, headings[side])
            if why:
                problems.append(f"change {change.id}: {edition.year} line {line} {why}")
    return problems


def _wrong(change: Change, side: int, edition: Edition, line: int, headings: set[int]) -> str | None:
    if not 1 <= line <= len(edition.printed):
        return f"is not in the seed (1 to {len(edition.printed)})"
    raw = edition.printed[line - 1]
    lang = edition.source_language
    value = change.old if side == 0 else change.new
    if change.kind == "condition":
        quote = change.old_quote if side == 0 else change.new_quote
        return None if quote is not None and _prints(raw, quote.get(lang)) else "does not print the quoted words"
    if change.kind in ("service", "step") or change.kind in ("mci", "edition", "schedule"):
        return None
    if change.kind == "contacts":
        number = change.field[len("phones["):].split("]")[0] if change.field.startswith("phones[") else ""
        return None if not number or number in raw else f"does not print {number}"
    if change.kind in MONEY_KINDS:
        if "\t" not in raw:
            return "is not a fee table row"
        if value is not None and change.kind not in ("priority-fee", "state-fee", "indexation") \
                and not _amount(raw, value):
            return f"does not print {value}"
        return None
    if isinstance(value, Text):
        if line in headings and not change.field.startswith("title"):
            return "is the service heading, not the item's own line"
        official = value.get(lang)
        return None if _prints(raw, official) or _prints(raw, value.corrected(lang) or official) \
            else f"does not print {words(official)[:60]!r}"
    return None
