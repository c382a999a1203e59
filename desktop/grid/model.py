"""The customer grid's model: the rows fetched so far, and keyset pages fetched as the person scrolls.

`data()` is a lookup in the rows already here; nothing in this class touches the
database on the UI thread. `fetchMore` asks a worker for the next page of
`svc.customers.list`; every answer carries the generation of the query it was
asked for, so a page of an old filter or sort that arrives late is dropped.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from desktop.grid.columns import Column
from desktop.tables import BADGE_ROLE
from desktop.workers import Job, Runner
from services.service_layer.customers import CustomerRow
from services.service_layer.paging import Page

PAGE_SIZE = 100
# A refresh re-reads the rows held, from the top, in pages of a thousand (keyset pages cannot start
# in the middle without a cursor there). Past this many, the rest is dropped and fetched again on scrolling.
REFRESH_LIMIT = 20_000
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
_ROOT = QModelIndex()


class CustomerModel(QAbstractTableModel):
    loading_changed = Signal(bool)
    rows_loaded = Signal(int)           # number of rows now held
    total_known = Signal(int)           # how many customers match the query (counted in the background)
    refreshed = Signal()                # rows were re-read (live refresh); the view restores its selection
    failed = Signal(object)

    def __init__(self, runner: Runner, svc: Any, columns: tuple[Column, ...], parent=None, *,
                 page_size: int = PAGE_SIZE):
        super().__init__(parent)
        self._runner, self._svc, self.columns, self.page_size = runner, svc, columns, page_size
        self._rows: list[CustomerRow] = []
        self._texts: list[tuple[str, ...]] = []     # the cells as shown, rendered in the worker
        self._alignments = [int((Qt.AlignmentFlag.AlignRight if c.numeric else Qt.AlignmentFlag.AlignLeft)
                                | Qt.AlignmentFlag.AlignVCenter) for c in columns]
        self._cursor: str | None = None
        self._exhausted = True
        self._pending: Job | None = None
        self._generation = 0
        self.filters: dict[str, Any] = {}
        self.sort_key = "name"
        self.total: int | None = None
        self.as_of: datetime | None = None

    # ------------------------------------------------------------- queries

    @property
    def loading(self) -> bool:
        return self._pending is not None

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    def set_query(self, filters: Mapping[str, Any], sort: str | None = None) -> None:
        """Start over with another filter or sort: drop the rows, fetch the first page, count in the background."""
        self._generation += 1
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        self.filters = {k: v for k, v in filters.items() if v is not None}
        self.sort_key = sort or self.sort_key
        self.beginResetModel()
        self._rows, self._texts, self._cursor, self._exhausted, self.total = [], [], None, False, None
        self.endResetModel()
        self._fetch()
        self._count()

    def refresh(self) -> None:
        """Re-read the rows on screen (another person changed something), keeping the place."""
        self._generation += 1
        if self._pending is not None:
            self._pending.cancel()
        want = min(max(len(self._rows), self.page_size), REFRESH_LIMIT)
        filters, sort, generation = dict(self.filters), self.sort_key, self._generation
        self._pending = self._runner.read(
            lambda: self._read_rows(filters, sort, want),
            done=partial(self._refreshed, generation), failed=partial(self._failed, generation),
            owner=self, label="Refreshing customers…")
        self.loading_changed.emit(True)
        self._count()

    def _read_rows(self, filters: dict[str, Any], sort: str, want: int) -> tuple[Page[CustomerRow], list]:
        """Worker side of refresh: the first `want` rows in pages of at most 1000."""
        rows: list[CustomerRow] = []
        cursor = None
        while len(rows) < want:
            page = self._svc.customers.list(**filters, sort=sort, limit=min(1000, want - len(rows)), cursor=cursor)
            rows.extend(page.items)
            cursor = page.next_cursor
            if cursor is None:
                break
        return Page(tuple(rows), cursor), self._render(rows)

    def _read_page(self, filters: dict[str, Any], sort: str, cursor: str | None) -> tuple[Page[CustomerRow], list]:
        """Worker side of fetchMore: one keyset page, its cells already turned into text."""
        page = self._svc.customers.list(**filters, sort=sort, limit=self.page_size, cursor=cursor)
        return page, self._render(page.items)

    def _render(self, rows) -> list[tuple[str, ...]]:
        # Formatting in the worker keeps data() a lookup: painting a screen of rows costs no Python formatting.
        return [tuple(column.text(row) for column in self.columns) for row in rows]

    def _fetch(self) -> None:
        filters, sort, cursor, generation = dict(self.filters), self.sort_key, self._cursor, self._generation
        self._pending = self._runner.read(
            lambda: self._read_page(filters, sort, cursor),
            done=partial(self._arrived, generation), failed=partial(self._failed, generation),
            owner=self, label="Loading customers…")
        self.loading_changed.emit(True)

    def _count(self) -> None:
        filters, generation = dict(self.filters), self._generation
        self._runner.read(lambda: self._svc.customers.count(**filters),
                          done=partial(self._counted, generation), failed=lambda error: None,
                          owner=self, label="Counting customers…")

    def _arrived(self, generation: int, result: tuple[Page[CustomerRow], list]) -> None:
        if generation != self._generation:
            return
        self._pending = None
        page, texts = result
        if page.items:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.items) - 1)
            self._rows.extend(page.items)
            self._texts.extend(texts)
            self.endInsertRows()
        self._cursor, self._exhausted = page.next_cursor, page.next_cursor is None
        self.as_of = datetime.now()
        self.loading_changed.emit(False)
        self.rows_loaded.emit(len(self._rows))

    def _refreshed(self, generation: int, result: tuple[Page[CustomerRow], list]) -> None:
        if generation != self._generation:
            return
        self._pending = None
        page, texts = result
        rows, cursor = list(page.items), page.next_cursor
        old_count, new_count = len(self._rows), len(rows)
        # The row count changes first, at the end; then a layout change re-points
        # persistent indexes (selection, current row) by customer id.
        if new_count < old_count:
            self.beginRemoveRows(QModelIndex(), new_count, old_count - 1)
            del self._rows[new_count:]
            del self._texts[new_count:]
            self.endRemoveRows()
        elif new_count > old_count:
            self.beginInsertRows(QModelIndex(), old_count, new_count - 1)
            self._rows.extend(rows[old_count:])
            self._texts.extend(texts[old_count:])
            self.endInsertRows()
        self.layoutAboutToBeChanged.emit()
        where = {row.id: n for n, row in enumerate(rows)}
        old_ids = [row.id for row in self._rows]
        moved_from, moved_to = [], []
        for index in self.persistentIndexList():
            target = where.get(old_ids[index.row()]) if index.row() < len(old_ids) else None
            moved_from.append(index)
            moved_to.append(self.index(target, index.column()) if target is not None else QModelIndex())
        self._rows, self._texts = rows, list(texts)
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()
        self.dataChanged.emit(self.index(0, 0), self.index(max(0, new_count - 1), len(self.columns) - 1))
        self._cursor, self._exhausted = cursor, cursor is None
        self.as_of = datetime.now()
        self.loading_changed.emit(False)
        self.rows_loaded.emit(len(self._rows))
        self.refreshed.emit()

    def _counted(self, generation: int, total: int) -> None:
        if generation == self._generation:
            self.total = total
            self.total_known.emit(total)

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._pending = None
        self.loading_changed.emit(False)
        self.failed.emit(error)

    # ------------------------------------------------------- Qt's interface

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignments[index.column()]
        if role == BADGE_ROLE:
            column = self.columns[index.column()]
            return column.badge(self._rows[index.row()]) if column.badge else None
        if role == ROW_ROLE:
            return self._rows[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self._texts[index.row()][index.column()]
            return text if len(text) > 18 else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            hint = "Click to sort" if column.sort else "Not sortable (no index)"
            return f"{column.tooltip}\n{hint}".strip()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> bool:
        return not parent.isValid() and not self._exhausted and self._pending is None

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> None:
        if self.canFetchMore(parent):
            self._fetch()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].sort if 0 <= column < len(self.columns) else None
        if key is None:
            return
        wanted = key if order == Qt.SortOrder.AscendingOrder else f"-{key}"
        if wanted != self.sort_key:
            self.set_query(self.filters, wanted)

    # ------------------------------------------------------------- lookups

    def row_at(self, n: int) -> CustomerRow:
        return self._rows[n]

    def row_of(self, customer_id: uuid.UUID) -> int | None:
        for n, row in enumerate(self._rows):
            if row.id == customer_id:
                return n
        return None

    def column_of(self, key: str) -> int:
        return next(n for n, c in enumerate(self.columns) if c.key == key)

    def holds(self, customer_ids: frozenset[uuid.UUID] | set[uuid.UUID]) -> bool:
        return any(row.id in customer_ids for row in self._rows)
