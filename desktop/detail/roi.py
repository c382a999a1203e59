"""A customer's ROI scenarios: the savings a kitchen can expect and the assumptions behind them;
create and edit them here, pick them in the ROI consultation form."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QWidget

from desktop import display
from desktop.detail.records import RecordsTab
from desktop.i18n import Texts, translate
from desktop.stewardship.roi_dialog import ASSUMPTIONS, RoiScenarioDialog
from desktop.workers import Runner
from services import formats
from services.service_layer.roi import RoiScenario

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

_LABELS = Texts("stewardship.roi_dialog", {key: label for key, label, *_ in ASSUMPTIONS})


class RoiTab(RecordsTab):
    headers = (
        QT_TRANSLATE_NOOP("detail.records", "Scenario"),
        QT_TRANSLATE_NOOP("detail.records", "Savings / month"),
        QT_TRANSLATE_NOOP("detail.records", "Assumptions"),
        QT_TRANSLATE_NOOP("detail.records", "Updated"),
    )
    stretch = (0, 2)
    empty_text = QT_TRANSLATE_NOOP(
        "detail.records", "No ROI scenarios yet. “New scenario…” works out the savings from a few assumptions."
    )
    what = QT_TRANSLATE_NOOP("detail.records", "ROI scenarios")

    def __init__(self, runner: Runner, svc: Steward, parent: QWidget | None = None):
        super().__init__(runner, svc, parent)
        self.dialog: RoiScenarioDialog | None = None
        self.add_button(translate("detail.roi", "New scenario…"), self.open_new, "newScenario")
        self.add_button(translate("detail.roi", "Edit…"), self.open_edit, "editScenario", needs_selection=True)
        self.table.doubleClicked.connect(lambda _i: self.open_edit())

    def fetch(self, customer_id: uuid.UUID) -> list[RoiScenario]:
        return self._svc.roi.list(customer_id)

    def cells(self, s: RoiScenario) -> list[str]:
        f = formats.current()
        assumptions = ", ".join(f"{_LABELS.get(k, display.label(k))}: {f.number(v) if isinstance(v, (int, float)) else v}"
                                for k, v in s.assumptions.items())
        return [s.name, f.money(s.savings_per_month, cents=True) if s.savings_per_month is not None else "—",
                f"{s.assumptions_version} · {assumptions}" if assumptions else s.assumptions_version,
                f.day(f.local(s.updated_at).date())]

    def _open(self, dialog: RoiScenarioDialog) -> None:
        dialog.saved.connect(lambda _s: self._written())
        self.dialog = dialog
        dialog.open()

    def _written(self) -> None:
        if self.customer_id is not None:
            self.load(self.customer_id)
            self.changed.emit(self.customer_id)

    def open_new(self) -> None:
        if self.customer_id is not None:
            self._open(RoiScenarioDialog(self._runner, self._svc, self.customer_id, parent=self))

    def open_edit(self) -> None:
        scenario = self.selected()
        if self.customer_id is not None and scenario is not None:
            self._open(RoiScenarioDialog(self._runner, self._svc, self.customer_id, scenario, self))
