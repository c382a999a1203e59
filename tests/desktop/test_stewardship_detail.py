"""Maintaining a customer in the detail pane: contacts with their roles (labels, not codes), a contact linked
to a second customer, do-not-contact, contactability with its reason, ROI scenarios."""

from __future__ import annotations

from decimal import Decimal

from services import formats
from tests.desktop import seed
from tests.desktop.conftest import idle


def open_tab(qtbot, window, row: int, tab):
    window.table.selectRow(row)
    window.detail.tabs.setCurrentWidget(tab)
    cid = window.model.row_at(row).id
    qtbot.waitUntil(lambda: tab.customer_id == cid)
    return cid


def rows(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_a_contact_is_added_edited_linked_to_another_customer_and_removed(qtbot, desk, make_window):
    ids = seed.customers(desk.raw, 2)
    window = make_window()
    contacts = window.detail.contacts
    first = open_tab(qtbot, window, 0, contacts)
    contacts.open_add()
    dialog = contacts.dialog
    dialog.full_name.setText("Jürgen Weißenböck")
    dialog.email.setText("j.weissenboeck@kantine-hafen.de")
    dialog.submit_button.click()                                # no role yet: refused in the dialog
    assert dialog.error_text("roles") == "Choose the role(s) this person holds here." and dialog.isVisible()
    dialog.roles.set_values(["HEAD_CHEF", "PURCHASING"])
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: contacts.table.rowCount() == 1, timeout=10000)
    assert rows(contacts.table) == [["Jürgen Weißenböck", "Head chef, Purchasing", "j.weissenboeck@kantine-hafen.de",
                                     "", "Yes"]]

    contacts.table.selectRow(0)
    contacts.open_edit()
    dialog = contacts.dialog
    dialog.phone.setText("+49 40 3011 2200")
    dialog.do_not_contact.setChecked(True)
    dialog.roles.set_values(["HEAD_CHEF"])
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: rows(contacts.table)[0][3] == "+49 40 3011 2200", timeout=10000)
    assert rows(contacts.table)[0][1:] == ["Head chef", "j.weissenboeck@kantine-hafen.de", "+49 40 3011 2200",
                                           "Do not contact"]
    [stored] = desk.raw.customers.contacts(first)
    assert stored.roles == ("HEAD_CHEF",) and stored.do_not_contact

    second = open_tab(qtbot, window, 1, contacts)
    contacts.open_link()
    link = contacts.dialog
    link.search.setText("Kantine 000")
    link.find()
    qtbot.waitUntil(lambda: link.found.count() == 1)
    assert link.found.item(0).text() == "Jürgen Weißenböck — Head chef at Kantine 000"
    link.roles.set_values(["MANAGING_DIRECTOR"])
    link.submit_button.click()
    qtbot.waitUntil(lambda: contacts.table.rowCount() == 1, timeout=10000)
    assert rows(contacts.table)[0][:2] == ["Jürgen Weißenböck", "Managing director"]
    assert [c.id for c in desk.raw.customers.contacts(second)] == [stored.id]   # one person, both customers

    contacts.table.selectRow(0)
    contacts.unlink()
    assert contacts.dialog.text() == "Remove Jürgen Weißenböck from Kantine 001?"
    contacts.dialog.yes_button.click()
    qtbot.waitUntil(lambda: contacts.table.rowCount() == 0, timeout=10000)
    idle(qtbot, window)
    assert desk.raw.customers.contacts(second) == [] and len(desk.raw.customers.contacts(first)) == 1
    assert set(ids) == {first, second}


def test_contactability_is_set_with_its_reason_and_shows_in_the_header(qtbot, desk, make_window, sql_count):
    [cid] = seed.customers(desk.raw, 1)
    window = make_window()
    contacts = window.detail.contacts
    open_tab(qtbot, window, 0, contacts)
    qtbot.waitUntil(lambda: contacts.customer is not None)
    assert contacts.reach.text() == "Contactability: Reachable"
    contacts.open_contactability()
    dialog = contacts.dialog
    dialog.status.setCurrentIndex(dialog.status.findData("HARD_BOUNCE"))
    events = sql_count("event_outbox")
    dialog.submit_button.click()                                 # no reason: refused before writing
    assert dialog.error_text("reason") and sql_count("event_outbox") == events
    dialog.reason.setPlainText("Postfach existiert nicht mehr; Küche telefonisch erreichen.")
    dialog.alternate.setChecked(True)
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: "Hard bounce" in contacts.reach.text(), timeout=10000)
    assert contacts.reach.text() == ("Contactability: Hard bounce (address invalid) — use another channel "
                                     "(Postfach existiert nicht mehr; Küche telefonisch erreichen.)")
    qtbot.waitUntil(lambda: "Hard bounce — use another channel" in window.detail.subtitle.text())
    idle(qtbot, window)
    stored = desk.raw.customers.get(cid)
    assert (stored.contactability_status, stored.alternate_channel_required) == ("HARD_BOUNCE", True)


def test_an_roi_scenario_is_created_from_its_assumptions_and_edited(qtbot, desk, make_window):
    [cid] = seed.customers(desk.raw, 1)
    window = make_window()
    roi = window.detail.roi
    open_tab(qtbot, window, 0, roi)
    qtbot.waitUntil(roi.empty.isVisible)                          # no scenarios yet, and it says so
    roi.open_new()
    dialog = roi.dialog
    dialog.name.setText("Convenience-Linie 180 Essen/Tag")
    for key, value in (("covers_per_day", 180), ("days_per_month", 22), ("minutes_saved_per_cover", 2),
                       ("labour_cost_per_hour", 30)):
        dialog.inputs[key].setValue(value)
    dialog.savings.setValue(0)
    assert dialog.computed.text() == f"assumptions give {formats.current().money(Decimal('3960.00'), cents=True)}"
    dialog.use_button.click()                                    # the savings the assumptions give
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: roi.table.rowCount() == 1, timeout=10000)
    f = formats.current()
    assert rows(roi.table)[0][:2] == ["Convenience-Linie 180 Essen/Tag", f.money(Decimal("3960.00"), cents=True)]
    assert "Covers per day: 180" in rows(roi.table)[0][2]

    roi.table.selectRow(0)
    roi.open_edit()
    roi.dialog.savings.setValue(4200)
    roi.dialog.submit_button.click()
    qtbot.waitUntil(lambda: rows(roi.table)[0][1] == f.money(Decimal("4200.00"), cents=True), timeout=10000)
    idle(qtbot, window)
    [scenario] = desk.raw.roi.list(cid)
    assert scenario.savings_per_month == Decimal("4200.00") and scenario.assumptions["days_per_month"] == 22
