"""Export of the current grid view (its filters, visible columns and sort) to CSV or Excel.

Runs in a worker and pages through `svc.customers.list` like the grid does, a
thousand rows at a time, writing as it goes, so a million customers never sit in
memory at once. It writes to a temporary file and renames it at the end: a
cancelled or failed export leaves no half-written file behind.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop import display
from desktop.errors import show_error
from desktop.grid.columns import DATE, INTEGER, MOMENT, MONEY, NUMBER, TEXT, Column, Export
from desktop.i18n import Texts, translate
from desktop.workers import Job, Runner
from services.errors import ValidationError

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

PAGE_SIZE = 1000
# One row of an Excel sheet holds the header.
EXCEL_MAX_ROWS = 1_048_575
FORMATS = Texts(
    "export",
    {
        ".csv": QT_TRANSLATE_NOOP("export", "CSV (*.csv)"),
        ".xlsx": QT_TRANSLATE_NOOP("export", "Excel workbook (*.xlsx)"),
    },
)


def export_view(svc: Steward, filters: dict[str, Any], sort: str, columns: Sequence[Column], path: Path | str,
                job: Job | None = None) -> int:
    """Write the rows of this view; returns how many. Blocking: call it from a worker."""
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise ValidationError(translate("export", "Cannot export to “{name}”; choose .csv or .xlsx.").format(
            name=path.suffix or path.name), errors={"path": translate("export", "must end in .csv or .xlsx")})
    total = svc.customers.count(**filters)
    if path.suffix.lower() == ".xlsx" and total > EXCEL_MAX_ROWS:
        raise ValidationError(
            translate("export", "The view has {n} customers; an Excel sheet holds at most {most}. Narrow the filter "
                      "or export to CSV.").format(n=display.count(total), most=display.count(EXCEL_MAX_ROWS)),
            errors={"path": translate("export", "too many rows for Excel")})
    if job is not None:
        job.report(0, total)
    temporary = path.with_name(f".{path.name}.part")
    parts = [part for c in columns for part in c.export_parts()]
    widths = [c.width for c in columns for _part in c.export_parts()]
    writer = (_CsvWriter(temporary, parts) if path.suffix.lower() == ".csv"
              else _ExcelWriter(temporary, parts, widths))
    written = 0
    try:
        cursor = None
        while True:
            page = svc.customers.list(**filters, sort=sort, limit=PAGE_SIZE, cursor=cursor)
            writer.add([[part.value(row) for part in parts] for row in page.items])
            written += len(page.items)
            if job is not None:
                job.report(written, max(total, written))
            cursor = page.next_cursor
            if cursor is None:
                break
        writer.close()
        os.replace(temporary, path)
    except BaseException:
        writer.abandon()
        temporary.unlink(missing_ok=True)
        raise
    return written


def start(parent: QWidget, runner: Runner, svc: Steward, filters: dict[str, Any], sort: str, columns: Sequence[Column],
          path: Path, *, say: Callable[..., None]) -> QProgressDialog:
    """Run export_view in a worker behind a progress dialog whose Cancel stops it."""
    dialog = QProgressDialog(
        translate("export", "Exporting to {name}…").format(name=path.name), translate("export", "Cancel"), 0, 0, parent
    )
    dialog.setObjectName("exportProgress")
    dialog.setWindowTitle(translate("export", "Export"))
    dialog.setMinimumDuration(400)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def progressed(done: int, total: int, _text: str) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)
        dialog.setLabelText(
            translate("export", "Exporting to {name}… {done} of {total} customers").format(
                name=path.name, done=display.count(done), total=display.count(total)
            )
        )

    def finished(count: int) -> None:
        dialog.close()
        say(
            translate("export", "Exported {count} customers to {path}").format(count=display.count(count), path=path),
            clear_after_ms=10_000,
        )

    def failed(error: BaseException) -> None:
        dialog.close()
        show_error(parent, error, doing=translate("export", "The export"))

    job = runner.read(
        lambda job: export_view(svc, filters, sort, columns, path, job),
        done=finished,
        failed=failed,
        progress=progressed,
        owner=parent,
        label=translate("export", "Exporting to {name}…").format(name=path.name),
    )
    dialog.canceled.connect(job.cancel)
    dialog.canceled.connect(lambda: say(translate("export", "Export cancelled; no file was written.")))
    return dialog


# A text cell starting with one of these is read by Excel (and LibreOffice) as a formula: an export
# must never run one, whatever a customer's name or a note says (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral(text: str) -> str:
    """Text that no spreadsheet takes for a formula: a leading ' where it would."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _local(moment: datetime) -> datetime:
    """A moment as the person's wall-clock time (Excel has no time zones)."""
    return display.local(moment).replace(tzinfo=None) if moment.tzinfo is not None else moment


def csv_cell(value: Any, kind: str) -> Any:
    """A value as a CSV file holds it: numbers plain (2, 17103.00), dates ISO, text safe."""
    if value is None or value == "":
        return ""
    if kind == INTEGER:
        return int(value)
    if kind == MONEY:
        return f"{float(value):.2f}"
    if kind == NUMBER:
        return int(value) if float(value).is_integer() else float(value)
    if kind == DATE:
        return value.isoformat()
    if kind == MOMENT:
        return display.local(value).isoformat(timespec="minutes")
    return neutral(str(value))


def excel_format(kind: str) -> str | None:
    """The number format of a cell of this kind ("#,##0.00 €", the locale's day)."""
    day = _excel_day()
    return {INTEGER: "#,##0", NUMBER: "#,##0.##", MONEY: '#,##0.00 "€"', DATE: day,
            MOMENT: f"{day} hh:mm"}.get(kind)


def _excel_day() -> str:
    # Qt's pattern of the locale's date (dd.MM.yyyy) in Excel's words (DD.MM.YYYY).
    pattern = display.date_edit_format()
    return pattern.replace("yyyy", "YYYY").replace("dd", "DD").replace("d", "D")


class _CsvWriter:
    def __init__(self, path: Path, parts: Sequence[Export]):
        self._kinds = [p.kind for p in parts]
        # utf-8 with a byte order mark, so Excel opens umlauts and € correctly.
        self._file = open(path, "w", encoding="utf-8-sig", newline="")
        self._csv = csv.writer(self._file)
        self._csv.writerow([neutral(p.title) for p in parts])

    def add(self, rows: list[list[Any]]) -> None:
        self._csv.writerows([csv_cell(v, k) for v, k in zip(row, self._kinds, strict=True)] for row in rows)

    def close(self) -> None:
        self._file.close()

    def abandon(self) -> None:
        self._file.close()


class _ExcelWriter:
    """openpyxl's write-only mode streams rows to disk instead of building the sheet in memory."""

    def __init__(self, path: Path, parts: Sequence[Export], widths: Sequence[int]):
        self._path = path
        self._kinds = [p.kind for p in parts]
        self._formats = [excel_format(k) for k in self._kinds]
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet(translate("export", "Customers"))
        self._sheet.freeze_panes = "A2"
        for n, width in enumerate(widths, start=1):
            self._sheet.column_dimensions[get_column_letter(n)].width = max(10, min(40, width // 7))
        bold = Font(bold=True)
        header = []
        for part in parts:
            cell = WriteOnlyCell(self._sheet, value=neutral(part.title))
            cell.font = bold
            header.append(cell)
        self._sheet.append(header)

    def add(self, rows: list[list[Any]]) -> None:
        for row in rows:
            self._sheet.append([self._cell(v, k, f) for v, k, f in zip(row, self._kinds, self._formats, strict=True)])

    def _cell(self, value: Any, kind: str, number_format: str | None) -> Any:
        if value is None or value == "":
            return None
        if kind == TEXT:
            return neutral(str(value))
        if kind in (INTEGER, NUMBER, MONEY):
            value = int(value) if kind == INTEGER else float(value)
        elif kind == MOMENT:
            value = _local(value)
        cell = WriteOnlyCell(self._sheet, value=value)
        cell.number_format = number_format
        return cell

    def close(self) -> None:
        self._book.save(self._path)

    def abandon(self) -> None:
        self._book.close()
