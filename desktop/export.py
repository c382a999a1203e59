"""Export of the current grid view (its filters, visible columns and sort) to CSV or Excel.

Runs in a worker and pages through `svc.customers.list` like the grid does, a
thousand rows at a time, writing as it goes, so a million customers never sit in
memory at once. It writes to a temporary file and renames it at the end: a
cancelled or failed export leaves no half-written file behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.errors import show_error
from desktop.grid.columns import Column
from desktop.workers import Job, Runner
from services.errors import ValidationError

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

PAGE_SIZE = 1000
# One row of an Excel sheet holds the header.
EXCEL_MAX_ROWS = 1_048_575
FORMATS = {".csv": "CSV (*.csv)", ".xlsx": "Excel workbook (*.xlsx)"}


def export_view(svc: Steward, filters: dict[str, Any], sort: str, columns: Sequence[Column], path: Path | str,
                job: Job | None = None) -> int:
    """Write the rows of this view; returns how many. Blocking: call it from a worker."""
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise ValidationError(f"Cannot export to '{path.suffix or path.name}'; choose .csv or .xlsx.",
                              errors={"path": "must end in .csv or .xlsx"})
    total = svc.customers.count(**filters)
    if path.suffix.lower() == ".xlsx" and total > EXCEL_MAX_ROWS:
        raise ValidationError(
            f"The view has {total:,} customers; an Excel sheet holds at most {EXCEL_MAX_ROWS:,}. "
            "Narrow the filter or export to CSV.", errors={"path": "too many rows for Excel"})
    if job is not None:
        job.report(0, total)
    temporary = path.with_name(f".{path.name}.part")
    writer = _CsvWriter(temporary, columns) if path.suffix.lower() == ".csv" else _ExcelWriter(temporary, columns)
    written = 0
    try:
        cursor = None
        while True:
            page = svc.customers.list(**filters, sort=sort, limit=PAGE_SIZE, cursor=cursor)
            writer.add([[_cell(c.value(row)) for c in columns] for row in page.items])
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
          path: Path, *, say: Callable[[str], None]) -> QProgressDialog:
    """Run export_view in a worker behind a progress dialog whose Cancel stops it."""
    dialog = QProgressDialog(f"Exporting to {path.name}…", "Cancel", 0, 0, parent)
    dialog.setObjectName("exportProgress")
    dialog.setWindowTitle("Export")
    dialog.setMinimumDuration(400)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def progressed(done: int, total: int, _text: str) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)
        dialog.setLabelText(f"Exporting to {path.name}… {done:,} of {total:,} customers")

    def finished(count: int) -> None:
        dialog.close()
        say(f"Exported {count:,} customers to {path}")

    def failed(error: BaseException) -> None:
        dialog.close()
        show_error(parent, error, doing="The export")

    job = runner.read(lambda job: export_view(svc, filters, sort, columns, path, job), done=finished, failed=failed,
                      progress=progressed, owner=parent, label=f"Exporting to {path.name}…")
    dialog.canceled.connect(job.cancel)
    dialog.canceled.connect(lambda: say("Export cancelled; no file was written."))
    return dialog


def _cell(value: Any) -> Any:
    # Excel has no time zones: times are written as local wall-clock time.
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone().replace(tzinfo=None)
    return value


class _CsvWriter:
    def __init__(self, path: Path, columns: Sequence[Column]):
        self._path = path
        self._titles = [c.title for c in columns]
        # utf-8 with a byte order mark, so Excel opens umlauts and € correctly.
        pd.DataFrame(columns=self._titles).to_csv(path, index=False, encoding="utf-8-sig")

    def add(self, rows: list[list[Any]]) -> None:
        if rows:
            pd.DataFrame(rows, columns=self._titles).to_csv(self._path, mode="a", header=False, index=False,
                                                           encoding="utf-8")

    def close(self) -> None:
        pass

    def abandon(self) -> None:
        pass


class _ExcelWriter:
    """openpyxl's write-only mode streams rows to disk instead of building the sheet in memory."""

    def __init__(self, path: Path, columns: Sequence[Column]):
        self._path = path
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet("Customers")
        self._sheet.freeze_panes = "A2"
        for n, column in enumerate(columns, start=1):
            self._sheet.column_dimensions[get_column_letter(n)].width = max(10, min(40, column.width // 7))
        bold = Font(bold=True)
        header = []
        for column in columns:
            cell = WriteOnlyCell(self._sheet, value=column.title)
            cell.font = bold
            header.append(cell)
        self._sheet.append(header)

    def add(self, rows: list[list[Any]]) -> None:
        for row in rows:
            self._sheet.append(row)

    def close(self) -> None:
        self._book.save(self._path)

    def abandon(self) -> None:
        self._book.close()
