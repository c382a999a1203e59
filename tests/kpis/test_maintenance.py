"""The aggregates the daemon keeps from events equal a rebuild from the base tables, and
applying events twice, or replaying them, changes nothing."""

from __future__ import annotations

import random
import secrets
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from services.service_layer.kpis import aggregates
from services.service_layer.outbox import OutboxEvent
from services.rules import calendar
from tests.kpis.conftest import BERLIN, at, from_both

AGGREGATES = ("kpi_sample_outcomes_daily", "kpi_commitments_daily", "kpi_slas_daily", "kpi_roi_pipeline",
              "kpi_region_daily", "kpi_region_pipeline", "kpi_customer_facts", "kpi_customer_slices")
REGIONS = ("NORTH", "SOUTH", "WEST")


def outbox(engine, after: int = 0) -> list[OutboxEvent]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM event_outbox WHERE position > :p ORDER BY txid, position"),
                            {"p": after})
        return [OutboxEvent.from_row(r) for r in rows]


def apply_in_batches(engine, events: list[OutboxEvent], size: int) -> None:
    """As the daemon's consumer does: one transaction per batch, in commit order."""
    for start in range(0, len(events), size):
        with engine.begin() as conn:
            aggregates.apply_events(conn, events[start:start + size])


def written_at(day) -> datetime:
    """Noon of that day, or a minute ago when noon of today is still to come: the services
    refuse activities in the future."""
    return min(at(day), datetime.now(BERLIN) - timedelta(minutes=1))


def snapshot(engine) -> dict[str, list]:
    with engine.connect() as conn:
        return {t: sorted(map(tuple, conn.execute(sa.text(f"SELECT * FROM {t}")))) for t in AGGREGATES}


def populate(svc, rng: random.Random, customers: int) -> dict[str, list]:
    """Customers of a few owners, chains and regions with samples, consultations and menu plans,
    all written through the service layer (so every change has its event)."""
    reps = [svc.users.add(f"kpi_rep_{secrets.token_hex(4)}", role="SALES_REP", region=r).id for r in REGIONS]
    chains = [svc.customers.create(name=f"Chain {n}", region=REGIONS[n], is_chain=True,
                                   coverage_policy=("CHAIN_SHARED", "OWNER_ONLY")[n % 2]) for n in range(2)]
    today = calendar.today()
    made = []
    for n in range(customers):
        chain = rng.choice([None, None, *chains])
        c = svc.customers.create(name=f"Kantine {n}", region=rng.choice(REGIONS), owner=rng.choice([*reps, None]),
                                 parent_account_id=chain.id if chain else None)
        made.append(c)
        if rng.random() < 0.6:
            svc.fields.patch(c.id, {"roi_potential": {"bucket": rng.choice(["LOW", "MID", "HIGH"]),
                                                      "value": rng.randrange(0, 5000)}})
        if rng.random() < 0.6:
            sample = svc.samples.request(c.id)
            for status in ("PACKED", "SHIPPED", "CANCELED" if rng.random() < 0.15 else "DELIVERED"):
                svc.samples.set_status(sample.id, status)
            if status == "DELIVERED" and rng.random() < 0.7:
                svc.activities.create(c.id, "PRODUCTTEST_FEEDBACK", outcome=rng.choice(["SUCCESS", "NEUTRAL", "FAIL"]),
                                      sample_id=str(sample.id))
        if rng.random() < 0.4:
            svc.activities.create(c.id, "ROI_CONSULTATION", outcome=rng.choice(["QUALIFIED", "NEEDS_DATA", "NO_INTEREST"]),
                                  commitment_level=rng.choice(["LOW", "MID", "HIGH"]), savings_per_month=rng.randrange(900),
                                  occurred_at=written_at(today - timedelta(days=rng.randrange(60))))
        if rng.random() < 0.2:
            svc.activities.create(c.id, "MENU_INTEGRATION", outcome="DRAFT", season="Q4",
                                  occurred_at=written_at(today - timedelta(days=rng.randrange(40))))
    return {"customers": made, "reps": reps, "chains": chains}


def move_some(svc, rng: random.Random, world: dict[str, list]) -> None:
    """Everything that moves customers between slices, and ROI potential changes."""
    customers = world["customers"]
    for c in rng.sample(customers, 12):
        svc.customers.reassign(c.id, rng.choice(world["reps"]))
    for c in rng.sample(customers, 6):
        svc.customers.update(c.id, region=rng.choice(REGIONS))
    for chain in world["chains"]:   # the chain's coverage applies to all its locations
        svc.customers.update(chain.id, coverage_policy="CHAIN_SHARED" if chain.coverage_policy == "OWNER_ONLY" else "OWNER_ONLY")
    for c in rng.sample(customers, 10):
        svc.fields.patch(c.id, {"roi_potential": {"bucket": rng.choice(["LOW", "MID", "HIGH"]), "value": rng.randrange(5000)}})
    for c in rng.sample(customers, 8):
        svc.activities.create(c.id, "ROI_CONSULTATION", outcome="QUALIFIED", commitment_level="HIGH",
                              occurred_at=written_at(calendar.today() - timedelta(days=rng.randrange(30))))


def equals_a_rebuild(engine, facts) -> None:
    kept = snapshot(engine)
    facts.rebuild()
    assert snapshot(engine) == kept


def reports_agree(svc) -> None:
    today = calendar.today()
    first, last = today - timedelta(days=120), today + timedelta(days=60)
    for by in ("region", "owner", "chain"):
        for grain in ("week", "month"):
            from_both(svc.kpis.sample_success, first, last, grain=grain, by=by, top=None)
            from_both(svc.kpis.sample_success, first, last, grain=grain, by=by, top=2)
    from_both(svc.kpis.roi_pipeline, first, last)
    from_both(svc.kpis.sla_adherence, first, last)
    for region in REGIONS:
        from_both(svc.kpis.sla_adherence, first, last, region=region)
        from_both(svc.kpis.roi_pipeline, first, last, region=region)


def test_events_keep_the_aggregates_equal_to_a_rebuild_through_moves(svc, owner_engine, facts):
    rng = random.Random(6)
    facts.rebuild()                                  # an empty database: built, nothing counted
    world = populate(svc, rng, 120)
    events = outbox(owner_engine)
    apply_in_batches(owner_engine, events, 37)
    after_events = snapshot(owner_engine)
    assert after_events["kpi_sample_outcomes_daily"] and after_events["kpi_slas_daily"]
    equals_a_rebuild(owner_engine, facts)
    reports_agree(svc)

    moved_from = events[-1].position
    move_some(svc, rng, world)
    apply_in_batches(owner_engine, outbox(owner_engine, moved_from), 11)
    equals_a_rebuild(owner_engine, facts)
    reports_agree(svc)
    assert svc.kpis.status().pending_since is None


def test_applying_twice_or_replaying_from_the_start_changes_nothing(svc, owner_engine, facts):
    rng = random.Random(7)
    facts.rebuild()
    world = populate(svc, rng, 40)
    first = outbox(owner_engine)
    apply_in_batches(owner_engine, first, 25)
    once = snapshot(owner_engine)
    apply_in_batches(owner_engine, first, 25)        # the daemon crashed before its checkpoint
    assert snapshot(owner_engine) == once

    move_some(svc, rng, world)
    later = outbox(owner_engine, first[-1].position)
    apply_in_batches(owner_engine, later, 9)
    moved = snapshot(owner_engine)
    assert moved != once
    apply_in_batches(owner_engine, first + later, 1000)   # a replay from the start
    assert snapshot(owner_engine) == moved
    with owner_engine.begin() as conn:
        assert aggregates.refresh_customers(conn, [c.id for c in world["customers"]]) == 0


def test_a_rebuild_corrects_aggregates_changed_behind_its_back(svc, owner_engine, facts):
    c = svc.customers.create(name="Kantine", region="NORTH")
    facts.sample(c.id, "FEEDBACK_SUCCESS", at(date(2026, 9, 9)))
    facts.rebuild()
    true = snapshot(owner_engine)
    with owner_engine.begin() as conn:
        conn.execute(sa.text("UPDATE kpi_sample_outcomes_daily SET success = 7"))
        conn.execute(sa.text("INSERT INTO kpi_roi_pipeline VALUES ('EAST', kpi_key(NULL), kpi_key(NULL), false, false, 'LOW', 3, 10)"))
    facts.rebuild()
    assert snapshot(owner_engine) == true
    assert [p.n for p in from_both(svc.kpis.sample_success, date(2026, 9, 1), date(2026, 9, 30)).points] == [1]


def test_on_demo_data_the_aggregates_equal_the_base_tables_and_the_demos_own_counts(svc, owner_engine, facts):
    from services.entrypoints import demo

    summary = demo.load(owner_engine, customers=600, seed=11)
    facts.rebuild()
    reports_agree(svc)
    everything = (calendar.today() - timedelta(days=3650), calendar.today() + timedelta(days=3650))
    slas = from_both(svc.kpis.sla_adherence, *everything).kinds
    assert sum(k.on_time for k in slas) == summary.slas["met_on_time"]
    assert sum(k.late for k in slas) == summary.slas["met_late"]
    assert sum(k.overdue for k in slas) == summary.slas["overdue"]
    assert sum(k.open + k.overdue for k in slas) == summary.slas["open"]
    points = from_both(svc.kpis.sample_success, *everything, grain="month", by="chain", top=None).points
    assert sum(p.success for p in points) == summary.samples["FEEDBACK_SUCCESS"]
    assert sum(p.n for p in points) == sum(summary.samples[f"FEEDBACK_{o}"] for o in ("SUCCESS", "NEUTRAL", "FAIL"))
