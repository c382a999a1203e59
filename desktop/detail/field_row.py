"""One row of the field editor: the label (marked when changed), the editor, and its message."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from desktop.editors import Editor
from desktop.i18n import translate
from services.pack import FieldDef


class FieldRow:
    def __init__(self, definition: FieldDef, editor: Editor, read_only: bool):
        self.definition, self.editor = definition, editor
        self.fixed = read_only          # derived, or restricted for this role: never edited here
        self.locked: str | None = None  # why the open customer's fields are not this person's to change
        self.label = QLabel(definition.label)
        self.label.setObjectName("fieldLabel")
        self.label.setBuddy(editor.widget)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        tips = [definition.description]
        if definition.derived:
            tips.append(translate("detail.field_row", "Set by the sample workflow; not edited here."))
        elif definition.restricted:
            tips.append(translate("detail.field_row", "Contract and price field: chain managers and admins change it."))
        self._tip = "\n".join(t for t in tips if t)
        self.label.setToolTip(self._tip)
        editor.set_read_only(read_only)

    @property
    def read_only(self) -> bool:
        return self.fixed or self.locked is not None

    def set_locked(self, reason: str | None) -> None:
        """Read-only for this customer (`reason` says why), or editable again (None)."""
        self.locked = reason
        self.editor.set_read_only(self.read_only)
        self.label.setProperty("locked", reason is not None)
        self.label.style().unpolish(self.label)
        self.label.style().polish(self.label)
        tip = "\n".join(
            t
            for t in (
                self._tip,
                translate("detail.field_row", "Read-only: {reason}").format(reason=reason) if reason else "",
            )
            if t
        )
        self.label.setToolTip(tip)
        self.editor.widget.setToolTip(
            translate("detail.field_row", "Read-only: {reason}").format(reason=reason) if reason else ""
        )

    def mark(self, changed: bool) -> None:
        self.label.setProperty("changed", changed)
        self.label.style().unpolish(self.label)
        self.label.style().polish(self.label)

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
