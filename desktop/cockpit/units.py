"""How the cockpit writes numbers: grouped like the grid's money ("12 500 €"), rates as "47 %", axes to match."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics

from desktop import display

# A narrow no-break space groups thousands and a no-break space keeps "%" and "€" on the number,
# which reads right in German and English alike (as display.money does in the grid).
GROUP, NBSP = "\u202f", "\u00a0"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def count(n: float | None) -> str:
    return "" if n is None else f"{n:,.0f}".replace(",", GROUP)


def percent(rate: float | None) -> str:
    """A share 0..1 as "47 %"; "—" when there is nothing to divide."""
    return "—" if rate is None else f"{rate * 100:.0f}{NBSP}%"


def money(value: Decimal | float | None) -> str:
    return display.money(value)


def short_money(value: float) -> str:
    """An axis tick: "250 000 €" stays whole up to a million, then "2,5 Mio €" (decimal comma)."""
    if abs(value) >= 1_000_000:
        text = f"{value / 1_000_000:.1f}".replace(".", ",").removesuffix(",0")
        return f"{text}{NBSP}Mio{NBSP}€"
    return display.money(value)


def week_or_month(start: date, grain: str) -> str:
    """A chart's period: "7 Sep" for the week starting Monday 7 September, "Sep 2026" for a month."""
    month = MONTHS[start.month - 1]
    return f"{start.day} {month}" if grain == "week" else f"{month} {start.year}"


def period_text(start: date, grain: str) -> str:
    return f"week of {start.isoformat()}" if grain == "week" else f"{MONTHS[start.month - 1]} {start.year}"


class CountAxis(pg.AxisItem):
    """Whole numbers only (a count of 2.5 customers is no tick), grouped like the grid's."""

    def tickStrings(self, values, scale, spacing):
        return [count(v) if abs(v - round(v)) < 1e-9 else "" for v in values]


class MoneyAxis(pg.AxisItem):
    def tickStrings(self, values, scale, spacing):
        return [short_money(v) for v in values]


class PercentAxis(pg.AxisItem):
    """Rates plotted as 0..100."""

    def tickStrings(self, values, scale, spacing):
        return [f"{v:.0f}{NBSP}%" for v in values]


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
