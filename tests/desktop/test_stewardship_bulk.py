"""Bulk edit in the desktop: the preview's numbers, Apply behind a progress dialog, Cancel half-way (what
ran stays, as a partial change set), and Undo (Ctrl+Z) that sets every value back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QPushButton

import services
from desktop import reference as reference_data
from desktop import workers
from desktop.main_window import MainWindow
from services import formats
from services.service_layer import bulk
from tests.conftest import SESSION
from tests.desktop import seed
from tests.desktop.conftest import GuardedSteward, idle
from tests.logins import ensure_person

REP = f"t_desk_bulk_rep_{SESSION}"


def plain(label) -> str:
    document = QTextDocument()
    document.setHtml(label.text())
    return document.toPlainText()


def select_rows(window, rows) -> None:
    selection = window.table.selectionModel()
    window.table.setCurrentIndex(window.model.index(rows[0], 0))
    for n in rows:
        selection.select(window.model.index(n, 0), selection.SelectionFlag.Select | selection.SelectionFlag.Rows)


def preview(qtbot, dialog, **choices):
    with qtbot.waitSignal(dialog.previewed, timeout=10000):
        for key, value in choices.items():
            dialog.choose(key, value)
    return plain(dialog.preview_label)


def test_the_preview_counts_customers_and_changes_before_anything_is_written(qtbot, desk, make_window, sql_count):
    seed.customers(desk.raw, 6)
    window = make_window()
    select_rows(window, [0, 1, 2, 3])
    history = sql_count("field_history")
    dialog = window.stewardship.bulk_edit()
    assert dialog.on_selection.isChecked() and dialog.on_selection.text() == "The 4 selected customers"
    text = preview(qtbot, dialog, roi_potential={"bucket": "HIGH", "value": 900})
    assert "4 customers, 4 writable, 0 out of your scope" in text
    assert "ROI potential → Bucket: High, € / month: 900: 4 change, 0 unchanged" in text
    assert "Bucket: Low, € / month: 0 → Bucket: High, € / month: 900 (1)" in text      # old → new, how many
    assert dialog.apply_button.isEnabled()

    text = preview(qtbot, dialog, roi_potential={"value": 500})    # no bucket: named, nothing can be applied
    assert "Not valid — nothing would be written" in text and "ROI potential: Bucket is required" in text
    assert not dialog.apply_button.isEnabled()
    dialog.on_filter.setChecked(True)
    dialog.choose("covers_per_day", 25)
    with qtbot.waitSignal(dialog.previewed, timeout=10000):
        pass
    assert "6 customers, 6 writable" in plain(dialog.preview_label)   # the whole filter
    dialog.reject()
    idle(qtbot, window)
    assert sql_count("field_history") == history


def test_a_reps_preview_names_customers_out_of_scope_and_refused_fields(qtbot, desk, owner_engine, sql_count):
    ensure_person(owner_engine, REP, role="SALES_REP", region="NORTH", display_name="Mia Meyer")
    chain = desk.raw.customers.create("Kita-Verbund Sonnenschein", "NORTH", is_chain=True,
                                      coverage_policy="CHAIN_SHARED")
    for i in range(3):
        desk.raw.customers.create(f"Kita Sonnenschein {i}", "NORTH", owner=REP, parent_account_id=chain.id)
    desk.raw.customers.create("Kita Sonnenschein Altona", "NORTH", parent_account_id=chain.id)   # shared, not hers
    raw = services.connect(url=desk.url, user=REP, source="desktop")
    guarded = GuardedSteward(raw)
    window = MainWindow(guarded, reference_data.load(raw), live=False, page_size=20)
    window.confirm_close = False
    qtbot.addWidget(window)
    window.show()
    try:
        qtbot.waitUntil(lambda: window.model.rowCount() == 4)     # hers and a location of her chain
        dialog = window.stewardship.bulk_edit()
        dialog.on_filter.setChecked(True)                           # every customer of the (empty) filter
        text = preview(qtbot, dialog, covers_per_day=80, price_agreement={"price_list": "CHAIN"})
        assert "4 customers, 3 writable, 1 out of your scope" in text
        assert "Price agreement → Price list: Chain\nRefused: restricted field" in text
        dialog.reject()
        idle(qtbot, window)
    finally:
        window.shut_down()
        raw.close()
    assert guarded.violations == []


@pytest.fixture
def slow_batches(monkeypatch):
    """Batches of two customers; the worker waits after the first batch until the person cancelled."""
    monkeypatch.setattr(bulk, "BATCH", 2)
    report = workers.Job.report

    def waiting(job, done, total, text=""):
        report(job, done, total, text)
        if done == 2:
            job._cancel.wait(10)

    monkeypatch.setattr(workers.Job, "report", waiting)


def test_apply_runs_behind_a_progress_dialog_cancel_keeps_what_ran_and_undo_takes_it_back(
        qtbot, desk, make_window, slow_batches):
    ids = seed.customers(desk.raw, 6)
    window = make_window()
    before = {c: desk.raw.fields.get(c).values for c in ids}
    select_rows(window, range(6))
    dialog = window.stewardship.bulk_edit()
    preview(qtbot, dialog, covers_per_day=250)
    dialog.apply_button.click()
    run = window.stewardship.bulk_run
    assert run.progress.isVisible()                                  # at once, not after a delay
    qtbot.waitUntil(lambda: run.progress.value() == 2, timeout=10000)
    cancel = next(b for b in run.progress.findChildren(QPushButton) if b.text() == "Cancel")
    with qtbot.waitSignal(run.finished, timeout=10000) as finished:
        cancel.click()
    cs = finished.args[0]
    assert (cs.state, cs.changed) == ("partial", 2)
    assert run.result.text().startswith("Set Covers per day on 6 customers: 2 values of 2 customers changed")
    assert "partial change set" in run.result.informativeText()
    idle(qtbot, window)
    changed = [c for c in ids if desk.raw.fields.get(c).values.get("covers_per_day") == 250]
    assert len(changed) == 2                                         # what ran stays

    run.result.accept()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    undo = window.stewardship.undo
    qtbot.waitUntil(lambda: undo.confirmation is not None and undo.confirmation.isVisible(), timeout=10000)
    assert undo.confirmation.text() == "Undo “Set Covers per day on 6 customers”?"
    with qtbot.waitSignal(undo.undone, timeout=10000):
        undo.confirmation.yes_button.click()
    idle(qtbot, window)
    assert {c: desk.raw.fields.get(c).values for c in ids} == before
    assert f"Undone: {formats.current().number(2)} values set back." in window.status.message.text()
