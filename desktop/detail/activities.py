"""A customer's activities (typed by the domain pack), with filters, and the SLAs they opened."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QLineEdit, QMenu, QPushButton, QSplitter,
                               QToolButton, QVBoxLayout, QWidget)

from desktop import display
from desktop.detail.activity_form import ActivityDialog
from desktop.errors import show_error
from desktop.i18n import translate
from desktop.reference import Reference
from desktop.tables import ReadOnlyTable
from desktop.widgets import OptionalDateEdit, compact_combo
from desktop.workers import Runner
from services.service_layer.activities import Activity

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

PAGE_SIZE = 50


class ActivitiesTab(QWidget):
    changed = Signal(object)   # the customer id an activity was logged for

    def __init__(self, runner: Runner, svc: Steward, reference: Reference, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("activitiesTab")
        self._runner, self._svc, self._reference = runner, svc, reference
        self._titles = {k.kind: {key: p.get("title") or display.label(key)
                                 for key, p in k.fields_schema.get("properties", {}).items()}
                        for k in reference.kinds}
        self._labels = {k.kind: k.label for k in reference.kinds}
        self.customer_id: uuid.UUID | None = None
        self.activities: list[Activity] = []
        self._cursor: str | None = None
        self._generation = 0
        self.dialog: ActivityDialog | None = None

        self.log_button = QToolButton(text=translate("detail.activities", "Log activity"))
        self.log_button.setObjectName("logActivity")
        self.log_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.log_button)
        for k in reference.kinds:
            action = QAction(k.label, menu)
            action.triggered.connect(lambda _=False, kind=k.kind: self.open_form(kind))
            menu.addAction(action)
        self.log_button.setMenu(menu)

        self.kind = compact_combo()
        self.kind.addItem(translate("detail.activities", "All kinds"), None)
        for k in reference.kinds:
            self.kind.addItem(k.label, k.kind)
        self.date_from = OptionalDateEdit()
        self.date_to = OptionalDateEdit()
        self.text = QLineEdit(
            placeholderText=translate("detail.activities", "Search notes and details"), clearButtonEnabled=True
        )
        self._timer = QTimer(self, singleShot=True, interval=300)
        self._timer.timeout.connect(self.reload)
        self.kind.currentIndexChanged.connect(self._timer.start)
        self.date_from.value_changed.connect(self._timer.start)
        self.date_to.value_changed.connect(self._timer.start)
        self.text.textChanged.connect(self._timer.start)
        first = QHBoxLayout()
        first.addWidget(self.kind, 1)
        first.addWidget(self.text, 2)
        first.addWidget(self.log_button)
        second = QHBoxLayout()
        second.addWidget(QLabel(translate("detail.activities", "From")))
        second.addWidget(self.date_from)
        second.addWidget(QLabel(translate("detail.activities", "to")))
        second.addWidget(self.date_to)
        second.addStretch(1)
        filters = QVBoxLayout()
        filters.setSpacing(4)
        filters.addLayout(first)
        filters.addLayout(second)

        self.table = ReadOnlyTable(
            [
                translate("detail.activities", "When"),
                translate("detail.activities", "Kind"),
                translate("detail.activities", "Outcome"),
                "SLA",
                translate("detail.activities", "Details"),
            ],
            badge_columns=(3,),
            stretch=(1, 4),
        )
        self.more_button = QPushButton(translate("detail.activities", "Load more"))
        self.more_button.clicked.connect(self._more)
        self.more_button.hide()
        self.slas = ReadOnlyTable(
            [
                "SLA",
                translate("detail.activities", "Rule"),
                translate("detail.activities", "Due"),
                translate("detail.activities", "Status"),
            ],
            badge_columns=(3,),
            stretch=(0, 1),
        )

        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.table)
        upper_layout.addWidget(self.more_button, alignment=Qt.AlignmentFlag.AlignRight)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(translate("detail.activities", "SLAs"))
        title.setObjectName("sectionTitle")
        lower_layout.addWidget(title)
        lower_layout.addWidget(self.slas)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(lower)
        split.setSizes([300, 140])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(split, 1)

    # ---------------------------------------------------------------- loading

    def load(self, customer_id: uuid.UUID) -> None:
        self.customer_id = customer_id
        self.reload()

    def query(self) -> dict[str, Any]:
        return {"kind": self.kind.currentData(), "from_": self.date_from.value(), "to": self.date_to.value(),
                "q": self.text.text().strip() or None}

    def reload(self) -> None:
        if self.customer_id is None:
            return
        self._generation += 1
        self.activities, self._cursor = [], None
        self._fetch(append=False)
        cid = self.customer_id
        self._runner.read(
            lambda: (cid, self._svc.activities.slas(cid)),
            done=self._show_slas,
            owner=self,
            failed=lambda e: show_error(self, e, doing=translate("detail.activities", "Loading the SLAs")),
            label=translate("detail.activities", "Loading SLAs…"),
        )

    def _more(self) -> None:
        self._fetch(append=True)

    def _fetch(self, *, append: bool) -> None:
        cid, query, cursor, generation = self.customer_id, self.query(), self._cursor, self._generation
        self.more_button.setEnabled(False)
        self._runner.read(
            lambda: self._svc.activities.list(cid, **query, limit=PAGE_SIZE, cursor=cursor),
            done=lambda page: self._listed(generation, page),
            owner=self,
            failed=lambda e: show_error(self, e, doing=translate("detail.activities", "Loading the activities")),
            label=translate("detail.activities", "Loading activities…"),
        )

    def _listed(self, generation: int, page) -> None:
        if generation != self._generation:
            return
        self.activities.extend(page.items)
        self._cursor = page.next_cursor
        self.table.set_rows([self._cells(a) for a in self.activities], data=[a.id for a in self.activities],
                            badges=[[a.sla_badge] for a in self.activities])
        for row, activity in enumerate(self.activities):
            self.table.item(row, 0).setToolTip(display.moment(activity.occurred_at))
            if activity.sla_due:
                self.table.item(row, 3).setToolTip(
                    translate("detail.activities", "Due {sla_due}").format(sla_due=display.day(activity.sla_due))
                )
        self.more_button.setVisible(self._cursor is not None)
        self.more_button.setEnabled(True)

    def _cells(self, a: Activity) -> list[str]:
        titles = self._titles.get(a.kind, {})
        details = ", ".join(f"{titles.get(k, display.label(k))}: {display.value_text(v)}"
                            for k, v in a.data.items() if not k.endswith("_id"))
        if a.note:
            details = f"{details} — {a.note}" if details else a.note
        if a.created_by_name:
            details = (
                translate("detail.activities", "{details} (by {created_by_name})").format(
                    details=details, created_by_name=a.created_by_name
                )
                if details
                else f"by {a.created_by_name}"
            )
        sla = display.human(a.sla_badge) if a.sla_badge else ""
        return [display.local_day(a.occurred_at), self._labels.get(a.kind, a.kind),
                display.human(a.outcome), sla, details]

    def _show_slas(self, result) -> None:
        customer_id, slas = result
        if customer_id != self.customer_id:
            return
        rules = {k.kind: (k.sla or {}).get("label", "") for k in self._reference.kinds}
        self.slas.set_rows([[self._labels.get(s.kind, s.kind), rules.get(s.kind) or s.rule, display.day(s.due_date),
                             display.human(s.badge or s.status)] for s in slas],
                           badges=[[s.badge or s.status] for s in slas])

    # ------------------------------------------------------------------ form

    def open_form(self, kind: str | None = None) -> None:
        cid = self.customer_id
        if cid is None:
            return
        self.log_button.setEnabled(False)
        self._runner.read(
            lambda: self._choices(cid),
            done=lambda choices: self._show_form(kind, choices),
            owner=self,
            failed=self._form_failed,
            label=translate("detail.activities", "Preparing the form…"),
        )

    def _choices(self, cid: uuid.UUID) -> dict[str, list[tuple[str, str]]]:
        """Worker side: the customer's samples and ROI scenarios, to pick from by name."""
        samples = [(str(s.id), f"{display.day(s.created_at.date())} · {display.human(s.status)}")
                   for s in self._svc.samples.list(cid)]
        scenarios = [(str(r.id), r.name) for r in self._svc.roi.list(cid)]
        return {"sample_id": samples, "roi_scenario_id": scenarios}

    def _form_failed(self, error: BaseException) -> None:
        self.log_button.setEnabled(True)
        show_error(self, error, doing=translate("detail.activities", "Preparing the activity form"))

    def _show_form(self, kind: str | None, choices) -> None:
        self.log_button.setEnabled(True)
        self.dialog = ActivityDialog(self._reference.kinds, choices, kind, self)
        self.dialog.submitted.connect(self._create)
        self.dialog.open()

    def _create(self) -> None:
        dialog, cid = self.dialog, self.customer_id
        if dialog is None or cid is None:
            return
        kwargs = dialog.activity()
        dialog.save_with(
            self._runner,
            lambda: self._svc.activities.create(cid, **kwargs),
            owner=self,
            label=translate("detail.activities", "Saving the activity…"),
            doing=translate("detail.activities", "Logging the activity"),
            done=self._created,
        )

    def _created(self, activity: Activity) -> None:
        self.dialog = None
        self.reload()
        self.changed.emit(activity.customer_id)
