"""A table of records fetched a keyset page at a time: the rows held so far, the next page as the person scrolls.

`data()` is a lookup in the rows already here, their cells rendered to text in the
worker, so painting a screen of rows touches neither the database nor Python
formatting. Every read runs in a worker and carries the generation of the query it
was asked for: an answer to an older query (another filter or sort, a refresh since)
arrives late and is dropped. The customer grid (desktop/grid/model.py) and the
cockpit's focus lists (desktop/cockpit/focus.py) are such tables.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable
from datetime import datetime, timezone
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from desktop.i18n import translate
from desktop.workers import Job, Runner
from services.service_layer.paging import Page

Row = Any                        # a record of the table (a frozen dataclass)
# (limit, cursor) → one keyset page of the current query; made on the UI thread, called in a worker.
Reader = Callable[[int, "str | None"], Page[Any]]
Texts = tuple[str, ...]
_ROOT = QModelIndex()


class PagedModel(QAbstractTableModel):
    loading_changed = Signal(bool)
    rows_loaded = Signal(int)        # number of rows now held
    refreshed = Signal()             # the held rows were re-read in place; views follow their current row
    failed = Signal(object)

    page_size = 50
    read_size = 1000                 # the most rows one service call hands out (services.service_layer.paging)
    # A refresh re-reads the rows held from the top (keyset pages cannot start in the middle without a
    # cursor there). Past this many, the rest is dropped and fetched again on scrolling.
    refresh_limit = 1000
    what = "rows"                    # for the status line: "Loading <what>…"

    def __init__(self, runner: Runner, parent=None, *, page_size: int | None = None):
        super().__init__(parent)
        self._runner = runner
        if page_size:
            self.page_size = page_size
        self._rows: list[Row] = []
        self._texts: list[Texts] = []
        self._cursor: str | None = None
        self._exhausted = True           # nothing to fetch before the first query
        self._pending: Job | None = None
        self._generation = 0
        self.loaded_once = False
        self.as_of: datetime | None = None

    # --------------------------------------------------- what a table says

    def reader(self) -> Reader:
        """The current query as a call for the worker (taken on the UI thread, so a later change
        of the query does not reach a read already running)."""
        raise NotImplementedError

    def render(self, row: Row) -> Texts:
        """A row's cells as text; runs in the worker."""
        raise NotImplementedError

    def key(self, row: Row) -> Hashable:
        """What identifies a row across reads (a customer id)."""
        raise NotImplementedError

    def column_count(self) -> int:
        raise NotImplementedError

    # ------------------------------------------------------------- reading

    @property
    def loading(self) -> bool:
        return self._pending is not None

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    def restart(self) -> None:
        """Drop the rows and fetch the first page of the current query."""
        self._new_generation()
        self.beginResetModel()
        self._rows, self._texts, self._cursor, self._exhausted = [], [], None, False
        self.endResetModel()
        self._fetch()

    def refresh(self) -> None:
        """Re-read the rows held (something changed), keeping the list as long as it was and the place in it."""
        self._new_generation()
        want = min(max(len(self._rows), self.page_size), self.refresh_limit)
        read = self.reader()
        self._start(lambda: self._read(read, want, None), self._replaced, translate("paged_model", "Refreshing"))

    def _fetch(self) -> None:
        read, cursor, want = self.reader(), self._cursor, self.page_size
        self._start(lambda: self._read(read, want, cursor), self._appended, translate("paged_model", "Loading"))

    def _new_generation(self) -> int:
        self._generation += 1
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        return self._generation

    def _start(self, fn: Callable[[], tuple[Page[Row], list[Texts]]], apply, doing: str) -> None:
        generation = self._generation
        self._pending = self._runner.read(fn, done=partial(self._answered, generation, apply),
                                          failed=partial(self._failed, generation), owner=self,
                                          label=f"{doing} {self.what}…")
        self.loading_changed.emit(True)

    def _read(self, read: Reader, want: int, cursor: str | None) -> tuple[Page[Row], list[Texts]]:
        """Worker side: `want` rows after `cursor`, in service calls of at most `read_size`."""
        rows: list[Row] = []
        while len(rows) < want:
            page = read(min(self.read_size, want - len(rows)), cursor)
            rows.extend(page.items)
            cursor = page.next_cursor
            if cursor is None:
                break
        return Page(tuple(rows), cursor), [self.render(row) for row in rows]

    def _answered(self, generation: int, apply, result: tuple[Page[Row], list[Texts]]) -> None:
        if generation != self._generation:
            return
        self._pending = None
        page, texts = result
        apply(list(page.items), list(texts))
        self._cursor, self._exhausted = page.next_cursor, page.next_cursor is None
        self.loaded_once = True
        self.as_of = datetime.now(timezone.utc)
        self.loading_changed.emit(False)
        self.rows_loaded.emit(len(self._rows))

    def _appended(self, rows: list[Row], texts: list[Texts]) -> None:
        # A row moved into the held range by an update in place (see replace_rows) comes again
        # with a later page: it is shown once.
        held = {self.key(row) for row in self._rows}
        fresh = [n for n, row in enumerate(rows) if self.key(row) not in held]
        if fresh:
            first = len(self._rows)
            self.beginInsertRows(_ROOT, first, first + len(fresh) - 1)
            self._rows.extend(rows[n] for n in fresh)
            self._texts.extend(texts[n] for n in fresh)
            self.endInsertRows()

    def _replaced(self, rows: list[Row], texts: list[Texts]) -> None:
        old_count, new_count = len(self._rows), len(rows)
        # The row count changes first, at the end; then a layout change re-points
        # persistent indexes (selection, current row) by key.
        if new_count < old_count:
            self.beginRemoveRows(_ROOT, new_count, old_count - 1)
            del self._rows[new_count:]
            del self._texts[new_count:]
            self.endRemoveRows()
        elif new_count > old_count:
            self.beginInsertRows(_ROOT, old_count, new_count - 1)
            self._rows.extend(rows[old_count:])
            self._texts.extend(texts[old_count:])
            self.endInsertRows()
        self.layoutAboutToBeChanged.emit()
        where = {self.key(row): n for n, row in enumerate(rows)}
        old_keys = [self.key(row) for row in self._rows]
        moved_from, moved_to = [], []
        for index in self.persistentIndexList():
            target = where.get(old_keys[index.row()]) if index.row() < len(old_keys) else None
            moved_from.append(index)
            moved_to.append(self.index(target, index.column()) if target is not None else QModelIndex())
        self._rows, self._texts = rows, texts
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()
        if new_count:
            self.dataChanged.emit(self.index(0, 0), self.index(new_count - 1, self.column_count() - 1))
        self.refreshed.emit()

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._pending = None
        self.loading_changed.emit(False)
        self.failed.emit(error)

    # ------------------------------------------------- changing single rows

    def set_row(self, n: int, row: Row, texts: Texts) -> None:
        self._rows[n], self._texts[n] = row, texts
        self.dataChanged.emit(self.index(n, 0), self.index(n, self.column_count() - 1))

    def remove_row(self, n: int) -> None:
        self.beginRemoveRows(_ROOT, n, n)
        del self._rows[n]
        del self._texts[n]
        self.endRemoveRows()

    def insert_row(self, n: int, row: Row, texts: Texts) -> None:
        self.beginInsertRows(_ROOT, n, n)
        self._rows.insert(n, row)
        self._texts.insert(n, texts)
        self.endInsertRows()

    # ------------------------------------------------------------- lookups

    def row_at(self, n: int) -> Row:
        return self._rows[n]

    def row_of(self, key: Hashable) -> int | None:
        return next((n for n, row in enumerate(self._rows) if self.key(row) == key), None)

    def holds(self, keys: Collection[Hashable]) -> bool:
        return any(self.key(row) in keys for row in self._rows)

    # ------------------------------------------------------- Qt's interface

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else self.column_count()

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role == Qt.ItemDataRole.DisplayRole:
            return self._texts[index.row()][index.column()]
        return None

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> bool:
        return not parent.isValid() and not self._exhausted and self._pending is None

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> None:
        if self.canFetchMore(parent):
            self._fetch()
