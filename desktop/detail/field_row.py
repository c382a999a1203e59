"""One row of the field editor: the label (marked when changed), the editor, and its message."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from desktop.editors import Editor
from services.pack import FieldDef


class FieldRow:
    def __init__(self, definition: FieldDef, editor: Editor, read_only: bool):
        self.definition, self.editor, self.read_only = definition, editor, read_only
        self.label = QLabel(definition.label)
        self.label.setObjectName("fieldLabel")
        self.label.setBuddy(editor.widget)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        tips = [definition.description]
        if definition.derived:
            tips.append("Set by the sample workflow; not edited here.")
        elif definition.restricted:
            tips.append("Contract and price field: chain managers and admins change it.")
        self.label.setToolTip("\n".join(t for t in tips if t))
        editor.set_read_only(read_only)

    def mark(self, changed: bool) -> None:
        self.label.setProperty("changed", changed)
        self.label.style().unpolish(self.label)
        self.label.style().polish(self.label)

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
