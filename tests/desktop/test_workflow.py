"""Keyboard, export, saved views, and the rule that no service call runs on the UI thread."""

from __future__ import annotations

import csv
import threading

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from tests.desktop import seed
from tests.desktop.conftest import UiThreadCall, idle


def test_the_keyboard_finds_opens_and_saves(qtbot, desk, make_window):
    ids = seed.customers(desk.raw, 12)
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.filters.search
    qtbot.keyClicks(window.filters.search, "kantine 007")
    qtbot.keyClick(window.filters.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.model.filters.get("q") == "kantine 007" and not window.model.loading)
    assert QApplication.focusWidget() is window.table
    assert window.model.rowCount() == 1 and window.table.current_customer().id == ids[7]

    window.filters.clear()
    idle(qtbot, window)
    window.table.setFocus()
    window.table.setCurrentIndex(window.model.index(0, 0))
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    assert window.table.current_customer().id == ids[2]
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    fields = window.detail.fields
    qtbot.waitUntil(lambda: fields.base is not None and fields.base.customer_id == ids[2] and fields.isEnabled())
    focus = QApplication.focusWidget()
    assert focus is not None and fields.isAncestorOf(focus)

    covers = fields.rows["covers_per_day"].editor.widget
    covers.setFocus()
    covers.setValue(240)
    qtbot.keyClick(covers, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not fields.dirty, timeout=10000)
    idle(qtbot, window)
    assert desk.raw.fields.get(ids[2]).values["covers_per_day"] == 240


def test_unsaved_edits_pin_the_detail_until_saved_or_discarded(qtbot, desk, make_window):
    ids = seed.customers(desk.raw, 3)
    window = make_window()
    window.table.selectRow(0)
    fields = window.detail.fields
    qtbot.waitUntil(lambda: fields.base is not None and fields.base.customer_id == ids[0] and fields.isEnabled())
    fields.rows["covers_per_day"].editor.widget.setValue(99)
    window.table.selectRow(1)
    assert window.detail.customer_id == ids[0] and fields.rows["covers_per_day"].editor.value() == 99
    assert "Unsaved changes" in window.status.message.text()
    fields.discard()
    qtbot.waitUntil(lambda: fields.base is not None and fields.base.customer_id == ids[1])
    idle(qtbot, window)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_writes_the_rows_and_columns_of_the_view(qtbot, desk, make_window, tmp_path, suffix):
    seed.customers(desk.raw, 45)
    window = make_window()
    window.filters.region.setCurrentIndex(window.filters.region.findData("NORTH"))
    window.filters.apply_now()
    window.table.set_visible_columns(["name", "roi_value", "renewal_date"])
    window.model.sort(window.model.column_of("roi_value"), Qt.SortOrder.DescendingOrder)
    idle(qtbot, window)
    path = tmp_path / f"view{suffix}"
    window.export_to(path)
    qtbot.waitUntil(lambda: path.exists() and window.runner.active == 0, timeout=10000)
    if suffix == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
    else:
        rows = [list(r) for r in openpyxl.load_workbook(path).active.iter_rows(values_only=True)]
    header, body = rows[0], rows[1:]
    assert header == ["Customer", "ROI €/month", "Renewal"]
    north = [i for i in range(45) if seed.REGIONS[i % 5] == "NORTH"]
    assert [r[0] for r in body] == [f"Kantine {i:03d}" for i in sorted(north, reverse=True)]
    assert float(body[0][1]) == 100.0 * max(north)
    assert not list(tmp_path.glob(".*.part"))


def test_a_cancelled_export_leaves_no_file(qtbot, desk, make_window, tmp_path, monkeypatch):
    seed.customers(desk.raw, 30)
    monkeypatch.setattr("desktop.export.PAGE_SIZE", 5)
    window = make_window()
    idle(qtbot, window)
    gate, calls, real_list = threading.Event(), [], desk.raw.customers.list

    def second_page_waits(**kwargs):
        calls.append(kwargs)
        if len(calls) > 1:
            gate.wait(10)
        return real_list(**kwargs)

    monkeypatch.setattr(desk.raw.customers, "list", second_page_waits)
    path = tmp_path / "all.csv"
    dialog = window.export_to(path)
    qtbot.waitUntil(lambda: dialog.value() == 5)            # one page written to the temporary file
    assert list(tmp_path.iterdir()) and not path.exists()
    dialog.findChild(QPushButton).click()                   # the dialog's Cancel button
    gate.set()
    idle(qtbot, window)
    assert not path.exists() and not list(tmp_path.iterdir())
    assert "cancelled" in window.status.message.text()


def test_a_saved_view_round_trips(qtbot, desk, make_window):
    seed.customers(desk.raw, 15)
    window = make_window()
    window.filters.widget("roi_bucket").set_values(["MID", "HIGH"])
    window.filters.apply_now()
    window.table.set_visible_columns(["name", "roi_bucket", "roi_value"])
    window.model.sort(window.model.column_of("roi_value"), Qt.SortOrder.DescendingOrder)
    idle(qtbot, window)
    window.views.save("High and mid", shared=True)
    qtbot.waitUntil(lambda: [v.name for v in window.views.views] == ["High and mid"], timeout=10000)
    [stored] = desk.raw.views.list()
    assert stored.definition == {"filters": {"roi_bucket": ["MID", "HIGH"]},
                                 "columns": ["name", "roi_bucket", "roi_value"], "sort": "-roi_value"}

    window.filters.clear()
    window.table.set_visible_columns(["name", "city"])
    window.model.set_query({}, "name")
    idle(qtbot, window)
    window.views.combo.setCurrentIndex(1)
    window.views.combo.activated.emit(1)
    idle(qtbot, window)
    assert window.filters.filters() == {"roi_bucket": ["MID", "HIGH"]}
    assert window.table.visible_columns() == ["name", "roi_bucket", "roi_value"]
    assert window.model.sort_key == "-roi_value" and window.model.filters == {"roi_bucket": ["MID", "HIGH"]}
    assert window.model.rowCount() == 10


def test_the_guard_catches_a_service_call_on_the_ui_thread(desk):
    with pytest.raises(UiThreadCall):
        desk.svc.customers.list(limit=1)
    assert desk.svc.violations == ["svc.customers.list"]
    desk.svc.violations.clear()      # this one was on purpose; the fixture fails a test that leaves any


def test_tab_goes_from_the_search_through_the_pickers_to_the_grid_and_the_fields(qtbot, desk, make_window):
    seed.customers(desk.raw, 2)
    window = make_window()
    idle(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    def tab_from(widget):
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        return QApplication.focusWidget()

    f = window.filters
    assert tab_from(f.search) is f.region
    assert tab_from(f.clear_button) is window.table
    assert tab_from(window.detail.tabs.tabBar()) is window.detail.fields.rows["roi_potential"].editor.parts[
        "bucket"].widget
