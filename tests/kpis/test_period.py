from datetime import date

import pytest

from services.errors import ValidationError
from services.service_layer.kpis.period import Period, bucket_end, parse_period, period_of, wilson

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize("text, first, last", [
    ("2026-09-01..2026-11-30", date(2026, 9, 1), date(2026, 11, 30)),
    ("last-90d", date(2026, 9, 1), TODAY),
    ("last-1d", TODAY, TODAY),
    ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
    ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2026", date(2026, 1, 1), date(2026, 12, 31)),
])
def test_periods_as_people_write_them(text, first, last):
    assert parse_period(text, today=TODAY) == Period(first, last)


@pytest.mark.parametrize("text", ["", "last-0d", "2026-Q5", "2026-13", "2026-11-30..2026-09-01", "soon", "26-Q4"])
def test_a_period_that_is_not_one_is_refused_with_the_forms_that_are(text):
    with pytest.raises(ValidationError) as caught:
        parse_period(text, today=TODAY)
    assert caught.value.errors.get("period") == "not a period" or "period_to" in caught.value.errors


def test_the_default_period_is_the_90_days_up_to_today():
    assert period_of(None, None, today=TODAY) == Period(date(2026, 9, 1), TODAY)
    assert period_of("2026-10-01", None, today=TODAY) == Period(date(2026, 10, 1), TODAY)
    with pytest.raises(ValidationError):
        period_of("2026-10-01", "not a date", today=TODAY)


def test_bucket_ends():
    assert bucket_end(date(2026, 11, 23), "week") == date(2026, 11, 29)
    assert bucket_end(date(2026, 12, 1), "month") == date(2026, 12, 31)


def test_the_wilson_band_is_wide_for_one_of_one_and_narrow_for_forty_of_forty():
    low, high = wilson(1, 1)
    assert round(low, 3) == 0.207 and high == 1.0
    low, high = wilson(40, 40)
    assert round(low, 3) == 0.912 and high == 1.0
    low, high = wilson(5, 10)
    assert round(low, 3) == 0.237 and round(high, 3) == 0.763
    assert wilson(0, 0) is None
