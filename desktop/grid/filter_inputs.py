"""One input per filter of the customer list that the pack declares (services.pack.Filter), chosen by the
filter's operator and type: a list of choices, a date, any/yes/no, an "at least" number, or text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QLineEdit, QSpinBox, QWidget

from desktop import display
from services import formats
from desktop.i18n import translate
from desktop.widgets import MultiChoice, OptionalDateEdit, compact_combo
from services.pack import Filter

# Lower bounds read before upper ones: a group of two reads "from – to".
_OP_ORDER = {">": 0, ">=": 0, "=": 1, "in": 1, "<=": 2, "<": 2}
ANY = QT_TRANSLATE_NOOP("grid.filter_inputs", "Any")
_LARGEST = 999_999_999


@dataclass(frozen=True)
class FilterInput:
    filter: Filter
    widget: QWidget
    read: Callable[[], Any]            # the value for svc.customers.list (JSON-friendly); None: not filtered
    write: Callable[[Any], None]       # show a value (a saved view's, a chart's); None: not filtered
    changed: Any                       # the widget's signal that the person changed it


def in_reading_order(filters: list[Filter]) -> list[Filter]:
    """Filters of one group as a person reads a range: lower bounds first."""
    return sorted(filters, key=lambda f: _OP_ORDER.get(f.op, 1))


def make(f: Filter) -> FilterInput:
    kind = "numeric" if f.type.startswith("numeric") else f.type
    if f.op == "in" and f.choices:
        made = _choices(f)
    elif f.op == "in":
        made = _text(f, listed=True)
    elif kind in ("date", "timestamptz"):
        made = _day(f, moment=kind == "timestamptz")
    elif kind == "boolean":
        made = _yes_no(f)
    elif kind in ("integer", "numeric"):
        made = _number(f, whole=kind == "integer")
    else:
        made = _text(f, listed=False)
    made.widget.setObjectName(f"filter_{f.name}")
    made.widget.setToolTip(f.label)
    made.widget.setAccessibleName(f.label)
    return made


def _choices(f: Filter) -> FilterInput:
    widget = MultiChoice(f.choices, none_text=translate("grid.filter_inputs", ANY))
    return FilterInput(f, widget, lambda: widget.values() or None, widget.set_values, widget.changed)


def _day(f: Filter, *, moment: bool) -> FilterInput:
    widget = OptionalDateEdit()

    def read() -> str | None:
        day = widget.value()
        if day is None:
            return None
        # A moment filter compares with the start of the chosen day, here.
        return datetime.combine(day, time(), formats.current().zone).isoformat() if moment else day.isoformat()

    def write(value: Any) -> None:
        widget.set_value(_as_day(value))

    return FilterInput(f, widget, read, write, widget.value_changed)


def _yes_no(f: Filter) -> FilterInput:
    widget = compact_combo()
    for text, value in (
        (translate("grid.filter_inputs", ANY), None),
        (translate("grid.filter_inputs", "Yes"), True),
        (translate("grid.filter_inputs", "No"), False),
    ):
        widget.addItem(text, value)

    def write(value: Any) -> None:
        widget.setCurrentIndex(max(0, widget.findData(value)) if isinstance(value, bool) else 0)

    return FilterInput(f, widget, widget.currentData, write, widget.currentIndexChanged)


def _number(f: Filter, *, whole: bool) -> FilterInput:
    # The least value stands for "any", as the spin box's special value.
    least = f.minimum if f.minimum is not None else 0
    widget: QSpinBox | QDoubleSpinBox
    if whole:
        widget = QSpinBox(minimum=least, maximum=_LARGEST)
    else:
        widget = QDoubleSpinBox(minimum=least, maximum=_LARGEST, decimals=2)
    widget.setLocale(display.qt_locale())
    widget.setSpecialValueText(translate("grid.filter_inputs", ANY))
    widget.setGroupSeparatorShown(True)
    widget.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
    widget.setMinimumWidth(0)

    def read() -> int | float | None:
        value = widget.value()
        return None if value == widget.minimum() else value

    def write(value: Any) -> None:
        widget.setValue(widget.minimum() if value is None else (int(value) if whole else float(value)))

    return FilterInput(f, widget, read, write, widget.valueChanged)


def _text(f: Filter, *, listed: bool) -> FilterInput:
    widget = QLineEdit(
        placeholderText=(
            translate("grid.filter_inputs", "values, separated by commas")
            if listed
            else translate("grid.filter_inputs", ANY)
        ),
        clearButtonEnabled=True,
    )

    def read() -> Any:
        text = widget.text().strip()
        if not listed:
            return text or None
        values = [v.strip() for v in text.split(",") if v.strip()]
        return values or None

    def write(value: Any) -> None:
        widget.setText(", ".join(value) if isinstance(value, (list, tuple)) else (value or ""))

    return FilterInput(f, widget, read, write, widget.textChanged)


def _as_day(value: Any) -> date | None:
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return display.local(value).date()
    text = str(value)
    return display.local(datetime.fromisoformat(text)).date() if "T" in text else date.fromisoformat(text)
