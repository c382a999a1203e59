"""The import wizard (File ▸ Import customers…): file → mapping (suggested from the headings)
→ preview (old → new, errors with row and column) → run behind a progress dialog → report;
undo takes the import back."""

from __future__ import annotations

from pathlib import Path

from tests.desktop import seed
from tests.desktop.conftest import idle

IMPORTS = Path(__file__).parents[2] / "resources" / "imports"


def open_wizard(qtbot, window):
    window.findChild(type(window.menuBar().actions()[0]), "importCustomers").trigger()
    wizard = window.import_wizard
    qtbot.waitExposed(wizard)
    return wizard


def test_the_wizard_maps_previews_and_imports_a_list_that_undo_takes_back(qtbot, desk, make_window, sql_count,
                                                                            tmp_path):
    seed.customers(desk.raw, 3)
    window = make_window()
    wizard = open_wizard(qtbot, window)
    wizard.path.setText(str(IMPORTS / "messe.csv"))
    with qtbot.waitSignal(wizard.loaded, timeout=15000):
        wizard.next()
    assert wizard.pages.currentIndex() == 1 and wizard.next_button.isEnabled()
    declared = wizard.declaration()
    assert declared["customer"]["name"] == "firma" and declared["customer"]["external_ref"] == "kunden_nr"
    assert declared["contact"][0]["email"] == {"column": "e_mail", "type": "email"}
    wizard.choose("gedecke", "fields.covers_per_day")
    wizard.choose("roi_klasse", None)

    customers = sql_count("accounts")
    with qtbot.waitSignal(wizard.previewed, timeout=15000):
        wizard.next()
    preview = wizard.preview
    assert (preview.count("create"), preview.count("error")) == (6, 0)
    assert sql_count("accounts") == customers                   # nothing written yet
    assert wizard.preview_table.rowCount() == 6 and wizard.preview_table.item(0, 1).text() == "New customer"
    assert wizard.next_button.isEnabled() and wizard.next_button.text() == "Import"

    with qtbot.waitSignal(wizard.imported, timeout=30000):
        wizard.next()
    assert wizard.progress is not None                          # shown at once, closed when done
    run = wizard.run
    assert (run.kind, run.created, run.finished) == ("import", 6, True)
    assert sql_count("accounts") == customers + 6
    assert "6 customers created" in wizard.report.text()
    idle(qtbot, window)

    undone = desk.raw.change_sets.undo(run.id)
    assert undone.refused_values == () and sql_count("accounts") == customers


def test_errors_block_the_import_until_those_rows_are_skipped(qtbot, desk, make_window, tmp_path):
    bad = tmp_path / "bad.csv"
    text = (IMPORTS / "messe.csv").read_text(encoding="utf-8").replace(";120\n", ";viele\n")
    bad.write_text(text, encoding="utf-8")
    window = make_window()
    wizard = open_wizard(qtbot, window)
    wizard.path.setText(str(bad))
    with qtbot.waitSignal(wizard.loaded, timeout=15000):
        wizard.next()
    wizard.choose("gedecke", "fields.covers_per_day")
    with qtbot.waitSignal(wizard.previewed, timeout=15000):
        wizard.next()
    assert wizard.preview.count("error") == 1
    row = next(n for n in range(wizard.preview_table.rowCount()) if wizard.preview_table.item(n, 1).text() == "Error")
    assert wizard.preview_table.item(row, 0).text() == "2"
    assert "gedecke: 'viele' is not a number" in wizard.preview_table.item(row, 4).text()
    assert not wizard.next_button.isEnabled()
    wizard.skip_errors.setChecked(True)
    assert wizard.next_button.isEnabled()
    with qtbot.waitSignal(wizard.imported, timeout=30000):
        wizard.next()
    assert wizard.run.created == 5 and [e.row for e in wizard.run.row_errors] == [2]
    idle(qtbot, window)
