"""The desktop in German: every message of the translation file translated and compiled, every text
of the code in the file, and no English left on the main window, the detail pane, the dialogs, the
duplicates view with its merge dialog, the import wizard and the cockpit once the German translator is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QModelIndex, QSettings, Qt, QTranslator
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QGroupBox, QLabel,
                               QLineEdit, QMenu, QTableView, QTabWidget, QTreeView, QWidget)

from desktop import i18n, preferences
from desktop import reference as reference_data
from desktop.main_window import MainWindow
from services import formats
from tests.desktop import seed
from tests.desktop.conftest import idle

TS = i18n.ts_file("de")
# Words that read the same in both languages, names, and what people type (customers' data).
SAME_IN_GERMAN = {"Name", "Status", "Details", "Region", "Cockpit", "ROI", "SLA", "SLAs", "Steward", "Export",
                  "Import", "PNG…", "CSV…", "CSV (*.csv)", "Neutral", "E-Mail", "Name *", "Region *", "&ROI",
                  "Re&gion", "&Region", "&Cockpit", "Dana Desk"}
ENGLISH_WORDS = re.compile(r"\b(the|of|and|to|your|with|is|are|not|for|by|from|customers?|save|cancel|loading|"
                           r"edit|show|choose|select|owner|chain|samples?|activit(y|ies)|contacts?|undo|yes|no)\b",
                           re.IGNORECASE)


def messages() -> list[tuple[str, str, str]]:
    """(context, English, German) of every message in the .ts."""
    found = []
    for context in ET.parse(TS).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found.append((name, message.findtext("source") or "", message.findtext("translation") or ""))
    return found


def test_every_message_has_a_finished_german_translation():
    assert i18n.unfinished("de") == []
    placeholders = re.compile(r"\{(\w+)")
    for context, english, german in messages():
        # A translation may leave a placeholder out ("was"/"were"), never make one up: .format() would fail.
        assert set(placeholders.findall(german)) <= set(placeholders.findall(english)), (context, english)


def test_the_compiled_translation_matches_the_ts_file():
    translator = QTranslator()
    assert translator.load(str(TS.with_suffix(".qm")))
    stale = [(c, e) for c, e, g in messages() if translator.translate(c, e) != g]
    assert stale == [], f"steward_de.qm is older than steward_de.ts (python -m desktop.i18n release): {stale[:5]}"


def test_the_ts_file_holds_every_text_of_the_code(tmp_path):
    """lupdate over desktop/ finds nothing the .ts lacks (new texts: python -m desktop.i18n update)."""
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    sources = sorted(str(p) for p in Path(i18n.__file__).parent.rglob("*.py"))
    subprocess.run([str(lupdate if lupdate.exists() else "pyside6-lupdate"), "-locations", "none", *sources,
                    "-ts", str(copy)], check=True, capture_output=True)
    before = {(c, e) for c, e, _ in messages()}
    after = {(c.findtext("name"), m.findtext("source")) for c in ET.parse(copy).getroot().iter("context")
             for m in c.iter("message") if m.find("translation").get("type") != "vanished"}
    assert after - before == set(), "texts in the code that steward_de.ts does not have yet"


def test_the_language_comes_from_the_setting_then_the_system_then_english(monkeypatch):
    monkeypatch.setattr(i18n, "stored", lambda: None)
    monkeypatch.setattr(i18n, "system_language", lambda: "de")
    assert i18n.chosen() == "de"
    monkeypatch.setattr(i18n, "system_language", lambda: "fr")
    assert i18n.chosen() == "en"                                   # no French: the source texts
    monkeypatch.setattr(i18n, "stored", lambda: "en")
    monkeypatch.setattr(i18n, "system_language", lambda: "de")
    assert i18n.chosen() == "en"                                   # the person's choice wins


def visible_texts(widget: QWidget) -> list[tuple[str, str]]:
    """(where, text) of what a person reads on a window and everything in it."""
    found: list[tuple[str, str]] = []

    def add(where: str, text: object) -> None:
        if isinstance(text, str) and text.strip():
            found.append((where, text))

    add(f"{type(widget).__name__} title", widget.windowTitle())
    for child in [widget, *widget.findChildren(QWidget)]:
        name = child.objectName() or type(child).__name__
        add(f"{name} tooltip", child.toolTip())
        if isinstance(child, QLabel):
            add(name, re.sub(r"<[^>]+>", "", child.text()))
        elif isinstance(child, QAbstractButton):
            add(name, child.text())
        elif isinstance(child, QGroupBox):
            add(name, child.title())
        elif isinstance(child, QLineEdit):
            add(f"{name} placeholder", child.placeholderText())
        elif isinstance(child, QMenu):
            add(f"{name} menu", child.title())
        elif isinstance(child, QTabWidget):
            for i in range(child.count()):
                add(f"{name} tab", child.tabText(i))
        if isinstance(child, QTableView | QTreeView) and child.model() is not None:
            model = child.model()
            for column in range(model.columnCount()):
                add(f"{name} header", model.headerData(column, Qt.Orientation.Horizontal))
        for action in QWidget.actions(child):
            add(f"{name} action", action.text())
            add(f"{name} action tip", action.toolTip() if action.toolTip() != action.text().replace("&", "") else "")
            if action.menu() is not None:
                add(f"{name} menu", action.menu().title())
                for sub in action.menu().actions():
                    add(f"{name} menu item", sub.text())
    return found


def english_left(texts: list[tuple[str, str]], customer_data: set[str]) -> list[tuple[str, str]]:
    english = {e for _c, e, g in messages() if e != g}
    left = []
    for where, text in texts:
        plain = text.strip()
        if plain in SAME_IN_GERMAN or plain in customer_data or any(plain.startswith(n) for n in customer_data):
            continue
        if plain in english or plain.replace("&", "") in {e.replace("&", "") for e in english} \
                or ENGLISH_WORDS.search(plain.replace("&", "")):
            left.append((where, text))
    return left


@pytest.fixture
def german(qapp, desk):
    assert i18n.install("de", qapp) == "de"
    yield reference_data.load(desk.raw)           # the pack's words in German too
    i18n.install("en", qapp)
    reference_data.load(desk.raw)


def test_no_english_is_left_on_the_windows_in_german(qtbot, desk, german, tmp_path):
    seed.customers(desk.raw, 3, prefix="Kantine Übersee")
    # Two customers that are probably the same, for the duplicates view and the merge dialog.
    linde = desk.raw.customers.create("Gasthaus Zur Linde", "NORTH", city="Hamburg")
    desk.raw.customers.add_contact(linde.id, "Anna Koch", ["HEAD_CHEF"], phone="+49 40 1234567")
    desk.raw.fields.patch(linde.id, {"decision_makers": [{"name": "Anna Koch", "role": "Küche", "is_exec": True}]})
    copy = desk.raw.customers.create("GASTHAUS ZUR LINDE GmbH", "NORTH", city="Hamburg")
    desk.raw.customers.add_contact(copy.id, "A. Koch", ["HEAD_CHEF"], phone="040/1234567")
    desk.raw.samples.request(copy.id)
    customer_data = {"Kantine Übersee", "Dana Desk", "Hamburg", "Köln", "Gasthaus Zur Linde", "GASTHAUS ZUR LINDE"}
    window = MainWindow(desk.svc, german, live=False, page_size=20)
    window.confirm_close = False
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.rowCount() > 0)
    window.table.select_first()
    qtbot.waitUntil(lambda: window.detail.customer_id is not None)
    idle(qtbot, window)
    seen: list[tuple[str, str]] = visible_texts(window)
    for tab in range(window.detail.tabs.count()):
        window.detail.tabs.setCurrentIndex(tab)
        idle(qtbot, window)
    seen += visible_texts(window)

    dialogs: list[QWidget] = [window.stewardship.new_customer(), window.stewardship.bulk_edit()]
    window.request_sample()
    qtbot.waitUntil(lambda: window.detail.samples.dialog is not None)
    window.log_activity()
    qtbot.waitUntil(lambda: window.detail.activities.dialog is not None)
    window.formats_dialog()
    dialogs += [window.detail.samples.dialog, window.detail.activities.dialog, window.formats_box]
    idle(qtbot, window)
    for dialog in dialogs:
        seen += visible_texts(dialog)
        dialog.reject()
    history = window.stewardship.show_history()
    idle(qtbot, window)
    seen += visible_texts(history)
    history.close()

    duplicates = window.stewardship.show_duplicates()
    duplicates.scan_button.click()
    seen += visible_texts(duplicates.progress)
    qtbot.waitUntil(lambda: duplicates.result is not None, timeout=20000)
    assert duplicates.pairs.rowCount() >= 1
    merge = duplicates.merge()
    qtbot.waitUntil(lambda: merge.merge_button.isEnabled(), timeout=10000)
    merge.dry_run_button.click()
    qtbot.waitUntil(lambda: merge.preview is not None, timeout=10000)
    idle(qtbot, window)
    seen += visible_texts(duplicates) + visible_texts(merge)
    seen += [("duplicatePairs cell", duplicates.pairs.item(r, c).text())
             for r in range(duplicates.pairs.rowCount()) for c in range(duplicates.pairs.columnCount())]
    merge.reject()
    duplicates.close()

    seen += import_wizard_texts(qtbot, window, desk, german, tmp_path)

    window.show_cockpit()
    qtbot.waitUntil(lambda: window.cockpit_page.is_built)
    idle(qtbot, window, timeout=30000)
    seen += visible_texts(window.cockpit)
    window.shut_down()

    assert len(seen) > 150
    left = english_left(seen, customer_data)
    assert left == [], f"{len(left)} texts still in English: {left[:20]}"


def import_wizard_texts(qtbot, window: MainWindow, desk, reference, tmp_path: Path) -> list[tuple[str, str]]:
    """File ▸ Import customers… through its four pages with a small list: one new customer, one
    to update (old → new), a column left out, a field's column (its label the pack's German one)."""
    desk.raw.customers.create(name="Kantine Übersee Alt", city="Köln", region="NORTH", external_ref="IMP-002")
    listing = tmp_path / "liste.csv"
    listing.write_text("Kunden-Nr.;Firma;Ort;Gebiet;Ansprechpartner;E-Mail;Gedecke;Notiz\n"
                       "IMP-001;Kantine Übersee Neu;Hamburg;Nord;Jörg Lindner;j.lindner@example.de;120;egal\n"
                       "IMP-002;Kantine Übersee Alt;Hamburg;Nord;;;80;egal\n", encoding="utf-8")
    wizard = window.import_customers()
    qtbot.waitExposed(wizard)
    seen = visible_texts(wizard)
    seen += [("import combo", box.itemText(i)) for box in (wizard.mode, wizard.match) for i in range(box.count())]
    wizard.path.setText(str(listing))
    with qtbot.waitSignal(wizard.loaded, timeout=15000):
        wizard.next()
    wizard.choose("notiz", None)
    wizard.choose("gedecke", "fields.covers_per_day")
    gedecke = wizard.mapping_table.cellWidget(wizard.table.columns.index("gedecke"), 2).currentText()
    assert gedecke == reference.field("covers_per_day").label != "Covers per day"
    seen += visible_texts(wizard)
    seen += [("importMapping cell", wizard.mapping_table.item(r, c).text())
             for r in range(wizard.mapping_table.rowCount()) for c in (0, 1)]
    seen += [("importMapping target", wizard.mapping_table.cellWidget(r, 2).currentText())
             for r in range(wizard.mapping_table.rowCount())]
    with qtbot.waitSignal(wizard.previewed, timeout=15000):
        wizard.next()
    assert (wizard.preview.count("create"), wizard.preview.count("update")) == (1, 1)
    seen += visible_texts(wizard)
    seen += [("importPreview cell", wizard.preview_table.item(r, c).text())
             for r in range(wizard.preview_table.rowCount()) for c in range(wizard.preview_table.columnCount())]
    with qtbot.waitSignal(wizard.imported, timeout=30000):
        wizard.next()
    idle(qtbot, window)
    seen += visible_texts(wizard) + visible_texts(wizard.progress)
    seen.append(("status bar", window.statusBar().currentMessage()))
    wizard.accept()
    return seen


@pytest.fixture
def settings_file(tmp_path):
    """A settings file of the test's own; the formats the dialog applies on Save put back after."""
    formats_before, qt_before = formats.current(), QLocale()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    yield
    QSettings.setDefaultFormat(QSettings.Format.NativeFormat)
    formats._current = formats_before
    QLocale.setDefault(qt_before)


def test_the_language_chosen_in_the_preferences_is_installed_at_the_next_start(qtbot, qapp, settings_file):
    dialog = preferences.FormatsDialog()
    qtbot.addWidget(dialog)
    assert not dialog.restart_note.isVisibleTo(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("de"))
    assert dialog.restart_note.isVisibleTo(dialog)               # the open windows keep their language
    dialog.accept()
    assert i18n.stored() == "de"
    try:
        assert i18n.install(app=qapp) == "de"                    # what the start does
        assert i18n.translate("menus", "&File") == "&Datei"
    finally:
        i18n.store(None)
        i18n.install("en", qapp)
    assert i18n.translate("menus", "&File") == "&File"
