"""A hot field the pack adds reaches the desktop by itself: a grid column, a filter input, a sort key.

The test pack's sixth hot field (tests/pack_extension.py: a delivery slot's weekday and
earliest hour) is nowhere in desktop/; the window makes its column and its filters from
the service layer's catalog, and filtering through the panel asks the service by its names.
"""

from __future__ import annotations

import secrets

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSpinBox

import services
from desktop import reference as reference_data
from desktop.main_window import MainWindow
from desktop.widgets import MultiChoice
from tests.desktop.conftest import GuardedSteward, idle
from tests.logins import drop_logins, ensure_person
from tests.pack_extension import extended  # noqa: F401  (a fixture)

SLOTS = {"early monday": ("MON", 7), "tuesday": ("TUE", 9), "any monday": ("MON", None), "friday": ("FRI", 5)}


@pytest.fixture
def pack_window(qtbot, extended):  # noqa: F811
    owner = services.connect(url=extended)
    login = ensure_person(owner.engine, f"t_desk_pack_{secrets.token_hex(3)}", role="ADMIN")
    raw = services.connect(url=extended, user=login, source="desktop")
    ids = {}
    for name, (day, hour) in SLOTS.items():
        customer = raw.customers.create(name=f"Kantine {name}", region="NORTH")
        raw.fields.patch(customer.id, {"delivery_slot": {"weekday": day} | ({"earliest": hour} if hour else {})})
        ids[name] = customer.id
    guarded = GuardedSteward(raw)
    window = MainWindow(guarded, reference_data.load(raw), live=False, page_size=20)
    window.confirm_close = False
    qtbot.addWidget(window)
    window.show()
    idle(qtbot, window)
    try:
        yield window, ids
    finally:
        window.shut_down()
        assert guarded.violations == [], f"service calls on the UI thread: {guarded.violations}"
        raw.close()
        owner.close()
        drop_logins(extended, [login])


def shown(window) -> set:
    return {window.model.row_at(n).id for n in range(window.model.rowCount())}


def test_the_sixth_hot_field_is_a_column_a_filter_and_a_sort_key(qtbot, pack_window):
    window, ids = pack_window
    assert window.model.rowCount() == 4
    day_column = window.model.column_of("delivery_weekday")
    hour_column = window.model.column_of("delivery_earliest")
    header = [window.model.headerData(n, Qt.Orientation.Horizontal) for n in (day_column, hour_column)]
    assert header == ["Delivery day", "Earliest delivery"]
    assert window.model.columns[day_column].sort is None            # not declared sortable
    assert window.model.columns[hour_column].numeric
    early = window.model.row_of(ids["early monday"])
    cells = [window.model.data(window.model.index(early, c)) for c in (day_column, hour_column)]
    assert cells == ["Mon", "7"]
    # Offered in the column chooser, and shown at first where the grid has the room for them.
    assert {"Delivery day", "Earliest delivery"} <= {a.text() for a in window.table.column_menu().actions()}
    window.resize(3400, 1000)
    qtbot.waitUntil(lambda: window.table.viewport().width() > 2200)
    window.table.fit_columns()
    assert {"delivery_weekday", "delivery_earliest"} <= set(window.table.visible_columns())

    days, hours = window.filters.widget("delivery_weekday"), window.filters.widget("delivery_earliest_min")
    assert isinstance(days, MultiChoice) and [a.data() for a in days.menu().actions()] == [
        "MON", "TUE", "WED", "THU", "FRI"]
    assert isinstance(hours, QSpinBox) and hours.minimum() == 0 and hours.text() == "Any"
    labels = {label.text() for label in window.filters.findChildren(QLabel)}
    assert {"Delivery day", "Earliest delivery from"} <= labels

    days.set_values(["MON"])
    window.filters.apply_now()
    qtbot.waitUntil(lambda: window.model.filters == {"delivery_weekday": ["MON"]} and not window.model.loading)
    assert shown(window) == {ids["early monday"], ids["any monday"]}

    hours.setValue(6)
    window.filters.apply_now()
    qtbot.waitUntil(lambda: window.model.filters == {"delivery_weekday": ["MON"], "delivery_earliest_min": 6}
                    and not window.model.loading)
    assert shown(window) == {ids["early monday"]}
    assert window.view_definition()["filters"] == {"delivery_weekday": ["MON"], "delivery_earliest_min": 6}

    window.filters.clear()
    window.table._header_clicked(hour_column)
    idle(qtbot, window)
    assert window.model.sort_key == "delivery_earliest"
    assert [window.model.row_at(n).id for n in range(4)] == [ids["friday"], ids["early monday"], ids["tuesday"],
                                                             ids["any monday"]]   # no hour: last
