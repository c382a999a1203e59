"""Focus lists: the customers that need doing something soon, one tab each, fetched a keyset page at a time.

Like the grid's model, each list holds the rows fetched so far (`data()` is a
lookup) and asks a worker for the next page as the person scrolls; an answer
to an older scope (another filter, a refresh) is dropped by its generation.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QTableView, QTabWidget, QWidget

from desktop import display
from desktop.cockpit import units
from desktop.tables import BADGE_ROLE, set_up_record_view
from desktop.workers import Job, Runner
from services.service_layer.kpis import FocusRow
from services.service_layer.paging import Page

PAGE_SIZE = 50
# A refresh re-reads the rows held, from the top; past this many the rest come again on scrolling.
REFRESH_LIMIT = 1000
_ROOT = QModelIndex()


@dataclass(frozen=True)
class FocusList:
    key: str
    title: str
    method: str                              # of svc.kpis
    date_title: str
    detail_title: str
    detail: Callable[[FocusRow], str]
    badge: bool = False                      # the detail is an SLA badge code


def _days(days: int) -> str:
    if days == 0:
        return "today"
    span = f"{abs(days)} day" + ("s" if abs(days) != 1 else "")
    return f"in {span}" if days > 0 else f"{span} ago"


LISTS = (
    FocusList("overdue", "Overdue SLAs", "focus_overdue_slas", "Due", "SLA",
              lambda r: r.detail or "", badge=True),
    FocusList("due_soon", "SLAs due soon", "focus_due_soon_slas", "Due", "SLA",
              lambda r: r.detail or "", badge=True),
    FocusList("no_feedback", "Delivered, no feedback", "focus_delivered_without_feedback", "Delivered",
              "Next SLA due", lambda r: r.detail or ""),
    FocusList("renewals", "Renewals ≤ 90 days", "focus_renewals", "Renewal", "Contract",
              lambda r: "exclusive" if r.detail == "exclusive" else ""),
    FocusList("seasons", "Seasons opening ≤ 60 days", "focus_season_openings", "Season start", "Season end",
              lambda r: r.detail or ""),
)


class FocusModel(QAbstractTableModel):
    loaded = Signal()
    failed = Signal(object)

    def __init__(self, runner: Runner, svc: Any, focus: FocusList, regions: dict[str, str], parent=None, *,
                 page_size: int = PAGE_SIZE):
        super().__init__(parent)
        self._runner, self._svc, self.focus, self._regions, self.page_size = runner, svc, focus, regions, page_size
        self.headers = ["Customer", "City", "Region", "Owner", "Chain", focus.date_title, "When", focus.detail_title]
        self._rows: list[FocusRow] = []
        self._texts: list[tuple[str, ...]] = []
        self._cursor: str | None = None
        self.exhausted = True
        self._pending: Job | None = None
        self._generation = 0
        self.scope: dict[str, Any] = {}
        self.loaded_once = False

    @property
    def loading(self) -> bool:
        return self._pending is not None

    def set_scope(self, scope: dict[str, Any]) -> None:
        """Start over: drop the rows and fetch the first page for this region/owner/chain."""
        self._generation += 1
        if self._pending is not None:
            self._pending.cancel()
        self.scope = dict(scope)
        self.beginResetModel()
        self._rows, self._texts, self._cursor, self.exhausted = [], [], None, False
        self.endResetModel()
        self._fetch()

    def refresh(self) -> None:
        """Re-read the rows held (something changed), keeping the list as long as it was."""
        self._generation += 1
        if self._pending is not None:
            self._pending.cancel()
        want = min(max(len(self._rows), self.page_size), REFRESH_LIMIT)
        self._read(want, None, partial(self._replaced, self._generation), "Refreshing")

    def _fetch(self) -> None:
        self._read(self.page_size, self._cursor, partial(self._arrived, self._generation), "Loading")

    def _read(self, want: int, cursor: str | None, done, doing: str) -> None:
        method, scope, generation = getattr(self._svc.kpis, self.focus.method), dict(self.scope), self._generation
        self._pending = self._runner.read(
            lambda: self._read_rows(method, scope, cursor, want), owner=self, done=done,
            failed=partial(self._failed, generation), label=f"{doing} “{self.focus.title}”…")

    def _read_rows(self, method, scope, cursor, want) -> tuple[Page[FocusRow], list[tuple[str, ...]]]:
        """Worker side: `want` rows after `cursor` in pages of at most 200, their cells already text."""
        rows: list[FocusRow] = []
        while len(rows) < want:
            page = method(**scope, limit=min(200, want - len(rows)), cursor=cursor)
            rows.extend(page.items)
            cursor = page.next_cursor
            if cursor is None:
                break
        return Page(tuple(rows), cursor), [self._render(row) for row in rows]

    def _render(self, r: FocusRow) -> tuple[str, ...]:
        detail = self.focus.detail(r)
        return (r.name, r.city or "", self._regions.get(r.region, r.region), r.owner_name or "", r.chain_name or "",
                display.day(r.date), _days(r.days), display.human(detail) if self.focus.badge else detail)

    def _arrived(self, generation: int, result) -> None:
        if generation != self._generation:
            return
        self._pending = None
        page, texts = result
        if page.items:
            first = len(self._rows)
            self.beginInsertRows(_ROOT, first, first + len(page.items) - 1)
            self._rows.extend(page.items)
            self._texts.extend(texts)
            self.endInsertRows()
        self._cursor, self.exhausted = page.next_cursor, page.next_cursor is None
        self.loaded_once = True
        self.loaded.emit()

    def _replaced(self, generation: int, result) -> None:
        if generation != self._generation:
            return
        self._pending = None
        page, texts = result
        self.beginResetModel()
        self._rows, self._texts = list(page.items), list(texts)
        self.endResetModel()
        self._cursor, self.exhausted = page.next_cursor, page.next_cursor is None
        self.loaded.emit()

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self._pending = None
            self.failed.emit(error)

    def count_text(self) -> str:
        return units.count(len(self._rows)) + ("" if self.exhausted else "+")

    def customer_at(self, row: int) -> uuid.UUID:
        return self._rows[row].customer_id

    def row_at(self, row: int) -> FocusRow:
        return self._rows[row]

    # ------------------------------------------------------- Qt's interface

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[index.row()][index.column()]
        if role == BADGE_ROLE and self.focus.badge and index.column() == len(self.headers) - 1:
            return self._rows[index.row()].detail
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return "Double click or Enter opens the customer"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> bool:
        return not parent.isValid() and not self.exhausted and self._pending is None and self.loaded_once

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> None:
        if self.canFetchMore(parent):
            self._fetch()


class FocusTable(QTableView):
    open_requested = Signal(object)          # a customer id

    def __init__(self, model: FocusModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setModel(model)
        set_up_record_view(self)
        header = self.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        for column, width in enumerate((240, 120, 90, 150, 190, 100, 100, 130)):
            self.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        self.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self._kept: uuid.UUID | None = None
        model.modelAboutToBeReset.connect(self._keep_current)
        model.modelReset.connect(self._restore_current)

    def _keep_current(self) -> None:
        index = self.currentIndex()
        self._kept = self.model().customer_at(index.row()) if index.isValid() else None

    def _restore_current(self) -> None:
        model = self.model()
        row = next((n for n in range(model.rowCount()) if model.customer_at(n) == self._kept), None)
        if row is not None:
            self.setCurrentIndex(model.index(row, 0))

    def open_row(self, row: int) -> None:
        """What a double click or Enter on `row` does."""
        if 0 <= row < self.model().rowCount():
            self.open_requested.emit(self.model().customer_at(row))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_row(self.currentIndex().row())
            return
        super().keyPressEvent(event)


class FocusPanel(QTabWidget):
    """The five lists as tabs; each tab's title says how many rows it holds ("50+": more on scrolling)."""

    open_requested = Signal(object)
    failed = Signal(object)

    def __init__(self, runner: Runner, svc: Any, regions: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("focusLists")
        self.setDocumentMode(True)
        self.models: dict[str, FocusModel] = {}
        self.tables: dict[str, FocusTable] = {}
        for focus in LISTS:
            model = FocusModel(runner, svc, focus, regions, self)
            table = FocusTable(model)
            table.open_requested.connect(self.open_requested)
            model.loaded.connect(self._titles)
            model.failed.connect(self.failed)
            self.models[focus.key], self.tables[focus.key] = model, table
            self.addTab(table, focus.title)

    def set_scope(self, scope: dict[str, Any]) -> None:
        for model in self.models.values():
            model.set_scope(scope)
        self._titles()

    def refresh(self) -> None:
        for model in self.models.values():
            model.refresh()

    @property
    def loading(self) -> bool:
        return any(m.loading for m in self.models.values())

    def _titles(self) -> None:
        for n, focus in enumerate(LISTS):
            model = self.models[focus.key]
            self.setTabText(n, f"{focus.title} · {model.count_text()}" if model.loaded_once else focus.title)
