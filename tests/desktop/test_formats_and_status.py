"""One locale for every number and date a person sees, chosen in View → Language & formats…; the
status line and the form's messages that come and go when they should."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QLocale, QSettings

from desktop import display, preferences
from desktop.conflict import overlap_text
from desktop.editors.scalars import NumberEditor
from desktop.widgets import Banner, OptionalDateEdit
from services import formats
from services.errors import DatabaseUnavailable
from tests.desktop import seed
from tests.desktop.conftest import idle


@pytest.fixture
def german():
    before, qt_before = formats.current(), QLocale()
    formats.configure(locale="de_DE", timezone="Europe/Berlin")
    yield
    formats._current = before          # as the rest of the session had it
    QLocale.setDefault(qt_before)


@pytest.fixture
def settings_file(tmp_path):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    yield
    QSettings.setDefaultFormat(QSettings.Format.NativeFormat)


def test_the_grid_the_field_editor_and_a_date_field_write_numbers_and_days_alike(qtbot, german):
    assert display.money(2047) == "2.047\u00a0€" and display.number(1234.5) == "1.234,50"
    editor = NumberEditor({"type": "number"}, integer=False)
    qtbot.addWidget(editor.widget)
    editor.set_value(2047)
    assert editor.widget.text() == "2.047,00"                    # not "2,047.00"
    day = OptionalDateEdit()
    qtbot.addWidget(day)
    day.set_value(date(2026, 12, 6))
    assert day.text() == "06.12.2026" == display.day(date(2026, 12, 6))


def test_the_language_and_formats_are_chosen_kept_and_applied(qtbot, german, settings_file, monkeypatch):
    monkeypatch.delenv("STEWARD_LOCALE", raising=False)
    monkeypatch.delenv("STEWARD_TIMEZONE", raising=False)
    dialog = preferences.FormatsDialog()
    qtbot.addWidget(dialog)
    dialog.locale.setCurrentIndex(dialog.locale.findData("en_GB"))
    dialog.zone.setCurrentIndex(dialog.zone.findData("Europe/London"))
    assert "€2,047" in dialog.preview.text()
    dialog.accept()
    assert preferences.stored() == ("en_GB", "Europe/London")
    assert str(formats.current().locale) == "en_GB" and QLocale().name() == "en_GB"
    assert display.money(2047) == "€2,047"
    preferences.apply()                               # the next start reads them back
    assert str(formats.current().locale) == "en_GB"


def test_saved_goes_after_a_few_seconds_and_a_new_message_stays(qtbot):
    banner = Banner()
    qtbot.addWidget(banner)
    banner.say("Saved.", "success", clear_after_ms=100)
    assert banner.text() == "Saved."
    qtbot.waitUntil(lambda: banner.text() == "", timeout=2000)
    banner.say("Saved.", "success", clear_after_ms=100)
    banner.say("2 unsaved changes.", "info")          # replaced: the old timer leaves it alone
    qtbot.wait(250)
    assert banner.text() == "2 unsaved changes."


@pytest.mark.parametrize("both, changed, words", [
    (1, 1, "The field you changed was changed by them too."),
    (2, 2, "All 2 fields you changed were changed by them too."),
    (1, 2, "1 of the 2 fields you changed was changed by them too; the other one only by you."),
    (2, 5, "2 of the 5 fields you changed were changed by them too; the other 3 only by you."),
])
def test_the_conflict_dialog_counts_in_words_that_agree(both, changed, words):
    assert overlap_text(both, changed) == words


def test_not_reachable_goes_on_the_first_call_that_gets_through(qtbot, desk, make_window):
    seed.customers(desk.raw, 2)
    window = make_window()
    idle(qtbot, window)
    window._grid_failed(DatabaseUnavailable("The database cannot be reached."))
    assert "cannot be reached" in window.status.message.text() and window.status.message.styleSheet()
    window.detail.refresh(None)                        # any call at all
    qtbot.waitUntil(lambda: window.status.message.text() == "", timeout=10000)
    idle(qtbot, window)
