"""German business days (services.rules.calendar): weekends and nationwide public holidays."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from services.rules import calendar as cal

D = date.fromisoformat


@pytest.mark.parametrize("day", [
    "2026-01-01",  # New Year (Thu)
    "2026-04-03",  # Good Friday
    "2026-04-06",  # Easter Monday
    "2026-05-01",  # Labour Day (Fri)
    "2026-05-14",  # Ascension (Thu)
    "2026-05-25",  # Whit Monday
    "2026-12-25",  # Christmas Day (Fri)
    "2026-12-26",  # Second day of Christmas (Sat)
    "2027-01-01",  # New Year (Fri)
    "2027-03-26",  # Good Friday 2027
    "2027-03-29",  # Easter Monday 2027
    "2028-10-03",  # German Unity Day (Tue)
])
def test_public_holidays_are_not_business_days(day):
    assert not cal.is_business_day(D(day))


@pytest.mark.parametrize("day", ["2026-12-19", "2026-12-20", "2027-01-02", "2027-01-03"])
def test_weekends_are_not_business_days(day):
    assert D(day).weekday() >= 5
    assert not cal.is_business_day(D(day))


@pytest.mark.parametrize("day", [
    "2026-12-23", "2026-12-24",  # Christmas Eve is a working day nationwide
    "2026-12-28", "2026-12-31", "2027-01-04",
    "2026-06-04",  # Corpus Christi: only some states, not nationwide
    "2027-01-06",  # Epiphany: only some states
    "2026-04-02", "2026-04-07",
])
def test_ordinary_weekdays_are_business_days(day):
    assert cal.is_business_day(D(day))


@pytest.mark.parametrize("start,days,expected", [
    ("2026-12-21", 0, "2026-12-21"),
    ("2026-12-23", 1, "2026-12-24"),
    ("2026-12-24", 1, "2026-12-28"),   # over Christmas Day, Sat, Sun
    ("2026-12-21", 5, "2026-12-29"),   # Mon + 5: Tue Wed Thu [Fri hol, Sat, Sun] Mon Tue
    ("2026-12-30", 2, "2027-01-04"),   # Thu 31st, [New Year, Sat, Sun], Mon
    ("2026-04-02", 1, "2026-04-07"),   # Good Friday .. Easter Monday skipped
    ("2026-04-01", 5, "2026-04-10"),
    ("2026-05-13", 1, "2026-05-15"),   # Ascension skipped
    ("2026-12-19", 1, "2026-12-21"),   # from a Saturday
    ("2026-12-25", 5, "2027-01-04"),   # from a holiday, over New Year
])
def test_add_business_days(start, days, expected):
    assert cal.add_business_days(D(start), days) == D(expected)


def test_add_business_days_always_lands_on_a_business_day():
    start = D("2026-03-01")
    for offset in range(400):
        day = start + timedelta(days=offset)
        for n in (1, 2, 5):
            result = cal.add_business_days(day, n)
            assert cal.is_business_day(result)
            assert cal.business_days_between(day, result) == n


def test_add_business_days_refuses_negative_days():
    with pytest.raises(ValueError):
        cal.add_business_days(D("2026-12-21"), -1)


@pytest.mark.parametrize("start,end,expected", [
    ("2026-12-21", "2026-12-21", 0),
    ("2026-12-21", "2026-12-22", 1),
    ("2026-12-23", "2026-12-28", 2),   # 24th and 28th
    ("2026-12-24", "2027-01-04", 5),   # 28, 29, 30, 31 and 4 Jan
    ("2026-12-28", "2026-12-23", -2),
    ("2026-04-02", "2026-04-07", 1),
])
def test_business_days_between(start, end, expected):
    assert cal.business_days_between(D(start), D(end)) == expected


def test_local_date_uses_the_berlin_time_zone():
    # 23:30 UTC on 20 Dec is already 21 Dec in Berlin (UTC+1 in winter).
    assert cal.local_date(datetime(2026, 12, 20, 23, 30, tzinfo=timezone.utc)) == D("2026-12-21")
    # 22:30 UTC on 30 June is 00:30 on 1 July in Berlin (UTC+2 in summer).
    assert cal.local_date(datetime(2026, 6, 30, 22, 30, tzinfo=timezone.utc)) == D("2026-07-01")
    assert cal.local_date(datetime(2026, 6, 30, 21, 59, tzinfo=timezone.utc)) == D("2026-06-30")
    assert cal.local_date(datetime(2026, 1, 1, 0, 0, tzinfo=ZoneInfo("Europe/Berlin"))) == D("2026-01-01")


def test_local_date_refuses_a_naive_time():
    with pytest.raises(ValueError):
        cal.local_date(datetime(2026, 12, 20, 12, 0))


def test_today_is_the_berlin_date():
    now = datetime.now(ZoneInfo("Europe/Berlin"))
    assert cal.today() in (now.date(), (now + timedelta(seconds=5)).date())
