"""SLA badges (services.rules.sla.badge): OK, DUE_SOON, OVERDUE, MET by the German calendar."""

from __future__ import annotations

from datetime import date

import pytest

from services.rules import sla

D = date.fromisoformat


def test_met_wins_over_everything():
    assert sla.badge(D("2026-01-01"), status="MET", today=D("2026-12-01")) == sla.MET
    assert sla.badge(None, status="MET", today=D("2026-12-01")) == "MET"


@pytest.mark.parametrize("status", ["CLOSED", "CANCELED"])
def test_a_closed_sla_has_no_badge(status):
    assert sla.badge(D("2026-01-01"), status=status, today=D("2026-12-01")) is None


def test_no_due_date_no_badge():
    assert sla.badge(None, today=D("2026-12-01")) is None


@pytest.mark.parametrize("due,today", [("2026-12-21", "2026-12-22"), ("2026-01-01", "2026-12-22"),
                                       ("2026-12-24", "2026-12-28")])
def test_past_due_is_overdue(due, today):
    assert sla.badge(D(due), today=D(today)) == sla.OVERDUE


@pytest.mark.parametrize("due,today", [
    ("2026-12-21", "2026-12-21"),   # due today
    ("2026-12-22", "2026-12-21"),   # 1 business day
    ("2026-12-23", "2026-12-21"),   # 2 business days
    ("2026-12-22", "2026-12-18"),   # Fri -> Tue over the weekend: 2 business days
    ("2026-12-28", "2026-12-23"),   # Wed -> Mon over Christmas: 24th and 28th only
    ("2027-01-04", "2026-12-30"),   # over New Year: 31st and 4th
    ("2026-04-07", "2026-04-01"),   # Wed -> Tue over Easter: Thu 2nd and Tue 7th
])
def test_due_within_two_business_days_is_due_soon(due, today):
    assert sla.badge(D(due), today=D(today)) == sla.DUE_SOON


@pytest.mark.parametrize("due,today", [
    ("2026-12-24", "2026-12-21"),   # 3 business days
    ("2026-12-23", "2026-12-18"),   # Fri -> Wed: 3 business days
    ("2026-12-29", "2026-12-23"),   # 24th, 28th, 29th
    ("2027-01-05", "2026-12-30"),
    ("2027-06-30", "2026-12-21"),
])
def test_due_later_is_ok(due, today):
    assert sla.badge(D(due), today=D(today)) == sla.OK


def test_the_threshold_is_counted_in_business_days_not_calendar_days():
    # Four calendar days, but only two business days (Christmas, weekend): due soon.
    assert sla.badge(D("2026-12-28"), today=D("2026-12-24")) == sla.DUE_SOON
    # Four calendar days, four business days in an ordinary week: ok.
    assert sla.badge(D("2026-11-20"), today=D("2026-11-16")) == sla.OK
