"""The editor interface: a widget holding a JSON value, where `None` means "empty"."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

# Choices for id fields, by property name: {"sample_id": [(id, "label"), ...]}.
Choices = dict[str, list[tuple[str, str]]]


class Editor(QObject):
    changed = Signal()

    def __init__(self, widget: QWidget):
        super().__init__(widget)
        self.widget = widget

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self.widget.setEnabled(not read_only)

    def _silently(self, fn, *args) -> None:
        # Loading a value is not an edit: no `changed` for it.
        self.blockSignals(True)
        try:
            fn(*args)
        finally:
            self.blockSignals(False)
