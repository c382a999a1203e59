"""Merge customers, side by side: one column per customer, a radio choice per value (master data and
fields) and which customer survives; a dry run says what would move and change before Merge."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QDialog, QGridLayout, QHBoxLayout, QLabel, QPushButton, QRadioButton,
                               QScrollArea, QVBoxLayout, QWidget)

from desktop.errors import show_error
from desktop.i18n import Texts, translate
from desktop.reference import Reference
from desktop.stewardship import confirm
from desktop.stewardship.words import ValueWords
from desktop.workers import Runner
from services import formats
from services.service_layer.duplicates import MASTER_KEYS, MergeResult

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

LONGEST = 48        # characters of a value shown (the whole of it in the tooltip)
# What moves to the survivor, counted: "{n}" is the number, one message for one and one for more.
ONE = Texts(
    "duplicates.merge_dialog",
    {
        "sample_request": QT_TRANSLATE_NOOP("duplicates.merge_dialog", "{n} sample"),
        "activities": QT_TRANSLATE_NOOP("duplicates.merge_dialog", "{n} activity"),
        "slas": QT_TRANSLATE_NOOP("duplicates.merge_dialog", "{n} SLA"),
        "roi_scenarios": QT_TRANSLATE_NOOP("duplicates.merge_dialog", "{n} ROI scenario"),
        "contact_roles": QT_TRANSLATE_NOOP("duplicates.merge_dialog", "{n} contact link"),
    },
)
MANY = Texts(
    "duplicates.merge_dialog",
    {
        "sample_request": QT_TRANSLATE_NOOP("duplicates.merge_dialog", "{n} samples"),
        "activities": QT_TRANSLATE_NOOP("duplicates.merge_dialog", "{n} activities"),
        "slas": QT_TRANSLATE_NOOP("duplicates.merge_dialog", "{n} SLAs"),
        "roi_scenarios": QT_TRANSLATE_NOOP("duplicates.merge_dialog", "{n} ROI scenarios"),
        "contact_roles": QT_TRANSLATE_NOOP("duplicates.merge_dialog", "{n} contact links"),
    },
)


class MergeDialog(QDialog):
    merged = Signal(object)          # the MergeResult

    def __init__(self, runner: Runner, svc: Steward, reference: Reference, customers: list[uuid.UUID],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.setWindowTitle(translate("duplicates.merge_dialog", "Merge customers"))
        self._runner, self._svc, self._reference = runner, svc, reference
        self.words = ValueWords(reference)
        self.ids = list(customers)
        self.others: set[uuid.UUID] = set()
        self.completed = False      # not "done": that would hide QDialog.done(), which reject() calls
        self.loaded: list[tuple[Any, dict[str, Any]]] = []
        self.survivor = QButtonGroup(self)
        self.choices: dict[str, QButtonGroup] = {}
        self.preview: MergeResult | None = None

        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(18)
        body = QWidget()
        body.setLayout(self.grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.summary = QLabel(translate("duplicates.merge_dialog", "Loading the customers…"))
        self.summary.setObjectName("mergeSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dry_run_button = QPushButton(translate("duplicates.merge_dialog", "Dry run"))
        self.dry_run_button.setObjectName("mergeDryRun")
        self.dry_run_button.clicked.connect(self.dry_run)
        self.merge_button = QPushButton(translate("duplicates.merge_dialog", "Merge"))
        self.merge_button.setObjectName("mergeNow")
        self.merge_button.clicked.connect(self.merge)
        cancel = QPushButton(translate("duplicates.merge_dialog", "Cancel"))
        cancel.clicked.connect(self.reject)
        for b in (self.dry_run_button, self.merge_button):
            b.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.dry_run_button, self.merge_button, cancel):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        hint = QLabel(translate("duplicates.merge_dialog",
                                 "Choose the customer that stays and, per value, whose value it keeps. Samples, "
                                 "activities, SLAs, ROI scenarios and contacts all move to it; the others stay "
                                 "as references to it. Undo takes the merge back."))
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        layout.addWidget(hint)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        self.resize(980, 660)
        runner.read(self._load, done=self._loaded, owner=self,
                    label=translate("duplicates.merge_dialog", "Loading the customers…"),
                    failed=lambda e: show_error(self, e, doing=translate("duplicates.merge_dialog",
                                                                         "Loading the customers")))

    def _load(self) -> list[tuple[Any, dict[str, Any]]]:
        return [(self._svc.customers.get(c), self._svc.fields.get(c).values) for c in self.ids]

    def _loaded(self, loaded: list[tuple[Any, dict[str, Any]]]) -> None:
        self.loaded = loaded
        self.grid.addWidget(QLabel("<b>{}</b>".format(translate("duplicates.merge_dialog", "Keeps"))), 0, 0)
        for column, (customer, _values) in enumerate(loaded, 1):
            radio = QRadioButton(customer.name)
            radio.setObjectName("survivor")
            radio.setToolTip(f"{customer.name}, {customer.city or '—'} ({customer.owner_name or '—'})")
            self.survivor.addButton(radio, column - 1)
            self.grid.addWidget(radio, 0, column)
        self.survivor.idToggled.connect(self._survivor_changed)
        row = 1
        keys = [*MASTER_KEYS, *(f.key for f in self._reference.fields if not f.derived)]
        for key in keys:
            values = [self._value(customer, fields, key) for customer, fields in loaded]
            if all(v is None for v in values):
                continue
            target = "master" if key in MASTER_KEYS else "field"
            label = QLabel(self.words.key(target, key))
            self.grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
            group = QButtonGroup(self)
            for column, value in enumerate(values, 1):
                words = self.words.value(target, key, value)
                radio = QRadioButton(words if len(words) <= LONGEST else words[:LONGEST - 1] + "…")
                radio.setObjectName(f"pick_{key}")
                radio.setToolTip(words)
                group.addButton(radio, column - 1)
                self.grid.addWidget(radio, row, column, Qt.AlignmentFlag.AlignTop)
            self.choices[key] = group
            row += 1
        self.grid.setRowStretch(row, 1)
        self.grid.setColumnStretch(len(loaded) + 1, 1)
        # The survivor proposed: the customer with the most values, the older one of equals.
        richest = max(range(len(loaded)), key=lambda n: (len(loaded[n][1]), -loaded[n][0].created_at.timestamp()))
        self.survivor.button(richest).setChecked(True)
        for b in (self.dry_run_button, self.merge_button):
            b.setEnabled(True)
        self.summary.setText(translate("duplicates.merge_dialog", "Choose, then Dry run to see what moves, or Merge."))

    @staticmethod
    def _value(customer: Any, fields: dict[str, Any], key: str) -> Any:
        return getattr(customer, key) if key in MASTER_KEYS else fields.get(key)

    def _survivor_changed(self, index: int, checked: bool) -> None:
        """Each value starts as the survivor's, or the first one given where the survivor has none."""
        if not checked:
            return
        for key, group in self.choices.items():
            values = [self._value(c, f, key) for c, f in self.loaded]
            pick = index if values[index] is not None else next(i for i, v in enumerate(values) if v is not None)
            group.button(pick).setChecked(True)
        self.preview = None

    def request(self) -> tuple[uuid.UUID, list[uuid.UUID], dict[str, uuid.UUID]]:
        survivor = self.survivor.checkedId()
        ids = [c.id for c, _ in self.loaded]
        pick = {key: ids[g.checkedId()] for key, g in self.choices.items() if g.checkedId() not in (-1, survivor)}
        return ids[survivor], [i for n, i in enumerate(ids) if n != survivor], pick

    def dry_run(self) -> None:
        survivor, others, pick = self.request()
        self.summary.setText(translate("duplicates.merge_dialog", "Working out what would move…"))
        self._runner.read(lambda: self._svc.duplicates.merge(survivor, others, pick=pick, dry_run=True),
                          done=self._previewed, owner=self,
                          label=translate("duplicates.merge_dialog", "Dry run of the merge…"),
                          failed=lambda e: show_error(self, e, doing=translate("duplicates.merge_dialog",
                                                                               "The dry run")))

    def _previewed(self, result: MergeResult) -> None:
        self.preview = result
        self.summary.setText(self.describe(result))

    def describe(self, result: MergeResult) -> str:
        f = formats.current()
        moved = ", ".join((ONE if n == 1 else MANY).get(t, "{n} × " + t).format(n=f.number(n))
                          for t, n in result.moved.items() if n)
        changes = [f"{self.words.key('master', m['key'])}: {self.words.value('master', m['key'], m['before'])} → "
                   f"{self.words.value('master', m['key'], m['after'])}" for m in result.master]
        changes += [f"{self.words.key('field', c['key'])}: {self.words.value('field', c['key'], c['before'])} → "
                    f"{self.words.value('field', c['key'], c['after'])}" for c in result.fields]
        lead = (translate("duplicates.merge_dialog", "Dry run: nothing written.") if result.dry_run else
                translate("duplicates.merge_dialog", "Merged."))
        return translate("duplicates.merge_dialog", "{lead} Moves: {moved}. Changes: {changes}.").format(
            lead=lead, moved=moved or translate("duplicates.merge_dialog", "nothing"),
            changes="; ".join(changes) or translate("duplicates.merge_dialog", "no values"))

    def merge(self) -> None:
        survivor, others, pick = self.request()
        self.merge_button.setEnabled(False)
        self._runner.write(lambda: self._svc.duplicates.merge(survivor, others, pick=pick), owner=self,
                           done=self._merged, label=translate("duplicates.merge_dialog", "Merging…"), failed=self._failed)

    def _merged(self, result: MergeResult) -> None:
        self.completed, self.others = True, set(result.others)
        self.summary.setText(self.describe(result))
        self.merged.emit(result)
        self.hide()
        self.result_box = confirm.tell(
            self.parentWidget(), translate("duplicates.merge_dialog", "Merged"), self.describe(result),
            translate("duplicates.merge_dialog", "Edit → Change-set history takes it back."))

    def _failed(self, error: BaseException) -> None:
        self.merge_button.setEnabled(True)
        show_error(self, error, doing=translate("duplicates.merge_dialog", "The merge"))
