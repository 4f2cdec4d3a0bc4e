"""Search data: content/search.yaml read with located problems, and the combined search index
split into one index per language (entries, locations, edition in titles, abbreviations)."""
from __future__ import annotations

import pytest

from conftest import ROOT
from generator.edition.errors import ProblemsFound
from generator.edition.models import Text
from generator.edition.validate import load_library
from generator.site.search_index import Abbreviation, read_abbreviations, split_index, synonyms

LABELS = load_library(ROOT, years=[]).ui


def write(tmp_path, text: str):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "search.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_projects_abbreviations_are_read():
    found = read_abbreviations(ROOT)
    typed = {t for a in found for t in a.terms}
    assert {"ВНЖ", "РВП", "ИИН", "ЭЦП", "МРП", "IIN", "EDS", "TRP", "PRP", "MCI"} <= typed


def test_every_problem_is_located(tmp_path):
    root = write(tmp_path, "abbreviations:\n"
                           "  - terms: [IIN, 'two words']\n"
                           "    means: {en: individual identification number}\n"
                           "  - terms: [iin]\n"
                           "    means: {en: x, ru: y}\n"
                           "    extra: 1\n"
                           "  - terms: []\n"
                           "    means: {en: x, ru: y}\n")
    with pytest.raises(ProblemsFound) as raised:
        read_abbreviations(root)
    problems = [str(p) for p in raised.value.problems]
    assert any(p.startswith("content/search.yaml:2:") and "abbreviations[0].terms[1]" in p and "one word" in p for p in problems)
    assert any(p.startswith("content/search.yaml:3:") and "means.ru" in p for p in problems)
    assert any(p.startswith("content/search.yaml:4:") and "'iin' again (first at abbreviations[0].terms[0])" in p for p in problems)
    assert any(p.startswith("content/search.yaml:6:") and "unknown key 'extra'" in p for p in problems)
    assert any(p.startswith("content/search.yaml:7:") and "at least one term" in p for p in problems)


def test_no_file_means_no_abbreviations(tmp_path):
    assert read_abbreviations(tmp_path) == ()


IIN = Abbreviation(terms=("IIN", "ИИН"), means=Text(en="individual identification number",
                                                      ru="индивидуальный идентификационный номер"))


def test_an_abbreviation_searches_the_words_of_the_pages_language():
    docs = [{"title": "Индивидуальный идентификационный номер (ИИН)", "text": ""}]
    assert synonyms((IIN,), docs, "ru") == {"iin": "ИИН индивидуальный идентификационный номер",
                                           "иин": "ИИН индивидуальный идентификационный номер"}
    # a term the pages never contain is not searched for; short words are left out
    prp = Abbreviation(terms=("PRP", "ВНЖ"), means=Text(en="x", ru="разрешение на постоянное проживание"))
    assert synonyms((prp,), docs, "ru")["внж"] == "разрешение постоянное проживание"


def test_split_keeps_each_language_at_its_root_and_names_editions():
    index = {"config": {"lang": ["en", "ru"]}, "docs": [
        {"location": "", "title": "Home", "text": "IIN"},
        {"location": "2026/other-services/iin/", "title": "IIN", "text": ""},
        {"location": "2026/other-services/iin/#fees", "title": "Fees", "text": ""},
        {"location": "2025/", "title": "Edition 2025", "text": ""},
        {"location": "ru/", "title": "Главная", "text": ""},
        {"location": "ru/2026/other-services/iin/", "title": "ИИН &amp; номер", "text": ""},
        {"location": "ru/2026/other-services/iin/#сборы", "title": "Сборы", "text": ""},
    ]}
    out = split_index(index, (IIN,), {2025: "archived", 2026: "current"}, LABELS)
    assert [d["location"] for d in out["en"]["docs"]] == ["", "2026/other-services/iin/", "2026/other-services/iin/#fees", "2025/"]
    assert [d["location"] for d in out["ru"]["docs"]] == ["", "2026/other-services/iin/", "2026/other-services/iin/#сборы"]
    titles = {d["location"]: d["title"] for d in out["en"]["docs"]}
    assert titles["2026/other-services/iin/"] == "IIN — edition 2026 (current)"
    assert titles["2026/other-services/iin/#fees"] == "Fees"  # sections sit under their page's title
    assert titles["2025/"] == "Edition 2025 (archived)"
    assert out["ru"]["docs"][1]["title"] == "ИИН &amp; номер — редакция 2026 (действующая)"
    assert out["en"]["config"]["lang"] == ["en", "ru"] and out["en"]["config"]["synonyms"]["иин"].startswith("IIN")
