"""The filter panel: free text, region, owner and every hot-field filter of `svc.customers.list`.

Changes apply by themselves after a short pause (typing "kant" asks once, not
four times); the query runs in a worker, so applying never freezes the window.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
                               QVBoxLayout, QWidget)

from desktop.widgets import compact_combo, MultiChoice, OptionalDateEdit
from services.pack import load_pack
from services.rules.workflow import STATUSES

APPLY_DELAY_MS = 300


class FilterPanel(QWidget):
    changed = Signal(dict)     # keyword arguments for svc.customers.list (values JSON-friendly)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("filterPanel")
        self._timer = QTimer(self, singleShot=True, interval=APPLY_DELAY_MS)
        self._timer.timeout.connect(self.apply_now)

        self.search = QLineEdit(placeholderText="Name or city…  (Ctrl+F)", clearButtonEnabled=True)
        self.search.setObjectName("search")
        self.search.returnPressed.connect(self.apply_now)
        self.region = compact_combo()
        self.owner = compact_combo()
        self.owner.setMinimumContentsLength(12)
        self.sample_status = MultiChoice(STATUSES)
        self.roi_bucket = MultiChoice(load_pack().fields[1].columns[0].choices)
        self.season_from = OptionalDateEdit()
        self.season_to = OptionalDateEdit()
        self.renewal_before = OptionalDateEdit()
        self.exclusivity = compact_combo()
        for text, value in (("Any", None), ("Yes", True), ("No", False)):
            self.exclusivity.addItem(text, value)
        self.decision_makers = QSpinBox(minimum=0, maximum=100, specialValueText="Any")
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.clicked.connect(self.clear)
        self.set_choices({}, [])

        # Labels above their pickers: the panel stays narrow and every picker gets its full width.
        season = QHBoxLayout()
        season.setSpacing(4)
        season.addWidget(self.season_from, 1)
        season.addWidget(QLabel("–"))
        season.addWidget(self.season_to, 1)
        groups = [
            _field("&Region", self.region), _field("O&wner", self.owner), _section("Hot fields"),
            _field("Sample status", self.sample_status), _field("ROI bucket", self.roi_bucket),
            _field("Season window overlaps", season, buddy=self.season_from),
            _field("Contract renewal before", self.renewal_before),
            _field("Exclusive contract", self.exclusivity), _field("Decision makers at least", self.decision_makers),
        ]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(8)
        layout.addWidget(self.search)
        for group in groups:
            layout.addWidget(group)
        layout.addSpacing(4)
        layout.addWidget(self.clear_button, alignment=Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)

        self.search.textChanged.connect(self._soon)
        for combo in (self.region, self.owner, self.exclusivity):
            combo.currentIndexChanged.connect(self._soon)
        for choice in (self.sample_status, self.roi_bucket):
            choice.changed.connect(self._soon)
        for edit in (self.season_from, self.season_to, self.renewal_before):
            edit.value_changed.connect(self._soon)
        self.decision_makers.valueChanged.connect(self._soon)

    def set_choices(self, regions: dict[str, str], owners: list[tuple[Any, str, str]]) -> None:
        """Fill the pickers (regions by code, owners as (id, login, name)), keeping the current choice."""
        region, owner = self.region.currentData(), self.owner.currentData()
        for combo in (self.region, self.owner):
            combo.blockSignals(True)
            combo.clear()
        self.region.addItem("All regions", None)
        for code, name in regions.items():
            self.region.addItem(name, code)
        self.owner.addItem("Anyone", None)
        for user_id, _login, name in owners:
            self.owner.addItem(name, str(user_id))
        for combo, value in ((self.region, region), (self.owner, owner)):
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)

    def filters(self) -> dict[str, Any]:
        """The filters as keyword arguments of svc.customers.list; unset ones left out."""
        values = {
            "q": self.search.text().strip() or None,
            "region": self.region.currentData(),
            "owner": self.owner.currentData(),
            "sample_status": self.sample_status.values() or None,
            "roi_bucket": self.roi_bucket.values() or None,
            "season_from": self.season_from.iso(),
            "season_to": self.season_to.iso(),
            "renewal_before": self.renewal_before.iso(),
            "exclusivity": self.exclusivity.currentData(),
            "decision_maker_count_min": self.decision_makers.value() or None,
        }
        return {k: v for k, v in values.items() if v is not None}

    def set_filters(self, filters: dict[str, Any]) -> None:
        """Show these filters (a saved view) and apply them once."""
        widgets = (self.search, self.region, self.owner, self.sample_status, self.roi_bucket, self.season_from,
                   self.season_to, self.renewal_before, self.exclusivity, self.decision_makers)
        for w in widgets:
            w.blockSignals(True)
        try:
            self.search.setText(filters.get("q") or "")
            self.region.setCurrentIndex(max(0, self.region.findData(_single(filters.get("region")))))
            self.owner.setCurrentIndex(max(0, self.owner.findData(filters.get("owner"))))
            self.sample_status.set_values(filters.get("sample_status"))
            self.roi_bucket.set_values(filters.get("roi_bucket"))
            self.season_from.set_value(filters.get("season_from"))
            self.season_to.set_value(filters.get("season_to"))
            self.renewal_before.set_value(filters.get("renewal_before"))
            self.exclusivity.setCurrentIndex(max(0, self.exclusivity.findData(filters.get("exclusivity"))))
            self.decision_makers.setValue(int(filters.get("decision_maker_count_min") or 0))
        finally:
            for w in widgets:
                w.blockSignals(False)
        self.apply_now()

    def clear(self) -> None:
        self.set_filters({})

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def apply_now(self) -> None:
        self._timer.stop()
        self.changed.emit(self.filters())

    def _soon(self, *_args) -> None:
        self._timer.start()


def _field(title: str, field: QWidget | QHBoxLayout, *, buddy: QWidget | None = None) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    label = QLabel(title)
    label.setBuddy(buddy or field)
    layout.addWidget(label)
    if isinstance(field, QHBoxLayout):
        layout.addLayout(field)
    else:
        layout.addWidget(field)
    return box


def _section(title: str) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 8, 0, 0)
    layout.setSpacing(3)
    label = QLabel(title)
    label.setObjectName("sectionTitle")
    line = QFrame(frameShape=QFrame.Shape.HLine, frameShadow=QFrame.Shadow.Sunken)
    layout.addWidget(label)
    layout.addWidget(line)
    return box


def _single(value: Any) -> Any:
    return value[0] if isinstance(value, (list, tuple)) and value else value
