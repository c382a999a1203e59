"""A customer's samples: request one, move it along its workflow, see its timeline."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QMessageBox, QPushButton, QSplitter, QVBoxLayout,
                               QWidget)

from desktop import display
from desktop.detail.sample_request import SampleRequestDialog
from desktop.errors import show_error
from desktop.i18n import translate
from desktop.reference import Reference
from desktop.tables import ReadOnlyTable
from desktop.workers import Runner
from services.rules.workflow import CANCELED
from services.service_layer.samples import Sample, Transition

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

# What the button for a next status says.
ACTIONS = {
    "PACKED": QT_TRANSLATE_NOOP("detail.samples", "Mark packed"),
    "SHIPPED": QT_TRANSLATE_NOOP("detail.samples", "Mark shipped"),
    "DELIVERED": QT_TRANSLATE_NOOP("detail.samples", "Mark delivered"),
    "FEEDBACK_SUCCESS": QT_TRANSLATE_NOOP("detail.samples", "Feedback: success"),
    "FEEDBACK_NEUTRAL": QT_TRANSLATE_NOOP("detail.samples", "Feedback: neutral"),
    "FEEDBACK_FAIL": QT_TRANSLATE_NOOP("detail.samples", "Feedback: fail"),
    "CANCELED": QT_TRANSLATE_NOOP("detail.samples", "Cancel sample"),
}


class SamplesTab(QWidget):
    changed = Signal(object)   # the customer id whose sample was requested or moved: its grid row shows the status

    def __init__(self, runner: Runner, svc: Steward, reference: Reference, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("samplesTab")
        self._runner, self._svc, self._reference = runner, svc, reference
        self.customer_id: uuid.UUID | None = None
        self.samples: list[Sample] = []
        self.dialog: SampleRequestDialog | None = None

        self.request_button = QPushButton(translate("detail.samples", "Request sample…"))
        self.request_button.setObjectName("requestSample")
        self.request_button.clicked.connect(self.open_request)
        top = QHBoxLayout()
        title = QLabel(translate("detail.samples", "Samples"))
        title.setObjectName("sectionTitle")
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.request_button)

        self.table = ReadOnlyTable(
            [
                translate("detail.samples", "Requested"),
                translate("detail.samples", "Status"),
                translate("detail.samples", "Kit"),
                translate("detail.samples", "Items"),
                translate("detail.samples", "Delivery"),
            ],
            badge_columns=(1,),
            stretch=(2, 3),
        )
        self.table.itemSelectionChanged.connect(self._selected)
        self.empty = QLabel(
            translate("detail.samples", "No samples yet. “Request sample…” (Ctrl+Shift+S) sends the default kit.")
        )
        self.empty.setObjectName("hint")
        self.empty.hide()

        self.next_label = QLabel(translate("detail.samples", "Next step"))
        self.next_label.setObjectName("sectionTitle")
        self.actions = QHBoxLayout()
        self.actions.setSpacing(6)
        actions_row = QHBoxLayout()
        actions_row.addWidget(self.next_label)
        actions_row.addLayout(self.actions)
        actions_row.addStretch(1)
        self.timeline = QListWidget()
        self.timeline.setObjectName("timeline")
        self.timeline.setAlternatingRowColors(True)
        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addLayout(actions_row)
        timeline_title = QLabel(translate("detail.samples", "Timeline"))
        timeline_title.setObjectName("sectionTitle")
        below_layout.addWidget(timeline_title)
        below_layout.addWidget(self.timeline)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(below)
        split.setSizes([220, 200])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(split, 1)
        self._show_actions(None)

    # ---------------------------------------------------------------- loading

    def load(self, customer_id: uuid.UUID, select: uuid.UUID | None = None) -> None:
        self.customer_id = customer_id
        self._runner.read(
            lambda: (customer_id, self._svc.samples.list(customer_id)),
            done=lambda result: self._listed(result, select),
            owner=self,
            failed=lambda e: show_error(self, e, doing=translate("detail.samples", "Loading the samples")),
            label=translate("detail.samples", "Loading samples…"),
        )

    def _listed(self, result: tuple[uuid.UUID, list[Sample]], select: uuid.UUID | None) -> None:
        customer_id, samples = result
        if customer_id != self.customer_id:
            return
        self.samples = list(samples)
        kits = {k.id: k.name for k in self._reference.kits}
        self.table.set_rows(
            [
                [
                    display.local_day(s.created_at),
                    display.human(s.status),
                    kits.get(s.kit_id or "", translate("detail.samples", "Custom")),
                    ", ".join(f"{i.quantity}× {i.name or i.sku}" for i in s.items),
                    display.day(s.delivery_date),
                ]
                for s in samples
            ],
            data=[s.id for s in samples],
            badges=[[s.status] for s in samples],
        )
        self.empty.setVisible(not samples)
        row = next((n for n, s in enumerate(samples) if s.id == select), 0 if samples else -1)
        if row >= 0:
            self.table.selectRow(row)
        else:
            self._show_actions(None)
            self.timeline.clear()

    def selected(self) -> Sample | None:
        sample_id = self.table.row_data()
        return next((s for s in self.samples if s.id == sample_id), None)

    def _selected(self) -> None:
        sample = self.selected()
        self._show_actions(sample)
        self.timeline.clear()
        if sample is not None:
            self._runner.read(
                lambda: (sample.id, self._svc.samples.history(sample.id)),
                done=self._timeline,
                owner=self,
                failed=lambda e: show_error(self, e, doing=translate("detail.samples", "Loading the timeline")),
                label=translate("detail.samples", "Loading the timeline…"),
            )

    def _timeline(self, result: tuple[uuid.UUID, list[Transition]]) -> None:
        sample_id, transitions = result
        current = self.selected()
        if current is None or current.id != sample_id:
            return
        self.timeline.clear()
        for t in transitions:
            step = display.human(t.new_status) if t.old_status is None else \
                f"{display.human(t.old_status)} → {display.human(t.new_status)}"
            self.timeline.addItem(f"{display.moment(t.event_at)}    {step}    · {t.changed_by_name or 'system'}")

    # ---------------------------------------------------------------- actions

    def _show_actions(self, sample: Sample | None) -> None:
        while self.actions.count():
            widget = self.actions.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        allowed = sample.allowed_next if sample is not None else ()
        for status in allowed:
            button = QPushButton(
                translate("detail.samples", ACTIONS[status]) if status in ACTIONS else display.human(status)
            )
            button.setObjectName(f"move_{status}")
            button.clicked.connect(lambda _=False, s=status: self.move(s))
            self.actions.addWidget(button)
        self.next_label.setText(
            translate("detail.samples", "Next step")
            if allowed
            else (translate("detail.samples", "Final status") if sample else "")
        )

    def move(self, status: str) -> None:
        sample = self.selected()
        if sample is None or status not in sample.allowed_next:
            return
        if (
            status == CANCELED
            and QMessageBox.question(
                self,
                translate("detail.samples", "Cancel sample"),
                translate("detail.samples", "Cancel this sample request? This cannot be undone."),
            )
            != QMessageBox.StandardButton.Yes
        ):
            return
        self._set_actions_enabled(False)
        self._runner.write(lambda: self._svc.samples.set_status(sample.id, status), owner=self,
                           done=lambda s: self._moved(s), failed=self._move_failed,
                           label=translate("detail.samples", "Updating the sample…"))

    def _moved(self, sample: Sample) -> None:
        if self.customer_id == sample.customer_id:
            self.load(sample.customer_id, select=sample.id)
        self.changed.emit(sample.customer_id)

    def _move_failed(self, error: BaseException) -> None:
        self._set_actions_enabled(True)
        show_error(self, error, doing=translate("detail.samples", "Changing the sample's status"))
        if self.customer_id is not None:
            current = self.selected()
            self.load(self.customer_id, select=current.id if current else None)

    def _set_actions_enabled(self, enabled: bool) -> None:
        for n in range(self.actions.count()):
            widget = self.actions.itemAt(n).widget()
            if widget is not None:
                widget.setEnabled(enabled)

    def open_request(self) -> None:
        if self.customer_id is None:
            return
        self.dialog = SampleRequestDialog(self._reference, self)
        self.dialog.submitted.connect(self._request)
        self.dialog.open()

    def _request(self) -> None:
        dialog, customer_id = self.dialog, self.customer_id
        if dialog is None or customer_id is None:
            return
        kwargs = dialog.request()
        dialog.save_with(
            self._runner,
            lambda: self._svc.samples.request(customer_id, **kwargs),
            owner=self,
            label=translate("detail.samples", "Requesting the sample…"),
            doing=translate("detail.samples", "Requesting the sample"),
            done=self._requested,
        )

    def _requested(self, sample: Sample) -> None:
        self.dialog = None
        if self.customer_id == sample.customer_id:
            self.load(sample.customer_id, select=sample.id)
        self.changed.emit(sample.customer_id)
