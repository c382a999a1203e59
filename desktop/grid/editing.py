"""Editing a hot-field cell in the grid: F2, Enter or a double click starts, Esc cancels, Enter saves.

The cell's text becomes the field's new value (desktop/grid/cells.py), checked against the
field's schema before anything is sent; a problem stands under the cell and the typed text
stays. The save carries the fields' ETag read when editing started: when someone else saved
the customer meanwhile, the conflict dialog opens and nothing typed is lost. A cell that
cannot be edited says why instead. Paste and fill down live in desktop/grid/paste.py.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from desktop.conflict import MINE, ConflictDialog
from desktop.editors.problems import by_field, property_titles
from desktop.errors import describe
from desktop.grid import cells
from desktop.grid.model import ROW_ROLE
from desktop.i18n import translate
from desktop.reference import Reference
from desktop.stewardship import words
from desktop.workers import Runner
from services.errors import PreconditionFailed
from services.service_layer.fields import FieldSet

if TYPE_CHECKING:
    from desktop.grid.view import CustomerTable
    from services.service_layer.facade import Steward

EDIT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def make_editor(target: cells.CellTarget, text: str, parent: QWidget) -> QWidget:
    """A line for numbers, dates and text; a list for choices and yes/no."""
    if target.kind in ("choice", "boolean"):
        combo = QComboBox(parent)
        combo.addItem("—", "")
        options = (
            target.choices.values()
            if target.kind == "choice"
            else (translate("grid.editing", "Yes"), translate("grid.editing", "No"))
        )
        for label in options:
            combo.addItem(label, label)
        combo.setCurrentIndex(max(0, combo.findData(text)))
        combo.setObjectName("cellEditor")
        return combo
    line = QLineEdit(text, parent)
    line.selectAll()
    line.setObjectName("cellEditor")
    if target.kind in ("integer", "number"):
        line.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return line


def editor_text(editor: QWidget) -> str:
    return editor.currentData() if isinstance(editor, QComboBox) else editor.text()


class CellMessage(QLabel):
    """A problem shown under the cell it concerns (a tooltip would vanish; this stays until fixed)."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("cellMessage")
        self.setWordWrap(True)
        self.setStyleSheet("QLabel#cellMessage { background: #fbe3e2; color: #8f1d18; border: 1px solid #e0a8a5;"
                           " border-radius: 3px; padding: 3px 6px; }")
        self.hide()

    def show_at(self, text: str, below: Any) -> None:
        """Under the cell `below` (a rect in the viewport), kept inside the viewport."""
        self.setText(text)
        room = self.parentWidget().width()
        width = min(max(below.width(), self.fontMetrics().horizontalAdvance(text) + 20), 420, room - 4)
        self.setFixedWidth(width)
        self.adjustSize()
        left = max(0, min(below.left(), room - width - 2))
        top = below.bottom() + 2
        if top + self.height() > self.parentWidget().height():
            top = below.top() - self.height() - 2       # no room below the last visible row: above it
        self.move(QPoint(left, top))
        self.raise_()
        self.show()


class CellEditing(QObject):
    """In-place editing of the grid's field cells."""

    customers_changed = Signal(object)     # frozenset of the customer ids a save changed
    conflict_opened = Signal(object)       # ConflictDialog
    said = Signal(str)                     # a line for the status bar

    def __init__(self, table: CustomerTable, runner: Runner, svc: Steward, reference: Reference):
        super().__init__(table)
        self.table, self._runner, self._svc = table, runner, svc
        self.fields = {f.key: f for f in reference.fields}
        self.targets = cells.targets(reference.fields)
        self._may_restricted = bool(getattr(reference.actor, "may_write_restricted", False))
        self.editor: QWidget | None = None
        self.index: QPersistentModelIndex | None = None
        self.target: cells.CellTarget | None = None
        self.customer_id: uuid.UUID | None = None
        self.base: FieldSet | None = None
        self.original_text = ""
        self.saving = False
        self._commit_when_loaded = False
        self.conflict: ConflictDialog | None = None
        self._viewport = table.viewport()
        self.message = CellMessage(self._viewport)
        table.installEventFilter(self)
        self._viewport.installEventFilter(self)
        table.selectionModel().currentChanged.connect(self._current_moved)
        table.verticalScrollBar().valueChanged.connect(lambda _v: self._place_message())
        table.horizontalScrollBar().valueChanged.connect(lambda _v: self._place_message())

    # --------------------------------------------------------------- events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not shiboken6.isValid(self.table):
            return False      # the window is closing
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            return self._table_key(event)
        if watched is self._viewport and event.type() == QEvent.Type.MouseButtonDblClick:
            index = self.table.indexAt(event.position().toPoint())
            if index.isValid() and self.backed_by_field(index.column()):
                self.start(index)
                return True
        if watched is self.editor and event.type() == QEvent.Type.KeyPress:
            return self._editor_key(event)
        return False

    def _table_key(self, event: QKeyEvent) -> bool:
        index = self.table.currentIndex()
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if not index.isValid() or not plain:
            return False
        if event.key() == Qt.Key.Key_F2 or (event.key() in EDIT_KEYS and self.backed_by_field(index.column())):
            self.start(index)
            return True
        return False

    def _editor_key(self, event: QKeyEvent) -> bool:
        if event.key() in EDIT_KEYS:
            self.commit()
            return True
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
            return True
        return False

    def backed_by_field(self, column: int) -> bool:
        """Whether the column shows (a part of) a field: Enter and double clicks edit those."""
        key = self.table.customer_model().columns[column].key
        return any(any(c.name == key for c in f.columns) for f in self.fields.values())

    # ------------------------------------------------------------- starting

    def refusal(self, index) -> str | None:
        column = self.table.customer_model().columns[index.column()]
        return cells.refusal(column.key, column.title, index.data(ROW_ROLE), self.targets, self.fields,
                             self._may_restricted)

    def start(self, index) -> bool:
        """Open the editor on this cell, or say why it cannot be edited."""
        if self.editor is not None:
            if self.index is not None and QPersistentModelIndex(index) == self.index:
                self.editor.setFocus()
                return True
            self.finish()
        reason = self.refusal(index)
        if reason:
            self.message.show_at(reason, self.table.visualRect(index))
            self.said.emit(reason)
            return False
        row = index.data(ROW_ROLE)
        column = self.table.customer_model().columns[index.column()]
        self.target = self.targets[column.key]
        self.index = QPersistentModelIndex(index)
        self.customer_id, self.base, self._commit_when_loaded = row.id, None, False
        self.original_text = cells.edit_text(self.target, row.hot.get(column.key))
        self.editor = make_editor(self.target, self.original_text, self.table.viewport())
        self.editor.installEventFilter(self)
        self.table.setIndexWidget(index, self.editor)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self.message.hide()
        self.said.emit(
            translate("grid.editing", "Editing {label} of {name}: Enter saves, Esc cancels.").format(
                label=self.target.field.label, name=row.name
            )
        )
        cid = row.id
        self._runner.read(lambda: self._svc.fields.get(cid), done=self._loaded, owner=self.editor,
                          failed=self._load_failed, label=translate("grid.editing", "Loading fields…"))
        return True

    def _loaded(self, fieldset: FieldSet) -> None:
        if fieldset.customer_id != self.customer_id or self.editor is None:
            return
        self.base = fieldset
        if self._commit_when_loaded:
            self._commit_when_loaded = False
            self.commit()

    def _load_failed(self, error: BaseException) -> None:
        self._show_problem(describe(error)[1])

    # --------------------------------------------------------------- ending

    def cancel(self) -> None:
        """Esc: close the editor, nothing written."""
        self._close()
        self.said.emit(translate("grid.editing", "Edit cancelled."))

    def finish(self) -> None:
        """Leaving the cell: save a changed value, drop an unchanged one."""
        if self.editor is None:
            return
        if editor_text(self.editor) == self.original_text:
            self._close()
        else:
            self.commit()

    def _current_moved(self, current, _previous) -> None:
        if self.editor is None:
            self.message.hide()
        elif self.editor is not None and self.index is not None and not self.saving and \
                (current.row(), current.column()) != (self.index.row(), self.index.column()):
            self.finish()

    def _close(self) -> None:
        editor, index = self.editor, self.index
        self.editor, self.index, self.base, self.target = None, None, None, None
        self.saving = False
        self.message.hide()
        if editor is not None:
            editor.removeEventFilter(self)
            editor.hide()          # gone now; deleted once the event loop gets to it
            if index is not None and index.isValid():
                self.table.setIndexWidget(self.table.model().index(index.row(), index.column()), None)
            editor.deleteLater()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # --------------------------------------------------------------- saving

    def value(self) -> tuple[Any, str | None]:
        """The field's new whole value from the typed text, or the problem with it."""
        assert self.target is not None and self.editor is not None
        part, problem = cells.parse(self.target, editor_text(self.editor))
        if problem:
            return None, f"{self.target.label} {problem}"
        current = self.base.values.get(self.target.field.key) if self.base else None
        value = cells.compose(current, {self.target.path: part})
        return value, cells.problem(self.target.field, value)

    def commit(self) -> None:
        """Enter: check the value, then save it with the ETag read when editing started."""
        if self.editor is None or self.target is None or self.saving:
            return
        part, problem = cells.parse(self.target, editor_text(self.editor))
        if problem:
            self._show_problem(f"{self.target.label} {problem}")
            return
        if self.base is None:
            self._commit_when_loaded = True     # the fields are on their way
            return
        value, problem = self.value()
        if problem:
            self._show_problem(problem)
            return
        key = self.target.field.key
        if value == self.base.values.get(key):
            self._close()
            return
        self._save({key: value}, self.base.etag)

    def _save(self, changes: dict[str, Any], etag: str) -> None:
        self.saving = True
        self.message.hide()
        cid = self.customer_id
        self._runner.write(lambda: self._svc.fields.patch(cid, changes, if_match=etag),
                           done=lambda fs: self._saved(fs, changes), failed=lambda e: self._refused(e, changes),
                           owner=self.table, label=translate("grid.editing", "Saving…"))

    def _saved(self, fieldset: FieldSet, changes: dict[str, Any]) -> None:
        labels = ", ".join(self.fields[k].label for k in changes)
        self._close()
        self.said.emit(translate("grid.editing", "Saved {labels}.").format(labels=labels))
        self.customers_changed.emit(frozenset({fieldset.customer_id}))

    def _refused(self, error: BaseException, changes: dict[str, Any]) -> None:
        self.saving = False
        if self.editor is None:
            return
        if isinstance(error, PreconditionFailed):
            cid = self.customer_id
            self._show_problem(translate("grid.editing", "Someone else saved this customer meanwhile; comparing…"))
            self._runner.read(
                lambda: self._svc.fields.get(cid),
                done=lambda current: self._compare(current, changes),
                owner=self.editor,
                failed=self._load_failed,
                label=translate("grid.editing", "Reloading fields…"),
            )
            return
        _title, detail, errors = describe(error)
        key = next(iter(changes))
        words = by_field(errors, property_titles(self.fields[key].schema)).get(key) if errors else None
        self._show_problem(
            translate("grid.editing", "Not saved: {words}").format(words=words)
            if words
            else translate("grid.editing", "Not saved. {detail}").format(detail=detail)
        )

    def _compare(self, current: FieldSet, mine: dict[str, Any]) -> None:
        if self.editor is None or self.base is None or current.customer_id != self.customer_id:
            return
        key = next(iter(mine))
        if current.values.get(key) == self.base.values.get(key):
            # They changed other fields only: this value is still ours to set.
            self.base = current
            self._save(mine, current.etag)
            return
        labels = {k: self.fields[k].label for k in mine}
        # The values as the person reads them (locale numbers and dates, parts in the schema's order).
        text = {k: lambda v, k=k: words.value_text(v, property_titles(self.fields[k].schema), self.fields[k].schema)
                for k in mine}
        self.conflict = ConflictDialog(labels, {k: text[k](self.base.values.get(k)) for k in mine},
                                       {k: text[k](v) for k, v in mine.items()},
                                       {k: text[k](current.values.get(k)) for k in mine}, self.table)
        self.conflict.accepted.connect(lambda: self._resolved(current, mine))
        self.conflict.rejected.connect(lambda: self._show_problem(
            "Not saved: someone else changed this value. Your text is kept; Enter compares again."))
        self.conflict.open()
        self.conflict_opened.emit(self.conflict)

    def _resolved(self, current: FieldSet, mine: dict[str, Any]) -> None:
        dialog, self.conflict = self.conflict, None
        if dialog is None or self.editor is None:
            return
        kept = {k: v for k, v in mine.items() if dialog.choice(k) == MINE}
        if kept:
            self.base = current
            self._save(kept, current.etag)
        else:
            cid = current.customer_id
            self._close()
            self.said.emit(translate("grid.editing", "Kept the value someone else saved."))
            self.customers_changed.emit(frozenset({cid}))

    # ------------------------------------------------------------- messages

    def _show_problem(self, text: str) -> None:
        if self.editor is not None:
            self.editor.setToolTip(text)
            self.editor.setStyleSheet("#cellEditor { border: 2px solid #b3261e; }")
        self._place_message(text)
        self.said.emit(text)

    def _place_message(self, text: str | None = None) -> None:
        if text is None and self.message.isHidden():
            return
        if self.index is None or not self.index.isValid():
            if text is None:
                self.message.hide()
            return
        rect = self.table.visualRect(self.table.model().index(self.index.row(), self.index.column()))
        self.message.show_at(text if text is not None else self.message.text(), rect)

    def problem_text(self) -> str:
        return "" if self.message.isHidden() else self.message.text()
