"""Bulk edit (Edit → Bulk edit…, Ctrl+B): set or clear fields on the grid's selection or on every
customer of the current filter. A preview comes first and follows every choice; Apply runs
it in the background (desktop/stewardship/bulk_apply.py) as one change set that undo takes back."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QDialog, QDialogButtonBox, QFrame, QGridLayout, QLabel,
                               QRadioButton, QScrollArea, QVBoxLayout, QWidget)

from desktop.editors import Editor, make_editor
from desktop.errors import describe
from desktop.i18n import translate
from desktop.reference import Reference
from desktop.stewardship import bulk_preview
from desktop.stewardship.form import person_locale
from desktop.widgets import Banner, compact_combo
from desktop.workers import Runner
from services import formats
from services.service_layer.bulk import BulkPreview

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

PREVIEW_DELAY_MS = 350
SET, CLEAR = "set", "clear"


@dataclass(frozen=True)
class BulkRequest:
    changes: dict[str, Any]
    selection: dict[str, Any]          # customer_ids=[…] or filters={…}
    description: str
    customers: int                     # in the selection, as the preview counted them


@dataclass
class FieldChoice:
    key: str
    check: QCheckBox
    mode: Any                          # a combo: set / clear
    editor: Editor


class BulkEditDialog(QDialog):
    apply_requested = Signal(object)   # BulkRequest
    previewed = Signal(object)         # BulkPreview

    def __init__(self, runner: Runner, svc: Steward, reference: Reference, selected: list[uuid.UUID],
                 filters: dict[str, Any], total: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("bulkEditDialog")
        self.setLocale(person_locale())
        self.setWindowTitle(translate("stewardship.bulk_edit", "Bulk edit"))
        self._runner, self._svc = runner, svc
        self.fields = {f.key: f for f in reference.fields if not f.derived}
        self.selected, self.filters = list(selected), dict(filters)
        self.preview: BulkPreview | None = None
        self._previewed_for: tuple | None = None
        self._generation = 0
        may_restricted = bool(getattr(reference.actor, "may_write_restricted", False))
        f = formats.current()

        self.banner = Banner()
        self.scope = QButtonGroup(self)
        self.on_selection = QRadioButton(
            translate("stewardship.bulk_edit", "The {number} selected customers").format(number=f.number(len(selected)))
            if len(selected) != 1
            else translate("stewardship.bulk_edit", "The selected customer")
        )
        everyone = translate("stewardship.bulk_edit", "all customers of the current filter") + (
            f" ({f.number(total)})" if total is not None else ""
        )
        self.on_filter = QRadioButton(everyone[0].upper() + everyone[1:])
        for button in (self.on_selection, self.on_filter):
            self.scope.addButton(button)
        self.on_selection.setEnabled(bool(selected))
        (self.on_selection if selected else self.on_filter).setChecked(True)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        self.choices: dict[str, FieldChoice] = {}
        for row, definition in enumerate(self.fields.values()):
            check = QCheckBox(definition.label)
            check.setObjectName(f"change_{definition.key}")
            if definition.restricted and not may_restricted:
                check.setText(translate("stewardship.bulk_edit", "{label} (restricted)").format(label=definition.label))
                check.setToolTip(
                    translate(
                        "stewardship.bulk_edit",
                        "Contract and price field: only chain managers and admins change it. "
                        "The preview shows it refused.",
                    )
                )
            else:
                check.setToolTip(definition.description)
            mode = compact_combo(8)
            mode.addItem(translate("stewardship.bulk_edit", "Set to"), SET)
            mode.addItem(translate("stewardship.bulk_edit", "Clear"), CLEAR)
            editor = make_editor(definition.schema, key=definition.key)
            choice = FieldChoice(definition.key, check, mode, editor)
            self.choices[definition.key] = choice
            check.toggled.connect(lambda _on, c=choice: self._choice_changed(c))
            mode.currentIndexChanged.connect(lambda _i, c=choice: self._choice_changed(c))
            editor.changed.connect(self.schedule_preview)
            grid.addWidget(check, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(mode, row, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(editor.widget, row, 2)
            self._choice_changed(choice, quiet=True)
        grid.setColumnStretch(2, 1)
        fields_box = QWidget()
        fields_box.setLayout(grid)
        fields_scroll = QScrollArea()
        fields_scroll.setWidget(fields_box)
        fields_scroll.setWidgetResizable(True)
        fields_scroll.setFrameShape(QFrame.Shape.NoFrame)

        preview_title = QLabel(translate("stewardship.bulk_edit", "Preview"))
        preview_title.setObjectName("sectionTitle")
        self.preview_label = QLabel(translate("stewardship.bulk_edit", "Choose the fields to change."))
        self.preview_label.setObjectName("bulkPreview")
        self.preview_label.setWordWrap(True)
        self.preview_label.setTextFormat(Qt.TextFormat.RichText)
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.preview_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        preview_scroll = QScrollArea()
        preview_scroll.setWidget(self.preview_label)
        preview_scroll.setWidgetResizable(True)
        preview_scroll.setMinimumHeight(150)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.addButton(
            translate("stewardship.bulk_edit", "Apply"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setObjectName("primary")
        self.apply_button.setEnabled(False)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)

        scope_title = QLabel(translate("stewardship.bulk_edit", "Change"))
        scope_title.setObjectName("sectionTitle")
        fields_title = QLabel(translate("stewardship.bulk_edit", "Fields"))
        fields_title.setObjectName("sectionTitle")
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(scope_title)
        layout.addWidget(self.on_selection)
        layout.addWidget(self.on_filter)
        layout.addSpacing(6)
        layout.addWidget(fields_title)
        layout.addWidget(fields_scroll, 3)
        layout.addWidget(preview_title)
        layout.addWidget(preview_scroll, 2)
        layout.addWidget(self.buttons)
        self.resize(840, 820)
        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.run_preview)
        self.on_selection.toggled.connect(lambda _on: self.schedule_preview())

    # -------------------------------------------------------------- choices

    def choose(self, key: str, value: Any = None, *, clear: bool = False) -> None:
        """Tick a field and give its new value (or clear it): for tests and scripted screenshots."""
        choice = self.choices[key]
        choice.mode.setCurrentIndex(choice.mode.findData(CLEAR if clear else SET))
        if not clear:
            choice.editor.set_value(value)
        choice.check.setChecked(True)
        self.schedule_preview()

    def _choice_changed(self, choice: FieldChoice, quiet: bool = False) -> None:
        on = choice.check.isChecked()
        choice.mode.setEnabled(on)
        choice.editor.set_read_only(not on or choice.mode.currentData() == CLEAR)
        if not quiet:
            self.schedule_preview()

    def changes(self) -> dict[str, Any]:
        return {key: (None if c.mode.currentData() == CLEAR else c.editor.value())
                for key, c in self.choices.items() if c.check.isChecked()}

    def selection(self) -> dict[str, Any]:
        if self.on_selection.isChecked():
            return {"customer_ids": list(self.selected)}
        return {"filters": dict(self.filters)}

    def _key(self) -> tuple:
        return repr(sorted(self.changes().items())), repr(self.selection())

    # -------------------------------------------------------------- preview

    def schedule_preview(self) -> None:
        self.apply_button.setEnabled(False)
        self._timer.start()

    def run_preview(self) -> None:
        changes, selection = self.changes(), self.selection()
        if not changes:
            self.preview, self._previewed_for = None, None
            self.preview_label.setText(translate("stewardship.bulk_edit", "Choose the fields to change."))
            return
        self._generation += 1
        generation, key = self._generation, self._key()
        self.preview_label.setText(translate("stewardship.bulk_edit", "Counting…"))
        self._runner.read(
            lambda: self._svc.bulk.preview(changes, **selection),
            done=lambda p: self._previewed(generation, key, p),
            owner=self,
            failed=lambda e: self._preview_failed(generation, e),
            label=translate("stewardship.bulk_edit", "Previewing the bulk edit…"),
        )

    def _previewed(self, generation: int, key: tuple, preview: BulkPreview) -> None:
        if generation != self._generation:
            return
        self.preview, self._previewed_for = preview, key
        self.preview_label.setText(bulk_preview.as_html(preview, self.fields))
        self.banner.clear()
        self.apply_button.setEnabled(self.ready())
        self.previewed.emit(preview)

    def _preview_failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            _title, detail, errors = describe(error)
            self.preview_label.setText("")
            self.banner.say(
                translate("stewardship.bulk_edit", "No preview: {detail} ").format(detail=detail)
                + "; ".join(f"{k}: {v}" for k, v in errors.items()),
                "error",
            )

    def ready(self) -> bool:
        """A preview of exactly these choices, valid, that changes something."""
        p = self.preview
        return p is not None and self._previewed_for == self._key() and not p.errors and p.values_changing > 0

    # ---------------------------------------------------------------- apply

    def apply(self) -> None:
        if not self.ready():
            self.schedule_preview()
            return
        assert self.preview is not None
        changes = self.changes()
        verbs = [(translate("stewardship.bulk_edit", "Clear {field}") if v is None else
                  translate("stewardship.bulk_edit", "Set {field}")).format(field=self.fields[k].label)
                 for k, v in changes.items()]
        what = ", ".join(verbs)
        n = formats.current().number(self.preview.customers)
        description = (translate("stewardship.bulk_edit", "{what} on {n} customer") if self.preview.customers == 1 else
                       translate("stewardship.bulk_edit", "{what} on {n} customers")).format(what=what, n=n)
        self.apply_requested.emit(BulkRequest(changes, self.selection(), description, self.preview.customers))
        self.accept()
