"""The sample success rate over time: a line per group, each point as large as the feedbacks behind it,
and the 95 % Wilson band shaded around the line (1 of 1 is not 40 of 40)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop.cockpit import units
from desktop.cockpit.filters import GROUPINGS
from desktop.cockpit.panel import BACKGROUND, GRID_ALPHA, ChartPanel, plain_plot
from desktop.workers import Runner
from services.service_layer.kpis import SampleSuccess, SuccessPoint

# Twelve colours that stay apart from each other (the service draws at most twelve lines).
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
           "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a")
BAND_ALPHA = 38
SMALLEST, LARGEST = 5.0, 17.0        # point diameters in pixels, for the fewest and the most feedbacks
LABELLED_LINES = 2                   # up to this many lines, every point is labelled with its n
BANDED_LINES = 3                     # up to this many lines every band shows; past it, the chosen line's


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

    def show(self, on: bool, *, band: bool) -> None:
        self.shown = on
        for item in self.items:
            item.setVisible(on)
        for item in self.band:
            item.setVisible(on and band)


class SuccessChart(ChartPanel):
    def __init__(self, runner: Runner, parent: QWidget | None = None):
        super().__init__(runner, "Sample success rate", "sample-success-rate", parent)
        self.axis = units.CategoryAxis("bottom")
        self.view = pg.PlotWidget(background=BACKGROUND, axisItems={"bottom": self.axis,
                                                                     "left": units.PercentAxis("left")})
        self.plot_item = plain_plot(self.view.getPlotItem())
        self.plot_item.setLabel("left", "Success rate")
        self.plot_item.showGrid(x=False, y=True, alpha=GRID_ALPHA)
        self.legend_title = QLabel()
        self.legend_title.setObjectName("sectionTitle")
        self.legend_title.setWordWrap(True)
        self.legend = QListWidget()
        self.legend.setObjectName("chartLegend")
        self.legend.setFrameShape(QListWidget.Shape.NoFrame)
        self.legend.setTextElideMode(Qt.TextElideMode.ElideRight)      # the whole name is in the tooltip
        self.legend.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A pale selection, so the chosen name's colour swatch stays visible.
        self.legend.setStyleSheet("QListWidget::item:selected { background: #dce7f5; color: #111; }")
        self.legend.itemChanged.connect(self._legend_toggled)
        self.legend.currentItemChanged.connect(lambda *_: self._show_bands())
        hint = QLabel("Point size: the feedbacks behind it (n). Shaded: the 95 % band. Click a point for its "
                      "customers.")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.band_hint = QLabel("Select a name to see its band.")
        self.band_hint.setObjectName("hint")
        self.band_hint.setWordWrap(True)
        side = QVBoxLayout()
        side.setContentsMargins(0, 6, 0, 6)
        side.addWidget(self.legend_title)
        side.addWidget(self.legend, 1)
        side.addWidget(self.band_hint)
        side.addWidget(hint)
        side_box = QWidget()
        side_box.setLayout(side)
        side_box.setFixedWidth(190)
        layout = QHBoxLayout(self.body)
        layout.setContentsMargins(4, 0, 6, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(side_box)
        self.lines: dict[str, Line] = {}
        self.periods: list[date] = []

    def plot(self, result: SampleSuccess) -> str | None:
        self.plot_item.clear()
        self.legend.clear()
        self.lines = {}
        grain = result.grain
        self.periods = period_starts(result.period.first, result.period.last, grain)
        self.axis.set_names([units.week_or_month(p, grain) for p in self.periods])
        self.plot_item.setLabel("bottom", "Week (starting Monday)" if grain == "week" else "Month")
        self.plot_item.setXRange(-0.5, len(self.periods) - 0.5, padding=0.02)
        self.plot_item.setYRange(0, 100, padding=0.06)     # room for the dots at 0 % and 100 %
        what = GROUPINGS[result.by].lower() + ("s" if result.groups != 1 else "")
        shown = len(result.series())
        self.legend_title.setText(f"Top {shown} of {result.groups} {what}" if shown < result.groups
                                  else f"{result.groups} {what}")
        n_all = sum(p.n for p in result.points)
        self.note.setText(f"{units.count(n_all)} feedbacks · {result.period.first.isoformat()} – "
                          f"{result.period.last.isoformat()}")
        if not result.points:
            return "No sample feedback in this period."
        largest = max(p.n for p in result.points)
        index = {start: n for n, start in enumerate(self.periods)}
        series = result.series()
        for n, (label, points) in enumerate(series.items()):
            line = Line(label, PALETTE[n % len(PALETTE)], points)
            self._draw(line, index, largest, grain, labelled=len(series) <= LABELLED_LINES)
            self.lines[label] = line
            self._legend_entry(line)
        self._show_bands()
        return None

    def _draw(self, line: Line, index: dict[date, int], largest: int, grain: str, *, labelled: bool) -> None:
        xs = np.arange(len(self.periods), dtype=float)
        rate, low, high = (np.full(len(xs), np.nan) for _ in range(3))
        for p in line.points:
            at = index[p.period]
            rate[at], low[at], high[at] = p.rate * 100, p.low * 100, p.high * 100
        colour = QColor(line.colour)
        band = QColor(colour)
        band.setAlpha(BAND_ALPHA)
        for run in finite_runs(rate):
            if len(run) == 1:     # a lone point's band is a whisker
                line.band.append(pg.ErrorBarItem(x=xs[run], y=rate[run], top=high[run] - rate[run],
                                                  bottom=rate[run] - low[run], beam=0.12, pen=pg.mkPen(band, width=3)))
            else:
                lower = pg.PlotCurveItem(xs[run], low[run], pen=pg.mkPen(None))
                upper = pg.PlotCurveItem(xs[run], high[run], pen=pg.mkPen(None))
                line.band += [lower, upper, pg.FillBetweenItem(lower, upper, brush=band)]
        line.curve = pg.PlotCurveItem(xs, rate, pen=pg.mkPen(colour, width=2), connect="finite")
        line.items.append(line.curve)
        sizes = [SMALLEST + (LARGEST - SMALLEST) * math.sqrt(p.n / largest) for p in line.points]
        scatter = pg.ScatterPlotItem(
            x=[index[p.period] for p in line.points], y=[p.rate * 100 for p in line.points], size=sizes,
            data=list(line.points), brush=pg.mkBrush(colour), pen=pg.mkPen("w", width=1), hoverable=True,
            hoverPen=pg.mkPen("#111", width=2), tip=lambda x, y, data: point_tip(data, grain))
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

    def point_clicked(self, point: SuccessPoint) -> None:
        """What a click on a point does (the tests call it as a click would)."""
        grain = self.result.grain if self.result is not None else "week"
        self.drill(point.drill, f"the {units.count(point.n)} feedbacks behind “Sample success · {point.label} · "
                                f"{units.period_text(point.period, grain)}”")

    def _legend_entry(self, line: Line) -> None:
        swatch = QPixmap(12, 12)
        swatch.fill(QColor(line.colour))
        n = sum(p.n for p in line.points)
        item = QListWidgetItem(QIcon(swatch), line.label)
        item.setToolTip(f"{line.label}: {units.count(n)} feedbacks in the period\nUntick to hide the line")
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
        item.setData(Qt.ItemDataRole.UserRole, line.label)
        self.legend.addItem(item)

    def _legend_toggled(self, item: QListWidgetItem) -> None:
        line = self.lines.get(item.data(Qt.ItemDataRole.UserRole))
        if line is not None:
            line.shown = item.checkState() == Qt.CheckState.Checked
            self._show_bands()

    def _show_bands(self) -> None:
        """Every band while they are few; past BANDED_LINES only the chosen line's, drawn bolder,
        since a dozen shaded bands over each other hide more than they tell."""
        few = len(self.lines) <= BANDED_LINES
        current = self.legend.currentItem()
        chosen = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        self.band_hint.setVisible(not few)
        self.band_hint.setText(f"Shaded: the band of {chosen}." if chosen else "Select a name to see its band.")
        for label, line in self.lines.items():
            line.show(line.shown, band=few or label == chosen)
            if line.curve is not None:
                line.curve.setPen(pg.mkPen(line.colour, width=3.5 if label == chosen and not few else 2))


def point_tip(point: SuccessPoint, grain: str) -> str:
    return (f"{point.label} · {units.period_text(point.period, grain)}\n"
            f"{units.percent(point.rate)} success: {units.count(point.success)} of {units.count(point.n)} feedbacks\n"
            f"95 % band: {units.percent(point.low)} – {units.percent(point.high)}\n"
            f"neutral {units.count(point.neutral)} · fail {units.count(point.fail)}\n"
            "Click to see these customers")


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
