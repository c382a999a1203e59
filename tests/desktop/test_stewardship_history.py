"""Taking changes back in the desktop: the change-set history window (paged values, an Undo button per
set), Ctrl+Z with nothing to undo, and a customer's History tab (paged with "Load older", values never cut
off, "Restore to this point")."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.detail import history as history_tab
from desktop.stewardship import history_window
from services import formats
from tests.desktop import seed
from tests.desktop.conftest import idle


def test_the_change_set_history_pages_its_values_and_undoes_a_set(qtbot, desk, make_window, monkeypatch):
    monkeypatch.setattr(history_window, "ITEMS_PAGE", 3)
    ids = seed.customers(desk.raw, 5)
    desk.raw.customers.reassign(ids[:2], desk.raw.actor.user_id)
    edit = desk.raw.bulk.apply({"kitchen_type": "CANTEEN"}, customer_ids=ids, description="Kitchen type Kantine")
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.table, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    shown = window.stewardship.history
    qtbot.waitUntil(lambda: shown is not None and shown.sets.rowCount() == 2 and len(shown.items) == 3)
    f = formats.current()
    assert [shown.sets.item(r, 1).text() for r in range(2)] == ["Kitchen type Kantine", "Reassign 2 customers"]
    assert shown.sets.item(0, 2).text() == "Bulk edit" and shown.sets.item(1, 2).text() == "Reassignment"
    assert shown.sets.item(0, 4).text() == f"{f.number(5)} values of {f.number(5)} customers"
    assert [shown.values.item(r, 1).text() for r in range(3)] == ["Kitchen type"] * 3
    assert {shown.values.item(r, 2).text() for r in range(3)} == {"—"}
    assert {shown.values.item(r, 3).text() for r in range(3)} == {"Canteen"}      # a label, not CANTEEN
    assert shown.count.text() == f"{f.number(3)} of {f.number(5)} values shown" and shown.more_button.isVisible()
    shown.more_button.click()
    qtbot.waitUntil(lambda: len(shown.items) == 5)
    assert not shown.more_button.isVisible()
    shown.sets.selectRow(1)
    qtbot.waitUntil(lambda: len(shown.items) == 2 and shown.values.item(0, 1).text() == "Owner")
    assert shown.values.item(0, 3).text() == "Dana Desk"                          # a person, not an id

    shown.undo_button(0).click()
    undo = window.stewardship.undo
    assert undo.confirmation.text() == "Undo “Kitchen type Kantine”?"
    with qtbot.waitSignal(undo.undone, timeout=10000):
        undo.confirmation.yes_button.click()
    qtbot.waitUntil(lambda: shown.sets.rowCount() == 3)
    idle(qtbot, window)
    assert shown.sets.item(0, 1).text() == "Undo: Kitchen type Kantine"
    assert shown.sets.item(1, 5).text() == "Undone" and not shown.undo_button(1).isEnabled()
    assert all("kitchen_type" not in desk.raw.fields.get(c).values for c in ids)
    assert desk.raw.change_sets.get(edit.id).undone_by is not None


def test_ctrl_z_with_nothing_to_undo_says_so(qtbot, desk, make_window, sql_count):
    seed.customers(desk.raw, 1)
    window = make_window()
    sets = sql_count("change_sets")
    window.stewardship.undo_action.trigger()
    qtbot.waitUntil(lambda: "Nothing to undo" in window.status.message.text())
    idle(qtbot, window)
    assert sql_count("change_sets") == sets


def open_history(qtbot, window):
    window.table.selectRow(0)
    tab = window.detail.history
    window.detail.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: bool(tab.entries))
    return tab


def test_the_history_tab_pages_with_load_older_and_keeps_values_whole(qtbot, desk, make_window, monkeypatch):
    monkeypatch.setattr(history_tab, "PAGE", 4)
    [cid] = seed.customers(desk.raw, 1)
    long_note = "Küchenchef Jürgen Weißenböck wünscht glutenfreie Optionen für das Weihnachtsmenü " * 3
    desk.raw.fields.patch(cid, {"kitchen_notes": long_note.strip()})
    for n in range(5):
        desk.raw.fields.patch(cid, {"covers_per_day": 100 + n})
    window = make_window()
    tab = open_history(qtbot, window)                  # 3 seeded + 1 note + 5 covers = 9 entries
    assert tab.table.rowCount() == 4 and tab.older_button.isVisible()
    tab.older_button.click()
    qtbot.waitUntil(lambda: tab.table.rowCount() == 8)
    tab.older_button.click()
    qtbot.waitUntil(lambda: tab.table.rowCount() == 9)
    assert not tab.older_button.isVisible()
    assert [e.new for e in tab.entries[:5]] == [104, 103, 102, 101, 100]
    note_row = next(r for r in range(9) if tab.table.item(r, 1).text() == "Kitchen notes")
    item = tab.table.item(note_row, 2)
    assert long_note.strip() in item.text() and item.toolTip() == item.text()   # whole, also on hover
    assert tab.table.wordWrap() and tab.table.rowHeight(note_row) > tab.table.rowHeight(0)
    idle(qtbot, window)


def test_restore_to_this_point_sets_the_field_back_as_a_change_set(qtbot, desk, make_window):
    [cid] = seed.customers(desk.raw, 1)
    for n in range(3):
        desk.raw.fields.patch(cid, {"covers_per_day": 200 + n})
    window = make_window()
    tab = open_history(qtbot, window)
    row = next(r for r, e in enumerate(tab.entries) if e.key == "covers_per_day" and e.new == 200)
    tab.table.selectRow(row)
    box = tab.restore(this_field=True)
    when = formats.current().moment(tab.entries[row].changed_at)
    assert box.text() == f"Restore Covers per day to its value at {when}?"
    box.yes_button.click()
    qtbot.waitUntil(lambda: desk.raw.fields.get(cid).values["covers_per_day"] == 200, timeout=10000)
    qtbot.waitUntil(lambda: bool(tab.entries) and tab.entries[0].new == 200)     # the history shows the restore
    idle(qtbot, window)
    [cs] = desk.raw.change_sets.list()
    assert (cs.kind, cs.changed) == ("restore", 1)
    assert desk.raw.fields.get(cid).values["roi_potential"] == {"bucket": "LOW", "value": 0}   # others unchanged
