"""An ROI scenario: its name, the assumptions behind it, and the savings per month they give (computed
from the assumptions unless the person enters another figure). The ROI consultation form offers it."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget

from desktop.i18n import translate
from desktop.stewardship.form import StewardForm
from desktop.widgets import button_row
from desktop.workers import Runner
from services import formats
from services.service_layer.roi import RoiScenario

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

# The assumptions the demo and the sales team use, with their inputs' ranges.
ASSUMPTIONS = (
    ("covers_per_day", QT_TRANSLATE_NOOP("stewardship.roi_dialog", "Covers per day"), 0, 100_000),
    ("days_per_month", QT_TRANSLATE_NOOP("stewardship.roi_dialog", "Days open per month"), 0, 31),
    ("minutes_saved_per_cover", QT_TRANSLATE_NOOP("stewardship.roi_dialog", "Minutes saved per cover"), 0, 120),
    ("labour_cost_per_hour", QT_TRANSLATE_NOOP("stewardship.roi_dialog", "Labour cost € / hour"), 0, 500),
)


def savings(assumptions: dict[str, Any]) -> Decimal:
    """Covers × days × minutes saved (in hours) × labour cost."""
    a = {k: Decimal(str(assumptions.get(k) or 0)) for k, *_ in ASSUMPTIONS}
    hours = a["covers_per_day"] * a["days_per_month"] * a["minutes_saved_per_cover"] / 60
    return (hours * a["labour_cost_per_hour"]).quantize(Decimal("0.01"))


class RoiScenarioDialog(StewardForm):
    saved = Signal(object)     # RoiScenario

    def __init__(self, runner: Runner, svc: Steward, customer_id: uuid.UUID, scenario: RoiScenario | None = None,
                 parent: QWidget | None = None):
        super().__init__(
            (
                translate("stewardship.roi_dialog", "Edit ROI scenario")
                if scenario
                else translate("stewardship.roi_dialog", "New ROI scenario")
            ),
            (
                translate("stewardship.roi_dialog", "Save")
                if scenario
                else translate("stewardship.roi_dialog", "Create scenario")
            ),
            translate("stewardship.roi_dialog", "Saving…"),
            parent,
        )
        self.setObjectName("roiScenarioDialog")
        self._runner, self._svc, self.customer_id, self.scenario = runner, svc, customer_id, scenario
        self.name = QLineEdit(scenario.name if scenario else "")
        self.name.setPlaceholderText(translate("stewardship.roi_dialog", "e.g. Convenience-Linie 180 Essen/Tag"))
        self.version = QLineEdit(scenario.assumptions_version if scenario else "v1")
        self.version.setMaxLength(40)
        self.add_row("name", translate("stewardship.roi_dialog", "Name *"), self.name)
        self.add_row("assumptions_version", translate("stewardship.roi_dialog", "Assumptions version"), self.version)
        self.inputs: dict[str, QSpinBox] = {}
        known = dict(scenario.assumptions) if scenario else {}
        for key, label, low, high in ASSUMPTIONS:
            label = translate("stewardship.roi_dialog", label)
            spin = QSpinBox(minimum=low, maximum=high)
            spin.setGroupSeparatorShown(True)
            spin.setAlignment(Qt.AlignmentFlag.AlignRight)
            spin.setFixedWidth(130)
            spin.setValue(int(known.get(key) or 0))
            self.inputs[key] = spin
            self.add_row(key, label, spin)
        self.extra = {k: v for k, v in known.items() if k not in self.inputs}   # kept as they are
        self.savings = QDoubleSpinBox(minimum=0, maximum=10_000_000, decimals=2)
        self.savings.setGroupSeparatorShown(True)
        self.savings.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.savings.setFixedWidth(130)
        self.savings.setSuffix(" €")
        if scenario and scenario.savings_per_month is not None:
            self.savings.setValue(float(scenario.savings_per_month))
        self.computed = QLabel()
        self.computed.setObjectName("hint")
        take = self.use_button = QPushButton(translate("stewardship.roi_dialog", "Use"))
        take.setToolTip(translate("stewardship.roi_dialog", "Set the savings to the figure the assumptions give"))
        take.clicked.connect(lambda: self.savings.setValue(float(savings(self.assumptions()))))   # and follow again
        row = button_row(self.savings, self.computed, take)
        row.setStretch(0, 0)
        holder = QWidget()
        holder.setLayout(row)
        self.add_row("savings_per_month", translate("stewardship.roi_dialog", "Savings € / month"), holder)
        # The savings follow the assumptions until the person enters a figure of their own.
        self._follow = scenario is None or scenario.savings_per_month == savings(self.assumptions())
        self.savings.valueChanged.connect(self._savings_typed)
        for spin in self.inputs.values():
            spin.valueChanged.connect(lambda _v: self._show_computed())
        self._show_computed()
        self.resize(520, self.sizeHint().height())

    def assumptions(self) -> dict[str, Any]:
        return {**self.extra, **{k: spin.value() for k, spin in self.inputs.items()}}

    def _show_computed(self) -> None:
        computed = savings(self.assumptions())
        self.computed.setText(
            translate("stewardship.roi_dialog", "assumptions give {computed}").format(
                computed=formats.current().money(computed, cents=True)
            )
        )
        if self._follow and Decimal(str(self.savings.value())) != computed:
            self.savings.blockSignals(True)
            self.savings.setValue(float(computed))
            self.savings.blockSignals(False)

    def _savings_typed(self, value: float) -> None:
        self._follow = Decimal(str(value)).quantize(Decimal("0.01")) == savings(self.assumptions())

    def problems(self) -> dict[str, str]:
        return (
            {"name": translate("stewardship.roi_dialog", "Name the scenario.")} if not self.name.text().strip() else {}
        )

    def values(self) -> dict[str, Any]:
        return {"name": self.name.text().strip(), "savings_per_month": Decimal(str(self.savings.value())),
                "assumptions_version": self.version.text().strip() or "v1", "assumptions": self.assumptions()}

    def save(self) -> None:
        values, scenario, cid = self.values(), self.scenario, self.customer_id
        if scenario is None:
            name = values.pop("name")
            fn = lambda: self._svc.roi.create_scenario(cid, name, **values)   # noqa: E731
        else:
            fn = lambda: self._svc.roi.update_scenario(scenario.id, **values)   # noqa: E731
        self.run(
            self._runner,
            fn,
            label=translate("stewardship.roi_dialog", "Saving the ROI scenario…"),
            done=self.saved.emit,
        )
