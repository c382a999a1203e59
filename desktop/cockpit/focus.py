"""Focus lists: the customers that need doing something soon, one tab each, fetched a keyset page at a time.

Each list is a desktop.paged_model.PagedModel, like the grid: it holds the rows
fetched so far (`data()` is a lookup) and asks a worker for the next page as the
person scrolls; an answer to an older scope (another filter, a refresh) is dropped.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QTableView, QTabWidget, QWidget

from desktop import display
from desktop.cockpit import units
from desktop.i18n import translate
from desktop.paged_model import PagedModel, Reader
from desktop.tables import BADGE_ROLE, set_up_record_view
from desktop.workers import Runner
from services.service_layer.kpis import FocusRow

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

PAGE_SIZE = 50
# A refresh re-reads the rows held, from the top; past this many the rest come again on scrolling.
REFRESH_LIMIT = 1000


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
        return translate("cockpit.focus", "today")
    if days > 0:
        text = translate("cockpit.focus", "in {n} days") if days != 1 else translate("cockpit.focus", "in {n} day")
        return text.format(n=days)
    text = translate("cockpit.focus", "{n} days ago") if days != -1 else translate("cockpit.focus", "{n} day ago")
    return text.format(n=-days)


LISTS = (
    FocusList(
        "overdue",
        QT_TRANSLATE_NOOP("cockpit.focus", "Overdue SLAs"),
        "focus_overdue_slas",
        QT_TRANSLATE_NOOP("cockpit.focus", "Due"),
        "SLA",
        lambda r: r.detail or "",
        badge=True,
    ),
    FocusList(
        "due_soon",
        QT_TRANSLATE_NOOP("cockpit.focus", "SLAs due soon"),
        "focus_due_soon_slas",
        QT_TRANSLATE_NOOP("cockpit.focus", "Due"),
        "SLA",
        lambda r: r.detail or "",
        badge=True,
    ),
    FocusList(
        "no_feedback",
        QT_TRANSLATE_NOOP("cockpit.focus", "Delivered, no feedback"),
        "focus_delivered_without_feedback",
        QT_TRANSLATE_NOOP("cockpit.focus", "Delivered"),
        QT_TRANSLATE_NOOP("cockpit.focus", "Next SLA due"),
        lambda r: r.detail or "",
    ),
    FocusList(
        "renewals",
        QT_TRANSLATE_NOOP("cockpit.focus", "Renewals ≤ 90 days"),
        "focus_renewals",
        QT_TRANSLATE_NOOP("cockpit.focus", "Renewal"),
        QT_TRANSLATE_NOOP("cockpit.focus", "Contract"),
        lambda r: "exclusive" if r.detail == "exclusive" else "",
    ),
    FocusList(
        "seasons",
        QT_TRANSLATE_NOOP("cockpit.focus", "Seasons opening ≤ 60 days"),
        "focus_season_openings",
        QT_TRANSLATE_NOOP("cockpit.focus", "Season start"),
        QT_TRANSLATE_NOOP("cockpit.focus", "Season end"),
        lambda r: r.detail or "",
    ),
)


class FocusModel(PagedModel):
    page_size = PAGE_SIZE
    read_size = 200
    refresh_limit = REFRESH_LIMIT

    def __init__(self, runner: Runner, svc: Steward, focus: FocusList, regions: dict[str, str], parent=None, *,
                 page_size: int | None = None):
        super().__init__(runner, parent, page_size=page_size)
        self._svc, self.focus, self._regions = svc, focus, regions
        self.what = "“" + translate("cockpit.focus", focus.title) + "”"
        self.headers = [
            translate("cockpit.focus", "Customer"),
            translate("cockpit.focus", "City"),
            translate("cockpit.focus", "Region"),
            translate("cockpit.focus", "Owner"),
            translate("cockpit.focus", "Chain"),
            translate("cockpit.focus", focus.date_title),
            translate("cockpit.focus", "When"),
            translate("cockpit.focus", focus.detail_title),
        ]
        self.scope: dict[str, Any] = {}

    def set_scope(self, scope: dict[str, Any]) -> None:
        """Start over: drop the rows and fetch the first page for this region/owner/chain."""
        self.scope = dict(scope)
        self.restart()

    def reader(self) -> Reader:
        method, scope = getattr(self._svc.kpis, self.focus.method), dict(self.scope)
        return lambda limit, cursor: method(**scope, limit=limit, cursor=cursor)

    def render(self, r: FocusRow) -> tuple[str, ...]:
        detail = self.focus.detail(r)
        return (r.name, r.city or "", self._regions.get(r.region, r.region), r.owner_name or "", r.chain_name or "",
                display.day(r.date), _days(r.days),
                display.human(detail) if self.focus.badge else (display.value_text(detail) if detail else ""))

    def key(self, row: FocusRow) -> uuid.UUID:
        return row.customer_id

    def column_count(self) -> int:
        return len(self.headers)

    def count_text(self) -> str:
        return units.count(len(self._rows)) + ("" if self.exhausted else "+")

    def customer_at(self, row: int) -> uuid.UUID:
        return self._rows[row].customer_id

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == BADGE_ROLE and self.focus.badge and index.column() == len(self.headers) - 1:
            return self._rows[index.row()].detail
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return translate("cockpit.focus", "Double click or Enter opens the customer")
        return super().data(index, role)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None


class FocusTable(QTableView):
    open_requested = Signal(object)          # a customer id

    def __init__(self, model: FocusModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setModel(model)
        set_up_record_view(self)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)     # branches of a chain keep their ends
        header = self.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        for column, width in enumerate((330, 120, 90, 150, 190, 100, 110, 130)):
            self.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        self.doubleClicked.connect(lambda index: self.open_row(index.row()))

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

    def __init__(self, runner: Runner, svc: Steward, regions: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("focusLists")
        self.setDocumentMode(True)
        self.models: dict[str, FocusModel] = {}
        self.tables: dict[str, FocusTable] = {}
        for focus in LISTS:
            model = FocusModel(runner, svc, focus, regions, self)
            table = FocusTable(model)
            table.open_requested.connect(self.open_requested)
            model.rows_loaded.connect(self._titles)
            model.failed.connect(self.failed)
            self.models[focus.key], self.tables[focus.key] = model, table
            self.addTab(table, translate("cockpit.focus", focus.title))

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

    def _titles(self, *_args) -> None:
        for n, focus in enumerate(LISTS):
            model = self.models[focus.key]
            self.setTabText(
                n,
                (
                    translate("cockpit.focus", focus.title) + " · " + model.count_text()
                    if model.loaded_once
                    else translate("cockpit.focus", focus.title)
                ),
            )
