"""The field editor: one editor per field of the catalog, saved with the ETag.

Ctrl+S saves only the changed fields, after checking them against their
schemas (nothing is sent while a field is invalid; the message stands next to
it). Esc reverts the field being edited. When someone else saved in between,
the conflict dialog lets the person choose per field; their edits stay in the
editor until they do.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QApplication, QFormLayout, QFrame, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from desktop.conflict import ConflictDialog
from desktop.detail.field_row import FieldRow
from desktop.editors import make_editor
from desktop.editors.problems import by_field, property_titles
from desktop.errors import show_error
from desktop.i18n import translate
from desktop.reference import Reference
from desktop.widgets import Banner, button_row, column
from desktop.workers import Runner
from services.errors import PreconditionFailed, ValidationError
from services.service_layer.fields import FieldSet
from services.rules.validation import schema_errors

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

# "Saved." stays this long, then the form is quiet again.
SAVED_MESSAGE_MS = 4000


class FieldsTab(QWidget):
    dirty_changed = Signal(bool)
    saved = Signal(object)          # FieldSet
    conflict_opened = Signal(object)  # ConflictDialog

    def __init__(self, runner: Runner, svc: Steward, reference: Reference, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("fieldsTab")
        self._runner, self._svc = runner, svc
        self.customer_id: uuid.UUID | None = None
        self.base: FieldSet | None = None
        self._saving = False
        self._dirty = False
        self._pristine: dict[str, Any] = {}
        self._focus_when_loaded = False
        self.conflict: ConflictDialog | None = None
        self.rows: dict[str, FieldRow] = {}
        self.locked: str | None = None

        self.banner = Banner()
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(10)
        may_write_restricted = bool(getattr(reference.actor, "may_write_restricted", False))
        for definition in reference.fields:
            # Codes with labels of their own in the pack (contact roles) show as the labels.
            editor = make_editor(definition.schema, key=definition.key, labels=reference.contact_roles)
            read_only = definition.derived or (definition.restricted and not may_write_restricted)
            row = FieldRow(definition, editor, read_only)
            editor.changed.connect(self._edited)
            self.rows[definition.key] = row
            form.addRow(row.label, column(editor.widget, row.error))
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 8, 0)
        page_layout.addWidget(form_widget)
        page_layout.addStretch(1)   # spare height below the form, not between its rows
        scroll = QScrollArea()
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # Tab goes from field to field, not to the page

        self.discard_button = QPushButton(translate("detail.fields", "Discard changes"))
        self.discard_button.clicked.connect(self.discard)
        self.save_button = QPushButton(translate("detail.fields", "Save"))
        self.save_button.setObjectName("primary")
        self.save_button.setToolTip(translate("detail.fields", "Save the changed fields (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        buttons = button_row(self.discard_button, self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.revert_focused)
        self.setEnabled(False)
        self._update_buttons()

    # ----------------------------------------------------------------- state

    @property
    def dirty(self) -> bool:
        return self._dirty

    def changes(self) -> dict[str, Any]:
        """The fields whose editor differs from what was loaded, with the edited values."""
        if self.base is None:
            return {}
        return {key: row.editor.value() for key, row in self.rows.items()
                if not row.read_only and row.editor.value() != self._pristine.get(key)}

    def _show_saved(self, key: str, stored: Any) -> None:
        """Show a stored value, and remember how the editor renders it: a value the editor
        cannot represent exactly (more decimals, an unknown list entry) is not an edit."""
        editor = self.rows[key].editor
        editor.set_value(stored)
        self._pristine[key] = editor.value()

    def set_locked(self, reason: str | None) -> None:
        """The open customer is not this person's to change (`reason` says why), or it is (None):
        every field shows read-only, greyed, with the reason on hover."""
        self.locked = reason
        for row in self.rows.values():
            row.set_locked(reason)
        self._update_buttons()

    def clear(self) -> None:
        """No customer open."""
        self.customer_id, self.base = None, None
        self.banner.clear()
        self.setEnabled(False)

    def load(self, customer_id: uuid.UUID) -> None:
        self.customer_id = customer_id
        self.setEnabled(False)
        self._runner.read(
            lambda: self._svc.fields.get(customer_id),
            done=self._loaded,
            failed=lambda e: show_error(self, e, doing=translate("detail.fields", "Loading the fields")),
            owner=self,
            label=translate("detail.fields", "Loading fields…"),
        )

    def _loaded(self, fieldset: FieldSet) -> None:
        if fieldset.customer_id != self.customer_id:
            return
        unchanged = self.base is not None and self.base.customer_id == fieldset.customer_id \
            and self.base.version == fieldset.version
        self.base = fieldset
        for key, row in self.rows.items():
            self._show_saved(key, fieldset.values.get(key))
            row.show_error(None)
        if not unchanged:
            self.banner.clear()
        self.setEnabled(True)
        self._edited()
        if self._focus_when_loaded:
            self._focus_when_loaded = False
            self.focus_first()

    def focus_first(self) -> None:
        """Put the cursor in the first field the person may change (once the fields are here)."""
        if not self.isEnabled():
            self._focus_when_loaded = True
            return
        for row in self.rows.values():
            if not row.read_only:
                row.editor.widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return

    def _edited(self) -> None:
        changed = self.changes()
        for key, row in self.rows.items():
            row.mark(key in changed)
        dirty = bool(changed)
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)
        if dirty and not self._saving:
            n = len(changed)
            self.banner.say(
                (
                    translate("detail.fields", "{n} unsaved changes. Ctrl+S saves; Esc reverts the field you are in.")
                    if n > 1
                    else translate(
                        "detail.fields", "{n} unsaved change. Ctrl+S saves; Esc reverts the field you are in."
                    )
                ).format(n=n),
                "info",
            )
        elif not dirty and self.banner.property("level") == "info":
            self.banner.clear()
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self._dirty and not self._saving and self.locked is None)
        self.discard_button.setEnabled(self._dirty and not self._saving)

    # ------------------------------------------------------------ reverting

    def revert(self, key: str) -> None:
        if self.base is not None:
            self._show_saved(key, self.base.values.get(key))
            self.rows[key].show_error(None)
            self._edited()

    def revert_focused(self) -> None:
        focus = QApplication.focusWidget()
        for key, row in self.rows.items():
            if focus is not None and (focus is row.editor.widget or row.editor.widget.isAncestorOf(focus)):
                self.revert(key)
                return

    def discard(self) -> None:
        for key in list(self.changes()):
            self.revert(key)

    # --------------------------------------------------------------- saving

    def validate(self, changes: dict[str, Any]) -> dict[str, str]:
        """Messages per field for values that do not fit their schema (empty values remove a field)."""
        problems: dict[str, str] = {}
        for key, value in changes.items():
            if value is None:
                continue
            definition = self.rows[key].definition
            errors = schema_errors(definition.schema, value, prefix=key)
            problems.update(by_field(errors, property_titles(definition.schema)))
        return problems

    def save(self) -> None:
        if self._saving or self.base is None or self.customer_id is None:
            return
        changes = self.changes()
        if not changes:
            return
        problems = self.validate(changes)
        for key, row in self.rows.items():
            row.show_error(problems.get(key))
        if problems:
            self.banner.say(
                translate("detail.fields", "Not saved: some fields are not valid (see the messages next to them)."),
                "error",
            )
            return
        self._saving = True
        self._update_buttons()
        self.banner.say(translate("detail.fields", "Saving…"), "info")
        cid, etag = self.customer_id, self.base.etag
        self._runner.write(lambda: self._svc.fields.patch(cid, changes, if_match=etag),
                           done=lambda fs: self._saved(fs, changes), failed=lambda e: self._save_failed(e, changes),
                           owner=self, label=translate("detail.fields", "Saving fields…"))

    def _saved(self, fieldset: FieldSet, sent: dict[str, Any]) -> None:
        self._saving = False
        if fieldset.customer_id != self.customer_id:
            return
        self.base = fieldset
        for key, value in sent.items():
            # Adopt the saved form of what was sent; anything typed since stays an edit.
            typed = self.rows[key].editor.value()
            self._show_saved(key, fieldset.values.get(key))
            if typed != value:
                self.rows[key].editor.set_value(typed)
        self.banner.say(translate("detail.fields", "Saved."), "success", clear_after_ms=SAVED_MESSAGE_MS)
        self._edited()
        self.saved.emit(fieldset)

    def _save_failed(self, error: BaseException, sent: dict[str, Any]) -> None:
        self._saving = False
        self._update_buttons()
        if isinstance(error, PreconditionFailed):
            cid = self.customer_id
            self.banner.say(
                translate("detail.fields", "Someone else saved this customer meanwhile; comparing…"), "warning"
            )
            self._runner.read(
                lambda: self._svc.fields.get(cid),
                done=self._compare,
                owner=self,
                failed=lambda e: show_error(self, e, doing=translate("detail.fields", "Reloading the fields")),
                label=translate("detail.fields", "Reloading fields…"),
            )
            return
        if isinstance(error, ValidationError) and error.errors:
            problems = by_field(error.errors)
            for key, row in self.rows.items():
                row.show_error(problems.get(key))
        self.banner.say(
            translate("detail.fields", "Not saved. {getattr}").format(getattr=getattr(error, 'detail', error)), "error"
        )
        show_error(self, error, doing=translate("detail.fields", "Saving the fields"))

    # ------------------------------------------------------------ conflicts

    def _compare(self, current: FieldSet) -> None:
        if self.base is None or current.customer_id != self.customer_id:
            return
        original, mine = self.base.values, self.changes()
        overlapping = [k for k in mine if current.values.get(k) != original.get(k)]
        if not overlapping:
            # They changed other fields only: take theirs, keep ours, save again.
            self.rebase(current, mine)
            self.banner.say(
                translate("detail.fields", "Merged with changes someone else saved meanwhile; saving…"), "info"
            )
            self.save()
            return
        labels = {k: row.definition.label for k, row in self.rows.items()}
        titles = {k: property_titles(row.definition.schema) for k, row in self.rows.items()}
        self.conflict = ConflictDialog(labels, original, mine, current.values, self, titles=titles)
        self.conflict.accepted.connect(lambda: self._resolved(current))
        self.conflict.rejected.connect(
            lambda: self.banner.say(
                translate(
                    "detail.fields",
                    "Not saved: someone else changed these fields. Your edits are kept; save again to compare.",
                ),
                "warning",
            )
        )
        self.banner.say(translate("detail.fields", "Not saved yet: choose which values to keep."), "warning")
        self.conflict.open()
        self.conflict_opened.emit(self.conflict)

    def _resolved(self, current: FieldSet) -> None:
        dialog = self.conflict
        self.conflict = None
        if dialog is None:
            return
        self.rebase(current, dialog.kept())
        if self._dirty:
            self.save()
        else:
            self.banner.say(
                translate("detail.fields", "Kept the saved values; nothing left to save."),
                "success",
                clear_after_ms=SAVED_MESSAGE_MS,
            )

    def rebase(self, current: FieldSet, keep: dict[str, Any]) -> None:
        """Start from `current` (the saved state), with `keep` as edits on top."""
        self.base = current
        for key, row in self.rows.items():
            self._show_saved(key, current.values.get(key))
            if key in keep:
                row.editor.set_value(keep[key])
        self._edited()
