"""Editors of composite values: objects, one-of shapes, and lists."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QFormLayout, QHeaderView, QPlainTextEdit,
                               QPushButton, QStackedWidget, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from desktop import display
from desktop.editors.base import Choices, Editor
from desktop.i18n import translate
from desktop.widgets import MultiChoice, button_row, compact_combo, form_label, show_page
from services.rules.validation import schema_errors


class EnumListEditor(Editor):
    def __init__(self, options: list[str], labels: dict[str, str] | None = None):
        choice = MultiChoice(options, none_text="—")
        super().__init__(choice)
        choice.set_codes(options, labels)
        choice.changed.connect(self.changed.emit)

    def value(self) -> list[str] | None:
        return self.widget.values() or None

    def set_value(self, value: Any) -> None:
        self._silently(self.widget.set_values, value or [])


class LinesEditor(Editor):
    """A list of texts, one per line."""

    def __init__(self):
        edit = QPlainTextEdit(placeholderText=translate("editors.compound", "One per line"))
        super().__init__(edit)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 4 + 12)
        edit.textChanged.connect(self.changed.emit)

    def value(self) -> list[str] | None:
        lines = [line.strip() for line in self.widget.toPlainText().splitlines() if line.strip()]
        return lines or None

    def set_value(self, value: Any) -> None:
        self._silently(self.widget.setPlainText, "\n".join(value or []))


class ObjectListEditor(Editor):
    """A list of small objects (people with name, role, executive flag) as an editable table. A code with
    a label (a contact role: "PURCHASING") shows as its label ("Purchasing") and is saved as its code;
    the first text column takes the room, the others fit their contents."""

    def __init__(self, item_schema: dict[str, Any], labels: dict[str, str] | None = None):
        box = QWidget()
        super().__init__(box)
        self._props = dict(item_schema.get("properties", {}))
        self._keys = list(self._props)
        self._labels = dict(labels or {})
        self._codes = {label.casefold(): code for code, label in self._labels.items()}
        self.table = QTableWidget(0, len(self._keys))
        self.table.setHorizontalHeaderLabels([p.get("title") or display.label(k) for k, p in self._props.items()])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        first_text = next((n for n, k in enumerate(self._keys) if not self._is_flag(k)), 0)
        for column in range(len(self._keys)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == first_text
                                        else QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.setFixedHeight((self.table.fontMetrics().height() + 10) * 5 + 4)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        self.add_button = QPushButton(translate("editors.compound", "Add"))
        self.remove_button = QPushButton(translate("editors.compound", "Remove"))
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self._remove_row)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(button_row(self.add_button, self.remove_button))

    def _is_flag(self, key: str) -> bool:
        return self._props[key].get("type") == "boolean"

    def add_row(self, entry: dict[str, Any] | None = None) -> None:
        entry = entry if isinstance(entry, dict) else {}
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        for column, key in enumerate(self._keys):
            item = QTableWidgetItem()
            if self._is_flag(key):
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
                item.setFlags(flags)
                item.setCheckState(Qt.CheckState.Checked if entry.get(key) else Qt.CheckState.Unchecked)
                # Whether the flag was there, so an unticked box that was absent stays absent.
                item.setData(Qt.ItemDataRole.UserRole, key in entry)
            else:
                text = "" if entry.get(key) is None else str(entry[key])
                shown = self._labels.get(text, display.human(text) if text.isupper() else text)
                item.setText(shown)
                item.setToolTip(shown)
                if shown != text:
                    item.setData(Qt.ItemDataRole.UserRole, (shown, text))     # shown as words, saved as the code
            self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        if not entry:
            self.changed.emit()

    def _remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()

    def value(self) -> list[dict[str, Any]] | None:
        entries = []
        for row in range(self.table.rowCount()):
            entry: dict[str, Any] = {}
            for column, key in enumerate(self._keys):
                item = self.table.item(row, column)
                if self._is_flag(key):
                    if item.checkState() == Qt.CheckState.Checked:
                        entry[key] = True
                    elif item.data(Qt.ItemDataRole.UserRole):
                        entry[key] = False
                elif item.text().strip():
                    text = item.text().strip()
                    loaded = item.data(Qt.ItemDataRole.UserRole)
                    if loaded and loaded[0] == text:
                        entry[key] = loaded[1]
                    else:
                        entry[key] = self._codes.get(text.casefold(), text)
            if entry:
                entries.append(entry)
        return entries or None

    def set_value(self, value: Any) -> None:
        self.blockSignals(True)
        try:
            self.table.setRowCount(0)
            for entry in value if isinstance(value, list) else []:
                self.add_row(entry)
        finally:
            self.blockSignals(False)

    def set_read_only(self, read_only: bool) -> None:
        self.table.setEnabled(not read_only)
        self.add_button.setEnabled(not read_only)
        self.remove_button.setEnabled(not read_only)


class ObjectEditor(Editor):
    """A group of editors, one per property. A false check box that was absent stays absent,
    so loading and saving an untouched object never changes it."""

    def __init__(self, schema: dict[str, Any], choices: Choices | None = None, labels: dict[str, str] | None = None):
        box = QWidget()
        super().__init__(box)
        self.form = QFormLayout(box)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.parts: dict[str, Editor] = {}
        self._present: set[str] = set()
        required = set(schema.get("required", ()))
        for key, sub in schema.get("properties", {}).items():
            title = sub.get("title") or display.label(key)
            editor = _make(sub, key=key, choices=choices, labels=labels)
            editor.changed.connect(self.changed.emit)
            self.parts[key] = editor
            self.form.addRow(form_label(title + (" *" if key in required else "")), editor.widget)

    def value(self) -> dict[str, Any] | None:
        result = {}
        for key, editor in self.parts.items():
            v = editor.value()
            if v is None or (v is False and key not in self._present):
                continue
            result[key] = v
        return result or None

    def set_value(self, value: Any) -> None:
        value = value if isinstance(value, dict) else {}
        self._present = set(value)
        for key, editor in self.parts.items():
            editor.set_value(value.get(key))

    def set_read_only(self, read_only: bool) -> None:
        for editor in self.parts.values():
            editor.set_read_only(read_only)


class OneOfEditor(Editor):
    """A value of one of several shapes: the person picks the shape, then fills it."""

    def __init__(self, schema: dict[str, Any], choices: Choices | None = None, labels: dict[str, str] | None = None):
        box = QWidget()
        super().__init__(box)
        self.branches = schema["oneOf"]
        self.shape = compact_combo()
        self.stack = QStackedWidget()
        self.parts: list[Editor] = []
        for branch in self.branches:
            editor = _make(branch, key="", choices=choices, labels=labels)
            editor.changed.connect(self.changed.emit)
            self.parts.append(editor)
            self.shape.addItem(_shape_name(branch))
            self.stack.addWidget(editor.widget)
        self.shape.currentIndexChanged.connect(self._shape_chosen)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QFormLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addRow(form_label(translate("editors.compound", "Enter as")), self.shape)
        layout.addLayout(row)
        layout.addWidget(self.stack)
        self._show_shape(0)

    def _shape_chosen(self, index: int) -> None:
        self._show_shape(index)
        self.changed.emit()

    def _show_shape(self, index: int) -> None:
        show_page(self.stack, index)

    def value(self) -> Any:
        return self.parts[self.shape.currentIndex()].value()

    def set_value(self, value: Any) -> None:
        index = 0
        if value is not None:
            index = next((n for n, b in enumerate(self.branches) if not schema_errors(b, value, prefix="")),
                         next((n for n, b in enumerate(self.branches) if _json_type(value) == b.get("type")), 0))
        self.blockSignals(True)
        try:
            self.shape.setCurrentIndex(index)
            self._show_shape(index)
            for n, editor in enumerate(self.parts):
                editor.set_value(value if n == index else None)
        finally:
            self.blockSignals(False)

    def set_read_only(self, read_only: bool) -> None:
        self.shape.setEnabled(not read_only)
        for editor in self.parts:
            editor.set_read_only(read_only)


def _make(schema: dict[str, Any], **kwargs: Any) -> Editor:
    from desktop.editors import make_editor  # the factory builds these, and these build their parts with it

    return make_editor(schema, **kwargs)


def _shape_name(branch: dict[str, Any]) -> str:
    if branch.get("title"):
        return branch["title"]
    if branch.get("type") == "array":
        names = ", ".join((p.get("title") or display.label(k)).lower()
                          for k, p in branch.get("items", {}).get("properties", {}).items())
        return (
            translate("editors.compound", "List ({names})").format(names=names)
            if names
            else translate("editors.compound", "List")
        )
    titles = [p.get("title") or display.label(k) for k, p in branch.get("properties", {}).items()]
    return translate("editors.compound", " and ").join(titles) if titles else translate("editors.compound", "Value")


def _json_type(value: Any) -> str:
    return {dict: "object", list: "array", bool: "boolean", int: "integer", float: "number", str: "string"}.get(
        type(value), "null")
