"""A diff and its register → the report as a spreadsheet: an `.xlsx` workbook (openpyxl) and a CSV
for spreadsheets whose list separator is `;` (Russian and Kazakh locales).

`to_xlsx(changes, names, explanation, kept)` → bytes of a workbook with three sheets, numbers
typed (KZT and Δ as numbers with a thousands format, Δ % as a number, lines as integers, material
as a boolean):
  - entries: one row per register entry: id, effect (en, ru), summary (en, ru), services, number
    of changes and records, material, the printed lines it rests on;
  - changes: one row per change record: id, group, entry, kind, action, service, step, what it is
    about, its facts, old / new (KZT as numbers), Δ KZT, Δ %, material, old / new printed line;
  - fees: every amount an applicant pays, changed or not (as USCIS fee rules print current |
    new | change | %): service, fee, old KZT, new KZT, Δ KZT, Δ %; then a totals row (the sum of
    Δ KZT of the changed fees, the number of fee rows).
Deterministic: fixed document dates and zip entry times, so the same diff gives the same bytes.

`to_csv_semicolon(changes, names, lang, explanation)`: the columns of `formats.to_csv`, separated
by `;`, decimal commas in numbers, UTF-8 with a BOM, CRLF: Excel in a Russian locale opens it in
columns with numbers as numbers.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from .diff import MONEY_KINDS, Change
from .findings import Kept
from .formats import CSV_COLUMNS, csv_rows
from .group import group
from .names import Names
from .register import EFFECTS, Explanation

FIXED = datetime(2000, 1, 1)
KZT_FORMAT = "#,##0.##"
PCT_FORMAT = "0.00"
FEE_SHEET_KINDS = ("fee", "personal-manager-fee", "priority-fee", "state-fee", "indexation")


def _number(value) -> int | float | None:
    """A Decimal / int as the number a spreadsheet stores (whole numbers as int)."""
    if value is None or isinstance(value, bool):
        return None
    d = Decimal(value)
    return int(d) if d == d.to_integral_value() else float(d)


def _lines(pairs) -> str:
    return "; ".join(f"{a or '—'} → {b or '—'}" for a, b in pairs)


def to_xlsx(changes, names: Names, explanation: Explanation | None, kept: tuple[Kept, ...] = ()) -> bytes:
    wb = Workbook()
    entries = wb.active
    assert entries is not None  # a new workbook has one sheet
    entries.title = "entries"
    owner = explanation.entries_of() if explanation else {}
    entries.append(["id", "effect", "effect_en", "effect_ru", "summary_en", "summary_ru", "services", "changes",
                    "records", "material", f"lines {names.old_year} → {names.new_year}"])
    for done in explanation.explained if explanation else ():
        e = done.entry
        entries.append([e.id, e.effect, EFFECTS[e.effect][0], EFFECTS[e.effect][1], e.summary.en, e.summary.ru,
                        ", ".join(done.services), len(done.groups), len(done.records),
                        any(m.material for m in done.records), _lines(done.lines)])

    sheet = wb.create_sheet("changes")
    sheet.append(["id", "group", "entry", "kind", "action", "service", "step", "subject", "facts", "old", "new",
                  "delta_kzt", "delta_pct", "material", "old_line", "new_line"])
    for g in group(changes):
        for c in g.members:
            money = c.kind in MONEY_KINDS
            sheet.append([c.id, g.id, owner[c.id].id if c.id in owner else None, c.kind, c.action, c.service, c.step,
                          names.subject(c, "en"), names.facts(c, "en") or None,
                          _number(c.old) if money else _plain(c, c.old, names),
                          _number(c.new) if money else _plain(c, c.new, names),
                          _number(c.delta_kzt), _pct(c), c.material, c.old_line, c.new_line])
            if money:
                for col in ("J", "K", "L"):
                    sheet[f"{col}{sheet.max_row}"].number_format = KZT_FORMAT
                sheet[f"M{sheet.max_row}"].number_format = PCT_FORMAT

    fees = wb.create_sheet("fees")
    fees.append(["service", "fee", f"{names.old_year} KZT", f"{names.new_year} KZT", "delta_kzt", "delta_pct",
                 "changed", "entry", f"line {names.old_year}", f"line {names.new_year}"])
    total, rows = Decimal(0), 0
    for c in changes:
        if c.kind not in FEE_SHEET_KINDS:
            continue
        fees.append([c.service, names.subject(c, "en"), _number(c.old), _number(c.new), _number(c.delta_kzt),
                     _pct(c), True, owner[c.id].id if c.id in owner else None, c.old_line, c.new_line])
        total += c.delta_kzt or 0
        rows += 1
    for k in kept:
        fee = names.t("fee_name_" + k.fee, "en") + (f" · {k.label.en}" if k.label else "")
        fees.append([k.service, fee, _number(k.kzt), _number(k.kzt), 0, 0, False, None, None, None])
        rows += 1
    for row in fees.iter_rows(min_row=2, min_col=3, max_col=6):
        for cell in row[:3]:
            cell.number_format = KZT_FORMAT
        row[3].number_format = PCT_FORMAT
    fees.append(["total", f"{rows} fees", None, None, _number(total), None, None, None, None, None])
    for cell in fees[fees.max_row]:
        cell.font = Font(bold=True)
    fees[f"E{fees.max_row}"].number_format = KZT_FORMAT
    for ws in (entries, sheet, fees):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    wb.properties.created = wb.properties.modified = FIXED
    wb.properties.creator = "guidebook"
    out = io.BytesIO()
    wb.save(out)
    return _fixed_times(out.getvalue())


def _plain(change: Change, value, names: Names) -> str | None:
    if value is None:
        return None
    if hasattr(value, "en"):
        return value.en
    return names.value(change, value, "en")


def _pct(c: Change):
    return None if c.delta_pct is None else float(c.delta_pct.quantize(Decimal("0.01")))


def _fixed_times(data: bytes) -> bytes:
    """The workbook's zip with every entry dated 1980-01-01, in the same order, and the
    document's modified date FIXED (openpyxl's save stamps it with the time of the save)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + FIXED.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", content)
            target.writestr(fixed, content)
    return out.getvalue()


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


_NUMERIC = {"delta_kzt", "delta_pct"}


def to_csv_semicolon(changes, names: Names, lang: str = "ru", explanation: Explanation | None = None) -> str:
    """The CSV for a `;` locale: `;` between cells, decimal commas in numeric cells."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    numeric = [i for i, name in enumerate(CSV_COLUMNS) if name in _NUMERIC or name in ("old", "new")]
    for row, change in csv_rows(changes, names, explanation):
        cells = list(row)
        for i in numeric:
            if change.kind in MONEY_KINDS or CSV_COLUMNS[i] in _NUMERIC:
                cells[i] = cells[i].replace(".", ",") if _is_number(cells[i]) else cells[i]
        writer.writerow(cells)
    return "\ufeff" + out.getvalue()


def _is_number(cell: str) -> bool:
    try:
        Decimal(cell)
    except ArithmeticError:
        return False
    return bool(cell)
