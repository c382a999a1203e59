"""A tab that lists a customer's records (history, contacts, ROI scenarios): fetched in a worker, shown
as a table, with the tab's buttons above it."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.errors import show_error
from desktop.i18n import translate
from desktop.tables import ReadOnlyTable
from desktop.workers import Runner

if TYPE_CHECKING:
    from services.service_layer.facade import Steward


class RecordsTab(QWidget):
    changed = Signal(object)     # the customer id a write in this tab changed
    headers: tuple[str, ...] = ()
    stretch: tuple[int, ...] = ()
    empty_text = QT_TRANSLATE_NOOP("detail.records", "Nothing recorded yet.")
    what = QT_TRANSLATE_NOOP("detail.records", "records")

    def __init__(self, runner: Runner, svc: Steward, parent: QWidget | None = None):
        super().__init__(parent)
        self._runner, self._svc = runner, svc
        self.customer_id: uuid.UUID | None = None
        self.table = ReadOnlyTable([translate("detail.records", h) for h in self.headers], stretch=self.stretch)
        self.empty = QLabel(translate("detail.records", self.empty_text))
        self.empty.setObjectName("hint")
        self.empty.hide()
        self.toolbar = QHBoxLayout()
        self.toolbar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(self.toolbar)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)

    def add_button(self, text: str, slot, name: str = "", *, needs_selection: bool = False) -> QPushButton:
        """A button above the table; one that acts on the selected record is enabled while one is."""
        button = QPushButton(text)
        if name:
            button.setObjectName(name)
        button.clicked.connect(lambda _=False: slot())
        self.toolbar.addWidget(button)
        if needs_selection:
            button.setEnabled(False)
            self.table.itemSelectionChanged.connect(lambda: button.setEnabled(self.selected() is not None))
        return button

    def selected(self) -> Any:
        return self.table.row_data()

    def fetch(self, customer_id: uuid.UUID) -> list[Any]:
        """Worker side: the records of this customer."""
        raise NotImplementedError

    def cells(self, record: Any) -> list[str]:
        raise NotImplementedError

    def load(self, customer_id: uuid.UUID) -> None:
        self.customer_id = customer_id
        self._runner.read(
            lambda: (customer_id, self.fetch(customer_id)),
            done=self._show,
            failed=lambda e: show_error(
                self,
                e,
                doing=translate("detail.records", "Loading the {what}").format(
                    what=translate("detail.records", self.what)
                ),
            ),
            owner=self,
            label=translate("detail.records", "Loading {what}…").format(what=translate("detail.records", self.what)),
        )

    def _show(self, result: tuple[uuid.UUID, list[Any]]) -> None:
        customer_id, records = result
        if customer_id != self.customer_id:
            return
        self.table.set_rows([self.cells(r) for r in records], data=list(records))
        for row in range(self.table.rowCount()):         # a narrow pane elides: the whole text on hover
            for column in range(self.table.columnCount()):
                item = self.table.item(row, column)
                item.setToolTip(item.text())
        self.empty.setVisible(not records)
