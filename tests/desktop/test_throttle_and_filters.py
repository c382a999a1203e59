"""The shared throttle, and the filter panel made from the pack's declared filters."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QSpinBox

from desktop.grid.filters import FilterPanel
from desktop.throttle import Throttle
from desktop.widgets import MultiChoice, OptionalDateEdit
from services.pack import load_pack


def test_the_throttle_runs_at_once_then_once_per_interval(qtbot):
    runs: list[int] = []
    throttle = Throttle(lambda: runs.append(1), 200)
    throttle.request()
    assert runs == [1]
    throttle.request()
    throttle.request()
    assert runs == [1] and throttle.waiting
    qtbot.waitUntil(lambda: len(runs) == 2, timeout=2000)
    assert not throttle.waiting
    qtbot.wait(400)
    assert runs == [1, 1]


def test_the_panel_has_one_input_per_declared_filter_and_round_trips_a_view(qtbot):
    declared = [f for c in load_pack().hot_columns for f in c.filters]
    panel = FilterPanel(declared)
    qtbot.addWidget(panel)
    assert list(panel.inputs) == [f.name for f in declared]
    kinds = {f.name: type(panel.widget(f.name)) for f in declared}
    for f in declared:
        expected = (MultiChoice if f.op == "in" else OptionalDateEdit if f.type == "date"
                    else QComboBox if f.type == "boolean" else QSpinBox)
        assert issubclass(kinds[f.name], expected), f.name
    values = {}
    for f in declared:
        if f.op == "in":
            values[f.name] = list(f.choices[:2])
        elif f.type == "date":
            values[f.name] = "2027-03-01"
        elif f.type == "boolean":
            values[f.name] = False
        else:
            values[f.name] = (f.minimum or 0) + 3
    with qtbot.waitSignal(panel.changed) as applied:
        panel.set_filters({"q": "kant", **values})
    assert applied.args[0] == panel.filters() == {"q": "kant", **values}
    panel.clear()
    assert panel.filters() == {}
