"""Stewardship of customers in the desktop: a new customer (created, shown, selected; refused input
keeps the dialog and writes nothing), master data with its ETag, reassigning several."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from desktop.conflict import MINE
from tests.conftest import SESSION
from tests.desktop import seed
from tests.desktop.conftest import idle
from tests.logins import ensure_person

REP = f"t_desk_rep_{SESSION}"
REP_NAME = "Jonas Jansen-Großkopf"


def current_name(window) -> str | None:
    row = window.table.current_customer()
    return row.name if row else None


def open_new_customer(qtbot, window):
    dialog = window.stewardship.new_customer()
    dialog.region.setCurrentIndex(dialog.region.findData("NORTH"))
    qtbot.waitUntil(lambda: dialog.owner.combo.findText(REP_NAME) >= 0)     # the region's people are in
    return dialog


def test_a_new_customer_is_created_then_shown_and_selected_in_the_grid(qtbot, desk, make_window, owner_engine):
    ensure_person(owner_engine, REP, role="SALES_REP", region="NORTH", display_name=REP_NAME)
    seed.customers(desk.raw, 4)
    window = make_window()
    dialog = open_new_customer(qtbot, window)
    assert dialog.region.count() == 1 + len(desk.reference.regions)   # an admin creates in every region
    assert dialog.region.itemText(dialog.region.findData("NORTH")) == "Nord"   # labels, not codes
    dialog.name.setText("Betriebsrestaurant Hafencity Süd")
    dialog.city.setText("Hamburg")
    dialog.owner.combo.setCurrentIndex(dialog.owner.combo.findText(REP_NAME))
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: current_name(window) == "Betriebsrestaurant Hafencity Süd", timeout=10000)
    idle(qtbot, window)
    assert not dialog.isVisible()
    row = window.table.current_customer()
    assert [r.row() for r in window.table.selectionModel().selectedRows()] == [window.model.row_of(row.id)]
    stored = desk.raw.customers.get(row.id)
    assert (stored.city, stored.region, stored.owner_name) == ("Hamburg", "NORTH", REP_NAME)
    assert window.detail.customer_id == row.id


def test_refused_input_keeps_the_dialog_open_with_its_message_and_writes_nothing(qtbot, desk, make_window,
                                                                                 owner_engine, sql_count):
    ensure_person(owner_engine, REP, role="SALES_REP", region="NORTH", display_name=REP_NAME)
    desk.raw.customers.create("Mensa am Ring", "NORTH", external_ref="ERP-4711")
    window = make_window()
    customers, events = sql_count("accounts"), sql_count("event_outbox")
    dialog = open_new_customer(qtbot, window)
    dialog.city.setText("Köln")
    dialog.submit_button.click()                                     # no name: refused before asking anyone
    assert dialog.isVisible() and dialog.error_text("name") == "Give the customer a name."

    dialog.name.setText("Kantine Rheinauhafen")
    dialog.external_ref.setText("ERP-4711")                           # the database refuses: taken
    dialog.submit_button.click()
    idle(qtbot, window)
    assert dialog.isVisible()
    assert dialog.error_text("name") == ""
    assert dialog.error_text("external_ref") == "Another customer has this already."
    assert "already a customer with the external reference ERP-4711" in dialog.banner.text()
    assert (dialog.name.text(), dialog.city.text(), dialog.external_ref.text()) == \
        ("Kantine Rheinauhafen", "Köln", "ERP-4711")                 # everything typed is kept
    assert (sql_count("accounts"), sql_count("event_outbox")) == (customers, events)
    dialog.reject()


def test_master_data_saved_with_a_stale_etag_opens_the_conflict_dialog(qtbot, desk, make_window):
    [cid] = seed.customers(desk.raw, 1)
    window = make_window()
    window.table.selectRow(0)
    window.stewardship.edit_master_data()
    qtbot.waitUntil(lambda: window.stewardship.dialog is not None and window.stewardship.dialog.isVisible())
    dialog = window.stewardship.dialog
    dialog.city.setText("Lübeck")
    desk.raw.customers.update(cid, city="Kiel")                        # someone else, meanwhile
    with qtbot.waitSignal(dialog.conflict_opened, timeout=10000) as opened:
        dialog.submit_button.click()
    conflict = opened.args[0]
    texts = {label.text() for label in conflict.findChildren(QLabel)}
    assert {"Lübeck", "Kiel", "Hamburg"} <= texts                      # started from, mine, theirs
    assert desk.raw.customers.get(cid).city == "Kiel"                  # nothing overwritten yet
    conflict.choose("city", MINE)
    conflict.save_button.click()
    qtbot.waitUntil(lambda: desk.raw.customers.get(cid).city == "Lübeck", timeout=10000)
    idle(qtbot, window)
    assert not dialog.isVisible()


def test_reassigning_the_selected_customers_is_one_change_set(qtbot, desk, make_window, owner_engine):
    ensure_person(owner_engine, REP, role="SALES_REP", region="NORTH", display_name=REP_NAME)
    ids = seed.customers(desk.raw, 5)
    window = make_window()
    for row in (0, 2, 3):
        window.table.selectionModel().select(window.model.index(row, 0),
                                             window.table.selectionModel().SelectionFlag.Select
                                             | window.table.selectionModel().SelectionFlag.Rows)
    chosen = {window.model.row_at(r).id for r in (0, 2, 3)}
    window.stewardship.reassign()
    dialog = window.stewardship.dialog
    qtbot.waitUntil(lambda: dialog.owner.combo.count() > 0)
    dialog.owner.combo.setCurrentIndex(next(n for n in range(dialog.owner.combo.count())
                                            if dialog.owner.combo.itemText(n).startswith(REP_NAME)))
    assert dialog.submit_button.text() == "Reassign 3 customers"
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: all(window.model.row_at(window.model.row_of(c)).owner_name == REP_NAME for c in chosen),
                    timeout=10000)
    idle(qtbot, window)
    [cs] = desk.raw.change_sets.list()
    assert (cs.kind, cs.changed) == ("reassign", 3)
    assert {c for c in ids if desk.raw.customers.get(c).owner_name == REP_NAME} == chosen
