"""Show a customer in the grid and select it: in place when it is among the rows held under the
current filter, otherwise with the grid narrowed to it (Clear filters shows everyone again)."""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from desktop.i18n import translate

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

POLL_MS = 60
PATIENCE_S = 15.0


def reveal(window: MainWindow, customer_id: uuid.UUID, about: str | None = None) -> None:
    """Re-read the customer's row, then select it (or narrow the grid to it)."""
    about = about or translate("stewardship.reveal", "the customer")
    window.model.update_rows({customer_id})
    window.detail.refresh({customer_id})
    _when_found(window, customer_id, lambda: _narrow(window, customer_id, about))


def _narrow(window: MainWindow, customer_id: uuid.UUID, about: str) -> None:
    window.show_customers({"customer_ids": [str(customer_id)]}, about=about)
    _when_found(window, customer_id, lambda: None)


def _when_found(window: MainWindow, customer_id: uuid.UUID, otherwise) -> None:
    """Select the row once it is there; `otherwise` once the grid settled without it."""
    deadline = time.monotonic() + PATIENCE_S
    timer = QTimer(window)
    timer.setInterval(POLL_MS)

    def check() -> None:
        row = window.model.row_of(customer_id)
        settled = window.runner.active == 0 and not window.model.loading
        if row is not None and not window.model.loading:
            timer.stop()
            timer.deleteLater()
            window.show_grid()
            window.table.clearSelection()
            window.table.selectRow(row)
            window.table.scrollTo(window.model.index(row, 0))
        elif settled or time.monotonic() > deadline:
            timer.stop()
            timer.deleteLater()
            otherwise()

    timer.timeout.connect(check)
    timer.start()
