"""The sample success rate over time, each point as large as the feedbacks behind it, the 95 % Wilson
band shaded around its line (1 of 1 is not 40 of 40).

A few groups (a rep's own line, an admin's regions) get a line each. Many (a team lead's dozen
owners) would be a tangle of lines between 35 and 70 %: they are ranked instead, by their rate
over the whole period, beside the chosen one's line (the first of the ranking, or the one
picked there or in the owner filter) over the line of them all together.

The period that is not over yet (this month, this week) is drawn as such: its point hollow,
the segment to it dashed, and its tooltip says how much of it has passed ("Dez. 2026 so far
(6 of 31 days)"): a December with six days of feedback is not a collapse.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop import display
from desktop.cockpit import units
from desktop.cockpit.panel import BACKGROUND, GRID_ALPHA, ChartPanel, plain_plot
from desktop.i18n import translate
from desktop.workers import Runner
from services.rules import calendar
from services.service_layer.kpis import SampleSuccess, SuccessPoint

# Twelve colours that stay apart from each other.
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
           "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a")
CHOSEN_COLOUR, ALL_COLOUR = "#1f5fa8", "#8a8a8a"
BAND_ALPHA = 38
SMALLEST, LARGEST = 5.0, 17.0        # point diameters in pixels, for the fewest and the most feedbacks
LABELLED_LINES = 2                   # up to this many lines, every point is labelled with its n
BANDED_LINES = 3                     # up to this many lines every band shows; past it, the chosen line's
MOST_LINES = 5                       # more groups than this are ranked (see the module's docstring)
LINES, RANKED = "lines", "ranked"
ALL = QT_TRANSLATE_NOOP("cockpit.success", "All together")
# What the lines are, one and many (legend titles: "Top 5 of 12 owners").
LINE_NOUNS = {
    "region": (QT_TRANSLATE_NOOP("cockpit.success", "region"), QT_TRANSLATE_NOOP("cockpit.success", "regions")),
    "owner": (QT_TRANSLATE_NOOP("cockpit.success", "owner"), QT_TRANSLATE_NOOP("cockpit.success", "owners")),
    "chain": (QT_TRANSLATE_NOOP("cockpit.success", "chain"), QT_TRANSLATE_NOOP("cockpit.success", "chains")),
}
_GROUPED_BY = {"region": "region", "owner": "owner_id", "chain": "chain_id"}   # the Drill's attribute


@dataclass(frozen=True)
class Partial:
    """The last period of a chart when it is not complete: which, and how much of it is in."""

    index: int
    days: int           # of the period that the numbers cover
    length: int         # the period's days
    running: bool       # it is the period of today ("so far")

    def words(self, start: date, grain: str) -> str:
        name = units.period_text(start, grain)
        name = name[:1].upper() + name[1:]
        if self.running:
            return translate("cockpit.success", "{name} so far ({days} of {length} days)").format(
                name=name, days=self.days, length=self.length
            )
        return translate("cockpit.success", "{name}: {days} of {length} days in the chosen period").format(
            name=name, days=self.days, length=self.length
        )


def partial_period(starts: list[date], first: date, last: date, grain: str, today: date) -> Partial | None:
    """The last period if the numbers cover only part of it (it runs still, or the chosen period cuts it)."""
    if not starts:
        return None
    start = starts[-1]
    end = start + timedelta(days=6) if grain == "week" else _month_end(start)
    covered_from, covered_to = max(start, first), min(end, last, today)
    length = (end - start).days + 1
    days = (covered_to - covered_from).days + 1
    if days >= length or days <= 0:
        return None
    return Partial(len(starts) - 1, days, length, start <= today <= end)


def _month_end(start: date) -> date:
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return following - timedelta(days=1)


@dataclass
class Line:
    """One group's line, as drawn: the tests read the plotted numbers back from here."""

    label: str
    colour: str
    points: tuple[SuccessPoint, ...]
    items: list[Any] = field(default_factory=list)
    band: list[Any] = field(default_factory=list)
    curve: pg.PlotCurveItem | None = None
    scatter: pg.ScatterPlotItem | None = None
    shown: bool = True

    @property
    def n(self) -> int:
        return sum(p.n for p in self.points)

    @property
    def rate(self) -> float | None:
        n = self.n
        return sum(p.success for p in self.points) / n if n else None

    def show(self, on: bool, *, band: bool) -> None:
        self.shown = on
        for item in self.items:
            item.setVisible(on)
        for item in self.band:
            item.setVisible(on and band)


class SuccessChart(ChartPanel):
    def __init__(self, runner: Runner, parent: QWidget | None = None):
        super().__init__(runner, translate("cockpit.success", "Sample success rate"), "sample-success-rate", parent)
        self.axis = units.CategoryAxis("bottom")
        self.rate_axis = units.PercentAxis("left")
        self.view = pg.PlotWidget(background=BACKGROUND, enableMenu=False,
                                  axisItems={"bottom": self.axis, "left": self.rate_axis})
        self.plot_item = plain_plot(self.view.getPlotItem())
        self.plot_item.setLabel("left", translate("cockpit.success", "Success rate"))
        self.plot_item.showGrid(x=False, y=True, alpha=GRID_ALPHA)
        self.legend_title = QLabel()
        self.legend_title.setObjectName("sectionTitle")
        self.legend_title.setWordWrap(True)
        self.legend = QListWidget()
        self.legend.setObjectName("chartLegend")
        self.legend.setFrameShape(QListWidget.Shape.NoFrame)
        self.legend.setTextElideMode(Qt.TextElideMode.ElideMiddle)     # the whole name is in the tooltip
        self.legend.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A pale selection, so the chosen name's colour swatch stays visible.
        self.legend.setStyleSheet("QListWidget::item:selected { background: #dce7f5; color: #111; }")
        self.legend.itemChanged.connect(self._legend_toggled)
        self.legend.currentItemChanged.connect(lambda *_: self._chosen_changed())
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.band_hint = QLabel(translate("cockpit.success", "Select a name to see its band."))
        self.band_hint.setObjectName("hint")
        self.band_hint.setWordWrap(True)
        side = QVBoxLayout()
        side.setContentsMargins(0, 6, 0, 6)
        side.addWidget(self.legend_title)
        side.addWidget(self.legend, 1)
        side.addWidget(self.band_hint)
        side.addWidget(self.hint)
        side_box = QWidget()
        side_box.setLayout(side)
        side_box.setFixedWidth(230)
        layout = QHBoxLayout(self.body)
        layout.setContentsMargins(4, 0, 6, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(side_box)
        self.lines: dict[str, Line] = {}
        self.mode = LINES
        self.periods: list[date] = []
        self.partial: Partial | None = None
        self.chosen: str | None = None            # the ranked view's line (kept across refreshes)
        self.prefer: str | None = None            # who to choose first (the owner filter's name)
        self.own_title: str | None = None         # the legend's title when the one line is the person's own
        self._index: dict[date, int] = {}
        self._largest = 1
        self._all_clickable = False

    # ---------------------------------------------------------------- drawing

    def plot(self, result: SampleSuccess) -> str | None:
        self.plot_item.clear()
        self.legend.blockSignals(True)
        self.legend.clear()
        self.legend.blockSignals(False)
        self.lines = {}
        grain = result.grain
        self.periods = period_starts(result.period.first, result.period.last, grain)
        self._index = {start: n for n, start in enumerate(self.periods)}
        self.partial = partial_period(self.periods, result.period.first, result.period.last, grain, calendar.today())
        self.axis.set_names([units.week_or_month(p, grain) for p in self.periods])
        self.plot_item.setLabel(
            "bottom",
            (
                translate("cockpit.success", "Week (starting Monday)")
                if grain == "week"
                else translate("cockpit.success", "Month")
            ),
        )
        self.plot_item.setXRange(-0.5, len(self.periods) - 0.5, padding=0.02)
        self.plot_item.setYRange(0, 100, padding=0.06)     # room for the dots at 0 % and 100 %
        self.rate_axis.set_empty(False)
        n_all = sum(p.n for p in result.points)
        so_far = f" · {self.partial.words(self.periods[-1], grain)}" if self.partial else ""
        self.note.setText(
            translate("cockpit.success", "{n_all} feedbacks · {days_text}{so_far}").format(
                n_all=units.count(n_all),
                days_text=display.days_text(result.period.first, result.period.last),
                so_far=so_far,
            )
        )
        series = result.series()
        what = translate("cockpit.success", LINE_NOUNS[result.by][result.groups != 1])
        if not result.points:
            self.legend_title.setText("")
            return translate("cockpit.success", "No sample feedback in this period.")
        self._largest = max(p.n for p in result.points)
        self.mode = RANKED if len(series) > MOST_LINES else LINES
        if self.mode == LINES:
            shown = len(series)
            self.legend_title.setText(
                translate("cockpit.success", "Top {shown} of {groups} {what}").format(
                    shown=shown, groups=result.groups, what=what
                )
                if shown < result.groups
                else self.own_title if self.own_title and shown == 1 else f"{result.groups} {what}"
            )
            for n, (label, points) in enumerate(series.items()):
                line = Line(label, PALETTE[n % len(PALETTE)], points)
                self._draw(line, labelled=len(series) <= LABELLED_LINES)
                self.lines[label] = line
                self._legend_entry(line, checkable=True)
            self.hint.setText(
                translate(
                    "cockpit.success",
                    "Point size: the feedbacks behind it (n). Shaded: the 95 % band. Hollow: a period "
                    "not over yet. Click a point for its customers.",
                )
            )
            self._show_bands()
            return None
        return self._plot_ranked(result, series, what)

    def _plot_ranked(self, result: SampleSuccess, series: dict[str, tuple[SuccessPoint, ...]], what: str) -> None:
        ranked = sorted((Line(label, CHOSEN_COLOUR, points) for label, points in series.items()),
                        key=lambda line: (-(line.rate or 0), -line.n, line.label))
        shown = len(ranked)
        more = (
            translate("cockpit.success", " (the {shown} with the most feedbacks of {groups})").format(
                shown=shown, groups=result.groups
            )
            if shown < result.groups
            else ""
        )
        self.legend_title.setText(
            translate("cockpit.success", "{shown} {what} by success rate{more}").format(
                shown=shown, what=what, more=more
            )
        )
        for rank, line in enumerate(ranked, start=1):
            self.lines[line.label] = line
            self._legend_entry(line, checkable=False, rank=rank)
        # All of them together: a point's customers are every group's (if every group is here).
        self._all_clickable = shown == result.groups
        everyone = _together(result.points, result.by)
        together = Line(
            translate("cockpit.success", "All {shown} {what}").format(shown=shown, what=what), ALL_COLOUR, everyone
        )
        self._draw(together, labelled=False, dashed=True, sized=False, banded=False)
        self.hint.setText(
            translate(
                "cockpit.success",
                "Blue: the one chosen in the list; grey, dashed: all {shown} together. Point size: its feedbacks (n); shaded: its 95 % band; hollow: a period not over yet. Click a point for its customers.",
            ).format(shown=shown)
        )
        self.band_hint.hide()
        wanted = next((n for n, line in enumerate(ranked) if line.label in (self.chosen, self.prefer)), 0)
        self.legend.blockSignals(True)
        self.legend.setCurrentRow(wanted)
        self.legend.blockSignals(False)
        self._chosen_changed()
        return None

    def _chosen_changed(self) -> None:
        if self.mode == LINES:
            self._show_bands()
            return
        current = self.legend.currentItem()
        label = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        for line in self.lines.values():
            for item in line.items + line.band:
                self.plot_item.removeItem(item)
            line.items, line.band, line.curve, line.scatter = [], [], None, None
        if label in self.lines:
            self.chosen = label
            self._draw(self.lines[label], labelled=True)

    def _draw(self, line: Line, *, labelled: bool, dashed: bool = False, sized: bool = True,
              banded: bool = True) -> None:
        index, periods = self._index, self.periods
        xs = np.arange(len(periods), dtype=float)
        rate, low, high = (np.full(len(xs), np.nan) for _ in range(3))
        for p in line.points:
            at = index[p.period]
            rate[at] = p.rate * 100
            if p.low is not None:
                low[at], high[at] = p.low * 100, p.high * 100
        colour = QColor(line.colour)
        if banded:
            band = QColor(colour)
            band.setAlpha(BAND_ALPHA)
            for run in finite_runs(high):
                if len(run) == 1:     # a lone point's band is a whisker
                    line.band.append(pg.ErrorBarItem(x=xs[run], y=rate[run], top=high[run] - rate[run],
                                                      bottom=rate[run] - low[run], beam=0.12,
                                                      pen=pg.mkPen(band, width=3)))
                else:
                    lower = pg.PlotCurveItem(xs[run], low[run], pen=pg.mkPen(None))
                    upper = pg.PlotCurveItem(xs[run], high[run], pen=pg.mkPen(None))
                    line.band += [lower, upper, pg.FillBetweenItem(lower, upper, brush=band)]
        style = Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
        partial = self.partial
        whole = rate.copy()
        if partial is not None:
            whole[partial.index] = np.nan      # the period not over yet joins by a dashed segment
        line.curve = pg.PlotCurveItem(xs, whole, pen=pg.mkPen(colour, width=2, style=style), connect="finite")
        line.items.append(line.curve)
        if partial is not None and partial.index > 0 and np.isfinite(rate[partial.index]):
            before = partial.index - 1
            if np.isfinite(rate[before]):
                line.items.append(pg.PlotCurveItem(xs[[before, partial.index]], rate[[before, partial.index]],
                                                   pen=pg.mkPen(colour, width=2, style=Qt.PenStyle.DotLine)))
        grain = self.result.grain if self.result is not None else "week"
        largest = self._largest if sized else max((p.n for p in line.points), default=1)
        sizes = [SMALLEST + (LARGEST - SMALLEST) * math.sqrt(min(p.n, largest) / largest) for p in line.points]
        hollow = [partial is not None and index[p.period] == partial.index for p in line.points]
        scatter = pg.ScatterPlotItem(
            x=[index[p.period] for p in line.points], y=[p.rate * 100 for p in line.points], size=sizes,
            data=list(line.points), brush=[pg.mkBrush("w" if h else colour) for h in hollow],
            pen=[pg.mkPen(colour, width=2) if h else pg.mkPen("w", width=1) for h in hollow], hoverable=True,
            hoverPen=pg.mkPen("#111", width=2),
            tip=lambda x, y, data: point_tip(data, grain, self.partial_words(data)))
        scatter.setCursor(Qt.CursorShape.PointingHandCursor)
        scatter.sigClicked.connect(lambda _item, spots, _ev: self.point_clicked(spots[0].data()) if spots else None)
        line.scatter = scatter
        line.items.append(scatter)
        if labelled:
            for p in line.points:
                text = pg.TextItem(f"n={units.count(p.n)}", color="#555", anchor=(0.5, 1.3))
                text.setPos(index[p.period], p.rate * 100)
                line.items.append(text)
        for item in line.band + line.items:
            self.plot_item.addItem(item)

    def partial_words(self, point: SuccessPoint) -> str | None:
        """"Dez. 2026 so far (6 of 31 days)" for a point of the period not over yet."""
        partial = self.partial
        if partial is None or self._index.get(point.period) != partial.index or self.result is None:
            return None
        return partial.words(point.period, self.result.grain)

    def point_clicked(self, point: SuccessPoint) -> None:
        """What a click on a point does (the tests call it as a click would)."""
        if point.label == translate("cockpit.success", ALL) and not self._all_clickable:
            return          # the groups together are only the ones shown: no one set of customers
        grain = self.result.grain if self.result is not None else "week"
        self.drill(
            point.drill,
            translate("cockpit.success", "the {n} feedbacks behind “Sample success · {label} · {period_text}”").format(
                n=units.count(point.n), label=point.label, period_text=units.period_text(point.period, grain)
            ),
        )

    def _legend_entry(self, line: Line, *, checkable: bool, rank: int | None = None) -> None:
        swatch = QPixmap(12, 12)
        swatch.fill(QColor(line.colour))
        n = line.n
        text = line.label if rank is None else f"{rank}. {line.label} · {units.percent(line.rate)}"
        item = QListWidgetItem(QIcon(swatch) if checkable else QIcon(), text)
        tip = translate("cockpit.success", "{label}: {rate} success in {n} feedbacks in the period").format(
            label=line.label, rate=units.percent(line.rate), n=units.count(n)
        )
        item.setToolTip(
            tip
            + (
                translate("cockpit.success", "\nUntick to hide the line")
                if checkable
                else translate("cockpit.success", "\nChoose to see the line")
            )
        )
        if checkable:
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        item.setData(Qt.ItemDataRole.UserRole, line.label)
        self.legend.addItem(item)

    def _legend_toggled(self, item: QListWidgetItem) -> None:
        line = self.lines.get(item.data(Qt.ItemDataRole.UserRole))
        if line is not None and self.mode == LINES:
            line.shown = item.checkState() == Qt.CheckState.Checked
            self._show_bands()

    def _show_bands(self) -> None:
        """Every band while they are few; past BANDED_LINES only the chosen line's, drawn bolder,
        since a dozen shaded bands over each other hide more than they tell."""
        few = len(self.lines) <= BANDED_LINES
        current = self.legend.currentItem()
        chosen = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        self.band_hint.setVisible(not few)
        self.band_hint.setText(
            translate("cockpit.success", "Shaded: the band of {chosen}.").format(chosen=chosen)
            if chosen
            else translate("cockpit.success", "Select a name to see its band.")
        )
        for label, line in self.lines.items():
            line.show(line.shown, band=few or label == chosen)
            if line.curve is not None:
                line.curve.setPen(pg.mkPen(line.colour, width=3.5 if label == chosen and not few else 2))


def _together(points: tuple[SuccessPoint, ...], by: str) -> tuple[SuccessPoint, ...]:
    """The points of all groups added up per period (their drill: a group's, widened to all groups)."""
    from dataclasses import replace

    from services.service_layer.kpis.period import wilson

    by_period: dict[date, list[SuccessPoint]] = {}
    for p in points:
        by_period.setdefault(p.period, []).append(p)
    together = []
    for start, group in sorted(by_period.items()):
        success, neutral, fail = (sum(getattr(p, k) for p in group) for k in ("success", "neutral", "fail"))
        low, high = wilson(success, success + neutral + fail) or (None, None)
        drill = replace(group[0].drill, **{_GROUPED_BY[by]: None})
        together.append(
            SuccessPoint(start, None, translate("cockpit.success", ALL), success, neutral, fail, low, high, drill)
        )
    return tuple(together)


def point_tip(point: SuccessPoint, grain: str, partial: str | None = None) -> str:
    return translate(
        "cockpit.success",
        "{label} · {value}\n{rate} success: {success} of {n} feedbacks\n95 % band: {low} – {high}\nneutral {neutral} · fail {fail}\nClick to see these customers",
    ).format(
        label=point.label,
        value=partial or units.period_text(point.period, grain),
        rate=units.percent(point.rate),
        success=units.count(point.success),
        n=units.count(point.n),
        low=units.percent(point.low),
        high=units.percent(point.high),
        neutral=units.count(point.neutral),
        fail=units.count(point.fail),
    )


def period_starts(first: date, last: date, grain: str) -> list[date]:
    """The first days of the weeks (Mondays) or months that overlap first..last, as the service buckets them."""
    start = first - timedelta(days=first.weekday()) if grain == "week" else first.replace(day=1)
    starts = []
    while start <= last:
        starts.append(start)
        if grain == "week":
            start += timedelta(days=7)
        else:
            start = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return starts


def finite_runs(values: np.ndarray) -> list[np.ndarray]:
    """Index arrays of the stretches without gaps (a gap: a period with no feedback)."""
    finite = np.flatnonzero(np.isfinite(values))
    if not finite.size:
        return []
    return [run for run in np.split(finite, np.flatnonzero(np.diff(finite) > 1) + 1) if run.size]
