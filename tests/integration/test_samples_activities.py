"""Samples through their workflow, the four activity kinds with their SLAs, the outbox envelope
and the field audit history, against a real PostgreSQL."""

from __future__ import annotations

import tomllib
import uuid
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from services import IllegalTransition, paths
from services.rules import calendar as cal
from services.rules import sla as sla_rules

BERLIN = ZoneInfo("Europe/Berlin")
MS = timedelta(milliseconds=1)


def proj(engine, cid):
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT * FROM cm_customer_hot_proj WHERE customer_id = :id"), {"id": cid}).one()


def events(engine, *, after: int = 0, **where):
    clauses = ["position > :after"] + [f"{k} = :{k}" for k in where]
    with engine.connect() as conn:
        return list(conn.execute(sa.text(
            f"SELECT *, txid::text AS txid_text FROM event_outbox WHERE {' AND '.join(clauses)} ORDER BY position"),
            {"after": after, **where}))


def max_position(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT coalesce(max(position), 0) FROM event_outbox")).scalar_one()


@pytest.fixture
def customer(svc):
    return svc.customers.create(name="Kantine Nord", region="NORTH", city="Hamburg")


def deliver(svc, sample_id):
    s = None
    for status in ("PACKED", "SHIPPED", "DELIVERED"):
        s = svc.samples.set_status(sample_id, status)
    return s


# ------------------------------------------------------------------ samples

def test_default_kit_when_no_items_are_given(svc, customer):
    with open(paths.resources_dir() / "catalog" / "kits.toml", "rb") as f:
        kit = next(k for k in tomllib.load(f)["kit"] if k.get("default"))
    assert kit["name"] == "Cook&Fresh® Basis 5er"
    expected = sorted((i["sku"], i["quantity"]) for i in kit["items"])
    assert len(expected) == 5
    assert svc.samples.default_kit().name == "Cook&Fresh® Basis 5er"

    defaults = []
    for items in (None, []):
        s = svc.samples.request(customer.id, items, delivery_date=date(2026, 12, 10))
        assert s.status == "REQUESTED"
        assert s.kit_id == kit["id"]
        assert sorted((i.sku, i.quantity) for i in s.items) == expected
        assert all(i.name.startswith("Cook&Fresh®") for i in s.items)
        assert s.delivery_date == date(2026, 12, 10)
        assert svc.samples.get(s.id) == s
        defaults.append(s)

    veggie = svc.samples.request(customer.id, kit_id="CF-VEGGIE-3")
    assert veggie.kit_id == "CF-VEGGIE-3" and len(veggie.items) == 3

    own = svc.samples.request(customer.id, [{"sku": "CF-SAU-011", "quantity": 2}, ("CF-SOU-021", 3),
                                            {"sku": "CF-SAU-011", "quantity": 1}, "CF-DES-030"])
    assert own.kit_id is None
    assert sorted((i.sku, i.quantity) for i in own.items) == [("CF-DES-030", 1), ("CF-SAU-011", 3), ("CF-SOU-021", 3)]
    # Newest request first.
    assert [s.id for s in svc.samples.list(customer.id)] == [own.id, veggie.id, defaults[1].id, defaults[0].id]


def test_full_workflow_records_every_transition_in_order_with_its_time(svc, customer, owner_engine):
    s = svc.samples.request(customer.id)
    t0 = s.last_event_at
    times = {"PACKED": t0 + 1 * MS, "SHIPPED": t0 + 2 * MS, "DELIVERED": t0 + 3 * MS, "FEEDBACK_SUCCESS": t0 + 4 * MS}
    for status, at in times.items():
        s = svc.samples.set_status(s.id, status, event_at=at)
        assert s.status == status and s.last_event_at == at
        row = proj(owner_engine, customer.id)
        assert (row.sample_status, row.sample_last_event_at) == (status, at)
        assert svc.fields.get(customer.id).values["sample_status"] == status
    assert s.allowed_next == ()

    history = svc.samples.history(s.id)
    assert [(h.old_status, h.new_status) for h in history] == [
        (None, "REQUESTED"), ("REQUESTED", "PACKED"), ("PACKED", "SHIPPED"), ("SHIPPED", "DELIVERED"),
        ("DELIVERED", "FEEDBACK_SUCCESS")]
    assert [h.event_at for h in history] == [t0, *times.values()]
    assert all(h.recorded_at is not None for h in history)
    assert [h.recorded_at for h in history] == sorted(h.recorded_at for h in history)

    with pytest.raises(IllegalTransition) as info:
        svc.samples.set_status(s.id, "CANCELED")
    assert info.value.current == "FEEDBACK_SUCCESS" and info.value.allowed == []
    assert svc.projections.verify(batches=1) == 0


def test_an_event_time_equal_to_the_previous_one_is_accepted(svc, customer):
    s = svc.samples.request(customer.id)
    s2 = svc.samples.set_status(s.id, "PACKED", event_at=s.last_event_at)
    assert s2.last_event_at == s.last_event_at
    # A naive time is taken as UTC.
    naive = (s.last_event_at + MS).astimezone(timezone.utc).replace(tzinfo=None)
    assert svc.samples.set_status(s.id, "SHIPPED", event_at=naive).last_event_at == s.last_event_at + MS


def test_a_step_without_a_time_after_one_stamped_slightly_ahead_is_accepted(svc, customer):
    """Desktop clocks run a little ahead (the service allows 5 minutes). The next person who moves
    the sample without giving a time must not be told that "their" time lies before the previous one."""
    s = svc.samples.request(customer.id)
    ahead = datetime.now(timezone.utc) + timedelta(minutes=2)
    s = svc.samples.set_status(s.id, "PACKED", event_at=ahead)
    s = svc.samples.set_status(s.id, "SHIPPED")
    assert s.status == "SHIPPED" and s.last_event_at >= ahead
    history = svc.samples.history(s.id)
    assert [h.event_at for h in history] == sorted(h.event_at for h in history)


@pytest.mark.parametrize("steps", [(), ("PACKED",), ("PACKED", "SHIPPED")])
def test_cancel_from_requested_packed_or_shipped(svc, customer, owner_engine, steps):
    s = svc.samples.request(customer.id)
    for status in steps:
        s = svc.samples.set_status(s.id, status)
    before = s.status
    s = svc.samples.set_status(s.id, "CANCELED")
    assert s.status == "CANCELED" and s.allowed_next == ()
    assert [h.new_status for h in svc.samples.history(s.id)] == ["REQUESTED", *steps, "CANCELED"]
    assert svc.samples.history(s.id)[-1].old_status == before
    assert proj(owner_engine, customer.id).sample_status == "CANCELED"
    changed = events(owner_engine, type="sample.status.changed")
    assert changed[-1].data["oldStatus"] == before and changed[-1].data["newStatus"] == "CANCELED"
    for status in ("REQUESTED", "PACKED", "SHIPPED", "DELIVERED", "FEEDBACK_FAIL"):
        with pytest.raises(IllegalTransition):
            svc.samples.set_status(s.id, status)


def test_packed_emits_exactly_one_shipment_requested_with_the_items(svc, customer, owner_engine):
    s = svc.samples.request(customer.id, [{"sku": "CF-SAU-011", "quantity": 2}, {"sku": "CF-SOU-021", "quantity": 3}],
                            delivery_date=date(2026, 12, 10), delivery_address="Hafenstr. 1, Hamburg",
                            contact_email="kueche@kantine-nord.de")
    other = svc.samples.request(customer.id)
    assert events(owner_engine, type="shipment.requested") == []
    svc.samples.set_status(s.id, "PACKED")
    shipments = events(owner_engine, type="shipment.requested")
    assert len(shipments) == 1
    data = shipments[0].data
    assert data["sampleId"] == str(s.id) and data["customerId"] == str(customer.id)
    assert sorted((i["sku"], i["quantity"]) for i in data["items"]) == [("CF-SAU-011", 2), ("CF-SOU-021", 3)]
    assert data["deliveryDate"] == "2026-12-10"
    assert data["deliveryAddress"] == "Hafenstr. 1, Hamburg" and data["contactEmail"] == "kueche@kantine-nord.de"
    assert shipments[0].customer_id == customer.id
    # The following steps, and the other sample's request, emit no further shipment.
    svc.samples.set_status(s.id, "SHIPPED")
    svc.samples.set_status(s.id, "DELIVERED")
    svc.samples.set_status(other.id, "CANCELED")
    assert len(events(owner_engine, type="shipment.requested")) == 1


def test_the_customers_sample_status_is_that_of_its_latest_request(svc, customer, owner_engine):
    first = svc.samples.request(customer.id)
    deliver(svc, first.id)
    second = svc.samples.request(customer.id)
    assert proj(owner_engine, customer.id).sample_status == "REQUESTED"
    svc.samples.set_status(first.id, "FEEDBACK_FAIL")  # an older sample moving does not change it
    assert proj(owner_engine, customer.id).sample_status == "REQUESTED"
    svc.samples.set_status(second.id, "PACKED")
    assert proj(owner_engine, customer.id).sample_status == "PACKED"
    assert svc.projections.verify(batches=1) == 0


# -------------------------------------------------------------- activities

def test_all_four_activity_kinds_with_their_own_fields(svc, customer, owner_engine):
    svc.fields.patch(customer.id, {"current_supplier_contracts": {"renewal_date": "2027-06-01", "exclusivity": True},
                                   "seasonal_menu_cycle": {"season_start": "2026-10-01", "season_end": "2026-12-31"}})
    sample = deliver(svc, svc.samples.request(customer.id).id)
    scenario = svc.roi.create_scenario(customer.id, "Kantine Basis", savings_per_month=950, assumptions_version="v3")

    feedback = svc.activities.create(customer.id, kind="PRODUCTTEST_FEEDBACK", sample_id=sample.id, rating=4,
                                     sensory_notes="Sauce smooth, soup a bit salty", menu_fit=True, outcome="SUCCESS")
    roi = svc.activities.create(customer.id, kind="ROI_CONSULTATION", roi_scenario_id=scenario.id,
                                assumptions_version="v3", savings_per_month=950, commitment_level="HIGH",
                                outcome="QUALIFIED", note="Chef convinced")
    menu = svc.activities.create(customer.id, kind="MENU_INTEGRATION", season="Q4/Xmas",
                                 planned_dishes=["Rinderroulade", "Rotkohl"], rollout_from="2026-12-01",
                                 rollout_to="2026-12-24", outcome="DRAFT")
    align = svc.activities.create(customer.id, kind="DECISION_MAKER_ALIGNMENT",
                                  roles=["HEAD_CHEF", "MANAGING_DIRECTOR", "PURCHASING"], alignment_score=60,
                                  outcome="PARTIAL")

    assert feedback.kind == "PRODUCTTEST_FEEDBACK" and feedback.outcome == "SUCCESS"
    assert feedback.sample_id == sample.id
    assert feedback.data == {"sample_id": str(sample.id), "rating": 4, "sensory_notes": "Sauce smooth, soup a bit salty",
                             "menu_fit": True}
    assert feedback.rating == 4 and feedback.menu_fit is True

    assert roi.roi_scenario_id == scenario.id and roi.note == "Chef convinced"
    assert roi.commitment_level == "HIGH" and roi.savings_per_month == 950 and roi.assumptions_version == "v3"

    assert menu.season == "Q4/Xmas" and menu.planned_dishes == ["Rinderroulade", "Rotkohl"]
    assert menu.rollout_to == "2026-12-24"
    assert menu.sla_due == date(2026, 12, 24) and menu.sla_status == "OPEN"

    assert align.roles == ["HEAD_CHEF", "MANAGING_DIRECTOR", "PURCHASING"] and align.alignment_score == 60
    assert align.sla_due == date(2027, 6, 1) - timedelta(days=30) and align.sla_status == "OPEN"

    for a in (feedback, roi, menu, align):
        assert svc.activities.get(a.id).data == a.data
        assert a.customer_id == customer.id
    with pytest.raises(AttributeError):
        roi.no_such_field
    with owner_engine.connect() as conn:
        kinds = conn.execute(sa.text("SELECT kind FROM activities WHERE customer_id = :id ORDER BY kind"),
                             {"id": customer.id}).scalars().all()
    assert kinds == sorted(["PRODUCTTEST_FEEDBACK", "ROI_CONSULTATION", "MENU_INTEGRATION", "DECISION_MAKER_ALIGNMENT"])
    assert svc.projections.verify(batches=1) == 0


def test_a_consultation_without_a_scenario_records_one(svc, customer):
    a = svc.activities.create(customer.id, kind="ROI_CONSULTATION", roi_scenario_id=..., savings_per_month=950,
                              commitment_level="HIGH", outcome="QUALIFIED")
    assert a.roi_scenario_id is not None
    scenario = svc.roi.get(a.roi_scenario_id)
    assert scenario.customer_id == customer.id and float(scenario.savings_per_month) == 950
    assert a.data["roi_scenario_id"] == str(scenario.id)


@pytest.mark.parametrize("outcome", ["SUCCESS", "NEUTRAL", "FAIL"])
def test_product_feedback_moves_the_sample_and_meets_the_feedback_sla(svc, customer, owner_engine, outcome):
    sample = deliver(svc, svc.samples.request(customer.id).id)
    due = cal.add_business_days(cal.local_date(sample.last_event_at), 5)
    assert (due - cal.local_date(sample.last_event_at)).days >= 5 and cal.is_business_day(due)

    [open_sla] = svc.activities.slas(customer.id)
    assert (open_sla.kind, open_sla.rule, open_sla.status) == ("PRODUCTTEST_FEEDBACK", "feedback_after_delivery", "OPEN")
    assert open_sla.sample_id == sample.id and open_sla.due_date == due
    assert open_sla.opened_at == sample.last_event_at
    assert open_sla.badge == sla_rules.badge(due, today=cal.today()) == "OK"
    assert proj(owner_engine, customer.id).sla_due == due

    a = svc.activities.create(customer.id, kind="PRODUCTTEST_FEEDBACK", sample_id=sample.id, rating=3, outcome=outcome)
    moved = svc.samples.get(sample.id)
    assert moved.status == f"FEEDBACK_{outcome}"
    assert moved.last_event_at == a.occurred_at
    last = svc.samples.history(sample.id)[-1]
    assert (last.old_status, last.new_status, last.event_at) == ("DELIVERED", f"FEEDBACK_{outcome}", a.occurred_at)

    [met] = svc.activities.slas(customer.id)
    assert met.id == open_sla.id and met.status == "MET" and met.badge == "MET"
    assert met.met_by_activity_id == a.id and met.met_on_time is True
    assert met.closed_at == a.occurred_at
    row = proj(owner_engine, customer.id)
    assert row.sla_due is None and row.sample_status == f"FEEDBACK_{outcome}"
    # One transaction: the sample's event and the activity's share a correlation id.
    corr = {e.correlation_id for e in events(owner_engine, type="activity.created")}
    moved_events = [e for e in events(owner_engine, type="sample.status.changed")
                    if e.data["newStatus"] == f"FEEDBACK_{outcome}"]
    assert len(moved_events) == 1 and moved_events[0].correlation_id in corr
    assert svc.projections.verify(batches=1) == 0


def test_cancelling_a_sample_closes_nothing_it_did_not_open_and_delivery_opens_one_sla(svc, customer):
    first = deliver(svc, svc.samples.request(customer.id).id)
    second = deliver(svc, svc.samples.request(customer.id).id)
    slas = svc.activities.slas(customer.id)
    assert sorted(s.sample_id for s in slas) == sorted([first.id, second.id])
    assert all(s.status == "OPEN" for s in slas)
    svc.activities.create(customer.id, kind="PRODUCTTEST_FEEDBACK", sample_id=second.id, outcome="FAIL")
    by_sample = {s.sample_id: s for s in svc.activities.slas(customer.id)}
    assert by_sample[first.id].status == "OPEN" and by_sample[second.id].status == "MET"


def test_roi_consultation_opens_a_follow_up_that_the_next_activity_meets(svc, customer, owner_engine):
    when = datetime.now(BERLIN).replace(microsecond=0) - timedelta(days=2)
    roi = svc.activities.create(customer.id, kind="ROI_CONSULTATION", commitment_level="MID", savings_per_month=400,
                                outcome="NEEDS_DATA", occurred_at=when)
    due = when.date() + timedelta(days=7)
    assert roi.sla_due == due and roi.sla_status == "OPEN"
    assert roi.sla_badge == sla_rules.badge(due, today=cal.today())
    assert proj(owner_engine, customer.id).sla_due == due
    [updated] = events(owner_engine, type="roi.consultation.updated")
    assert updated.data["commitmentLevel"] == "MID" and updated.data["outcome"] == "NEEDS_DATA"
    assert updated.data["activityId"] == str(roi.id) and updated.data["roiScenarioId"] == str(roi.roi_scenario_id)

    no_interest = svc.activities.create(customer.id, kind="ROI_CONSULTATION", commitment_level="LOW",
                                        outcome="NO_INTEREST", occurred_at=when - timedelta(days=1))
    assert no_interest.sla_due is None  # earlier than the consultation: no follow-up, opens nothing
    assert svc.activities.get(roi.id).sla_status == "OPEN"

    follow = svc.activities.create(customer.id, kind="MENU_INTEGRATION", season="Q1", outcome="MENU_LOCKED")
    [sla] = [s for s in svc.activities.slas(customer.id) if s.rule == "follow_up"]
    assert sla.status == "MET" and sla.met_by_activity_id == follow.id and sla.met_on_time is True
    assert svc.activities.get(roi.id).sla_status == "MET" and svc.activities.get(roi.id).sla_badge == "MET"
    assert proj(owner_engine, customer.id).sla_due is None


def test_a_late_follow_up_is_met_but_not_on_time(svc, customer):
    when = datetime.now(BERLIN) - timedelta(days=10)
    roi = svc.activities.create(customer.id, kind="ROI_CONSULTATION", commitment_level="HIGH", outcome="QUALIFIED",
                                occurred_at=when)
    assert roi.sla_badge == "OVERDUE"
    svc.activities.create(customer.id, kind="DECISION_MAKER_ALIGNMENT", roles=["PURCHASING"], alignment_score=90,
                          outcome="ALIGNED")
    [sla] = svc.activities.slas(customer.id)
    assert sla.status == "MET" and sla.met_on_time is False


def test_activities_list_filters_by_kind_time_and_text_and_paginates(svc, customer, owner_engine):
    other = svc.customers.create(name="Hotel Süd", region="SOUTH")
    today = datetime.now(BERLIN).date()
    base = today - timedelta(days=40)

    def at(day_offset, hour, minute=0):
        return datetime.combine(base + timedelta(days=day_offset), time(hour, minute), tzinfo=BERLIN)

    created = []
    for n in range(14):
        kind = ["MENU_INTEGRATION", "DECISION_MAKER_ALIGNMENT"][n % 2]
        fields = ({"season": "Xmas" if n % 4 == 0 else "Spring"} if kind == "MENU_INTEGRATION"
                  else {"roles": ["HEAD_CHEF"], "alignment_score": n})
        outcome = "MENU_LOCKED" if kind == "MENU_INTEGRATION" else "ALIGNED"
        created.append(svc.activities.create(customer.id, kind=kind, outcome=outcome, occurred_at=at(n, 12),
                                             note=f"visit {n}" + (" Rotkohl tasting" if n == 5 else ""), **fields))
    # Same time twice: the id breaks the tie. Late evening and just past midnight in Berlin.
    twin = [svc.activities.create(customer.id, kind="ROI_CONSULTATION", commitment_level="LOW", outcome="NO_INTEREST",
                                  occurred_at=at(3, 12)) for _ in range(2)]
    late = svc.activities.create(customer.id, kind="ROI_CONSULTATION", commitment_level="HIGH", outcome="QUALIFIED",
                                 occurred_at=at(6, 23, 30))
    early = svc.activities.create(customer.id, kind="ROI_CONSULTATION", commitment_level="HIGH",
                                  outcome="NO_INTEREST", occurred_at=at(7, 0, 30))
    svc.activities.create(other.id, kind="MENU_INTEGRATION", season="Xmas", outcome="MENU_LOCKED", occurred_at=at(5, 9))
    everything = created + twin + [late, early]

    def expected(where: str = "true", **params):
        with owner_engine.connect() as conn:
            return conn.execute(sa.text(
                f"SELECT id FROM activities WHERE customer_id = :c AND ({where}) ORDER BY occurred_at DESC, id DESC"),
                {"c": customer.id, **params}).scalars().all()

    def collect(limit=4, **filters):
        ids, cursor, pages = [], None, 0
        while True:
            page = svc.activities.list(customer.id, limit=limit, cursor=cursor, **filters)
            assert len(page.items) <= limit
            ids += [a.id for a in page.items]
            pages += 1
            cursor = page.next_cursor
            if cursor is None:
                return ids, pages
            assert len(page.items) == limit

    all_ids, pages = collect()
    assert all_ids == expected() and len(all_ids) == len(everything) == 18
    assert len(set(all_ids)) == 18 and pages == 5
    assert all_ids.index(twin[1].id if twin[1].id > twin[0].id else twin[0].id) < \
        all_ids.index(twin[0].id if twin[1].id > twin[0].id else twin[1].id)
    assert collect(limit=500)[0] == all_ids and collect(limit=500)[1] == 1
    assert [a.id for a in svc.activities.list(customer.id).items] == all_ids

    assert collect(kind="MENU_INTEGRATION")[0] == expected("kind = 'MENU_INTEGRATION'")
    assert len(collect(kind="MENU_INTEGRATION")[0]) == 7
    assert collect(kind=["MENU_INTEGRATION", "ROI_CONSULTATION"])[0] == expected(
        "kind IN ('MENU_INTEGRATION', 'ROI_CONSULTATION')")

    # Dates are whole Berlin days: to= includes its day, 23:30 on day 6 in, 00:30 on day 7 out.
    window, _ = collect(from_=base + timedelta(days=3), to=base + timedelta(days=6))
    assert window == expected("occurred_at >= :lo AND occurred_at < :hi",
                              lo=at(3, 0), hi=at(7, 0))
    assert late.id in window and early.id not in window and twin[0].id in window
    assert {a.id for a in created[3:7]} <= set(window) and created[2].id not in window
    moments, _ = collect(from_=at(6, 23, 30), to=at(7, 0, 30))
    assert moments == [late.id]  # `to` as a moment is exclusive, `from_` inclusive

    assert collect(q="rotkohl")[0] == [created[5].id]          # the note, case-insensitive
    assert set(collect(q="Xmas")[0]) == {a.id for a in created if a.data.get("season") == "Xmas"}   # the data
    assert set(collect(q="no_interest")[0]) == {twin[0].id, twin[1].id, early.id}   # the outcome
    assert collect(q="100%")[0] == []                          # LIKE wildcards are literal
    both, _ = collect(kind="MENU_INTEGRATION", q="xmas", from_=base + timedelta(days=4))
    assert both == [a.id for a in reversed(created) if a.data.get("season") == "Xmas" and a.occurred_at >= at(4, 0)]
    assert collect(q="Xmas", to=base - timedelta(days=1))[0] == []


# ------------------------------------------------------ outbox and history

ENVELOPE_KEYS = {"type", "version", "id", "time", "source", "correlationId", "actor", "data"}


def envelope(row) -> dict:
    """The envelope of docs/EVENTS.md, as the outbox row stores it."""
    return {"type": row.type, "version": row.version, "id": row.id, "time": row.time, "source": row.source,
            "correlationId": row.correlation_id, "actor": row.actor, "data": row.data}


def test_every_write_appends_its_events_in_the_envelope_in_the_same_transaction(svc, owner_engine):
    written: list[tuple[str, list[str], str, str]] = []  # (what, event types, table, where) per write

    def check(what, expected_types, table=None, key=None):
        rows = events(owner_engine, after=check.position)
        check.position = max([check.position] + [r.position for r in rows])
        assert [r.type for r in rows] == expected_types, what
        for row in rows:
            env = envelope(row)
            assert set(env) == ENVELOPE_KEYS and all(env[k] is not None for k in ENVELOPE_KEYS), env
            assert env["source"] == "crm.customer-management" and env["version"] == "1.0"
            assert isinstance(env["id"], uuid.UUID) and env["time"].tzinfo is not None
            assert env["actor"] == {"type": svc.actor.type, "id": svc.actor.id} == {"type": "user", "id": str(svc.actor.user_id)}
            assert isinstance(env["data"], dict) and env["data"]
        # One write, one transaction, one correlation id; each write its own.
        assert len({r.correlation_id for r in rows}) == 1 and len({r.txid_text for r in rows}) == 1
        assert rows[0].correlation_id not in {w[2] for w in written}
        if table is not None:
            # The business row was written by the same transaction as its events.
            with owner_engine.connect() as conn:
                xmin = conn.execute(sa.text(f"SELECT xmin::text FROM {table} WHERE {key}")).scalar_one()
            assert int(rows[0].txid_text) % 2**32 == int(xmin), what
        written.append((what, expected_types, rows[0].correlation_id, rows[0].txid_text))
        return rows

    check.position = max_position(owner_engine)
    c = svc.customers.create(name="Kantine Ost", region="EAST", city="Leipzig")
    [created] = check("create", ["customer.created"], "accounts", f"id = '{c.id}'")
    assert created.data["customerId"] == str(c.id) and created.customer_id == c.id

    svc.fields.patch(c.id, {"roi_potential": {"bucket": "HIGH", "value": 1800}, "kitchen_type": "CANTEEN"})
    [changed] = check("patch", ["customer.fields.changed"], "accounts", f"id = '{c.id}'")
    assert changed.data["changes"] == {"roi_potential": {"old": None, "new": {"bucket": "HIGH", "value": 1800}},
                                       "kitchen_type": {"old": None, "new": "CANTEEN"}}
    assert changed.data["version"] == 1
    with owner_engine.connect() as conn:
        history_corr = set(conn.execute(sa.text("SELECT correlation_id FROM field_history WHERE customer_id = :id"),
                                        {"id": c.id}).scalars())
    assert history_corr == {changed.correlation_id}

    # Writing the same value again changes nothing and appends nothing.
    assert svc.fields.patch(c.id, {"kitchen_type": "CANTEEN"}).version == 1
    assert events(owner_engine, after=check.position) == []

    s = svc.samples.request(c.id)
    [requested] = check("request", ["sample.requested"], "sample_request", f"id = '{s.id}'")
    assert requested.data["sampleId"] == str(s.id) and len(requested.data["items"]) == 5

    svc.samples.set_status(s.id, "PACKED")
    rows = check("packed", ["sample.status.changed", "shipment.requested"], "sample_request", f"id = '{s.id}'")
    assert rows[0].data["oldStatus"] == "REQUESTED" and rows[0].data["newStatus"] == "PACKED"
    with owner_engine.connect() as conn:
        corr = conn.execute(sa.text("SELECT correlation_id FROM sample_status_history WHERE sample_id = :id "
                                    "AND new_status = 'PACKED'"), {"id": s.id}).scalar_one()
    assert corr == rows[0].correlation_id

    a = svc.activities.create(c.id, kind="ROI_CONSULTATION", commitment_level="HIGH", savings_per_month=950,
                              outcome="QUALIFIED")
    rows = check("consultation", ["roi.scenario.created", "roi.consultation.updated", "activity.created"],
                 "activities", f"id = '{a.id}'")
    assert rows[2].data["activityId"] == str(a.id) and rows[2].data["kind"] == "ROI_CONSULTATION"
    assert rows[2].data["outcome"] == "QUALIFIED"

    svc.customers.set_contactability(c.id, "HARD_BOUNCE", reason="mailbox gone")
    [bounce] = check("contactability", ["customer.contactability.changed"], "accounts", f"id = '{c.id}'")
    assert bounce.data["status"] == "HARD_BOUNCE" and bounce.data["alternateChannelRequired"] is True

    sample2 = svc.samples.request(c.id, kit_id="CF-XMAS-4")
    check("request 2", ["sample.requested"], "sample_request", f"id = '{sample2.id}'")
    for status, types in [("PACKED", ["sample.status.changed", "shipment.requested"]),
                          ("SHIPPED", ["sample.status.changed"]), ("DELIVERED", ["sample.status.changed"])]:
        svc.samples.set_status(sample2.id, status)
        check(status, types, "sample_request", f"id = '{sample2.id}'")
    svc.activities.create(c.id, kind="PRODUCTTEST_FEEDBACK", sample_id=sample2.id, outcome="SUCCESS")
    check("feedback", ["sample.status.changed", "activity.created"], "sample_request", f"id = '{sample2.id}'")
    assert len(written) == 11


def test_field_history_records_old_new_who_when_source_and_correlation(svc, customer, owner_engine):
    v1 = {"bucket": "LOW", "value": 100}
    v2 = {"bucket": "HIGH", "value": 2500}
    start = datetime.now(timezone.utc) - timedelta(seconds=1)
    fs = svc.fields.get(customer.id)
    assert fs.values == {} and fs.etag == '"0"'
    fs = svc.fields.patch(customer.id, {"roi_potential": v1}, if_match=fs.etag)
    fs = svc.fields.patch(customer.id, {"roi_potential": v2, "covers_per_day": 300}, if_match=fs.etag)
    fs = svc.fields.patch(customer.id, {"roi_potential": None}, if_match=fs.etag)
    end = datetime.now(timezone.utc) + timedelta(seconds=1)
    assert fs.version == 3 and fs.etag == '"3"'
    assert fs.values == {"covers_per_day": 300}

    history = svc.fields.history(customer.id, key="roi_potential")
    assert [(h.old, h.new) for h in history] == [(v2, None), (v1, v2), (None, v1)]  # newest first
    assert all(h.key == "roi_potential" for h in history)
    assert all(h.changed_by_login == svc.actor.login and h.changed_by == svc.actor.user_id for h in history)
    assert all(h.source == "service" for h in history)
    assert all(start <= h.changed_at <= end for h in history)
    assert [h.changed_at for h in history] == sorted((h.changed_at for h in history), reverse=True)

    changes = [e for e in events(owner_engine, type="customer.fields.changed")]
    assert [h.correlation_id for h in reversed(history)] == [e.correlation_id for e in changes]
    assert changes[-1].data["changes"] == {"roi_potential": {"old": v2, "new": None}}

    everything = svc.fields.history(customer.id)
    assert len(everything) == 4 and {h.key for h in everything} == {"roi_potential", "covers_per_day"}
    [covers] = svc.fields.history(customer.id, key="covers_per_day")
    assert covers.correlation_id == history[1].correlation_id  # the same patch

    row = proj(owner_engine, customer.id)
    assert row.roi_bucket is None and row.roi_value is None
    assert svc.projections.verify(batches=1) == 0
