"""The person's language and formats (View → Language & formats…), kept with QSettings.

The language of the texts (menus, dialogs, the pack's labels) is desktop.i18n's: chosen here,
else the system's; it changes when Steward starts again (a widget reads its texts when made).

One locale and one time zone for the whole program (services.formats). They come from,
in this order: STEWARD_LOCALE / STEWARD_TIMEZONE (a deployment's or a test's override),
the choice made here, the system's. `apply` runs before the main window is built, so
every number, date and time it shows, and Qt's own spin boxes and date fields
(QLocale's default), agree.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from babel import Locale
from PySide6.QtCore import QLocale, QSettings
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from desktop import i18n
from desktop.i18n import translate
from services import formats
from services.config import Settings
from services.errors import ValidationError

LOCALE_KEY, ZONE_KEY = "formats/locale", "formats/timezone"
# The languages the business works in; anything else can still be set with STEWARD_LOCALE.
LOCALES = ("de_DE", "de_AT", "de_CH", "en_GB", "en_US")
ZONES = ("Europe/Berlin", "Europe/Vienna", "Europe/Zurich", "Europe/London", "UTC")
# The languages of the texts, each in its own words.
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}


def stored() -> tuple[str | None, str | None]:
    """The locale and zone chosen in the dialog (None: the system's)."""
    values = QSettings()
    return (str(values.value(LOCALE_KEY) or "") or None, str(values.value(ZONE_KEY) or "") or None)


def apply(settings: Settings | None = None) -> formats.Formats:
    """Settle the program's locale and zone, and Qt's default locale to match."""
    settings = settings or Settings.from_env()
    chosen_locale, chosen_zone = stored()
    try:
        result = formats.configure(locale=settings.locale or chosen_locale, timezone=settings.timezone or chosen_zone)
    except ValidationError:
        # A stored choice this machine does not know (an old zone name): the system's then.
        result = formats.configure(locale=settings.locale, timezone=settings.timezone)
    QLocale.setDefault(QLocale(str(result.locale)))
    return result


def locale_name(code: str) -> str:
    """"Deutsch (Deutschland)": a locale in its own language."""
    return Locale.parse(code).get_display_name(code) or code


def sample(current: formats.Formats) -> str:
    """What numbers, money, a day and a time look like in these formats."""
    now = datetime.now(timezone.utc)
    return (f"{current.number(1234567.5, decimals=2)} · {current.money(2047)} · {current.percent(0.47)}\n"
            f"{current.day(date.today())} · {current.moment(now)}")


class FormatsDialog(QDialog):
    """Choose the language of numbers and dates and the time zone; kept for the next start."""

    def __init__(self, parent: QWidget | None = None, *, overridden: bool = False):
        super().__init__(parent)
        self.setObjectName("formatsDialog")
        self.setWindowTitle(translate("preferences", "Language & formats"))
        chosen_locale, chosen_zone = stored()
        system = translate("preferences", "System default")
        self.language = QComboBox()
        self.language.setObjectName("language")
        self.language.addItem(system, "")
        for code in i18n.LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(max(0, self.language.findData(i18n.stored() or "")))
        self.locale = QComboBox()
        self.locale.addItem(system, "")
        for code in LOCALES:
            self.locale.addItem(locale_name(code), code)
        self.locale.setCurrentIndex(max(0, self.locale.findData(chosen_locale or "")))
        self.zone = QComboBox()
        self.zone.addItem(system, "")
        for name in ZONES:
            self.zone.addItem(name, name)
        if chosen_zone and self.zone.findData(chosen_zone) < 0:
            self.zone.addItem(chosen_zone, chosen_zone)
        self.zone.setCurrentIndex(max(0, self.zone.findData(chosen_zone or "")))
        self.preview = QLabel()
        self.preview.setObjectName("formatsPreview")
        note = QLabel(
            translate(
                "preferences",
                "Numbers, money, dates and times everywhere in Steward, in the exports too. Lists and charts "
                "change when they are read again; every other field when Steward starts again.",
            )
        )
        note.setWordWrap(True)
        note.setObjectName("hint")
        self.restart_note = QLabel(translate("preferences", "The language changes when Steward starts again."))
        self.restart_note.setObjectName("hint")
        self.restart_note.setVisible(False)
        form = QFormLayout()
        form.addRow(translate("preferences", "Language"), self.language)
        form.addRow("", self.restart_note)
        form.addRow(translate("preferences", "Numbers and dates"), self.locale)
        form.addRow(translate("preferences", "Time zone"), self.zone)
        form.addRow(translate("preferences", "Looks like"), self.preview)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        if overridden:
            warning = QLabel(
                translate(
                    "preferences",
                    "STEWARD_LOCALE or STEWARD_TIMEZONE is set for this program and wins over the " "choice made here.",
                )
            )
            warning.setWordWrap(True)
            layout.addWidget(warning)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.language.currentIndexChanged.connect(
            lambda: self.restart_note.setVisible(i18n.chosen(self.language.currentData() or None) != i18n.language()))
        self.locale.currentIndexChanged.connect(self._preview)
        self.zone.currentIndexChanged.connect(self._preview)
        self._preview()

    def choice(self) -> tuple[str | None, str | None]:
        return self.locale.currentData() or None, self.zone.currentData() or None

    def _preview(self) -> None:
        locale, zone = self.choice()
        self.preview.setText(sample(formats.build(locale=locale, timezone=zone)))

    def accept(self) -> None:
        locale, zone = self.choice()
        values = QSettings()
        values.setValue(LOCALE_KEY, locale or "")
        values.setValue(ZONE_KEY, zone or "")
        i18n.store(self.language.currentData() or None)
        apply()
        super().accept()
