"""SLA badges: what a due date means today."""

from __future__ import annotations

from datetime import date

from services.rules.calendar import business_days_between

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
    if business_days_between(today, due) <= DUE_SOON_BUSINESS_DAYS:
        return DUE_SOON
    return OK
