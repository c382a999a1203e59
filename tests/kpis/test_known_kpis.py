"""Known data in, known KPIs out: each case computed by hand, read from the aggregates and
from the base tables alike."""

import secrets
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from services.errors import Conflict, ValidationError
from services.rules import calendar
from tests.kpis.conftest import at, from_both

SEPTEMBER = (date(2026, 9, 1), date(2026, 9, 30))


def test_an_empty_period_has_no_points_and_zero_rows(svc, facts):
    c = svc.customers.create(name="Kantine Nord", region="NORTH")
    facts.sample(c.id, "FEEDBACK_SUCCESS", at(date(2026, 8, 31)))
    facts.rebuild()
    success = from_both(svc.kpis.sample_success, *SEPTEMBER)
    assert success.points == ()
    pipeline = from_both(svc.kpis.roi_pipeline, *SEPTEMBER)
    assert [(b.bucket, b.customers, b.value_per_month) for b in pipeline.buckets] == [
        ("LOW", 0, 0), ("MID", 0, 0), ("HIGH", 0, 0)]
    assert [(c.level, c.consultations) for c in pipeline.commitments] == [("LOW", 0), ("MID", 0), ("HIGH", 0)]
    slas = from_both(svc.kpis.sla_adherence, *SEPTEMBER)
    assert [k.kind for k in slas.kinds] == ["PRODUCTTEST_FEEDBACK", "ROI_CONSULTATION", "MENU_INTEGRATION",
                                            "DECISION_MAKER_ALIGNMENT"]
    assert all((k.on_time, k.late, k.open, k.overdue, k.rate) == (0, 0, 0, 0, None) for k in slas.kinds)


def test_one_feedback_is_one_point_of_n_1_with_a_wide_band(svc, facts):
    c = svc.customers.create(name="Kantine Nord", region="NORTH")
    facts.sample(c.id, "FEEDBACK_SUCCESS", at(date(2026, 9, 9)))
    facts.rebuild()
    (point,) = from_both(svc.kpis.sample_success, *SEPTEMBER, grain="month").points
    assert (point.period, point.key, point.label, point.n, point.rate) == (date(2026, 9, 1), "NORTH", "Nord", 1, 1.0)
    assert round(point.low, 3) == 0.207 and point.high == 1.0
    assert svc.kpis.customers_behind(point.drill) == (c.id,)


def test_mixed_outcomes_by_region_and_a_canceled_sample_that_never_counts(svc, facts):
    north = [svc.customers.create(name=f"Nord {n}", region="NORTH") for n in range(3)]
    south = svc.customers.create(name="Süd", region="SOUTH")
    day = date(2026, 9, 15)
    for customer, status in [(north[0], "FEEDBACK_SUCCESS"), (north[0], "FEEDBACK_SUCCESS"),
                             (north[1], "FEEDBACK_SUCCESS"), (north[1], "FEEDBACK_NEUTRAL"),
                             (north[2], "FEEDBACK_FAIL"), (north[2], "FEEDBACK_FAIL"), (south, "FEEDBACK_FAIL")]:
        facts.sample(customer.id, status, at(day))
    for status in ("CANCELED", "DELIVERED", "SHIPPED"):
        facts.sample(south.id, status, at(day))
    facts.rebuild()

    points = from_both(svc.kpis.sample_success, *SEPTEMBER, grain="month", by="region").points
    assert [(p.label, p.success, p.neutral, p.fail, p.n) for p in points] == [("Nord", 3, 1, 2, 6), ("Süd", 0, 0, 1, 1)]
    assert points[0].rate == pytest.approx(0.5) and points[1].rate == 0.0
    assert set(svc.kpis.customers_behind(points[0].drill)) == {c.id for c in north}
    assert svc.kpis.customers_behind(points[1].drill) == (south.id,)
    only_north = from_both(svc.kpis.sample_success, *SEPTEMBER, grain="month", region="NORTH").points
    assert [p.label for p in only_north] == ["Nord"]
    busiest = from_both(svc.kpis.sample_success, *SEPTEMBER, grain="month", top=1)
    assert ([p.label for p in busiest.points], busiest.groups) == (["Nord"], 2)


def test_week_and_month_buckets_and_the_business_days_edge(svc, facts):
    c = svc.customers.create(name="Kantine", region="WEST")
    facts.sample(c.id, "FEEDBACK_SUCCESS", at(date(2026, 9, 1)))      # Tuesday of the week of 31 Aug
    facts.sample(c.id, "FEEDBACK_FAIL", at(date(2026, 9, 8)))
    facts.sample(c.id, "FEEDBACK_SUCCESS", at(date(2026, 9, 30), 23, 30))
    # 22:30 UTC on 30 Sep is 00:30 on 1 Oct in Berlin: an October feedback.
    facts.sample(c.id, "FEEDBACK_NEUTRAL", datetime(2026, 9, 30, 22, 30, tzinfo=UTC))
    facts.rebuild()

    weeks = from_both(svc.kpis.sample_success, date(2026, 9, 1), date(2026, 10, 31), grain="week").points
    assert [(p.period, p.success, p.neutral, p.fail) for p in weeks] == [
        (date(2026, 8, 31), 1, 0, 0), (date(2026, 9, 7), 0, 0, 1), (date(2026, 9, 28), 1, 1, 0)]
    # The first week's customers are looked up within the period, not from Monday 31 Aug.
    assert weeks[0].drill.period.first == date(2026, 9, 1)
    months = from_both(svc.kpis.sample_success, date(2026, 9, 1), date(2026, 10, 31), grain="month").points
    assert [(p.period, p.n) for p in months] == [(date(2026, 9, 1), 3), (date(2026, 10, 1), 1)]


def test_roi_pipeline_counts_customers_and_euros_per_bucket_and_commitments_per_level(svc, facts):
    low1 = svc.customers.create(name="A", region="NORTH")
    low2 = svc.customers.create(name="B", region="NORTH")
    high = svc.customers.create(name="C", region="EAST")
    svc.customers.create(name="No potential", region="EAST")
    svc.fields.patch(low1.id, {"roi_potential": {"bucket": "LOW", "value": 100}})
    svc.fields.patch(low2.id, {"roi_potential": {"bucket": "LOW", "value": 250.5}})
    svc.fields.patch(high.id, {"roi_potential": {"bucket": "HIGH", "value": 5000}})
    today = calendar.today()
    for customer, level, savings, days_ago in [(low1, "HIGH", 900, 3), (low2, "HIGH", 100, 10),
                                               (high, "MID", None, 20), (high, "LOW", 50, 200)]:
        svc.activities.create(customer.id, "ROI_CONSULTATION", outcome="NO_INTEREST", commitment_level=level,
                              savings_per_month=savings, occurred_at=at(today - timedelta(days=days_ago)))
    facts.rebuild()

    pipeline = from_both(svc.kpis.roi_pipeline)     # consultations of the last 90 days
    assert [(b.bucket, b.customers, b.value_per_month) for b in pipeline.buckets] == [
        ("LOW", 2, Decimal("350.50")), ("MID", 0, 0), ("HIGH", 1, Decimal("5000.00"))]
    assert [(c.level, c.consultations, c.savings_per_month) for c in pipeline.commitments] == [
        ("LOW", 0, 0), ("MID", 1, 0), ("HIGH", 2, Decimal("1000.00"))]
    assert svc.kpis.grid_filter(pipeline.buckets[0].drill) == {"roi_bucket": "LOW"}
    grid = svc.customers.list(**svc.kpis.grid_filter(pipeline.buckets[0].drill))
    assert {row.id for row in grid} == {low1.id, low2.id}
    assert set(svc.kpis.customers_behind(pipeline.commitments[2].drill)) == {low1.id, low2.id}
    east = from_both(svc.kpis.roi_pipeline, region="EAST")
    assert [b.customers for b in east.buckets] == [0, 0, 1]


def test_sla_adherence_per_kind_by_due_date(svc, facts):
    c = svc.customers.create(name="Kantine", region="NORTH")
    today = calendar.today()
    due = today - timedelta(days=10)
    facts.sla(c.id, "PRODUCTTEST_FEEDBACK", due, met=at(due, 18))                 # on time, the due day itself
    facts.sla(c.id, "PRODUCTTEST_FEEDBACK", due, met=at(due + timedelta(days=1)))  # late
    facts.sla(c.id, "PRODUCTTEST_FEEDBACK", due)                                    # overdue
    facts.sla(c.id, "PRODUCTTEST_FEEDBACK", today)                                  # open, due today
    facts.sla(c.id, "PRODUCTTEST_FEEDBACK", due, closed=at(due))                    # no obligation any more
    facts.sla(c.id, "ROI_CONSULTATION", due, met=at(due - timedelta(days=2)))
    facts.sla(c.id, "ROI_CONSULTATION", today - timedelta(days=200))                # before the period
    facts.rebuild()

    kinds = {k.kind: k for k in from_both(svc.kpis.sla_adherence).kinds}
    feedback = kinds["PRODUCTTEST_FEEDBACK"]
    assert (feedback.on_time, feedback.late, feedback.open, feedback.overdue) == (1, 1, 1, 1)
    assert feedback.rate == pytest.approx(1 / 3)
    assert (kinds["ROI_CONSULTATION"].on_time, kinds["ROI_CONSULTATION"].overdue, kinds["ROI_CONSULTATION"].rate) == (1, 0, 1.0)
    assert kinds["MENU_INTEGRATION"].rate is None
    assert svc.kpis.customers_behind(feedback.drill_state("OVERDUE")) == (c.id,)
    assert svc.kpis.customers_behind(kinds["MENU_INTEGRATION"].drill) == ()


def test_auto_reads_the_base_tables_until_the_aggregates_are_built(svc, facts, owner_engine):
    with owner_engine.connect() as older:
        # Another session's transaction, older than everything below, still open: the
        # rebuild must not take the events it already reflects for pending ones.
        older.execute(sa.text("SELECT pg_current_xact_id()"))
        c = svc.customers.create(name="Kantine", region="NORTH")
        facts.sample(c.id, "FEEDBACK_SUCCESS", at(date(2026, 9, 9)))
        assert svc.kpis.status().present is False
        assert svc.kpis.sample_success(*SEPTEMBER).source == "base"
        with pytest.raises(Conflict):
            svc.kpis.sample_success(*SEPTEMBER, source="aggregates")
        facts.rebuild()
        state = svc.kpis.status()
        assert state.present and state.pending_since is None
        result = svc.kpis.sample_success(*SEPTEMBER)
        assert result.source == "regions" and [p.n for p in result.points] == [1]
        assert svc.kpis.sample_success(*SEPTEMBER, by="owner").source == "slices"
        older.rollback()
    svc.customers.reassign(c.id, svc.users.add("kpi_rep_" + secrets.token_hex(4), role="SALES_REP", region="NORTH").id)
    state = svc.kpis.status()
    assert state.pending_since is not None and state.as_of == state.pending_since


@pytest.mark.parametrize("call, field", [
    (lambda k: k.sample_success(grain="day"), "grain"),
    (lambda k: k.sample_success(by="city"), "by"),
    (lambda k: k.sample_success(source="cache"), "source"),
    (lambda k: k.sample_success(top=0), "top"),
    (lambda k: k.sample_success("2026-10-01", "2026-09-01"), "period_to"),
    (lambda k: k.roi_pipeline(region="ATLANTIS"), "region"),
    (lambda k: k.sla_adherence(chain_id="not-an-id"), "chain_id"),
    (lambda k: k.focus_renewals(days=-1), "days"),
    (lambda k: k.focus_overdue_slas(limit=0), "limit"),
    (lambda k: k.focus_overdue_slas(cursor="garbage"), "cursor"),
])
def test_bad_input_is_refused_with_the_field_named(svc, call, field):
    with pytest.raises(ValidationError) as caught:
        call(svc.kpis)
    assert field in caught.value.errors


def test_a_success_point_drills_to_the_feedbacks_it_counted_not_to_current_statuses(svc, facts):
    north = [svc.customers.create(name=f"Nord {n}", region="NORTH") for n in range(3)]
    south = svc.customers.create(name="Süd", region="SOUTH")
    facts.sample(north[0].id, "FEEDBACK_SUCCESS", at(date(2026, 9, 15)))
    facts.sample(north[1].id, "FEEDBACK_FAIL", at(date(2026, 9, 30, ), 23, 30))    # the last evening counts
    facts.sample(north[1].id, "REQUESTED", at(date(2026, 10, 2)))                 # its current sample: no feedback
    facts.sample(north[2].id, "FEEDBACK_SUCCESS", at(date(2026, 10, 1), 0, 10))   # October, not counted
    facts.sample(south.id, "FEEDBACK_SUCCESS", at(date(2026, 9, 10)))
    facts.rebuild()
    (point,) = [p for p in svc.kpis.sample_success(*SEPTEMBER, grain="month", by="region").points if p.key == "NORTH"]
    grid = svc.kpis.grid_filter(point.drill)
    assert grid == {"feedbacks": {"from": "2026-09-01", "to": "2026-09-30"}, "region": "NORTH"}
    shown = {row.id for row in svc.customers.list(**grid).items}
    assert shown == {north[0].id, north[1].id} and svc.customers.count(**grid) == point.n == 2
    only_success = {row.id for row in svc.customers.list(feedbacks={**grid["feedbacks"], "outcome": "FEEDBACK_SUCCESS"},
                                                          region="NORTH").items}
    assert only_success == {north[0].id}


@pytest.mark.parametrize("value, field", [
    ({"from": "2026-09-01"}, "feedbacks"),
    ({"from": "2026-09-30", "to": "2026-09-01"}, "feedbacks"),
    ({"from": "2026-09-01", "to": "2026-09-30", "outcome": "SHIPPED"}, "feedbacks.outcome"),
    ("September", "feedbacks"),
])
def test_the_feedbacks_filter_refuses_what_is_no_period(svc, value, field):
    with pytest.raises(ValidationError) as refused:
        svc.customers.list(feedbacks=value)
    assert field in refused.value.errors
