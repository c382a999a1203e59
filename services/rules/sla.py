"""SLA badges: what a due date means today."""

from __future__ import annotations

from datetime import date

from services.rules.calendar import add_business_days

OK, DUE_SOON, OVERDUE, MET = "OK", "DUE_SOON", "OVERDUE", "MET"
# An open SLA is "due soon" from this many business days before its due date.
DUE_SOON_BUSINESS_DAYS = 2


def badge(due: date | None, *, status: str = "OPEN", today: date) -> str | None:
    if status == "MET":
        return MET
    if due is None or status != "OPEN":
        return None
    if due < today:
        return OVERDUE
    # Due soon: at most DUE_SOON_BUSINESS_DAYS business days away, i.e. before the next one.
    # Counting the business days up to a due date a year ahead cost a grid page milliseconds.
    if due < add_business_days(today, DUE_SOON_BUSINESS_DAYS + 1):
        return DUE_SOON
    return OK
