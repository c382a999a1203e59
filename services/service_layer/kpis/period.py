"""Report periods as people write them, and the confidence of a rate."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from services.service_layer.coerce import as_date
from services.errors import ValidationError

GRAINS = ("week", "month")
DEFAULT_DAYS = 90

PERIOD_HELP = (
    "A period: FROM..TO (2026-09-01..2026-11-30, both days included), last-Nd (last-90d: the N days "
    "up to today), a quarter (2026-Q4), a month (2026-09) or a year (2026)."
)

_LAST = re.compile(r"last-(\d{1,4})d")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def __str__(self) -> str:
        return f"{self.first.isoformat()}..{self.last.isoformat()}"


def parse_period(text: str, *, today: date) -> Period:
    """A period from its written form (see PERIOD_HELP)."""
    if not isinstance(text, str) or not text.strip():
        raise _bad(text)
    text = text.strip()
    if ".." in text:
        first, _, last = text.partition("..")
        try:
            return check_period(date.fromisoformat(first), date.fromisoformat(last))
        except ValueError:
            raise _bad(text) from None
    if m := _LAST.fullmatch(text):
        days = int(m.group(1))
        if days < 1:
            raise _bad(text)
        return Period(today - timedelta(days=days - 1), today)
    if m := _QUARTER.fullmatch(text):
        year, quarter = int(m.group(1)), int(m.group(2))
        return Period(date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter))
    if m := _MONTH.fullmatch(text):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise _bad(text)
        return Period(date(year, month, 1), _month_end(year, month))
    if _YEAR.fullmatch(text):
        return Period(date(int(text), 1, 1), date(int(text), 12, 31))
    raise _bad(text)


def period_of(period_from: Any, period_to: Any, *, today: date) -> Period:
    """The period of a service call: given days, or the DEFAULT_DAYS up to today."""
    last = as_date(period_to, "period_to") if period_to is not None else today
    first = as_date(period_from, "period_from") if period_from is not None else last - timedelta(days=DEFAULT_DAYS - 1)
    return check_period(first, last)


def check_period(first: date, last: date) -> Period:
    if last < first:
        raise ValidationError("The period ends before it starts.", errors={"period_to": "before period_from"})
    if (last - first).days > 366 * 20:
        raise ValidationError("The period is longer than twenty years.", errors={"period_from": "too far back"})
    return Period(first, last)


def bucket_end(start: date, grain: str) -> date:
    """The last day of the week or month that starts on `start`."""
    if grain == "week":
        return start + timedelta(days=6)
    return _month_end(start.year, start.month)


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """The Wilson score interval of a rate (95 % by default); None without observations.

    Unlike the rate ± z·SE it stays inside 0..1 and is honest about small n:
    1 of 1 gives 0.21..1, 40 of 40 gives 0.91..1.
    """
    if n <= 0:
        return None
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def _bad(text: Any) -> ValidationError:
    return ValidationError(f"'{text}' is not a period. {PERIOD_HELP}", errors={"period": "not a period"})
