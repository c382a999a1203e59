"""Samples moved through their workflow by clicking; typed activities logged through their form."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from desktop import display
from tests.desktop import seed
from tests.desktop.conftest import idle


def open_tab(qtbot, window, tab):
    window.table.selectRow(0)
    window.open_customer(window.model.row_at(0))
    window.detail.tabs.setCurrentWidget(tab)
    idle(qtbot, window)


def action_buttons(samples):
    return {b.objectName(): b for b in samples.findChildren(QPushButton) if b.objectName().startswith("move_")
            and not b.isHidden()}


def test_a_sample_is_requested_and_moved_through_its_workflow_by_clicking(qtbot, desk, make_window, sql_count):
    [cid] = seed.customers(desk.raw, 1)
    window = make_window()
    samples = window.detail.samples
    open_tab(qtbot, window, samples)
    assert samples.table.rowCount() == 0

    samples.request_button.click()
    dialog = samples.dialog
    default_kit = desk.reference.default_kit
    assert sorted(dialog.lines()) == sorted(default_kit.items) and len(dialog.lines()) == 5
    dialog.request_button.click()
    qtbot.waitUntil(lambda: samples.table.rowCount() == 1, timeout=10000)
    idle(qtbot, window)
    assert samples.selected().kit_id == default_kit.id
    assert set(action_buttons(samples)) == {"move_PACKED", "move_CANCELED"}

    for status in ("PACKED", "SHIPPED", "DELIVERED", "FEEDBACK_SUCCESS"):
        action_buttons(samples)[f"move_{status}"].click()
        qtbot.waitUntil(lambda s=status: samples.selected() is not None and samples.selected().status == s,
                        timeout=10000)
        idle(qtbot, window)
    assert action_buttons(samples) == {}
    assert samples.next_label.text() == "Final status"
    assert samples.timeline.count() == 5
    assert "Delivered → Feedback: success" in samples.timeline.item(4).text()
    [stored] = desk.raw.samples.list(cid)
    assert stored.status == "FEEDBACK_SUCCESS"
    assert sql_count("event_outbox", "type = 'shipment.requested'") == 1
    row = window.model.row_of(cid)
    qtbot.waitUntil(lambda: window.model.row_at(row).sample_status == "FEEDBACK_SUCCESS", timeout=10000)
    idle(qtbot, window)


def test_only_the_allowed_next_statuses_have_buttons(qtbot, desk, make_window):
    [cid] = seed.customers(desk.raw, 1)
    sample = desk.raw.samples.request(cid)
    desk.raw.samples.set_status(sample.id, "PACKED")
    desk.raw.samples.set_status(sample.id, "SHIPPED")
    window = make_window()
    samples = window.detail.samples
    open_tab(qtbot, window, samples)
    assert set(action_buttons(samples)) == {"move_DELIVERED", "move_CANCELED"}


def test_an_activity_is_logged_through_its_typed_form_and_listed_with_its_sla(qtbot, desk, make_window):
    [cid] = seed.customers(desk.raw, 1)
    window = make_window()
    tab = window.detail.activities
    open_tab(qtbot, window, tab)
    tab.open_form("ROI_CONSULTATION")
    qtbot.waitUntil(lambda: tab.dialog is not None)
    dialog = tab.dialog
    form = dialog.current()
    assert [form.outcome.itemData(n) for n in range(1, form.outcome.count())] == \
        ["QUALIFIED", "NEEDS_DATA", "NO_INTEREST"]
    assert set(form.fields.parts) == {"roi_scenario_id", "assumptions_version", "savings_per_month", "commitment_level"}

    dialog.save_button.click()              # nothing chosen yet: refused in the form, nothing saved
    assert "Commitment is required" in dialog.banner.text() and "Outcome" in dialog.banner.text()
    assert desk.raw.activities.list(cid).items == ()

    form.outcome.setCurrentIndex(form.outcome.findData("QUALIFIED"))
    form.fields.parts["commitment_level"].widget.setCurrentIndex(
        form.fields.parts["commitment_level"].widget.findData("HIGH"))
    form.fields.parts["savings_per_month"].widget.setValue(950)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1, timeout=10000)
    idle(qtbot, window)
    [stored] = desk.raw.activities.list(cid).items
    assert (stored.kind, stored.outcome, stored.data["commitment_level"], stored.data["savings_per_month"]) == \
        ("ROI_CONSULTATION", "QUALIFIED", "HIGH", 950)
    cells = [tab.table.item(0, c).text() for c in range(5)]
    assert cells[1:3] == ["ROI consultation", "Qualified"]
    assert cells[3] in ("On track", "Due soon")
    assert tab.table.item(0, 3).toolTip() == f"Due {display.day(stored.sla_due)}"
    assert "Savings € / month: 950" in cells[4] and "(by Dana Desk)" in cells[4]
    assert tab.slas.rowCount() == 1


def test_the_activity_list_filters_by_kind_and_text(qtbot, desk, make_window):
    [cid] = seed.customers(desk.raw, 1)
    desk.raw.activities.create(cid, "ROI_CONSULTATION", outcome="NEEDS_DATA", commitment_level="LOW",
                               note="asked for invoices")
    desk.raw.activities.create(cid, "MENU_INTEGRATION", outcome="DRAFT", season="Q4/Xmas")
    window = make_window()
    tab = window.detail.activities
    open_tab(qtbot, window, tab)
    assert tab.table.rowCount() == 2
    tab.kind.setCurrentIndex(tab.kind.findData("MENU_INTEGRATION"))
    tab.reload()
    idle(qtbot, window)
    assert [tab.table.item(r, 1).text() for r in range(tab.table.rowCount())] == ["Menu integration"]
    tab.kind.setCurrentIndex(0)
    tab.text.setText("invoices")
    tab.reload()
    idle(qtbot, window)
    assert [tab.table.item(r, 1).text() for r in range(tab.table.rowCount())] == ["ROI consultation"]
