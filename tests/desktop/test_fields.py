"""The field editor: schema validation before saving, ETag conflicts, reverting, the audit trail."""

from __future__ import annotations

import secrets

import services
from desktop import reference as reference_data
from desktop.conflict import MINE
from desktop.detail.fields import FieldsTab
from desktop.workers import Runner
from PySide6.QtCore import Qt

from tests.desktop import seed
from tests.desktop.conftest import GuardedSteward, idle


def open_first(qtbot, window):
    window.table.setFocus()
    window.table.selectRow(0)
    row = window.model.row_at(0)
    window.open_customer(row)
    fields = window.detail.fields
    qtbot.waitUntil(lambda: fields.base is not None and fields.base.customer_id == row.id and fields.isEnabled())
    return row.id, fields


def notes(fields):
    return fields.rows["kitchen_notes"].editor


def test_a_value_that_breaks_the_schema_shows_a_message_and_saves_nothing(qtbot, desk, make_window, sql_count):
    [cid] = seed.customers(desk.raw, 1)
    before = desk.raw.fields.get(cid)
    history, events = sql_count("field_history"), sql_count("event_outbox")
    window = make_window()
    _, fields = open_first(qtbot, window)
    roi = fields.rows["roi_potential"].editor
    roi.parts["bucket"].set_value(None)            # the bucket is required
    roi.parts["bucket"].changed.emit()
    roi.parts["value"].widget.setValue(2500)
    assert fields.changes() == {"roi_potential": {"value": 2500}}
    window.save_action.trigger()
    idle(qtbot, window)
    assert fields.rows["roi_potential"].error.text() == "Bucket is required"
    assert not fields.rows["roi_potential"].error.isHidden()
    assert "Not saved" in fields.banner.text()
    assert desk.raw.fields.get(cid).values == before.values
    assert (sql_count("field_history"), sql_count("event_outbox")) == (history, events)
    roi.parts["bucket"].widget.setCurrentIndex(roi.parts["bucket"].widget.findData("HIGH"))
    window.save_action.trigger()
    idle(qtbot, window)
    assert desk.raw.fields.get(cid).values["roi_potential"] == {"bucket": "HIGH", "value": 2500}
    assert fields.rows["roi_potential"].error.isHidden() and not fields.dirty


def test_a_stale_etag_opens_the_conflict_view_and_the_typed_value_survives(qtbot, desk, make_window):
    [cid] = seed.customers(desk.raw, 1)
    window = make_window()
    _, fields = open_first(qtbot, window)
    qtbot.keyClicks(notes(fields).widget, "Wants gluten-free options")
    desk.raw.fields.patch(cid, {"kitchen_notes": "Closed on Mondays"})   # someone else, meanwhile

    with qtbot.waitSignal(fields.conflict_opened, timeout=10000) as opened:
        window.save_action.trigger()
    dialog = opened.args[0]
    assert notes(fields).value() == "Wants gluten-free options"
    texts = {label.text() for label in dialog.findChildren(type(fields.banner.label))}
    assert {"Wants gluten-free options", "Closed on Mondays", "—"} <= texts
    dialog.keep_editing_button.click()
    assert notes(fields).value() == "Wants gluten-free options" and fields.dirty
    assert desk.raw.fields.get(cid).values["kitchen_notes"] == "Closed on Mondays"

    with qtbot.waitSignal(fields.conflict_opened, timeout=10000) as opened:
        window.save_action.trigger()
    dialog = opened.args[0]
    dialog.choose("kitchen_notes", MINE)
    dialog.save_button.click()
    idle(qtbot, window)
    saved = desk.raw.fields.get(cid)
    assert saved.values["kitchen_notes"] == "Wants gluten-free options"
    assert fields.base.etag == saved.etag and not fields.dirty


def test_choosing_theirs_takes_their_value_and_saves_nothing_of_mine(qtbot, desk, make_window):
    [cid] = seed.customers(desk.raw, 1)
    window = make_window()
    _, fields = open_first(qtbot, window)
    qtbot.keyClicks(notes(fields).widget, "Mine")
    desk.raw.fields.patch(cid, {"kitchen_notes": "Theirs"})
    with qtbot.waitSignal(fields.conflict_opened, timeout=10000) as opened:
        window.save_action.trigger()
    opened.args[0].choose("kitchen_notes", "theirs")
    opened.args[0].save_button.click()
    idle(qtbot, window)
    assert notes(fields).value() == "Theirs" and not fields.dirty
    assert desk.raw.fields.get(cid).values["kitchen_notes"] == "Theirs"


def test_changes_to_other_fields_merge_without_asking(qtbot, desk, make_window):
    [cid] = seed.customers(desk.raw, 1)
    window = make_window()
    _, fields = open_first(qtbot, window)
    qtbot.keyClicks(notes(fields).widget, "Mine")
    desk.raw.fields.patch(cid, {"covers_per_day": 320})
    window.save_action.trigger()
    qtbot.waitUntil(lambda: not fields.dirty, timeout=10000)
    idle(qtbot, window)
    values = desk.raw.fields.get(cid).values
    assert (values["kitchen_notes"], values["covers_per_day"]) == ("Mine", 320)
    assert fields.conflict is None and fields.rows["covers_per_day"].editor.value() == 320


def test_escape_reverts_the_field_being_edited(qtbot, desk, make_window):
    seed.customers(desk.raw, 1)
    window = make_window()
    _, fields = open_first(qtbot, window)
    editor = notes(fields).widget
    editor.setFocus()
    qtbot.keyClicks(editor, "typo")
    assert fields.dirty
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert notes(fields).value() is None and not fields.dirty


def test_the_history_shows_who_changed_what(qtbot, desk, make_window):
    seed.customers(desk.raw, 1)
    window = make_window()
    _, fields = open_first(qtbot, window)
    fields.rows["covers_per_day"].editor.widget.setValue(180)
    window.save_action.trigger()
    qtbot.waitUntil(lambda: not fields.dirty)
    window.detail.tabs.setCurrentWidget(window.detail.history)
    history = window.detail.history
    qtbot.waitUntil(lambda: any(history.table.item(r, 1).text() == "Covers per day"
                                for r in range(history.table.rowCount())))
    row = next(r for r in range(history.table.rowCount()) if history.table.item(r, 1).text() == "Covers per day")
    assert history.table.item(row, 2).text() == "—  →  180"
    assert history.table.item(row, 0).text().endswith("\nDana Desk · desktop")     # when, then who
    idle(qtbot, window)


def test_restricted_fields_are_read_only_for_a_sales_rep(qtbot, svc, clean_db):
    login = f"t_rep_{secrets.token_hex(3)}"
    svc.users.add(login, role="SALES_REP", region="NORTH")
    with services.connect(url=clean_db, user=login) as rep:
        tab = FieldsTab(Runner(), GuardedSteward(rep), reference_data.load(rep))
        qtbot.addWidget(tab)
        assert tab.rows["current_supplier_contracts"].read_only and tab.rows["price_agreement"].read_only
        assert tab.rows["sample_status"].read_only          # derived: follows the sample workflow
        assert not tab.rows["roi_potential"].read_only
        assert not tab.rows["price_agreement"].editor.parts["price_list"].widget.isEnabled()
