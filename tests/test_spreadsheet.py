"""The report as a spreadsheet: the .xlsx workbook opens with openpyxl, its numbers are typed and its
totals match the JSON export; the CSV for a ";" locale (Russian Excel) splits into the same
columns with decimal commas; summaries carry no stray apostrophes."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from conftest import ROOT
from generator.changes.diff import diff
from generator.changes.findings import kept_fees
from generator.changes.formats import CSV_COLUMNS, to_csv, to_json
from generator.changes.names import Names
from generator.changes.register import explanation
from generator.changes.spreadsheet import FEE_SHEET_KINDS, to_csv_semicolon, to_xlsx
from test_diff import _cached_library


@pytest.fixture(scope="module")
def pair():
    library = _cached_library(ROOT, None)
    old, new = library.editions[2025], library.editions[2026]
    changes = diff(old, new)
    names = Names(old, new, library.documents, library.ui)
    return old, new, changes, names, explanation(ROOT, old, new)


@pytest.fixture(scope="module")
def workbook(pair):
    old, new, changes, names, explained = pair
    return load_workbook(io.BytesIO(to_xlsx(changes, names, explained, tuple(kept_fees(old, new)))))


def test_the_workbook_has_entries_changes_and_fees_and_its_totals_match_the_json(pair, workbook):
    old, new, changes, names, explained = pair
    data = json.loads(to_json(changes, names, explanation=explained))
    assert workbook.sheetnames == ["entries", "changes", "fees"]
    entries = list(workbook["entries"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in entries] == [e["id"] for e in data["entries"]]
    assert [r[7] for r in entries] == [len(e["changes"]) for e in data["entries"]]
    records = list(workbook["changes"].iter_rows(min_row=2, values_only=True))
    assert len(records) == data["records"] == sum(len(g["members"]) for g in data["changes"])
    fees = list(workbook["fees"].iter_rows(min_row=2, values_only=True))
    *rows, total = fees
    members = [m for g in data["changes"] for m in g["members"] if m["kind"] in FEE_SHEET_KINDS]
    changed = [r for r in rows if r[6] is True]
    assert len(changed) == len(members)
    assert Decimal(str(total[4])) == sum(Decimal(m["delta_kzt"]) for m in members if m["delta_kzt"] is not None)
    assert total[0] == "total" and total[1] == f"{len(rows)} fees"


def test_the_workbook_types_its_numbers(workbook):
    sheet = workbook["changes"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True)
               if r[0] == "fee-temporary-residence-permit-employment-main-0-service")
    values = dict(zip(header, row, strict=True))
    # E25 263 "For Employee 210 000" → R26 274 «Для сотрудника 240 000 KZT»
    assert (values["old"], values["new"], values["delta_kzt"]) == (210000, 240000, 30000)
    assert values["delta_pct"] == pytest.approx(14.29) and values["material"] is True
    assert (values["old_line"], values["new_line"]) == (263, 274)
    fees = list(workbook["fees"].iter_rows(min_row=2, values_only=True))
    dash = next(r for r in fees if r[0] == "investor-visa/invitation-outside" and r[4] is not None and r[4] < 0)
    assert (dash[2], dash[3], dash[4], dash[5]) == (1966, None, -1966, -100.0)  # R26 174 prints "-"


def test_the_workbook_is_the_same_bytes_every_time(pair):
    old, new, changes, names, explained = pair
    kept = tuple(kept_fees(old, new))
    first = to_xlsx(changes, names, explained, kept)
    assert to_xlsx(changes, names, explained, kept) == first
    # openpyxl dates the workbook's last change at saving: two builds a second apart differed
    core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml").decode()
    assert ">2000-01-01T00:00:00Z</dcterms:modified>" in core, core


def test_the_semicolon_csv_opens_in_columns_with_decimal_commas(pair):
    old, new, changes, names, explained = pair
    text = to_csv_semicolon(changes, names, explanation=explained)
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))
    assert rows[0] == list(CSV_COLUMNS) and all(len(r) == len(CSV_COLUMNS) for r in rows)
    column = {name: i for i, name in enumerate(CSV_COLUMNS)}
    mci = next(r for r in rows if r[0] == "fee-employment-visa-invitation-outside-expat-centre-0-state")
    assert (mci[column["new"]], mci[column["delta_kzt"]], mci[column["delta_pct"]]) == ("2162,5", "196,5", "9,99")


@pytest.mark.parametrize("writer", [to_csv, to_csv_semicolon])
def test_summaries_carry_no_stray_apostrophes(pair, writer):
    old, new, changes, names, explained = pair
    text = writer(changes, names, explanation=explained)
    delimiter = ";" if writer is to_csv_semicolon else ","
    rows = list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=delimiter))
    summaries = {r[CSV_COLUMNS.index("entry_summary")] for r in rows[1:]}
    assert all("'+" not in s and "'-" not in s for s in summaries)
    assert any("(+14.29 %)" in s for s in summaries) and any("(+14,29 %)" in s for s in summaries)
