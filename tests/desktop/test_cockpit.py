"""The cockpit: its charts plot the service's numbers, a click on a bar or point shows the customers
behind it in the grid, a double click in a focus list opens the customer, charts export to PNG and CSV."""

from __future__ import annotations

import gc
import secrets
import sys
from dataclasses import dataclass
from datetime import timedelta

import pandas as pd
import pytest
from PySide6.QtCore import QObject, QPointF, Qt, Signal
from PySide6.QtGui import QImage

import services
from desktop import reference as reference_data
from desktop.main_window import MainWindow
from services.rules import calendar
from tests.desktop.conftest import GuardedSteward
from tests.kpis.conftest import Facts, at


@dataclass
class Known:
    a: object      # NORTH, LOW 100 €
    b: object      # NORTH, HIGH 2 500 €
    c: object      # SOUTH, HIGH 4 000 €
    d: object      # EAST, LOW 50 €
    e: object      # WEST, no ROI potential


@pytest.fixture
def known(desk, owner_engine) -> Known:
    """Five customers whose KPIs can be told by hand; no MID customer, so that bucket is an empty bar."""
    svc, facts, today = desk.raw, Facts(owner_engine), calendar.today()
    made = {}
    for key, name, region, roi in [("a", "Kantine Nord", "NORTH", ("LOW", 100)),
                                   ("b", "Mensa Nord", "NORTH", ("HIGH", 2500)),
                                   ("c", "Hotel Süd", "SOUTH", ("HIGH", 4000)),
                                   ("d", "Bistro Ost", "EAST", ("LOW", 50)),
                                   ("e", "Gasthaus West", "WEST", None)]:
        made[key] = svc.customers.create(name=name, region=region, city="Hamburg").id
        if roi:
            svc.fields.patch(made[key], {"roi_potential": {"bucket": roi[0], "value": roi[1]}})
    k = Known(**made)
    recent, earlier = today - timedelta(days=3), today - timedelta(days=24)
    for customer, status, day in [(k.a, "FEEDBACK_SUCCESS", recent), (k.a, "FEEDBACK_SUCCESS", earlier),
                                  (k.b, "FEEDBACK_FAIL", recent), (k.c, "FEEDBACK_NEUTRAL", earlier),
                                  (k.c, "FEEDBACK_SUCCESS", recent), (k.d, "FEEDBACK_FAIL", recent)]:
        facts.sample(customer, status, at(day))
    facts.sample(k.e, "DELIVERED", at(today - timedelta(days=2)))
    facts.sla(k.a, "PRODUCTTEST_FEEDBACK", today - timedelta(days=10), met=at(today - timedelta(days=11)))
    facts.sla(k.b, "PRODUCTTEST_FEEDBACK", today - timedelta(days=10), met=at(today - timedelta(days=5)))
    facts.sla(k.c, "ROI_CONSULTATION", today - timedelta(days=4))                  # overdue
    facts.sla(k.d, "MENU_INTEGRATION", today)                                       # open, due today
    svc.activities.create(k.b, "ROI_CONSULTATION", outcome="NO_INTEREST", commitment_level="HIGH",
                          savings_per_month=900, occurred_at=at(today - timedelta(days=3)))
    svc.fields.patch(k.e, {"current_supplier_contracts": {"renewal_date": (today + timedelta(days=30)).isoformat(),
                                                          "exclusivity": True}})
    return k


def cockpit_of(qtbot, window: MainWindow):
    """Show the cockpit and wait until every chart and every focus list's first page is there."""
    window.show_cockpit()
    cockpit = window.cockpit
    qtbot.waitUntil(lambda: cockpit.query is not None and not cockpit.loading
                    and all(m.loaded_once for m in cockpit.focus.models.values()), timeout=15000)
    qtbot.waitUntil(lambda: window.runner.active == 0, timeout=15000)
    return cockpit


def grid_ids(window: MainWindow) -> set:
    return {window.model.row_at(n).id for n in range(window.model.rowCount())}


def wait_for_grid(qtbot, window: MainWindow, filters: dict) -> None:
    qtbot.waitUntil(lambda: window.model.filters == filters and not window.model.loading
                    and window.runner.active == 0, timeout=15000)


def click(qtbot, view, item, point: QPointF) -> None:
    """A real left click on `point` (in `item`'s coordinates) of a pyqtgraph view."""
    # pyqtgraph applies a new view range when it next paints: draw first, so the mapping below is current.
    view.grab()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(item.mapToScene(point)))


def test_the_charts_plot_the_services_numbers(qtbot, desk, known, make_window):
    window = make_window()
    cockpit = cockpit_of(qtbot, window)
    q, kpis = cockpit.query, desk.raw.kpis
    assert (q.grain, q.by, q.scope()) == ("week", "region", {})     # an admin's first view: last 90 days by region

    success = kpis.sample_success(q.first, q.last, grain="week", by="region")
    series = success.series()
    assert set(cockpit.success.lines) == set(series) == {"Nord", "Süd", "Ost"}
    for label, points in series.items():
        scatter = cockpit.success.lines[label].scatter
        xs, ys = scatter.getData()
        assert list(ys) == pytest.approx([p.rate * 100 for p in points])
        assert [cockpit.success.periods[int(x)] for x in xs] == [p.period for p in points]
        assert [spot.data().n for spot in scatter.points()] == [p.n for p in points]
    north_recent = series["Nord"][-1]
    assert (north_recent.n, north_recent.success) == (2, 1)     # 1 of 2: a big band, a small point
    sizes = {spot.data().n: spot.size() for spot in cockpit.success.lines["Nord"].scatter.points()}
    assert sizes[2] > sizes[1]
    assert cockpit.success.legend_title.text() == "3 regions"

    pipeline = kpis.roi_pipeline(q.first, q.last)
    customers, euros = cockpit.roi.bars
    assert customers.values == [b.customers for b in pipeline.buckets] == [2, 0, 2]    # MID: a zero bar
    assert euros.values == [float(b.value_per_month) for b in pipeline.buckets] == [150.0, 0.0, 6500.0]
    assert cockpit.roi.axes[0].names == ["Low", "Mid", "High"]
    consultations, savings = cockpit.commitments.bars
    assert consultations.values == [c.consultations for c in pipeline.commitments] == [0, 0, 1]
    assert savings.values == [float(c.savings_per_month) for c in pipeline.commitments] == [0.0, 0.0, 900.0]

    slas = kpis.sla_adherence(q.first, q.last)
    for state, attribute in (("ON_TIME", "on_time"), ("LATE", "late"), ("OVERDUE", "overdue"), ("OPEN", "open")):
        assert cockpit.slas.bars[state].values == [getattr(k, attribute) for k in slas.kinds]
    assert cockpit.slas.axis.names == [k.label for k in slas.kinds]
    assert [sum(bars.values) for bars in cockpit.slas.bars.values()] == [1, 1, 1, 1]

    overdue = cockpit.focus.models["overdue"]
    assert [overdue.row_at(n).customer_id for n in range(overdue.rowCount())] == [known.c]
    assert cockpit.focus.tabText(0) == "Overdue SLAs · 1"
    assert cockpit.freshness.text().startswith("as of ")
    assert desk.svc.violations == []


def test_a_click_on_a_bar_or_point_shows_the_customers_behind_it_in_the_grid(qtbot, desk, known, make_window):
    window = make_window()
    cockpit = cockpit_of(qtbot, window)

    customers = cockpit.roi.bars[0]
    high = customers.rects[2]
    click(qtbot, cockpit.roi.view, customers, high.center())
    wait_for_grid(qtbot, window, {"roi_bucket": ["HIGH"]})
    assert window.pages.currentWidget() is window.splitter
    assert grid_ids(window) == {known.b, known.c}
    assert window.filters.widget("roi_bucket").values() == ["HIGH"]

    window.show_cockpit()
    overdue = cockpit.slas.bars["OVERDUE"]
    kind = next(n for n, value in enumerate(overdue.values) if value)
    behind = desk.raw.kpis.customers_behind(overdue.drills[kind])
    assert behind == (known.c,)
    click(qtbot, cockpit.slas.view, overdue, overdue.rects[kind].center())
    wait_for_grid(qtbot, window, {"customer_ids": [known.c]})
    assert grid_ids(window) == {known.c}
    assert "Showing the customers with overdue SLAs" in window.status.message.text()

    window.show_cockpit()
    line = cockpit.success.lines["Nord"]
    spot = line.scatter.points()[-1]
    expected = set(desk.raw.kpis.customers_behind(spot.data().drill))
    assert expected == {known.a, known.b}
    click(qtbot, cockpit.success.view, line.scatter, spot.pos())
    # The point's feedbacks, by their days, not the ids of customers whose samples stand elsewhere today.
    qtbot.waitUntil(lambda: "feedbacks" in window.model.filters and not window.model.loading
                    and window.runner.active == 0, timeout=15000)
    assert window.model.filters["region"] == "NORTH"
    assert grid_ids(window) == expected
    assert window.filters.held.isVisible()
    assert window.filters.held_label.text().startswith("Feedbacks counted in ")

    window.filters.clear()          # a filter of one's own lets go of the chart's customers
    wait_for_grid(qtbot, window, {})
    assert len(grid_ids(window)) == 5


def test_a_double_click_on_a_focus_row_opens_the_customer(qtbot, desk, known, make_window):
    window = make_window()
    cockpit = cockpit_of(qtbot, window)
    cockpit.focus.setCurrentWidget(cockpit.focus.tables["renewals"])
    table, model = cockpit.focus.tables["renewals"], cockpit.focus.models["renewals"]
    row = next(n for n in range(model.rowCount()) if model.row_at(n).customer_id == known.e)
    assert (model.row_at(row).days, model.data(model.index(row, 7))) == (30, "exclusive")
    where = table.visualRect(model.index(row, 0)).center()
    # As a person's double click arrives: a click, then the double click (QTest's alone skips the press).
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: window.detail.customer_id == known.e and window.runner.active == 0, timeout=15000)
    assert window.pages.currentWidget() is window.splitter
    assert window.detail.title.text() == "Gasthaus West"


def test_each_chart_exports_its_picture_and_its_numbers(qtbot, desk, known, make_window, tmp_path):
    window = make_window()
    cockpit = cockpit_of(qtbot, window)
    written = []
    for chart in cockpit.charts:
        png = chart.export_png(tmp_path / f"{chart.file_stem}.png")
        image = QImage(str(png))
        assert not image.isNull() and image.width() > 200 and image.height() > 100
        chart.export_csv(tmp_path / f"{chart.file_stem}.csv", done=written.append)
    qtbot.waitUntil(lambda: len(written) == 4 and window.runner.active == 0, timeout=15000)

    roi = pd.read_csv(tmp_path / "roi-pipeline.csv", encoding="utf-8-sig")
    assert roi.to_dict("list") == {"bucket": ["LOW", "MID", "HIGH"], "customers": [2, 0, 2],
                                   "eur_per_month": [150.0, 0.0, 6500.0]}
    commitments = pd.read_csv(tmp_path / "roi-commitments.csv", encoding="utf-8-sig")
    assert commitments["consultations"].tolist() == [0, 0, 1]
    success = pd.read_csv(tmp_path / "sample-success-rate.csv", encoding="utf-8-sig")
    assert success["feedbacks"].sum() == 6 and set(success["group"]) == {"Nord", "Süd", "Ost"}
    slas = pd.read_csv(tmp_path / "sla-adherence.csv", encoding="utf-8-sig")
    assert slas[["on_time", "late", "open", "overdue"]].to_numpy().sum() == 4


def test_a_team_lead_gets_no_region_picker_and_counts_only_their_region(qtbot, svc, desk, known):
    login = f"t_lead_{secrets.token_hex(3)}"
    svc.users.add(login, role="TEAM_LEAD", region="NORTH", display_name="Lena Lead")
    svc.users.add(f"t_rep_{secrets.token_hex(3)}", role="SALES_REP", region="SOUTH", display_name="Sam South")
    raw = services.connect(url=desk.url, user=login, source="desktop")
    guarded = GuardedSteward(raw)
    window = MainWindow(guarded, reference_data.load(raw), live=False)
    window.confirm_close = False
    qtbot.addWidget(window)
    window.show()
    try:
        cockpit = cockpit_of(qtbot, window)
        filters = cockpit.filters
        assert not filters.region.isVisibleTo(window) and filters.owner.isVisibleTo(window)
        assert filters.by.currentData() == "owner"
        qtbot.waitUntil(lambda: filters.owner.count() > 1)
        owners = {filters.owner.itemText(n) for n in range(1, filters.owner.count())}
        assert "Lena Lead" in owners and "Sam South" not in owners
        customers, _euros = cockpit.roi.bars
        assert customers.values == [1, 0, 1]             # Kantine Nord (LOW) and Mensa Nord (HIGH) only
        filters.by.setCurrentIndex(filters.by.findData("region"))
        filters.apply_now()
        qtbot.waitUntil(lambda: cockpit.query.by == "region" and not cockpit.loading)
        assert set(cockpit.success.lines) == {"Nord"}
        qtbot.waitUntil(lambda: window.runner.active == 0)
    finally:
        window.shut_down()
        raw.close()
    assert guarded.violations == []


def test_a_refused_period_is_said_in_words_on_every_chart(qtbot, desk, known, make_window):
    window = make_window()
    cockpit = cockpit_of(qtbot, window)
    today = calendar.today()
    cockpit.filters.period_from.set_value(today)
    cockpit.filters.period_to.set_value(today - timedelta(days=7))
    cockpit.filters.apply_now()
    qtbot.waitUntil(lambda: not cockpit.loading and window.runner.active == 0, timeout=15000)
    assert cockpit.filters.preset.currentText() == "Custom"
    for chart in cockpit.charts:
        assert chart.message.isVisible()
        assert "The period ends before it starts." in chart.message.text()


def test_a_change_by_someone_else_reaches_the_cockpit(qtbot, svc, desk, known, make_window):
    window = make_window(live=True, poll_interval=0.3)
    cockpit = cockpit_of(qtbot, window)
    assert cockpit.roi.bars[0].values == [2, 0, 2]
    svc.fields.patch(known.e, {"roi_potential": {"bucket": "MID", "value": 700}})
    qtbot.waitUntil(lambda: cockpit.roi.bars[0].values == [2, 1, 2], timeout=15000)
    assert cockpit.roi.bars[1].values[1] == 700.0
    qtbot.waitUntil(lambda: window.runner.active == 0 and not cockpit.loading, timeout=15000)


def test_emitting_signals_keeps_every_reference(qapp):
    """PySide6 6.12.0 lost a reference to True on every emit; a chart repaints and hovers by signals,
    so the desktop aborted ("bool_dealloc") after a few thousand mouse moves over a chart."""
    class Emitter(QObject):
        happened = Signal(object)

    emitter = Emitter()
    emitter.happened.connect(lambda _value: None)
    gc.collect()
    gc.disable()          # a collection in between would free references of its own
    try:
        before = sys.getrefcount(True), sys.getrefcount(None)
        for n in range(1000):
            emitter.happened.emit(n)
        after = sys.getrefcount(True), sys.getrefcount(None)
    finally:
        gc.enable()
    assert after == before
