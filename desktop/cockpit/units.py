"""How the cockpit writes numbers: through desktop/display.py (services.formats: one locale for the
grid, the charts and the exports), and axes whose ticks say so.

An axis without data (while the charts load, or a period without any) shows no ticks at all,
rather than pyqtgraph's "0 %, 0 %, 1 %" spread over a range of one.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics

from desktop import display
from desktop.i18n import translate


def count(n: float | None) -> str:
    return display.count(n)


def percent(rate: float | None) -> str:
    """A share 0..1 as "47 %"; "–" when there is nothing to divide."""
    return display.percent(rate)


def money(value: Decimal | float | None) -> str:
    return display.money(value)


def short_money(value: float) -> str:
    """A bar's label or an axis tick: "250.000 €" stays whole below a million, then "2,5 Mio. €"."""
    return display.compact_money(value) if abs(value) >= 1_000_000 else display.money(value)


def week_or_month(start: date, grain: str) -> str:
    """A chart's period: "7. Sept." for the week starting Monday 7 September, "Sept. 2026" for a month."""
    return display.short_day(start) if grain == "week" else display.period(start, grain)


def period_text(start: date, grain: str) -> str:
    """"Week of 07.09.2026" / "Sept. 2026"."""
    return (
        translate("cockpit.units", "week of {start}").format(start=display.day(start))
        if grain == "week"
        else display.period(start, grain)
    )


class _Axis(pg.AxisItem):
    """An axis that shows ticks only while it has something to measure (see `set_empty`)."""

    def __init__(self, orientation: str, **kwargs):
        super().__init__(orientation, **kwargs)
        self.empty = True

    def set_empty(self, empty: bool) -> None:
        if empty != self.empty:
            self.empty = empty
            self.picture = None
            self.update()

    def tickValues(self, minVal, maxVal, size):
        return [] if self.empty else super().tickValues(minVal, maxVal, size)


class CountAxis(_Axis):
    """Whole numbers only (a count of 2.5 customers is no tick), grouped like the grid's."""

    def tickValues(self, minVal, maxVal, size):
        ticks = super().tickValues(minVal, maxVal, size)
        # Steps below one would put the same whole number at several ticks.
        return [(spacing, values) for spacing, values in ticks if spacing >= 1]

    def tickStrings(self, values, scale, spacing):
        return [count(v) if abs(v - round(v)) < 1e-9 else "" for v in values]


class MoneyAxis(_Axis):
    def tickValues(self, minVal, maxVal, size):
        return [(spacing, values) for spacing, values in super().tickValues(minVal, maxVal, size) if spacing >= 1]

    def tickStrings(self, values, scale, spacing):
        return [short_money(v) for v in values]


class PercentAxis(_Axis):
    """Rates plotted as 0..100."""

    def tickValues(self, minVal, maxVal, size):
        return [(spacing, values) for spacing, values in super().tickValues(minVal, maxVal, size) if spacing >= 1]

    def tickStrings(self, values, scale, spacing):
        return [percent(v / 100) for v in values]


class CategoryAxis(pg.AxisItem):
    """Named categories at 0, 1, 2, … (buckets, kinds, periods); when they crowd, every n-th is named."""

    def __init__(self, orientation: str, **kwargs):
        super().__init__(orientation, **kwargs)
        self.names: list[str] = []

    def set_names(self, names: list[str]) -> None:
        self.names = list(names)
        self.picture = None
        self.update()

    def tickValues(self, minVal, maxVal, size):
        low, high = sorted((minVal, maxVal))       # an inverted axis passes them the other way round
        shown = [n for n in range(len(self.names)) if low <= n <= high]
        if not shown:
            return []
        metrics = QFontMetrics(self.style.get("tickFont") or self.font())
        if self.orientation in ("bottom", "top"):
            room = max(metrics.horizontalAdvance(name) for name in self.names) + 14
        else:
            room = metrics.height() + 4
        every = math.ceil(len(shown) / max(1, int(size // room)))
        return [(float(every), [float(n) for n in shown[::every]])]

    def tickStrings(self, values, scale, spacing):
        return [self.names[round(v)] if 0 <= round(v) < len(self.names) else "" for v in values]
