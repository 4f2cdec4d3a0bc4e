"""Translation memory between the 2025 (EN official) and 2026 (RU official) editions.

Where the 2026 English reuses the 2025 English verbatim, the translator judged the meaning
unchanged, so the 2025 Russian must reuse the 2026 Russian verbatim too, and the other way
round: a same-language diff then shows only real changes.
"""
from __future__ import annotations

import pytest

from conftest import ROOT
from generator.changes.align import aligned_texts
from generator.edition.validate import load_library


@pytest.fixture(scope="module")
def pairs():
    library = load_library(ROOT)
    return list(aligned_texts(library.editions[2025], library.editions[2026]))


def english_reused(old, new) -> bool:
    return new.en in (old.en, old.corrected("en"))


def russian_reused(old, new) -> bool:
    return old.ru in (new.ru, new.corrected("ru"))


def test_reuse_is_symmetric(pairs, capsys):
    one_way = [(where, old.en, new.en, old.ru, new.ru) for where, old, new in pairs
               if english_reused(old, new) != russian_reused(old, new)]
    for row in one_way:
        print(*row, sep='\n  ')
    assert one_way == []


def test_report_reuse_counts(pairs, capsys):
    en = sum(english_reused(old, new) for _, old, new in pairs)
    ru = sum(russian_reused(old, new) for _, old, new in pairs)
    with capsys.disabled():
        print(f"\ntranslation memory: {len(pairs)} aligned items; 2026 EN reuses 2025 EN in {en}; "
              f"2025 RU reuses 2026 RU in {ru}")
    # Most of the guidebook did not change between editions.
    assert en > len(pairs) // 2 and ru > len(pairs) // 2
