"""The export writes what the grid shows as a spreadsheet wants it: labels rather than codes, whole
numbers whole, euros as numbers in the € format, dates as dates, the SLA's due date in a column of its
own; and no text of a customer's becomes a formula when Excel opens the file."""

from __future__ import annotations

import csv
from datetime import date, datetime

import openpyxl
import pytest

from tests.desktop.conftest import idle
from tests.kpis.conftest import Facts

COLUMNS = ["name", "sla", "roi_bucket", "roi_value", "decision_maker_count", "renewal_date", "exclusivity", "region"]
HEADER = ["Customer", "SLA", "SLA due", "ROI", "ROI €/month", "Decision makers", "Renewal", "Exclusive", "Region"]
DUE = date(2026, 3, 2)


@pytest.fixture
def exported(qtbot, desk, make_window, owner_engine, tmp_path):
    svc = desk.raw
    formula = svc.customers.create(name="=HYPERLINK(\"http://x.example\",\"Rabatt\")", region="WEST", city="Köln")
    svc.fields.patch(formula.id, {"roi_potential": {"bucket": "HIGH", "value": 17103},
                                  "decision_makers": {"count": 2},
                                  "current_supplier_contracts": {"renewal_date": "2027-01-01", "exclusivity": True}})
    Facts(owner_engine).sla(formula.id, "ROI_CONSULTATION", DUE)                  # overdue since March
    for name in ("+49 Imbiss", "-Kantine-", "@home Catering", "Zur Linde"):
        svc.customers.create(name=name, region="WEST")
    window = make_window()
    window.table.set_visible_columns(COLUMNS)
    idle(qtbot, window)

    def export(suffix: str) -> list[list]:
        path = tmp_path / f"view{suffix}"
        window.export_to(path)
        qtbot.waitUntil(lambda: path.exists() and window.runner.active == 0, timeout=10000)
        if suffix == ".csv":
            with open(path, encoding="utf-8-sig", newline="") as f:
                return list(csv.reader(f))
        sheet = openpyxl.load_workbook(path).active
        return [list(r) for r in sheet.iter_rows()]

    return export


def test_excel_gets_labels_numbers_euros_and_dates_and_no_formulas(exported):
    rows = exported(".xlsx")
    assert [c.value for c in rows[0]] == HEADER
    by_name = {row[0].value: row for row in rows[1:]}
    first = by_name["'=HYPERLINK(\"http://x.example\",\"Rabatt\")"]
    values = [c.value for c in first]
    assert values[1:4] == ["Overdue", datetime(2026, 3, 2), "High"]
    assert first[2].is_date
    money = first[4]
    assert money.value == 17103 and money.data_type == "n" and "€" in money.number_format
    assert first[5].value == 2 and isinstance(first[5].value, int)
    assert first[6].value == datetime(2027, 1, 1) and first[6].is_date
    assert values[7:] == ["Yes", "West"]
    assert {"'+49 Imbiss", "'-Kantine-", "'@home Catering", "Zur Linde"} <= set(by_name)
    assert not any(isinstance(c.value, str) and c.value[:1] in "=+-@" for row in rows for c in row)


def test_csv_gets_labels_plain_numbers_iso_dates_and_no_formulas(exported):
    rows = exported(".csv")
    assert rows[0] == HEADER
    by_name = {row[0]: row for row in rows[1:]}
    first = by_name["'=HYPERLINK(\"http://x.example\",\"Rabatt\")"]
    assert first[1:] == ["Overdue", "2026-03-02", "High", "17103.00", "2", "2027-01-01", "Yes", "West"]
    assert {"'+49 Imbiss", "'-Kantine-", "'@home Catering", "Zur Linde"} <= set(by_name)
