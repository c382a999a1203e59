"""Every KPI counts only the customers the person may read: row-level security on the
aggregates' own columns gives the same numbers as on the base tables."""

import secrets
import uuid
from datetime import date, timedelta

import pytest

from services.errors import ValidationError
from services.rules import calendar
from tests.kpis.conftest import at, from_both

SEPTEMBER = (date(2026, 9, 1), date(2026, 9, 30))


def rep(svc) -> uuid.UUID:
    return svc.users.add(f"kpi_rep_{secrets.token_hex(4)}", role="SALES_REP", region="NORTH").id


def feedback_everywhere(svc, facts, rep_a, rep_b):
    """NORTH and SOUTH customers, and two NORTH chains, one shared (CHAIN_SHARED) and one not;
    each customer with a feedback, an ROI potential and an overdue SLA."""
    made = {}

    def customer(name, region="NORTH", owner=None, chain=None):
        c = svc.customers.create(name=name, region=region, owner=owner, parent_account_id=chain.id if chain else None)
        facts.sample(c.id, "FEEDBACK_SUCCESS", at(date(2026, 9, 9)))
        svc.fields.patch(c.id, {"roi_potential": {"bucket": "MID", "value": 100}})
        facts.sla(c.id, "PRODUCTTEST_FEEDBACK", calendar.today() - timedelta(days=3))
        made[name] = c.id
        return c

    shared = svc.customers.create(name="Shared chain", region="NORTH", is_chain=True, coverage_policy="CHAIN_SHARED")
    private = svc.customers.create(name="Private chain", region="NORTH", is_chain=True, coverage_policy="OWNER_ONLY")
    customer("A1", owner=rep_a)
    customer("A2", owner=rep_a)
    customer("B1", owner=rep_b)
    customer("Shared A", owner=rep_a, chain=shared)
    customer("Shared B", owner=rep_b, chain=shared)       # readable by A: a sibling in a shared chain
    customer("Private A", owner=rep_a, chain=private)
    customer("Private B", owner=rep_b, chain=private)     # not readable by A
    customer("South", region="SOUTH", owner=rep_b)
    made["chains"] = (shared.id, private.id)
    facts.rebuild()
    rep_a_reads = {made[n] for n in ("A1", "A2", "Shared A", "Shared B", "Private A")}
    north = {v for k, v in made.items() if k not in ("South", "chains")}
    return made, rep_a_reads, north


def totals(kpis):
    success = from_both(kpis.sample_success, *SEPTEMBER, grain="month")
    roi = from_both(kpis.roi_pipeline)
    slas = from_both(kpis.sla_adherence)
    return (sum(p.n for p in success.points), sum(b.customers for b in roi.buckets),
            sum(k.overdue for k in slas.kinds))


def test_a_team_lead_counts_only_their_region(svc, facts, person):
    lead = person("TEAM_LEAD", region="NORTH")
    _, _, north = feedback_everywhere(svc, facts, rep(svc), rep(svc))

    assert totals(svc.kpis) == (8, 8, 8)
    assert totals(lead.kpis) == (7, 7, 7)
    points = from_both(lead.kpis.sample_success, *SEPTEMBER, grain="month", by="region").points
    assert [(p.label, p.n) for p in points] == [("Nord", 7)]
    assert set(lead.kpis.customers_behind(points[0].drill)) == north
    assert from_both(lead.kpis.sample_success, *SEPTEMBER, region="SOUTH").points == ()
    overdue = lead.kpis.focus_overdue_slas(limit=100)
    assert {row.customer_id for row in overdue} == north


def test_a_sales_rep_counts_their_customers_and_shared_chain_siblings(svc, facts, person):
    me = person("SALES_REP", region="NORTH")
    _, my_customers, _ = feedback_everywhere(svc, facts, me.actor.user_id, rep(svc))

    assert totals(me.kpis) == (5, 5, 5)
    by_owner = from_both(me.kpis.sample_success, *SEPTEMBER, grain="month", by="owner").points
    assert sorted((p.key == str(me.actor.user_id), p.n) for p in by_owner) == [(False, 1), (True, 4)]
    by_chain = from_both(me.kpis.sample_success, *SEPTEMBER, grain="month", by="chain").points
    assert sorted((p.label, p.n) for p in by_chain) == [("No chain", 2), ("Private chain", 1), ("Shared chain", 2)]
    behind = set()
    for point in by_chain:
        behind |= set(me.kpis.customers_behind(point.drill))
    assert behind == my_customers
    roi = from_both(me.kpis.roi_pipeline)
    grid = me.customers.list(**me.kpis.grid_filter(roi.buckets[1].drill))
    assert {row.id for row in grid} == my_customers
    assert {row.customer_id for row in me.kpis.focus_overdue_slas()} == my_customers
    with pytest.raises(ValidationError):    # region totals would count customers a rep may not read
        me.kpis.sla_adherence(source="regions")


def test_a_chain_manager_counts_their_chain(svc, facts, person):
    made, _, _ = feedback_everywhere(svc, facts, rep(svc), rep(svc))
    manager = person("CHAIN_MANAGER", chains=[made["chains"][0]])
    assert totals(manager.kpis) == (2, 2, 2)
    by_chain = from_both(manager.kpis.sample_success, *SEPTEMBER, grain="month", by="chain").points
    assert [(p.label, p.n) for p in by_chain] == [("Shared chain", 2)]
    assert set(manager.kpis.customers_behind(by_chain[0].drill)) == {made["Shared A"], made["Shared B"]}
