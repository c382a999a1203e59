"""The duplicates view and the merge dialog: a scan behind a progress dialog, pairs by score,
filtered by region and owner, Not a duplicate, and a merge with a choice per value and a dry run."""

from __future__ import annotations

from PySide6.QtWidgets import QProgressDialog

from tests.conftest import SESSION
from tests.desktop.conftest import idle
from tests.logins import ensure_person

REP = f"t_desk_dupes_{SESSION}"


def _customers(desk, owner_engine):
    ensure_person(owner_engine, REP, role="SALES_REP", region="SOUTH", display_name="Sophie Sommer")
    raw = desk.raw
    linde = raw.customers.create("Gasthaus Zur Linde", "NORTH", city="Hamburg")
    raw.fields.patch(linde.id, {"covers_per_day": 80})
    raw.customers.add_contact(linde.id, "Anna Koch", ["HEAD_CHEF"], phone="+49 40 1234567")
    copy = raw.customers.create("GASTHAUS ZUR LINDE GmbH", "NORTH", city="Hamburg")
    raw.fields.patch(copy.id, {"covers_per_day": 120, "kitchen_notes": "Neue Küche seit März"})
    raw.customers.add_contact(copy.id, "A. Koch", ["HEAD_CHEF"], phone="040/1234567")
    raw.samples.request(copy.id)
    south = raw.customers.create("Brauhaus Mueller", "SOUTH", city="München", owner=REP)
    raw.customers.create("Brauhaus Müller", "SOUTH", city="München", owner=REP)
    raw.customers.create("Gasthaus Zur Linde", "SOUTH", city="Passau")         # a namesake elsewhere
    return linde, copy, south


def _scan(qtbot, window):
    view = window.stewardship.show_duplicates()
    qtbot.addWidget(view)
    view.scan_button.click()
    progress = view.progress
    assert isinstance(progress, QProgressDialog) and progress.isVisible(), "the progress shows at once, with Cancel"
    qtbot.waitUntil(lambda: view.result is not None, timeout=20000)
    idle(qtbot, window)
    return view


def test_the_view_lists_pairs_by_score_and_filters_by_region_and_owner(qtbot, desk, make_window, owner_engine):
    linde, copy, _ = _customers(desk, owner_engine)
    window = make_window()
    view = _scan(qtbot, window)
    assert len(view.shown) == 2
    first = view.pairs.row_data()
    assert {first.a, first.b} == {linde.id, copy.id}, "the surest pair first"
    assert "same phone" in view.pairs.item(0, 1).text() and "Passau" not in str(
        [view.pairs.item(r, c).text() for r in range(view.pairs.rowCount()) for c in range(8)])
    view.region.setCurrentIndex(view.region.findData("SOUTH"))
    assert view.pairs.rowCount() == 1 and view.pairs.item(0, 2).text().startswith("Brauhaus M")
    view.region.setCurrentIndex(0)
    view.owner.setCurrentIndex(view.owner.findText("Sophie Sommer"))
    assert view.pairs.rowCount() == 1
    view.owner.setCurrentIndex(0)

    view.pairs.selectRow(1)
    view.dismiss_button.click()
    qtbot.waitUntil(lambda: view.pairs.rowCount() == 1)
    idle(qtbot, window)
    again = _scan(qtbot, window)
    assert len(again.shown) == 1, "a dismissed pair is not offered again"


def test_the_merge_dialog_picks_values_side_by_side_dry_runs_and_merges(qtbot, desk, make_window, owner_engine,
                                                                        sql_count):
    linde, copy, _ = _customers(desk, owner_engine)
    window = make_window()
    view = _scan(qtbot, window)
    dialog = view.merge()
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.merge_button.isEnabled(), timeout=10000)
    survivor = 0 if dialog.loaded[0][0].id == linde.id else 1
    dialog.survivor.button(survivor).setChecked(True)
    dialog.choices["covers_per_day"].button(1 - survivor).setChecked(True)     # the copy's 120
    assert dialog.choices["kitchen_notes"].checkedId() == 1 - survivor, "a value only the other has is kept"
    dialog.dry_run_button.click()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10000)
    text = dialog.summary.text()
    assert "Dry run" in text and "1 sample" in text and "1 samples" not in text and "80 → 120" in text, text
    assert sql_count("change_sets") == 0

    with qtbot.waitSignal(dialog.merged, timeout=10000):
        dialog.merge_button.click()
    idle(qtbot, window)
    assert desk.raw.customers.get(copy.id).merged_into == linde.id
    assert desk.raw.fields.get(linde.id).values["covers_per_day"] == 120
    assert desk.raw.fields.get(linde.id).values["kitchen_notes"] == "Neue Küche seit März"
    assert all(copy.id not in (p.a, p.b) for p in view.shown), "the merged customer's pairs leave the list"
    dialog.result_box.close()


def test_cancel_closes_the_merge_dialog_and_merges_nothing(qtbot, desk, make_window, owner_engine, sql_count):
    """Cancel is QDialog.reject(), which calls done(): the dialog once had a `done` flag hiding it (a crash)."""
    _customers(desk, owner_engine)
    window = make_window()
    view = _scan(qtbot, window)
    dialog = view.merge()
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.merge_button.isEnabled(), timeout=10000)
    dialog.reject()
    idle(qtbot, window)
    assert not dialog.isVisible() and sql_count("change_sets") == 0
    assert len(view.shown) == 2, "the pairs stay to be merged another time"
