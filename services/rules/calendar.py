"""Business days by the German calendar: weekends and nationwide public holidays."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

BUSINESS_TZ = ZoneInfo("Europe/Berlin")


@cache
def _german_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("DE", years=year).keys())


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _german_holidays(day.year)


def add_business_days(start: date, days: int) -> date:
    """The date `days` business days after `start` (start itself does not count)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_business_day(current):
            remaining -= 1
    return current


def business_days_between(start: date, end: date) -> int:
    """Business days after `start` up to and including `end` (negative if end < start)."""
    if end < start:
        return -business_days_between(end, start)
    return sum(1 for n in range(1, (end - start).days + 1) if is_business_day(start + timedelta(days=n)))


def local_date(moment: datetime) -> date:
    """The calendar day of a moment in the business's time zone."""
    if moment.tzinfo is None:
        raise ValueError("a time zone is required")
    return moment.astimezone(BUSINESS_TZ).date()


def today() -> date:
    return datetime.now(BUSINESS_TZ).date()
