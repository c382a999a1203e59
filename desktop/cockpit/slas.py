"""SLA adherence: per activity kind, the SLAs due in the period as one stacked bar —
met on time, met late, overdue, and still open (not yet due) — with the on-time share beside it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QLabel, QWidget

from desktop import display
from desktop.cockpit import units
from desktop.cockpit.panel import FOREGROUND, GRID_ALPHA, Bars, ChartPanel, graphics, plain_plot
from desktop.i18n import translate
from desktop.workers import Runner
from services.service_layer.kpis import SlaAdherence, SlaKind

BAR_HEIGHT = 0.62


@dataclass(frozen=True)
class State:
    key: str            # SlaKind's attribute
    code: str           # the drill's state
    title: str
    colour: str


STATES = (
    State("on_time", "ON_TIME", QT_TRANSLATE_NOOP("cockpit.slas", "Met on time"), "#3f9b57"),
    State("late", "LATE", QT_TRANSLATE_NOOP("cockpit.slas", "Met late"), "#e3a21a"),
    State("overdue", "OVERDUE", QT_TRANSLATE_NOOP("cockpit.slas", "Overdue"), "#d0453a"),
    State("open", "OPEN", QT_TRANSLATE_NOOP("cockpit.slas", "Open, not yet due"), "#9db9dc"),
)


class SlaChart(ChartPanel):
    def __init__(self, runner: Runner, parent: QWidget | None = None):
        super().__init__(runner, translate("cockpit.slas", "SLA adherence"), "sla-adherence", parent)
        self.key = QLabel(
            "   ".join(f"<span style='color:{s.colour}'>■</span> {translate('cockpit.slas', s.title)}" for s in STATES)
        )
        self.key.setObjectName("chartLegend")
        self.view = graphics(self.body)
        self.body.layout().insertWidget(0, self.key)
        self.axis = units.CategoryAxis("left")
        self.plot_item = plain_plot(self.view.addPlot(enableMenu=False, axisItems={"left": self.axis,
                                                                 "bottom": units.CountAxis("bottom")}))
        self.plot_item.setLabel("bottom", translate("cockpit.slas", "SLAs due in the period"))
        self.plot_item.showGrid(x=True, y=False, alpha=GRID_ALPHA)
        self.plot_item.invertY(True)
        self.bars: dict[str, Bars] = {}

    def plot(self, result: SlaAdherence) -> str | None:
        self.plot_item.clear()
        self.bars = {}
        kinds = result.kinds
        self.note.setText(
            translate("cockpit.slas", "by due date · {days_text}").format(
                days_text=display.days_text(result.period.first, result.period.last)
            )
        )
        self.axis.set_names([display.pack_text(k.label) for k in kinds])
        left = [0.0] * len(kinds)
        for state in STATES:
            widths = [float(getattr(k, state.key)) for k in kinds]
            bars = Bars(x0=left, y0=[n - BAR_HEIGHT / 2 for n in range(len(kinds))], width=widths,
                        height=[BAR_HEIGHT] * len(kinds), drills=[k.drill_state(state.code) for k in kinds],
                        tips=[_tip(k, state) for k in kinds], brushes=[state.colour] * len(kinds),
                        clicked=partial(self._bar_clicked, kinds, state), horizontal=True)
            self.plot_item.addItem(bars)
            self.bars[state.code] = bars
            left = [a + b for a, b in zip(left, widths, strict=True)]
        for n, kind in enumerate(kinds):
            share = (
                translate("cockpit.slas", "{rate} on time").format(rate=units.percent(kind.rate))
                if kind.rate is not None
                else translate("cockpit.slas", "none due yet")
            )
            label = pg.TextItem(f"  {share}", color=FOREGROUND, anchor=(0, 0.5))
            label.setPos(left[n], n)
            self.plot_item.addItem(label)
        widest = max(left, default=0) or 1
        self.plot_item.setXRange(0, widest * 1.3, padding=0)
        self.plot_item.getAxis("bottom").set_empty(False)
        self.plot_item.setYRange(-0.6, len(kinds) - 0.4, padding=0)
        return None if any(left) else translate("cockpit.slas", "No SLAs fall due in this period.")

    def _bar_clicked(self, kinds: tuple[SlaKind, ...], state: State, index: int) -> None:
        kind = kinds[index]
        self.drill(
            kind.drill_state(state.code),
            translate("cockpit.slas", "the customers with {lower} SLAs “{label}”").format(
                lower=translate("cockpit.slas", state.title).lower(), label=display.pack_text(kind.label)
            ),
        )


def _tip(kind: SlaKind, state: State) -> str:
    count = getattr(kind, state.key)
    return translate(
        "cockpit.slas",
        "{label}\n{title}: {count} SLAs\nOn time {on_time} · late {late} · overdue {overdue} · open {open}\nShare met on time (of those due): {rate}\nClick to see these customers",
    ).format(
        label=display.pack_text(kind.label),
        title=translate("cockpit.slas", state.title),
        count=units.count(count),
        on_time=units.count(kind.on_time),
        late=units.count(kind.late),
        overdue=units.count(kind.overdue),
        open=units.count(kind.open),
        rate=units.percent(kind.rate),
    )
