"""Editing hot-field cells in the grid: F2 starts, Enter saves, Esc cancels; a bad value is named at the
cell with the typed text kept; a stale ETag opens the conflict dialog; read-only cells say why; a pasted
block and a fill down are one change set each, and one bad cell writes nothing."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from desktop.conflict import MINE
from services import formats
from tests.desktop import seed
from tests.desktop.conftest import idle


def cell(window, row: int, key: str):
    return window.model.index(row, window.model.column_of(key))


def start_editing(qtbot, window, row: int, key: str):
    index = cell(window, row, key)
    window.table.setFocus()
    window.table.setCurrentIndex(index)
    qtbot.keyClick(window.table, Qt.Key.Key_F2)
    editing = window.stewardship.editing
    assert editing.editor is not None, editing.problem_text()
    qtbot.waitUntil(lambda: editing.base is not None)       # the fields and their ETag are here
    return editing


def type_into(qtbot, editing, text: str) -> None:
    editing.editor.clear()
    qtbot.keyClicks(editing.editor, text)


def roi_value(desk, cid):
    return (desk.raw.fields.get(cid).values.get("roi_potential") or {}).get("value")


def test_f2_edits_a_cell_enter_saves_it_and_the_row_shows_it(qtbot, desk, make_window):
    ids = seed.customers(desk.raw, 3)
    window = make_window()
    editing = start_editing(qtbot, window, 1, "roi_value")
    cid = window.model.row_at(1).id
    assert editing.editor.text() == formats.current().number(100)    # the stored value, as the locale writes it
    type_into(qtbot, editing, formats.current().number(Decimal("2500.5"), 2))
    qtbot.keyClick(editing.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.model.row_at(window.model.row_of(cid)).roi_value == Decimal("2500.50"),
                    timeout=10000)
    idle(qtbot, window)
    assert editing.editor is None
    assert desk.raw.fields.get(cid).values["roi_potential"] == {"bucket": "MID", "value": 2500.5}  # bucket kept
    assert set(ids) >= {cid}


def test_esc_cancels_and_writes_nothing(qtbot, desk, make_window, sql_count):
    seed.customers(desk.raw, 2)
    window = make_window()
    history = sql_count("field_history")
    editing = start_editing(qtbot, window, 0, "roi_value")
    type_into(qtbot, editing, "999")
    qtbot.keyClick(editing.editor, Qt.Key.Key_Escape)
    assert editing.editor is None and window.table.indexWidget(cell(window, 0, "roi_value")) is None
    idle(qtbot, window)
    assert sql_count("field_history") == history
    assert window.model.row_at(0).roi_value == 0


def test_a_bad_value_is_named_at_the_cell_and_the_typed_text_stays(qtbot, desk, make_window, sql_count):
    seed.customers(desk.raw, 2)
    window = make_window()
    history = sql_count("field_history")
    editing = start_editing(qtbot, window, 1, "roi_value")
    type_into(qtbot, editing, "-40")
    qtbot.keyClick(editing.editor, Qt.Key.Key_Return)
    assert editing.problem_text() == "€ / month: must be at least 0"
    assert editing.message.isVisible() and editing.editor.toolTip() == "€ / month: must be at least 0"
    assert editing.editor.text() == "-40"                        # kept, to correct
    type_into(qtbot, editing, "viel")
    qtbot.keyClick(editing.editor, Qt.Key.Key_Return)
    assert editing.problem_text().startswith("€ / month is not a number")
    idle(qtbot, window)
    assert sql_count("field_history") == history
    qtbot.keyClick(editing.editor, Qt.Key.Key_Escape)
    assert not editing.message.isVisible()


def test_a_stale_etag_opens_the_conflict_dialog_and_nothing_typed_is_lost(qtbot, desk, make_window):
    seed.customers(desk.raw, 2)
    window = make_window()
    editing = start_editing(qtbot, window, 0, "roi_value")
    cid = window.model.row_at(0).id
    desk.raw.fields.patch(cid, {"roi_potential": {"bucket": "HIGH", "value": 7777}})   # someone else
    type_into(qtbot, editing, "1200")
    with qtbot.waitSignal(editing.conflict_opened, timeout=10000) as opened:
        qtbot.keyClick(editing.editor, Qt.Key.Key_Return)
    dialog = opened.args[0]
    texts = {label.text() for label in dialog.findChildren(QLabel)}
    f = formats.current()
    assert {"Bucket: Low, € / month: 0", f"Bucket: Low, € / month: {f.number(1200)}",
            f"Bucket: High, € / month: {f.number(7777)}"} <= texts          # started from, mine, theirs
    dialog.keep_editing_button.click()
    assert editing.editor is not None and editing.editor.text() == "1200"
    assert roi_value(desk, cid) == 7777
    with qtbot.waitSignal(editing.conflict_opened, timeout=10000) as opened:
        qtbot.keyClick(editing.editor, Qt.Key.Key_Return)
    opened.args[0].choose("roi_potential", MINE)
    opened.args[0].save_button.click()
    qtbot.waitUntil(lambda: editing.editor is None, timeout=10000)
    idle(qtbot, window)
    assert desk.raw.fields.get(cid).values["roi_potential"] == {"bucket": "LOW", "value": 1200}


def test_a_read_only_cell_refuses_to_edit_and_says_why(qtbot, desk, make_window):
    seed.customers(desk.raw, 2)
    window = make_window()
    window.table.setFocus()
    window.table.setCurrentIndex(cell(window, 0, "sample_status"))
    qtbot.keyClick(window.table, Qt.Key.Key_F2)
    editing = window.stewardship.editing
    assert editing.editor is None
    assert "set by the sample workflow" in editing.problem_text()
    assert "set by the sample workflow" in window.status.message.text()
    window.table.setCurrentIndex(cell(window, 0, "name"))
    qtbot.keyClick(window.table, Qt.Key.Key_F2)
    assert "master data" in editing.problem_text() and editing.editor is None


def test_a_row_marked_not_writable_refuses_with_a_reason(qtbot, desk, make_window, monkeypatch):
    seed.customers(desk.raw, 2)
    window = make_window()
    row = window.model.row_at(0)
    locked = dataclasses.replace(row, writable=False, read_only_reason="Only its owner changes it.")
    window.model._rows[0] = locked      # as the grid marks rows out of the person's scope
    window.table.setCurrentIndex(cell(window, 0, "roi_value"))
    assert window.stewardship.editing.start(cell(window, 0, "roi_value")) is False
    assert "not yours to change" in window.stewardship.editing.problem_text()
    assert "Only its owner changes it." in window.stewardship.editing.problem_text()


def test_a_pasted_block_is_one_change_set_that_undo_takes_back(qtbot, desk, make_window):
    ids = seed.customers(desk.raw, 4)
    window = make_window()
    before = {c: desk.raw.fields.get(c).values for c in ids}
    window.table.setCurrentIndex(cell(window, 1, "roi_bucket"))     # ROI, then ROI €/month beside it
    header = window.table.horizontalHeader()
    assert header.visualIndex(window.model.column_of("roi_value")) == \
        header.visualIndex(window.model.column_of("roi_bucket")) + 1
    f = formats.current()
    block = f"High\t{f.number(1500)}\r\nmid\t2000\r\nLOW\t{f.number(Decimal('12.5'), 2)}\r\n"   # as Excel copies
    QApplication.clipboard().setText(block)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    rows = [window.model.row_at(n).id for n in (1, 2, 3)]
    qtbot.waitUntil(lambda: window.model.row_at(3).roi_value == Decimal("12.50"), timeout=10000)
    idle(qtbot, window)
    [cs] = desk.raw.change_sets.list()
    assert (cs.kind, cs.changed, cs.customers) == ("paste", 3, 3)    # three values (one per customer), one set
    assert [desk.raw.fields.get(c).values["roi_potential"] for c in rows] == \
        [{"bucket": "HIGH", "value": 1500}, {"bucket": "MID", "value": 2000}, {"bucket": "LOW", "value": 12.5}]
    assert "Ctrl+Z undoes it" in window.status.message.text()

    window.stewardship.undo.undo(cs)
    qtbot.waitUntil(lambda: window.model.row_at(3).roi_value == Decimal(300), timeout=10000)
    idle(qtbot, window)
    assert {c: desk.raw.fields.get(c).values for c in ids} == before


def test_one_bad_cell_in_a_pasted_block_writes_nothing_and_names_row_and_column(qtbot, desk, make_window, sql_count):
    seed.customers(desk.raw, 4)
    window = make_window()
    history, sets = sql_count("field_history"), sql_count("change_sets")
    window.table.setCurrentIndex(cell(window, 0, "roi_bucket"))
    names = [window.model.row_at(n).name for n in range(3)]
    with qtbot.waitSignal(window.stewardship.paste.refused, timeout=10000) as refused:
        window.stewardship.paste.paste_text("High\t1500\nmid\tlots\nLow\t-5\n")
    problems = refused.args[0]
    assert problems == [f"Row 2 · {names[1]} · ROI €/month: “lots” is not a number (e.g. "
                        f"{formats.current().number(Decimal('1234.5'), 2)})"]
    assert window.stewardship.paste.box.isVisible()
    with qtbot.waitSignal(window.stewardship.paste.refused, timeout=10000) as refused:
        window.stewardship.paste.paste_text("High\t1500\nmid\t20\nLow\t-5\n")  # each cell parses; a value is bad
    assert refused.args[0] == [f"Row 3 · {names[2]} · ROI €/month: € / month: must be at least 0"]
    idle(qtbot, window)
    assert (sql_count("field_history"), sql_count("change_sets")) == (history, sets)


def test_fill_down_copies_the_first_selected_value_as_one_change_set(qtbot, desk, make_window):
    seed.customers(desk.raw, 4)
    window = make_window()
    window.table.selectRow(0)
    window.table.setCurrentIndex(cell(window, 0, "roi_bucket"))
    model, selection = window.model, window.table.selectionModel()
    for n in range(4):
        selection.select(model.index(n, 0), selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
    first = model.row_at(0).roi_bucket
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: all(model.row_at(n).roi_bucket == first for n in range(4)), timeout=10000)
    idle(qtbot, window)
    [cs] = desk.raw.change_sets.list()
    assert (cs.kind, cs.changed) == ("paste", 2) and cs.description == "Fill down ROI on 3 customers"  # one had it
