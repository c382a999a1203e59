"""The ROI pipeline: customers and €/month per ROI bucket (now), and the ROI consultations of the period
per commitment level with the savings they discussed. Each is a pair of bar charts over the same
categories, one counting, one summing euros; a bucket without customers shows as a zero bar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from desktop import display
from desktop.cockpit import units
from desktop.cockpit.panel import FOREGROUND, GRID_ALPHA, Bars, ChartPanel, graphics, plain_plot
from desktop.i18n import translate
from desktop.workers import Runner
from services.service_layer.kpis import RoiPipeline

# The grid's badge colours for LOW/MID/HIGH, a shade stronger to fill a bar.
LEVEL_COLOURS = {"LOW": "#9aa0a6", "MID": "#e3a21a", "HIGH": "#3f9b57"}
OTHER_COLOUR = "#5b8fd0"
# Room above the tallest bar for its label.
HEADROOM = 1.32


@dataclass(frozen=True)
class Measure:
    title: str           # the plot's
    attribute: str       # of RoiBucket or CommitmentLevel
    noun: str            # what the number counts, for its tooltip
    money: bool = False  # € per month, else a count

    def value(self, item: Any) -> float:
        return float(getattr(item, self.attribute))

    def label(self, item: Any) -> str:
        """Above the bar: short."""
        return units.short_money(self.value(item)) if self.money else units.count(self.value(item))

    def tip(self, item: Any) -> str:
        exact = units.money(getattr(item, self.attribute)) if self.money else units.count(self.value(item))
        return f"{exact} {self.noun}"

    @property
    def axis(self) -> type[pg.AxisItem]:
        return units.MoneyAxis if self.money else units.CountAxis


class PairChart(ChartPanel):
    """Two bar charts side by side over the same categories (see the module's docstring)."""

    def __init__(self, runner: Runner, title: str, file_stem: str, measures: tuple[Measure, Measure], *,
                 categories: Callable[[Any], tuple], name: Callable[[Any], str], subject: str,
                 words: Callable[[str], str], note: Callable[[Any], str], frame: Callable[[Any], Any],
                 parent: QWidget | None = None):
        super().__init__(runner, title, file_stem, parent)
        self.measures, self.subject = measures, subject
        self._categories, self._name, self._words, self._note, self._frame = categories, name, words, note, frame
        self.view = graphics(self.body)
        self.plots: list[pg.PlotItem] = []
        self.axes: list[units.CategoryAxis] = []
        for column, measure in enumerate(measures):
            axis = units.CategoryAxis("bottom")
            plot = plain_plot(self.view.addPlot(row=0, col=column, enableMenu=False,   # no menu built: 10 ms less
                                                axisItems={"bottom": axis, "left": measure.axis("left")}))
            plot.setTitle(measure.title, color=FOREGROUND, size="10pt")
            plot.setLabel("bottom", subject)
            plot.showGrid(x=False, y=True, alpha=GRID_ALPHA)
            self.plots.append(plot)
            self.axes.append(axis)
        self.bars: list[Bars] = []

    def plot(self, result: Any) -> str | None:
        items = self._categories(result)
        names = [self._name(item) for item in items]
        self.note.setText(self._note(result))
        self.bars = []
        for plot, axis, measure in zip(self.plots, self.axes, self.measures, strict=True):
            plot.clear()
            axis.set_names([display.human(n) for n in names])
            values = [measure.value(item) for item in items]
            bars = Bars(x0=[n - 0.3 for n in range(len(items))], y0=[0.0] * len(items), width=[0.6] * len(items),
                        height=values, drills=[item.drill for item in items], tips=[self._tip(i) for i in items],
                        brushes=[LEVEL_COLOURS.get(n, OTHER_COLOUR) for n in names],
                        clicked=partial(self._bar_clicked, items))
            plot.addItem(bars)
            for n, item in enumerate(items):
                label = pg.TextItem(measure.label(item), color=FOREGROUND, anchor=(0.5, 1.0))
                label.setPos(n, values[n])
                plot.addItem(label)
            plot.setXRange(-0.6, len(items) - 0.4, padding=0)
            plot.setYRange(0, (max(values, default=0) or 1) * HEADROOM, padding=0)
            plot.getAxis("left").set_empty(False)
            self.bars.append(bars)
        return None if items else translate("cockpit.pipeline", "Nothing to show.")

    def _tip(self, item: Any) -> str:
        lines = [f"{self.subject} {display.human(self._name(item))}", *(m.tip(item) for m in self.measures)]
        return "\n".join(lines + [translate("cockpit.pipeline", "Click to see these customers")])

    def _bar_clicked(self, items: tuple, index: int) -> None:
        self.drill(items[index].drill, self._words(display.human(self._name(items[index]))))

    def frame(self):
        return self._frame(self.result)


def roi_chart(runner: Runner) -> PairChart:
    return PairChart(
        runner,
        translate("cockpit.pipeline", "ROI pipeline"),
        "roi-pipeline",
        (
            Measure(translate("cockpit.pipeline", "Customers"), "customers", "customers"),
            Measure(
                translate("cockpit.pipeline", "ROI potential, € per month"),
                "value_per_month",
                translate("cockpit.pipeline", "per month of ROI potential"),
                money=True,
            ),
        ),
        categories=lambda r: r.buckets,
        name=lambda b: b.bucket,
        subject=translate("cockpit.pipeline", "ROI bucket"),
        words=lambda bucket: translate("cockpit.pipeline", "the customers in ROI bucket {bucket}").format(
            bucket=bucket
        ),
        note=lambda r: translate("cockpit.pipeline", "by ROI bucket, today"),
        frame=lambda r: r.to_frame(),
    )


def commitment_chart(runner: Runner) -> PairChart:
    def note(r: RoiPipeline) -> str:
        return translate("cockpit.pipeline", "ROI consultations · {days_text}").format(
            days_text=display.days_text(r.period.first, r.period.last)
        )

    return PairChart(
        runner,
        translate("cockpit.pipeline", "Commitment levels"),
        "roi-commitments",
        (
            Measure(
                translate("cockpit.pipeline", "Consultations"),
                "consultations",
                translate("cockpit.pipeline", "ROI consultations"),
            ),
            Measure(
                translate("cockpit.pipeline", "Savings discussed, € per month"),
                "savings_per_month",
                translate("cockpit.pipeline", "per month of savings discussed"),
                money=True,
            ),
        ),
        categories=lambda r: r.commitments,
        name=lambda c: c.level,
        subject=translate("cockpit.pipeline", "Commitment level"),
        words=lambda level: translate(
            "cockpit.pipeline", "the customers of the ROI consultations with commitment {level}"
        ).format(level=level),
        note=note,
        frame=lambda r: r.commitments_frame(),
    )
