"""Unit tests of the loader (positions, exact numbers, strictness), models and payable totals."""
from __future__ import annotations

from decimal import Decimal

from generator.edition.errors import Problem
from generator.edition.loader import REJECTED, load_yaml
from generator.edition.models import FeeOption, Interpretation, StateFee, Text
from generator.edition.payable import payable_ways
from generator.edition.validate import Reader


def load(tmp_path, text):
    file = tmp_path / "x.yaml"
    file.write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    return load_yaml(file, "x.yaml", problems), problems


def test_loader_keeps_positions_and_exact_decimals(tmp_path):
    loaded, problems = load(tmp_path, "a:\n  - {mci: 0.5, kzt: 2162.5}\n  - b: 1\n")
    assert problems == []
    assert loaded.data == {"a": [{"mci": Decimal("0.5"), "kzt": Decimal("2162.5")}, {"b": 1}]}
    assert loaded.where(("a", 0, "kzt")) == (2, 21)
    assert loaded.where(("a", 1, "b")) == (3, 8)
    assert loaded.where(("a", 1, "missing", "deeper")) == (3, 5)  # nearest ancestor


def test_loader_reports_duplicate_keys_and_tags_instead_of_constructing(tmp_path):
    loaded, problems = load(tmp_path, "a: 1\na: 2\nb: !!python/object/apply:os.system ['true']\n")
    assert [str(p) for p in problems] == [
        "x.yaml:2:1: a: expected each key once, found 'a' again (first on line 1)",
        "x.yaml:3:4: b: expected plain YAML data, found the tag !!python/object/apply:os.system (tags are not allowed)",
    ]
    assert loaded.data == {"a": 1, "b": REJECTED}


def test_loader_reports_syntax_errors_with_their_place(tmp_path):
    loaded, problems = load(tmp_path, "a: [1, 2\nb: 3\n")
    assert loaded is None and len(problems) == 1
    assert problems[0].line == 2 and problems[0].message.startswith("YAML syntax error")


def test_text_reader_requires_the_official_language_and_translations_when_published(tmp_path):
    loaded, _ = load(tmp_path, "t: {en: 'Hello'}\n")
    problems: list[Problem] = []
    assert Reader(loaded, problems, official="en", published=False).text(loaded.data["t"], ("t",)) == Text("Hello", "")
    assert problems == []
    Reader(loaded, problems, official="en", published=True).text(loaded.data["t"], ("t",))
    assert [p.path for p in problems] == ["t.ru"]


def test_state_fee_kzt_is_derived_from_the_mci():
    fee = StateFee(mci=Decimal("0.5"), printed_kzt=Decimal("2162.5"))
    assert fee.kzt(4325) == Decimal("2162.5") and fee.kzt(3932) == 1966
    assert isinstance(StateFee(mci=Decimal(30), printed_kzt=129750).kzt(4325), int)


def test_payable_ways_total_each_way_of_getting_the_service():
    state = StateFee(mci=Decimal("0.5"), printed_kzt=Decimal("2162.5"))
    option = FeeOption(label=None, service=20000, personal_manager=140000, priority=20000, state=state)
    instead = Interpretation(id="pm", fee="personal_manager", paid="instead-of-service", note=Text("n", "n"))
    totals = {p.way: (p.total, p.assumes) for p in payable_ways(option, 4325, (instead,))}
    assert totals == {"standard": (Decimal("22162.5"), None), "personal_manager": (Decimal("142162.5"), "pm"),
                      "priority": (Decimal("42162.5"), None)}  # priority: on top, as printed in 2026
    walk_in = FeeOption(label=None, service=20000, walk_in=40000)
    on_top = Interpretation(id="wi", fee="walk_in", paid="on-top-of-service", note=Text("n", "n"))
    assert {p.way: p.total for p in payable_ways(walk_in, 3932, (on_top,))} == {"standard": 20000, "walk_in": 60000}


def test_a_total_that_rests_on_an_unrecorded_reading_is_not_computed():
    option = FeeOption(label=None, service=20000, personal_manager=140000)
    ways = {p.way: (p.total, p.assumes) for p in payable_ways(option, 4325)}
    assert ways == {"standard": (20000, None), "personal_manager": (None, None)}


def test_a_blank_cell_pays_nothing_and_is_not_filled():
    option = FeeOption(label=None, blank=("service",))
    assert payable_ways(option, 3932) == ()


def test_a_ui_label_is_text_whatever_it_holds():
    import html

    from generator.site.render import escape_label
    for label in ("It's the applicant's", 'a "quoted" <b>word</b> & more', "[x](javascript:alert(1)) {#id} *a*"):
        escaped = str(escape_label(label))
        assert html.unescape(escaped) == label  # reads as written, once unescaped
        assert not set("<>\"'[]{}*") & set(escaped)  # and holds nothing HTML or Markdown would act on
