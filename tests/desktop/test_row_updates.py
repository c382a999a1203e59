"""A write or a change notification re-reads only the customers it names, and their rows change in place."""

from __future__ import annotations

from tests.desktop import seed
from tests.desktop.conftest import idle
from tests.desktop.test_fields import open_first


def record_lists(monkeypatch, desk) -> list[dict]:
    """Every svc.customers.list call the window makes from now on, by its arguments."""
    calls: list[dict] = []
    real = desk.raw.customers.list

    def recorded(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(desk.raw.customers, "list", recorded)
    return calls


def grid(window) -> list:
    return [window.model.row_at(n) for n in range(window.model.rowCount())]


def test_a_save_rereads_only_the_saved_customer_and_updates_its_row_in_place(qtbot, desk, make_window, monkeypatch):
    seed.customers(desk.raw, 30)
    window = make_window()
    idle(qtbot, window)
    held = window.model.rowCount()
    cid, fields = open_first(qtbot, window)
    calls = record_lists(monkeypatch, desk)
    fields.rows["roi_potential"].editor.parts["value"].widget.setValue(777)
    window.save_action.trigger()
    qtbot.waitUntil(lambda: window.model.row_at(0).roi_value == 777)
    idle(qtbot, window)
    assert window.model.rowCount() == held and window.model.row_at(0).id == cid
    assert calls and all(call.get("customer_ids") == [cid] for call in calls)   # never the whole list again
    assert window.table.current_customer().id == cid


def test_a_change_notification_rereads_the_customers_it_names_only(qtbot, desk, make_window, monkeypatch):
    ids = seed.customers(desk.raw, 12)
    window = make_window()
    idle(qtbot, window)
    position = desk.raw.changes.latest_position()
    desk.raw.fields.patch(ids[4], {"roi_potential": {"bucket": "HIGH", "value": 4444}})
    changes = desk.raw.changes.since(position)
    assert changes.customer_ids == {ids[4]}
    calls = record_lists(monkeypatch, desk)
    window._changes_arrived(changes)
    qtbot.waitUntil(lambda: window.model.row_at(4).roi_value == 4444)
    idle(qtbot, window)
    assert [call.get("customer_ids") for call in calls] == [[ids[4]]]


def test_rows_leave_the_filter_and_come_into_it_where_the_sort_puts_them(qtbot, desk, make_window):
    ids = seed.customers(desk.raw, 12)           # customer i: ROI value 100 * i, bucket LOW/MID/HIGH by i % 3
    window = make_window()
    window.model.set_query({"roi_bucket": ["HIGH"]}, "roi_value")
    idle(qtbot, window)
    assert [r.id for r in grid(window)] == [ids[2], ids[5], ids[8], ids[11]]
    desk.raw.fields.patch(ids[5], {"roi_potential": {"bucket": "LOW", "value": 500}})      # leaves
    desk.raw.fields.patch(ids[1], {"roi_potential": {"bucket": "HIGH", "value": 650}})     # comes in
    desk.raw.fields.patch(ids[11], {"roi_potential": {"bucket": "HIGH", "value": 50}})     # moves up
    window.rows_changed({ids[5], ids[1], ids[11]})
    qtbot.waitUntil(lambda: len(grid(window)) == 4 and grid(window)[0].id == ids[11])
    idle(qtbot, window)
    assert [r.id for r in grid(window)] == [ids[11], ids[2], ids[1], ids[8]]
    assert [r.roi_value for r in grid(window)] == sorted(r.roi_value for r in grid(window))
    assert window.model.total == 4


def test_a_row_to_place_by_a_text_key_rereads_the_rows_held(qtbot, desk, make_window, monkeypatch):
    ids = seed.customers(desk.raw, 6)
    window = make_window()
    window.model.set_query({"roi_bucket": ["HIGH"]}, "name")
    idle(qtbot, window)
    assert [r.id for r in grid(window)] == [ids[2], ids[5]]
    desk.raw.fields.patch(ids[3], {"roi_potential": {"bucket": "HIGH", "value": 1}})
    calls = record_lists(monkeypatch, desk)
    window.rows_changed({ids[3]})
    qtbot.waitUntil(lambda: len(grid(window)) == 3)
    idle(qtbot, window)
    assert [r.id for r in grid(window)] == [ids[2], ids[3], ids[5]]     # the database's collation decides
    assert [call.get("customer_ids") for call in calls] == [[ids[3]], None]
