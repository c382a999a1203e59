"""Editors of single values: choice, check box, number, date, text, id."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QLineEdit, QPlainTextEdit, QSpinBox

from desktop import display
from desktop.editors.base import Editor
from desktop.widgets import compact_combo, OptionalDateEdit

LONG_TEXT = 300
_INT_LIMIT = 2_000_000_000


class EnumEditor(Editor):
    def __init__(self, options: list[Any], labels: dict[Any, str] | None = None):
        combo = compact_combo()
        super().__init__(combo)
        combo.addItem("—", None)
        for option in options:
            combo.addItem((labels or {}).get(option) or display.human(option), option)
        combo.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def value(self) -> Any:
        return self.widget.currentData()

    def set_value(self, value: Any) -> None:
        self._silently(self.widget.setCurrentIndex, max(0, self.widget.findData(value)))


class BoolEditor(Editor):
    def __init__(self, text: str = ""):
        box = QCheckBox(text)
        super().__init__(box)
        box.toggled.connect(lambda _on: self.changed.emit())

    def value(self) -> bool:
        return self.widget.isChecked()

    def set_value(self, value: Any) -> None:
        self._silently(self.widget.setChecked, bool(value))


class NumberEditor(Editor):
    """A spin box whose lowest step, shown as "—", stands for empty."""

    def __init__(self, schema: dict[str, Any], integer: bool):
        spin = QSpinBox() if integer else QDoubleSpinBox()
        spin.setLocale(display.qt_locale())      # "2.047,00" as the grid writes numbers, not "2,047.00"
        super().__init__(spin)
        self._integer = integer
        low = schema.get("minimum", -_INT_LIMIT + 1)
        high = schema.get("maximum", _INT_LIMIT)
        if not integer:
            spin.setDecimals(2)
        self._empty = low - 1
        spin.setRange(self._empty, high)
        spin.setSpecialValueText("—")
        spin.setValue(self._empty)
        spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        spin.setFixedWidth(150)
        spin.setGroupSeparatorShown(True)
        spin.valueChanged.connect(lambda _v: self.changed.emit())

    def value(self) -> Any:
        v = self.widget.value()
        if v <= self._empty:
            return None
        return int(v) if self._integer or float(v).is_integer() else float(v)

    def set_value(self, value: Any) -> None:
        self._silently(self.widget.setValue, self._empty if value is None else value)


class DateEditor(Editor):
    def __init__(self):
        edit = OptionalDateEdit()
        super().__init__(edit)
        edit.value_changed.connect(lambda _v: self.changed.emit())

    def value(self) -> str | None:
        return self.widget.iso()

    def set_value(self, value: Any) -> None:
        try:
            self._silently(self.widget.set_value, value or None)
        except ValueError:
            self._silently(self.widget.set_value, None)


class TextEditor(Editor):
    def __init__(self, schema: dict[str, Any]):
        limit = schema.get("maxLength", 200)
        self._long = limit > LONG_TEXT
        widget = QPlainTextEdit() if self._long else QLineEdit()
        super().__init__(widget)
        if self._long:
            widget.setTabChangesFocus(True)
            widget.setFixedHeight(widget.fontMetrics().lineSpacing() * 4 + 12)
            widget.textChanged.connect(self.changed.emit)
        else:
            widget.setMaxLength(limit)
            widget.textChanged.connect(lambda _t: self.changed.emit())

    def value(self) -> str | None:
        text = self.widget.toPlainText() if self._long else self.widget.text()
        return text if text.strip() else None

    def set_value(self, value: Any) -> None:
        setter = self.widget.setPlainText if self._long else self.widget.setText
        self._silently(setter, "" if value is None else str(value))


class ChoiceEditor(Editor):
    """An id picked from known choices (a customer's samples, its ROI scenarios)."""

    def __init__(self, choices: list[tuple[str, str]]):
        combo = compact_combo()
        super().__init__(combo)
        combo.addItem("—", None)
        for value, label in choices:
            combo.addItem(label, str(value))
        combo.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def value(self) -> str | None:
        return self.widget.currentData()

    def set_value(self, value: Any) -> None:
        self._silently(self.widget.setCurrentIndex, max(0, self.widget.findData(None if value is None else str(value))))
