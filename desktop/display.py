"""How values read on screen: codes as words, dates, money, and the colours of badges."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtGui import QColor

# Words for codes where "title case" would read wrong.
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


def short(code: Any) -> str:
    return _SHORT.get(str(code)) or human(code) if code is not None else ""


def human(code: Any) -> str:
    """'FEEDBACK_SUCCESS' → 'Feedback: success', 'HOTEL_KITCHEN' → 'Hotel kitchen'."""
    if code is None:
        return ""
    text = str(code)
    if text in _WORDS:
        return _WORDS[text]
    return text.replace("_", " ").capitalize() if text.isupper() else text


def label(key: str) -> str:
    """A property name as a label: 'first_name' → 'First name'."""
    return key.replace("_", " ").capitalize()


_COLOURS = {code: (QColor(background), QColor(text)) for code, (background, text) in BADGE_COLOURS.items()}


def badge_colours(code: Any) -> tuple[QColor, QColor] | None:
    return _COLOURS.get(code) if code is not None else None


def day(value: date | None) -> str:
    return value.isoformat() if value else ""


def moment(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else ""


def money(value: Decimal | float | None) -> str:
    # Thin no-break spaces group the thousands, as in "12 500 €", readable in any locale.
    return f"{value:,.0f}".replace(",", "\u202f") + "\u00a0€" if value is not None else ""


def number(value: Decimal | float | int | None) -> str:
    """12500 → "12 500", 1234.5 → "1 234.50": thin no-break spaces group the thousands, as money does;
    decimals only where the value has some."""
    if value is None:
        return ""
    whole = value == int(value)
    return (f"{value:,.0f}" if whole else f"{value:,.2f}").replace(",", "\u202f")


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


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
    if isinstance(value, str) and value.isupper():
        return human(value)
    return str(value)
