"""The customer grid's model: a desktop.paged_model.PagedModel of `svc.customers.list`, its columns,
its count, and rows updated in place when a write or a change notification names their customers.

Updating in place re-reads only the customers named (`list(customer_ids=...)` with the grid's
filter and sort): a row that still matches gets its new values, one that no longer matches
leaves, one that newly matches (or whose sort value moved) goes where the sort puts it among
the rows held, or nowhere when that is past them (it comes with a later page). Placing a row
compares sort values in Python, which orders numbers, dates, times and ids as PostgreSQL
does, but not text: the database's collation decides that. A row to place by a text key
(name, city) therefore re-reads the rows held instead, as every change did before.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from desktop.grid.columns import Column
from desktop.i18n import translate
from desktop.paged_model import PagedModel, Reader, Texts
from desktop.tables import BADGE_ROLE
from desktop.workers import Runner
from services.service_layer.customers import CustomerRow

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

PAGE_SIZE = 100
REFRESH_LIMIT = 20_000
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
# Rows the person may read but not change: grey and italic, the reason on hover.
READ_ONLY_COLOUR = QColor("#7d7d7d")
_ROOT = QModelIndex()


class CustomerModel(PagedModel):
    total_known = Signal(int)           # how many customers match the query (counted in the background)

    page_size = PAGE_SIZE
    refresh_limit = REFRESH_LIMIT
    what = "customers"

    def __init__(self, runner: Runner, svc: Steward, columns: tuple[Column, ...], parent=None, *,
                 page_size: int | None = None):
        super().__init__(runner, parent, page_size=page_size)
        self._svc, self.columns = svc, columns
        self._alignments = [int((Qt.AlignmentFlag.AlignRight if c.numeric else Qt.AlignmentFlag.AlignLeft)
                                | Qt.AlignmentFlag.AlignVCenter) for c in columns]
        self._read_only_font = QFont()
        self._read_only_font.setItalic(True)
        self.filters: dict[str, Any] = {}
        self.sort_key = "name"
        self.total: int | None = None

    # ------------------------------------------------------------- queries

    def set_query(self, filters: Mapping[str, Any], sort: str | None = None) -> None:
        """Start over with another filter or sort: drop the rows, fetch the first page, count in the background."""
        self.filters = {k: v for k, v in filters.items() if v is not None}
        self.sort_key = sort or self.sort_key
        self.total = None
        self.restart()
        self._count()

    def refresh(self) -> None:
        """Re-read the rows on screen (anything may have changed), keeping the place."""
        super().refresh()
        self._count()

    def reader(self) -> Reader:
        customers, filters, sort = self._svc.customers, dict(self.filters), self.sort_key
        return lambda limit, cursor: customers.list(**filters, sort=sort, limit=limit, cursor=cursor)

    def render(self, row: CustomerRow) -> Texts:
        return tuple(column.text(row) for column in self.columns)

    def key(self, row: CustomerRow) -> uuid.UUID:
        return row.id

    def column_count(self) -> int:
        return len(self.columns)

    def _count(self) -> None:
        customers, filters, generation = self._svc.customers, dict(self.filters), self._generation
        self._runner.read(lambda: customers.count(**filters),
                          done=partial(self._counted, generation), failed=lambda error: None,
                          owner=self, label=translate("grid.model", "Counting customers…"))

    def _counted(self, generation: int, total: int) -> None:
        if generation == self._generation:
            self.total = total
            self.total_known.emit(total)

    # ------------------------------------------------- rows updated in place

    def update_rows(self, customer_ids: Collection[uuid.UUID]) -> None:
        """Re-read these customers only (a write or a change notification named them) and update,
        drop or place their rows. One query per thousand customers named."""
        ids = frozenset(customer_ids)
        if not ids or not self.loaded_once:
            return
        customers, filters, sort, generation = self._svc.customers, dict(self.filters), self.sort_key, self._generation
        given = filters.pop("customer_ids", None)
        wanted = sorted(ids if given is None else ids & {uuid.UUID(str(v)) for v in given})

        def read() -> tuple[list[CustomerRow], list[Texts]]:
            rows: list[CustomerRow] = []
            for start in range(0, len(wanted), self.read_size):
                chunk = wanted[start:start + self.read_size]
                rows.extend(customers.list(**filters, customer_ids=chunk, sort=sort, limit=len(chunk)).items)
            return rows, [self.render(row) for row in rows]

        self._runner.read(read, done=partial(self._updated, generation, ids),
                          failed=partial(self._update_failed, generation),
                          owner=self, label=translate("grid.model", "Updating customers…"))

    def _updated(self, generation: int, ids: frozenset[uuid.UUID],
                 result: tuple[list[CustomerRow], list[Texts]]) -> None:
        if generation != self._generation:
            return      # a new query or a refresh started since: it reads these rows anyway
        rows, texts = result
        found = {row.id: (row, text) for row, text in zip(rows, texts, strict=True)}
        held = {row.id: row for row in self._rows if row.id in ids}
        unmoved = {cid for cid, row in held.items()
                   if cid in found and self._sort_value(found[cid][0]) == self._sort_value(row)}
        to_place = [found[cid] for cid in found if cid not in unmoved]
        if any(isinstance(self._sort_value(row), str) for row, _ in to_place):
            self.refresh()
            return
        for n in reversed(range(len(self._rows))):
            cid = self._rows[n].id
            if cid in unmoved:
                self.set_row(n, *found[cid])
            elif cid in held:
                self.remove_row(n)              # left the filter, or placed again below
        for row, text in to_place:
            position = self._position(row)
            if position is not None:
                self.insert_row(position, row, text)
        self.rows_loaded.emit(len(self._rows))
        if set(held).symmetric_difference(found):       # some left the filter or came into it
            self._count()

    def _update_failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self.failed.emit(error)

    def _sort_value(self, row: CustomerRow) -> Any:
        return getattr(row, self.sort_key.lstrip("-"))

    def _before(self, a: CustomerRow, b: CustomerRow) -> bool:
        """Whether `a` comes before `b` in the list's order: sort value, then id; customers
        without a value last, in id order (services/service_layer/customers/grid.py)."""
        va, vb = self._sort_value(a), self._sort_value(b)
        if (va is None) != (vb is None):
            return vb is None
        ka, kb = ((a.id,), (b.id,)) if va is None else ((va, a.id), (vb, b.id))
        return ka > kb if self.sort_key.startswith("-") else ka < kb

    def _position(self, row: CustomerRow) -> int | None:
        """Where `row` goes among the rows held, or None when past them and more are to come."""
        low, high = 0, len(self._rows)
        while low < high:
            middle = (low + high) // 2
            if self._before(self._rows[middle], row):
                low = middle + 1
            else:
                high = middle
        return None if low == len(self._rows) and not self._exhausted else low

    # ------------------------------------------------------- Qt's interface

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
        if role == Qt.ItemDataRole.ForegroundRole:
            return None if self._rows[index.row()].writable else READ_ONLY_COLOUR
        if role == Qt.ItemDataRole.FontRole:
            return None if self._rows[index.row()].writable else self._read_only_font
        if role == Qt.ItemDataRole.ToolTipRole:
            row = self._rows[index.row()]
            text = self._texts[index.row()][index.column()]
            tip = text if len(text) > 18 else ""
            if not row.writable:
                tip = (
                    translate("grid.model", "{tip}\n\nRead-only for you: {read_only_reason}")
                    .format(tip=tip, read_only_reason=row.read_only_reason)
                    .strip()
                )
            return tip or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            hint = (
                translate("grid.model", "Click to sort")
                if column.sort
                else translate("grid.model", "Not sortable (no index)")
            )
            return f"{column.tooltip}\n{hint}".strip()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].sort if 0 <= column < len(self.columns) else None
        if key is None:
            return
        wanted = key if order == Qt.SortOrder.AscendingOrder else f"-{key}"
        if wanted != self.sort_key:
            self.set_query(self.filters, wanted)

    # ------------------------------------------------------------- lookups

    def column_of(self, key: str) -> int:
        return next(n for n, c in enumerate(self.columns) if c.key == key)
