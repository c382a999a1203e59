"""Demo time: every event falls inside German business hours before today.

Events are generated on a "working clock": seconds counted over the hours
07:00–19:00 (Europe/Berlin) of each day, with day 0 = today and negative days
in the past. Anything with a negative working time therefore lies before today,
never in the future (the service refuses future event times), and its local
date is known exactly, which the SLA due dates (German business days) need.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import numpy as np

from services.rules.calendar import BUSINESS_TZ, add_business_days

HOUR = 3600
WORKDAY = 12 * HOUR          # working seconds per day: 07:00–19:00
DAY_START = 7 * HOUR
PG_EPOCH = date(2000, 1, 1)
_PG_EPOCH_UTC = datetime(2000, 1, 1, tzinfo=timezone.utc)


class Clock:
    """Converts working times and day numbers (relative to `today`) into what PostgreSQL stores."""

    def __init__(self, today: date, past_days: int = 3000, future_days: int = 1500):
        self.today = today
        self.first_day = -past_days
        days = range(-past_days, future_days + 1)
        dates = [today + timedelta(days=d) for d in days]
        # UTC of local noon: DST switches happen at night, so noon ± 7 h stays on that day's offset.
        self._noon_utc_us = np.array(
            [int((datetime.combine(d, time(12), BUSINESS_TZ) - _PG_EPOCH_UTC).total_seconds()) * 1_000_000
             for d in dates], np.int64)
        self._pg_days = (today - PG_EPOCH).days
        self._iso = np.array([d.isoformat().encode() for d in dates], "S10")
        self._dates = dates

    # ------------------------------------------------------------ working times

    @staticmethod
    def day_of(t: np.ndarray) -> np.ndarray:
        return np.floor_divide(t, WORKDAY)

    @staticmethod
    def at(day: np.ndarray, hour: np.ndarray | float = 12) -> np.ndarray:
        """The working time of a local hour (7–19) on a day."""
        return np.asarray(day, np.int64) * WORKDAY + ((np.asarray(hour) - 7) * HOUR).astype(np.int64)

    def utc_micros(self, t: np.ndarray) -> np.ndarray:
        """Microseconds since 2000-01-01 UTC (binary timestamptz) of working times."""
        t = np.asarray(t, np.int64)
        day = self.day_of(t)
        local_seconds = DAY_START + (t - day * WORKDAY)
        return self._noon_utc_us[self._index(day)] + (local_seconds - 12 * HOUR) * 1_000_000

    # --------------------------------------------------------------------- days

    def pg_date(self, day: np.ndarray) -> np.ndarray:
        """Days since 2000-01-01 (binary date) of day numbers."""
        return (np.asarray(day, np.int64) + self._pg_days).astype(np.int32)

    def iso(self, day: np.ndarray) -> np.ndarray:
        return self._iso[self._index(day)]

    def date(self, day: int) -> date:
        return self._dates[self._index(np.asarray(day))]

    def add_business_days(self, day: np.ndarray, n: int) -> np.ndarray:
        """Day numbers `n` German business days after each day (services.rules.calendar)."""
        day = np.asarray(day, np.int64)
        if not len(day):
            return day
        distinct = np.unique(day)
        result = np.array([(add_business_days(self.date(int(d)), n) - self.today).days for d in distinct], np.int64)
        return result[np.searchsorted(distinct, day)]

    def day_number(self, moment: date) -> int:
        return (moment - self.today).days

    def _index(self, day: np.ndarray) -> np.ndarray:
        index = np.asarray(day, np.int64) - self.first_day
        if index.size and (index.min() < 0 or index.max() >= len(self._dates)):
            raise ValueError("a demo day lies outside the clock's range")
        return index
