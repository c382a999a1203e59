"""How numbers, money, dates and times are shown to people: one locale, one time zone.

Every widget, chart axis, export and CLI table formats through this module, so
the grid, the field editor, the charts and `steward kpis` agree ("2.047 €", not
"2 047 €" in one place and "2,047.00" in another).

- The **locale** comes from `STEWARD_LOCALE` (e.g. `de_DE`, `en_GB`), else from
  the system (LC_ALL, LC_NUMERIC, LANG); a system without one (C, POSIX) gets
  German, the language of the business and of its customers.
- The **time zone** comes from `STEWARD_TIMEZONE` (an IANA name such as
  `Europe/Berlin`), else the machine's. Times shown to people are in it, with
  its abbreviation where a bare clock could be read in another zone.
- **Machine-readable** output (JSON, logs, CSV for programs) uses ISO 8601 with
  the offset (`machine_time`), whatever the settings.

Formatting is Babel's (CLDR data), not hand-made patterns.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.localtime import get_localzone

from services.errors import ValidationError

FALLBACK_LOCALE = "de_DE"
CURRENCY = "EUR"   # the business invoices in euros only


@dataclass(frozen=True)
class Formats:
    locale: Locale
    zone: tzinfo

    @property
    def language(self) -> str:
        return self.locale.language

    # ----------------------------------------------------------------- numbers

    def number(self, value: int | float | Decimal | None, decimals: int = 0) -> str:
        if value is None:
            return ""
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return babel_numbers.format_decimal(value, format=pattern, locale=self.locale, decimal_quantization=True)

    def money(self, value: int | float | Decimal | None, *, cents: bool = False) -> str:
        """Euros: whole euros in lists and charts, with cents where a person enters or checks an amount."""
        if value is None:
            return ""
        pattern = self.locale.currency_formats["standard"].pattern
        if not cents:
            pattern = pattern.replace(".00", "")
        return babel_numbers.format_currency(value, CURRENCY, format=pattern, locale=self.locale,
                                             currency_digits=cents)

    def compact_money(self, value: int | float | Decimal) -> str:
        """Chart axes: "1,1 Mio. €" / "€1.1M"."""
        return babel_numbers.format_compact_currency(value, CURRENCY, locale=self.locale, fraction_digits=1)

    def percent(self, rate: float | None, decimals: int = 0) -> str:
        if rate is None:
            return "–"
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + " %"
        if self.language == "en":
            pattern = pattern.replace(" %", "%")
        return babel_numbers.format_percent(rate, format=pattern, locale=self.locale)

    # ------------------------------------------------------------------- times

    def day(self, value: date | None) -> str:
        """A calendar day: 06.12.2026 / 6 Dec 2026 (a date has no zone)."""
        return babel_dates.format_date(value, "medium", locale=self.locale) if value else ""

    def short_day(self, value: date | None) -> str:
        """A day without its year, for chart axes: 7. Sept. / 7 Sept."""
        return babel_dates.format_skeleton("MMMd", value, locale=self.locale) if value else ""

    def period(self, first_day: date, grain: str) -> str:
        """A month (Sept. 2026 / Sep 2026) or an ISO week (KW 37/2026 / W37 2026) by its first day."""
        if grain == "month":
            return babel_dates.format_skeleton("yMMM", first_day, locale=self.locale)
        year, week, _ = first_day.isocalendar()
        return f"KW {week}/{year}" if self.language == "de" else f"W{week} {year}"

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def moment(self, value: datetime | None, *, zone: bool = True) -> str:
        """A point in time in the person's zone, labelled: 06.12.2026, 22:16 MEZ."""
        if value is None:
            return ""
        text = f"{self.day(self.local(value).date())}, {self.clock(value, zone=False)}"
        return f"{text} {self.zone_name(value)}" if zone else text

    def clock(self, value: datetime | None, *, zone: bool = True) -> str:
        """Only the time of day, for things of today: 22:16 MEZ."""
        if value is None:
            return ""
        text = babel_dates.format_time(self.local(value), "HH:mm", locale=self.locale)
        return f"{text} {self.zone_name(value)}" if zone else text

    def zone_name(self, at: datetime | None = None) -> str:
        """The zone's short name at that moment (MEZ/MESZ, CET/CEST, UTC)."""
        moment = self.local(at or datetime.now(self.zone))
        name = babel_dates.get_timezone_name(moment, "short", locale=self.locale, return_zone=False)
        if name.startswith("GMT") and moment.tzname():
            # CLDR has no short name for some zones in some languages ("GMT+01:00"); the zone's own is clearer.
            return moment.tzname()
        return name


def machine_time(value: datetime | None) -> str | None:
    """ISO 8601 with the offset, for programs: 2026-12-06T21:16:30+00:00."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("a time zone is required")
    return value.isoformat()


def json_value(value: object) -> object:
    """`default=` of json.dumps for machine output: times in ISO 8601 with the offset, days in
    ISO 8601, decimals as numbers, anything else (UUIDs, paths) as text."""
    if isinstance(value, datetime):
        return machine_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def build(*, locale: str | None = None, timezone: str | None = None) -> Formats:
    """Formats for this locale and zone (None: the system's), without settling them for the
    process (a preview). Unknown names are a person's typo, refused."""
    return Formats(_locale(locale or _system_locale()), _zone(timezone))


def configure(*, locale: str | None = None, timezone: str | None = None) -> Formats:
    """Settle the locale and zone for this process (the entry points call this once
    from the settings); returns the result. Unknown names are a person's typo, refused."""
    global _current
    _current = build(locale=locale, timezone=timezone)
    return _current


def current() -> Formats:
    return _current or configure(locale=os.environ.get("STEWARD_LOCALE") or None,
                                 timezone=os.environ.get("STEWARD_TIMEZONE") or None)


_current: Formats | None = None


def _system_locale() -> str:
    for variable in ("LC_ALL", "LC_NUMERIC", "LANG"):
        value = os.environ.get(variable, "").split(".")[0]
        if value and value not in ("C", "POSIX"):
            return value
    return FALLBACK_LOCALE


@cache
def _locale(name: str) -> Locale:
    try:
        return Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise ValidationError(f"Unknown locale {name!r}: use a name such as de_DE or en_GB.",
                              errors={"locale": "unknown"}) from None


def _zone(name: str | None) -> tzinfo:
    if not name:
        return get_localzone()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"Unknown time zone {name!r}: use a name such as Europe/Berlin.",
                              errors={"timezone": "unknown"}) from None
