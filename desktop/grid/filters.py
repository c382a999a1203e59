"""The filter panel: free text, region, owner, and one input per filter the pack declares on its
hot columns (svc.catalog.filters), made by desktop/grid/filter_inputs.py.

Changes apply by themselves after a short pause (typing "kant" asks once, not
four times); the query runs in a worker, so applying never freezes the window.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QToolButton,
                               QVBoxLayout, QWidget)

from desktop import display
from desktop.grid import filter_inputs
from desktop.grid.filter_inputs import FilterInput
from desktop.i18n import translate
from desktop.widgets import MultiChoice, OptionalDateEdit, compact_combo
from services.pack import Filter

APPLY_DELAY_MS = 300


class FilterPanel(QWidget):
    changed = Signal(dict)     # keyword arguments for svc.customers.list (values JSON-friendly)

    def __init__(self, filters: Iterable[Filter] = (), parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("filterPanel")
        self._timer = QTimer(self, singleShot=True, interval=APPLY_DELAY_MS)
        self._timer.timeout.connect(self.apply_now)

        self.search = QLineEdit(
            placeholderText=translate("grid.filters", "Name or city…  (Ctrl+F)"), clearButtonEnabled=True
        )
        self.search.setObjectName("search")
        self.search.returnPressed.connect(self.apply_now)
        self.region = compact_combo()
        self.owner = compact_combo()
        self.owner.setMinimumContentsLength(12)
        self.inputs: dict[str, FilterInput] = {f.name: filter_inputs.make(f) for f in filters}
        self.clear_button = QPushButton(translate("grid.filters", "Clear filters"))
        self.clear_button.clicked.connect(self.clear)
        self.set_choices({}, [])
        # What the grid is narrowed to beyond the pickers (a chart's point): said here, with a way out.
        self.held = QFrame()
        self.held.setObjectName("heldFilter")
        self.held_label = QLabel()
        self.held_label.setObjectName("heldFilterText")
        self.held_label.setWordWrap(True)
        self.held_clear = QToolButton()
        self.held_clear.setText("✕")
        self.held_clear.setAutoRaise(True)
        self.held_clear.setToolTip(translate("grid.filters", "Show everyone the other filters allow again"))
        self.held_clear.clicked.connect(self._drop_held)
        held_row = QHBoxLayout(self.held)
        held_row.setContentsMargins(8, 6, 4, 6)
        held_row.addWidget(self.held_label, 1)
        held_row.addWidget(self.held_clear, 0, Qt.AlignmentFlag.AlignTop)
        self.held.hide()
        self.held_text = ""

        # Labels above their pickers: the panel stays narrow and every picker gets its full width.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(8)
        layout.addWidget(self.held)
        layout.addWidget(self.search)
        layout.addWidget(_field(translate("grid.filters", "&Region"), self.region))
        layout.addWidget(_field(translate("grid.filters", "O&wner"), self.owner))
        if self.inputs:
            layout.addWidget(_section(translate("grid.filters", "Hot fields")))
        for title, row in self._rows():
            layout.addWidget(_field(title, row))
        layout.addSpacing(4)
        layout.addWidget(self.clear_button, alignment=Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)

        self.search.textChanged.connect(self._soon)
        for combo in (self.region, self.owner):
            combo.currentIndexChanged.connect(self._soon)
        for made in self.inputs.values():
            made.changed.connect(self._soon)

    def _rows(self) -> list[tuple[str, list[QWidget]]]:
        """(title, widgets) per line: a filter alone under its label, the filters of a group side by side
        under the group's title, in the order the pack declares them."""
        rows: list[tuple[str, list[QWidget]]] = []
        done: set[str] = set()
        for made in self.inputs.values():
            group = made.filter.group
            if group is None:
                rows.append((made.filter.label, [made.widget]))
            elif group not in done:
                done.add(group)
                members = [m.filter for m in self.inputs.values() if m.filter.group == group]
                rows.append((group, [self.inputs[f.name].widget for f in filter_inputs.in_reading_order(members)]))
        return rows

    def widget(self, name: str) -> QWidget:
        """The input of the filter `name`."""
        return self.inputs[name].widget

    def pickers(self) -> list[QWidget]:
        """The pickers top to bottom, for the window's tab order."""
        return [self.region, self.owner, *(w for _title, row in self._rows() for w in row)]

    def set_choices(self, regions: dict[str, str], owners: list[tuple[Any, str, str]]) -> None:
        """Fill the pickers (regions by code, owners as (id, login, name)), keeping the current choice."""
        region, owner = self.region.currentData(), self.owner.currentData()
        for combo in (self.region, self.owner):
            combo.blockSignals(True)
            combo.clear()
        self.region.addItem(translate("grid.filters", "All regions"), None)
        for code, name in regions.items():
            self.region.addItem(name, code)
        self.owner.addItem(translate("grid.filters", "Anyone"), None)
        for user_id, _login, name in owners:
            self.owner.addItem(name, str(user_id))
        for combo, value in ((self.region, region), (self.owner, owner)):
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)

    def filters(self) -> dict[str, Any]:
        """The filters as keyword arguments of svc.customers.list; unset ones left out."""
        values = {"q": self.search.text().strip() or None, "region": self.region.currentData(),
                  "owner": self.owner.currentData(), **{name: made.read() for name, made in self.inputs.items()}}
        return {k: v for k, v in values.items() if v is not None}

    def set_filters(self, filters: dict[str, Any]) -> None:
        """Show these filters (a saved view) and apply them once."""
        widgets = (self.search, self.region, self.owner, *(made.widget for made in self.inputs.values()))
        for w in widgets:
            w.blockSignals(True)
        try:
            self.search.setText(filters.get("q") or "")
            self.region.setCurrentIndex(max(0, self.region.findData(_single(filters.get("region")))))
            self.owner.setCurrentIndex(max(0, self.owner.findData(filters.get("owner"))))
            for name, made in self.inputs.items():
                made.write(filters.get(name))
        finally:
            for w in widgets:
                w.blockSignals(False)
        self.apply_now()

    def clear(self) -> None:
        self.set_filters({})

    def set_held(self, text: str | None) -> None:
        """Say what else narrows the grid (None: nothing)."""
        self.held_text = text or ""
        self.held_label.setText(self.held_text)
        self.held.setVisible(bool(text))

    def _drop_held(self) -> None:
        self.set_held(None)
        self.apply_now()      # the window drops what it held when the panel's filters are applied

    def describe(self) -> list[str]:
        """The filters set, as a person reads them ("Region: Nord", "ROI: High"); the search not included."""
        found = []
        for title, combo in (
            (translate("grid.filters", "Region"), self.region),
            (translate("grid.filters", "Owner"), self.owner),
        ):
            if combo.currentData() is not None:
                found.append(f"{title}: {combo.currentText()}")
        for made in self.inputs.values():
            value = made.read()
            if value is not None:
                found.append(f"{made.filter.label}: {_shown(made.widget, value)}")
        return found

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def apply_now(self) -> None:
        self._timer.stop()
        self.changed.emit(self.filters())

    def _soon(self, *_args) -> None:
        self._timer.start()


def _field(title: str, fields: QWidget | list[QWidget]) -> QWidget:
    """A label over one picker, or over several side by side with a dash between (a range)."""
    fields = fields if isinstance(fields, list) else [fields]
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    label = QLabel(title)
    label.setWordWrap(True)
    label.setBuddy(fields[0])
    layout.addWidget(label)
    if len(fields) == 1:
        layout.addWidget(fields[0])
        return box
    row = QHBoxLayout()
    row.setSpacing(4)
    for n, field in enumerate(fields):
        if n:
            row.addWidget(QLabel("–"))
        row.addWidget(field, 1)
    layout.addLayout(row)
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


def _shown(widget: QWidget, value: Any) -> str:
    """A filter's value as its input shows it."""
    if isinstance(widget, MultiChoice):
        return widget.text()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, OptionalDateEdit):
        return display.day(widget.value())
    if isinstance(value, (int, float)):
        return display.number(value)
    return ", ".join(value) if isinstance(value, list) else str(value)


def describe_held(held: dict[str, Any], about: str = "") -> str:
    """What a chart's drill-down narrows the grid to, beyond the pickers: "Feedbacks counted in Sept. 2026"."""
    parts = []
    feedbacks = held.get("feedbacks")
    if isinstance(feedbacks, dict):
        when = display.days_text(date.fromisoformat(feedbacks["from"]), date.fromisoformat(feedbacks["to"]))
        outcome = feedbacks.get("outcome")
        parts.append(
            translate("grid.filters", "Feedbacks counted in {when}").format(when=when)
            + (f", {display.short(outcome).lower()}" if outcome else translate("grid.filters", " (every outcome)"))
        )
    if held.get("customer_ids") is not None:
        n = len(held["customer_ids"])
        words = (
            about[:1].upper() + about[1:]
            if about
            else translate("grid.filters", "{n} chosen customers").format(n=display.count(n))
        )
        parts.append(words)
    if held.get("chain_id") is not None and not parts:
        parts.append(about[:1].upper() + about[1:] if about else translate("grid.filters", "One chain"))
    return "; ".join(parts)


def _single(value: Any) -> Any:
    return value[0] if isinstance(value, (list, tuple)) and value else value
