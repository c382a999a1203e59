"""How values read on screen: codes as words, numbers, money, dates and times, and the colours of badges.

Numbers, money, dates and times go through services.formats (one locale, one time zone for
the whole program: "2.047 €" and "06.12.2026" in German, "€2,047" and "6 Dec 2026" in
English), so the grid, the field editor, the charts and the exports agree.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QLocale
from PySide6.QtGui import QColor

from desktop.i18n import translate
from services import formats
from services.pack.words import Words

# The pack's words for codes, in the desktop's language (set by desktop.reference when it loads).
_pack = Words()
_language = "en"


def use_words(words: Words, language: str) -> None:
    global _pack, _language
    _pack, _language = words, language


# Words for codes the pack does not name, where "title case" would read wrong; the pack translates them.
_WORDS = {
    "FEEDBACK_SUCCESS": "Feedback: success",
    "FEEDBACK_NEUTRAL": "Feedback: neutral",
    "FEEDBACK_FAIL": "Feedback: fail",
    "DUE_SOON": "Due soon",
    "OK": "On track",
    "MET": "Met",
    "MID": "Mid",
    "NEEDS_DATA": "Needs data",
    "NO_INTEREST": "No interest",
    "MENU_LOCKED": "Menu locked",
}

# (background, text) of badges: status colours a person learns once.
_GREEN, _AMBER, _RED, _BLUE, _TEAL, _GREY, _INDIGO = (
    ("#d7f0dd", "#17602a"), ("#fcebc5", "#7a4b00"), ("#f9d6d5", "#8f1d18"), ("#d8e6f8", "#1d4f91"),
    ("#d3efec", "#145c55"), ("#e6e6e6", "#4a4a4a"), ("#e2ddf5", "#3e2f86"))
BADGE_COLOURS = {
    # sample workflow
    "REQUESTED": _BLUE, "PACKED": _INDIGO, "SHIPPED": _INDIGO, "DELIVERED": _TEAL,
    "FEEDBACK_SUCCESS": _GREEN, "FEEDBACK_NEUTRAL": _AMBER, "FEEDBACK_FAIL": _RED, "CANCELED": _GREY,
    # SLAs
    "OK": _GREEN, "DUE_SOON": _AMBER, "OVERDUE": _RED, "MET": _GREY,
    # ROI buckets
    "HIGH": _GREEN, "MID": _AMBER, "LOW": _GREY,
}


# Shorter words where a column header already says what they are about ("Sample: Success").
_SHORT = {"FEEDBACK_SUCCESS": "Success", "FEEDBACK_NEUTRAL": "Neutral", "FEEDBACK_FAIL": "Failed"}


def pack_text(english: str) -> str:
    """A text of the pack (an SLA rule's label, a KPI's) in the desktop's language."""
    return _pack.text(english, _language)


def short(code: Any) -> str:
    if code is None:
        return ""
    return _pack.text(_SHORT[str(code)], _language) if str(code) in _SHORT else human(code)


def human(code: Any) -> str:
    """'FEEDBACK_SUCCESS' → 'Feedback: success', 'HOTEL_KITCHEN' → 'Hotel kitchen'."""
    if code is None:
        return ""
    text = str(code)
    if text in _pack.codes or text not in _WORDS:
        return _pack.label(text, language=_language)
    return _pack.text(_WORDS[text], _language)


def label(key: str) -> str:
    """A property name as a label: 'first_name' → 'First name'."""
    return key.replace("_", " ").capitalize()


_COLOURS = {code: (QColor(background), QColor(text)) for code, (background, text) in BADGE_COLOURS.items()}


def badge_colours(code: Any) -> tuple[QColor, QColor] | None:
    return _COLOURS.get(code) if code is not None else None


def day(value: date | None) -> str:
    """A calendar day in the person's locale: 06.12.2026."""
    return formats.current().day(value)


def short_day(value: date | None) -> str:
    """A day without its year (chart axes): 7. Sept."""
    return formats.current().short_day(value)


def period(first_day: date, grain: str) -> str:
    """A month (Sept. 2026) or an ISO week (KW 37/2026) by its first day."""
    return formats.current().period(first_day, grain)


def days_text(first: date, last: date) -> str:
    """A stretch of days as a person names it: a month (Sept. 2026), a week (KW 37/2026), or from – to."""
    if first.day == 1 and last.month == first.month and last.year == first.year and \
            (last.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1) == last:
        return period(first, "month")
    if first.weekday() == 0 and (last - first).days == 6:
        return period(first, "week")
    if first == last:
        return day(first)
    return f"{day(first)} – {day(last)}"


def moment(value: datetime | None, *, zone: bool = True) -> str:
    """A point in time in the person's time zone, labelled with it where asked: 06.12.2026, 22:16 MEZ."""
    return formats.current().moment(value, zone=zone)


def clock(value: datetime | None, *, zone: bool = True) -> str:
    """A time of today: 22:16 MEZ."""
    return formats.current().clock(value, zone=zone)


def local(value: datetime) -> datetime:
    """A moment in the person's time zone."""
    return formats.current().local(value)


def local_day(value: datetime | None) -> str:
    """The day a moment falls on, in the person's time zone."""
    return day(local(value).date()) if value else ""


def zone_name(at: datetime | None = None) -> str:
    """The time zone's short name (MEZ, CET, UTC), for headers of columns of times."""
    return formats.current().zone_name(at)


def money(value: Decimal | float | None, *, cents: bool = False) -> str:
    """Euros in the person's locale: "2.047 €" (whole euros in lists and charts)."""
    return formats.current().money(value, cents=cents)


def compact_money(value: Decimal | float) -> str:
    """Euros on a chart axis: "1,1 Mio. €"."""
    return formats.current().compact_money(value)


def number(value: Decimal | float | int | None) -> str:
    """12500 → "12.500", 1234.5 → "1.234,50": grouped in the person's locale; decimals only where the
    value has some."""
    if value is None:
        return ""
    return formats.current().number(value, decimals=0 if value == int(value) else 2)


def count(value: float | int | None) -> str:
    """A whole count, grouped: 12.500."""
    return "" if value is None else formats.current().number(round(value))


def percent(rate: float | None, decimals: int = 0) -> str:
    """A share 0..1 as "47 %"; "–" when there is nothing to divide."""
    return formats.current().percent(rate, decimals)


def qt_locale() -> QLocale:
    """Qt's locale for the program's (spin boxes and date fields group and write as the grid does)."""
    return QLocale(str(formats.current().locale))


def date_edit_format() -> str:
    """The display format of a date field (Qt's pattern) for the locale: dd.MM.yyyy, dd/MM/yyyy."""
    pattern = qt_locale().dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in pattern:
        pattern = pattern.replace("yy", "yyyy")
    return pattern.replace("d.M.", "dd.MM.") if "dd" not in pattern else pattern


def yes_no(value: bool | None) -> str:
    return "" if value is None else (translate("display", "Yes") if value else translate("display", "No"))


def value_text(value: Any, titles: dict[str, str] | None = None) -> str:
    """A field value (JSON) in one line, for history, conflicts and tooltips; `titles` name the properties."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, dict):
        names = titles or {}
        return ", ".join(f"{names.get(k) or label(k)}: {value_text(v, titles)}" for k, v in value.items()) or "—"
    if isinstance(value, list):
        return "; ".join(value_text(v, titles) for v in value) or "—"
    if isinstance(value, (int, float, Decimal)):
        return number(value)
    if isinstance(value, str) and value.isupper():
        return human(value)
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return day(date.fromisoformat(value))     # a date field's value
        except ValueError:
            pass
    return str(value)
