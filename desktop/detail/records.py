"""A tab that lists a customer's records (history, contacts): fetched in a worker, shown as a table."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.errors import show_error
from desktop.tables import ReadOnlyTable
from desktop.workers import Runner

if TYPE_CHECKING:
    from services.service_layer.facade import Steward


class RecordsTab(QWidget):
    headers: tuple[str, ...] = ()
    stretch: tuple[int, ...] = ()
    empty_text = "Nothing recorded yet."
    what = "records"

    def __init__(self, runner: Runner, svc: Steward, parent: QWidget | None = None):
        super().__init__(parent)
        self._runner, self._svc = runner, svc
        self.customer_id: uuid.UUID | None = None
        self.table = ReadOnlyTable(list(self.headers), stretch=self.stretch)
        self.empty = QLabel(self.empty_text)
        self.empty.setObjectName("hint")
        self.empty.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)

    def fetch(self, customer_id: uuid.UUID) -> list[Any]:
        """Worker side: the records of this customer."""
        raise NotImplementedError

    def cells(self, record: Any) -> list[str]:
        raise NotImplementedError

    def load(self, customer_id: uuid.UUID) -> None:
        self.customer_id = customer_id
        self._runner.read(lambda: (customer_id, self.fetch(customer_id)), done=self._show,
                          failed=lambda e: show_error(self, e, doing=f"Loading the {self.what}"), owner=self,
                          label=f"Loading {self.what}…")

    def _show(self, result: tuple[uuid.UUID, list[Any]]) -> None:
        customer_id, records = result
        if customer_id != self.customer_id:
            return
        self.table.set_rows([self.cells(r) for r in records], data=list(records))
        self.empty.setVisible(not records)
