"""Bad input never half-writes: each gets its typed error (RFC 7807) and leaves every table,
the outbox included, exactly as it was."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from services import IllegalTransition, NotFound, PreconditionFailed, StewardError, ValidationError
from services.errors import PROBLEM_BASE

NOBODY = uuid.UUID("00000000-0000-4000-8000-00000000dead")


# ----------------------------------------------------------------- helpers

_SNAPSHOT_SQL: dict = {}


def snapshot(engine) -> dict:
    """Everything a write could touch: per table the row count and a digest of all its rows, plus
    the outbox's highest position and, spelled out, the field values and the projection rows."""
    sql = _SNAPSHOT_SQL.get(engine)
    if sql is None:
        with engine.connect() as conn:
            tables = conn.execute(sa.text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).scalars().all()
        assert "event_outbox" in tables and "cm_customer_hot_proj" in tables and "field_values" in tables
        parts = []
        for table in tables:
            ident = '"' + table.replace('"', '""') + '"'
            parts.append(f"'{table}', (SELECT json_build_array(count(*), md5(coalesce("
                         f"string_agg(x::text, '|' ORDER BY x::text), ''))) FROM public.{ident} x)")
        parts += [
            "'event_outbox.max_position', (SELECT max(position) FROM event_outbox)",
            "'field_values.rows', (SELECT json_agg(json_build_array(customer_id, field_key, value) "
            "ORDER BY customer_id, field_key) FROM field_values)",
            "'hot_proj.rows', (SELECT json_agg(p ORDER BY customer_id) FROM cm_customer_hot_proj p)",
            "'accounts.versions', (SELECT json_agg(json_build_array(id, fields_version) ORDER BY id) FROM accounts)",
            "'samples.status', (SELECT json_agg(json_build_array(id, status, last_event_at) ORDER BY id) "
            "FROM sample_request)",
        ]
        # json_build_object takes at most 100 arguments: build it in pieces.
        chunks = [parts[i:i + 40] for i in range(0, len(parts), 40)]
        sql = "SELECT " + ", ".join(f"json_build_object({', '.join(c)})" for c in chunks)
        _SNAPSHOT_SQL[engine] = sql
    with engine.connect() as conn:
        row = conn.execute(sa.text(sql)).one()
    snap: dict = {}
    for piece in row:
        snap.update(piece)
    return snap


def assert_problem(exc: StewardError, *, status: int, error_keys=()) -> dict:
    problem = exc.to_problem()
    assert problem["type"] == PROBLEM_BASE + exc.slug and problem["type"].startswith("https://")
    assert isinstance(problem["title"], str) and problem["title"]
    assert problem["status"] == status == exc.status
    assert isinstance(problem["detail"], str) and problem["detail"].strip()
    for key in error_keys:
        assert key in problem.get("errors", {}), (key, problem)
        assert problem["errors"][key]
    json.dumps(problem, default=str)  # serialisable as a problem document
    return problem


@pytest.fixture
def refused(owner_engine):
    """refused(ErrorType, fn, *args, **kw): fn raises ErrorType and nothing in the database changed."""
    def check(error_type, fn, *args, **kwargs):
        before = snapshot(owner_engine)
        with pytest.raises(error_type) as info:
            fn(*args, **kwargs)
        after = snapshot(owner_engine)
        changed = sorted(k for k in before if before[k] != after.get(k))
        assert after == before, f"bad input changed {changed}"
        return info.value
    return check


@pytest.fixture
def world(svc):
    """Two customers with fields, samples in REQUESTED and DELIVERED, and an ROI scenario."""
    a = svc.customers.create(name="Kantine Nord", region="NORTH", city="Hamburg")
    b = svc.customers.create(name="Hotel Süd", region="SOUTH", city="München")
    for c in (a, b):
        svc.customers.create(name=f"{c.name} Filler", region=c.region)
    fs = svc.fields.patch(a.id, {
        "roi_potential": {"bucket": "HIGH", "value": 1800},
        "seasonal_menu_cycle": {"season_start": "2026-10-01", "season_end": "2026-12-31"},
        "current_supplier_contracts": {"renewal_date": "2027-03-01", "exclusivity": True},
        "decision_makers": {"count": 3, "has_exec_alignment": True},
    })
    svc.fields.patch(a.id, {"kitchen_type": "CANTEEN"})  # makes fs.etag stale
    svc.fields.patch(b.id, {"roi_potential": {"bucket": "HIGH", "value": 900}})
    delivered = svc.samples.request(a.id)
    for status in ("PACKED", "SHIPPED", "DELIVERED"):
        delivered = svc.samples.set_status(delivered.id, status)
    requested = svc.samples.request(a.id, items=[{"sku": "CF-SAU-011", "quantity": 2}])
    other = svc.samples.request(b.id)
    for status in ("PACKED", "SHIPPED", "DELIVERED"):
        other = svc.samples.set_status(other.id, status)
    scenario = svc.roi.create_scenario(a.id, "Basis", savings_per_month=950)
    other_scenario = svc.roi.create_scenario(b.id, "Other", savings_per_month=100)
    svc.activities.create(a.id, kind="ROI_CONSULTATION", roi_scenario_id=scenario.id, commitment_level="MID",
                          outcome="NEEDS_DATA", note="first talk")
    return {"a": a, "b": b, "etag": svc.fields.get(a.id).etag, "stale_etag": fs.etag, "delivered": delivered,
            "requested": requested, "other_sample": other, "scenario": scenario, "other_scenario": other_scenario}


# ----------------------------------------------------------------- samples
# Each test runs its cases as subtests: one emptied database per test keeps the set fast.

def test_unknown_sku(svc, world, refused, subtests):
    for items, key in [
        ([{"sku": "CF-NOPE-999", "quantity": 1}], "items.0.sku"),
        ([{"sku": "CF-BAS-001", "quantity": 1}, {"sku": "XX", "quantity": 1}], "items.1.sku"),
        ([("cf-bas-001", 1)], "items.0.sku"),
        ([{"quantity": 1}], "items.0.sku"),
    ]:
        with subtests.test(items=items):
            exc = refused(ValidationError, svc.samples.request, world["a"].id, items)
            assert_problem(exc, status=422, error_keys=[key])


def test_quantity_below_one_or_not_a_whole_number(svc, world, refused, subtests):
    for quantity in [0, -1, "2", 1.5, None, True, 10**9]:
        with subtests.test(quantity=quantity):
            exc = refused(ValidationError, svc.samples.request, world["a"].id,
                          [{"sku": "CF-BAS-001", "quantity": 1}, {"sku": "CF-BAS-002", "quantity": quantity}])
            assert_problem(exc, status=422, error_keys=["items.1.quantity"])


def test_items_that_are_not_a_list_and_an_unknown_kit(svc, world, refused):
    exc = refused(ValidationError, svc.samples.request, world["a"].id, "CF-BAS-001")
    assert_problem(exc, status=422, error_keys=["items"])
    exc = refused(ValidationError, svc.samples.request, world["a"].id, kit_id="CF-NOPE")
    assert_problem(exc, status=422, error_keys=["kit_id"])
    exc = refused(ValidationError, svc.samples.request, world["a"].id, contact_email="no-at-sign")
    assert_problem(exc, status=422, error_keys=["contact_email"])


def test_event_time_before_the_previous_transition(svc, world, refused):
    s = world["requested"]
    exc = refused(ValidationError, svc.samples.set_status, s.id, "PACKED", event_at=s.last_event_at - timedelta(hours=1))
    assert_problem(exc, status=422, error_keys=["event_at"])
    assert "before" in exc.detail
    d = world["delivered"]
    exc = refused(ValidationError, svc.samples.set_status, d.id, "FEEDBACK_FAIL",
                  event_at=d.last_event_at - timedelta(microseconds=1))
    assert_problem(exc, status=422, error_keys=["event_at"])


def test_event_time_in_the_future_or_no_time_at_all(svc, world, refused, subtests):
    now = datetime.now(timezone.utc)
    for event_at in [now + timedelta(days=1), now + timedelta(hours=1), "yesterday", 12345, date(2026, 1, 1)]:
        with subtests.test(event_at=event_at):
            exc = refused(ValidationError, svc.samples.set_status, world["requested"].id, "PACKED", event_at=event_at)
            assert_problem(exc, status=422, error_keys=["event_at"])


def test_illegal_transition_names_current_and_allowed(svc, world, refused):
    exc = refused(IllegalTransition, svc.samples.set_status, world["requested"].id, "DELIVERED")
    assert exc.current == "REQUESTED" and exc.allowed == ["PACKED", "CANCELED"]
    for word in ("REQUESTED", "DELIVERED", "PACKED", "CANCELED"):
        assert word in exc.detail
    problem = assert_problem(exc, status=409)
    assert problem["current"] == "REQUESTED" and problem["allowed"] == ["PACKED", "CANCELED"]

    exc = refused(IllegalTransition, svc.samples.set_status, world["delivered"].id, "CANCELED")
    assert exc.current == "DELIVERED"
    assert set(exc.allowed) == {"FEEDBACK_SUCCESS", "FEEDBACK_NEUTRAL", "FEEDBACK_FAIL"}
    assert "DELIVERED" in exc.detail and "FEEDBACK_SUCCESS" in exc.detail


def test_unknown_status_and_unknown_sample(svc, world, refused):
    exc = refused(ValidationError, svc.samples.set_status, world["requested"].id, "LOST")
    assert_problem(exc, status=422, error_keys=["status"])
    exc = refused(NotFound, svc.samples.set_status, NOBODY, "PACKED")
    assert_problem(exc, status=404)
    exc = refused(ValidationError, svc.samples.set_status, "sample-1", "PACKED")
    assert_problem(exc, status=422, error_keys=["sample_id"])


# ------------------------------------------------------------------ fields

def test_unknown_field_key(svc, world, refused):
    exc = refused(ValidationError, svc.fields.patch, world["a"].id, {"bogus": 1})
    assert_problem(exc, status=422, error_keys=["bogus"])
    # A valid change beside it is not saved either.
    exc = refused(ValidationError, svc.fields.patch, world["a"].id,
                  {"roi_potential": {"bucket": "LOW", "value": 1}, "bogus": 1})
    assert_problem(exc, status=422, error_keys=["bogus"])


def test_value_that_breaks_the_fields_schema(svc, world, refused, subtests):
    for changes, key in [
        ({"roi_potential": {"bucket": "HUGE", "value": 1800}}, "roi_potential.bucket"),      # wrong bucket
        ({"roi_potential": {"bucket": "HIGH", "value": "lots"}}, "roi_potential.value"),     # wrong type
        ({"roi_potential": "HIGH"}, "roi_potential"),
        ({"decision_makers": {"count": "three"}}, "decision_makers"),
        ({"seasonal_menu_cycle": {"season_start": "2026-12-31", "season_end": "2026-10-01"}},
         "seasonal_menu_cycle.season_end"),                                                   # end before start
        ({"seasonal_menu_cycle": {"season_start": "2026-02-30", "season_end": "2026-10-01"}},
         "seasonal_menu_cycle.season_start"),
        ({"current_supplier_contracts": {"renewal_date": "soon"}}, "current_supplier_contracts.renewal_date"),
        ({"covers_per_day": -3, "roi_potential": {"bucket": "LOW"}}, "covers_per_day"),
    ]:
        with subtests.test(changes=changes):
            exc = refused(ValidationError, svc.fields.patch, world["a"].id, changes, if_match=world["etag"])
            assert_problem(exc, status=422, error_keys=[key])


def test_a_value_the_schema_accepts_never_fails_in_the_database(svc, world, refused, owner_engine):
    """JSON Schema counts 3.0 as an integer, so {"count": 3.0} passes the field's schema. It must then
    either be stored (and projected as 3) or be refused with a field error, never with a raw
    database message and no per-field errors."""
    try:
        svc.fields.patch(world["a"].id, {"decision_makers": {"count": 3.0, "has_exec_alignment": False}})
    except ValidationError as exc:
        assert_problem(exc, status=422, error_keys=["decision_makers"])
        assert "database" not in exc.detail.lower(), exc.detail
    else:
        with owner_engine.connect() as conn:
            count = conn.execute(sa.text("SELECT decision_maker_count FROM cm_customer_hot_proj WHERE customer_id = :id"),
                                 {"id": world["a"].id}).scalar_one()
        assert count == 3
        assert svc.projections.verify(batches=1) == 0


def test_writing_the_derived_sample_status(svc, world, refused):
    exc = refused(ValidationError, svc.fields.patch, world["a"].id, {"sample_status": "FEEDBACK_SUCCESS"})
    assert_problem(exc, status=422, error_keys=["sample_status"])
    exc = refused(ValidationError, svc.fields.patch, world["a"].id, {"sample_status": None})
    assert_problem(exc, status=422, error_keys=["sample_status"])


def test_empty_or_malformed_changes(svc, world, refused, subtests):
    for changes in [{}, None, [("roi_potential", {"bucket": "LOW"})]]:
        with subtests.test(changes=changes):
            exc = refused(ValidationError, svc.fields.patch, world["a"].id, changes)
            assert_problem(exc, status=422)


def test_stale_etag(svc, world, refused, subtests):
    exc = refused(PreconditionFailed, svc.fields.patch, world["a"].id, {"roi_potential": {"bucket": "LOW"}},
                  if_match=world["stale_etag"])
    problem = assert_problem(exc, status=412)
    assert exc.current_etag == world["etag"] == problem["current_etag"]
    for etag in ["nonsense", "", '"-1"', 3.5]:
        with subtests.test(etag=etag):
            exc = refused(PreconditionFailed, svc.fields.patch, world["a"].id, {"roi_potential": {"bucket": "LOW"}},
                          if_match=etag)
            assert_problem(exc, status=412)
    # The current ETag works.
    assert svc.fields.patch(world["a"].id, {"roi_potential": {"bucket": "LOW"}},
                            if_match=world["etag"]).values["roi_potential"] == {"bucket": "LOW"}


# --------------------------------------------------------------- customers

def test_unknown_customer_and_non_uuid_id(svc, world, refused, subtests):
    calls = {
        "fields.get": lambda cid: svc.fields.get(cid),
        "fields.patch": lambda cid: svc.fields.patch(cid, {"roi_potential": {"bucket": "LOW"}}),
        "fields.history": lambda cid: svc.fields.history(cid),
        "samples.request": lambda cid: svc.samples.request(cid),
        "samples.list": lambda cid: svc.samples.list(cid),
        "activities.create": lambda cid: svc.activities.create(cid, kind="ROI_CONSULTATION",
                                                               commitment_level="LOW", outcome="QUALIFIED"),
        "activities.list": lambda cid: svc.activities.list(cid),
        "customers.get": lambda cid: svc.customers.get(cid),
        "customers.update": lambda cid: svc.customers.update(cid, name="Renamed"),
        "roi.create_scenario": lambda cid: svc.roi.create_scenario(cid, "x", savings_per_month=1),
    }
    for name, fn in calls.items():
        with subtests.test(call=name, id="unknown"):
            exc = refused(NotFound, fn, NOBODY)
            assert_problem(exc, status=404)
            assert str(NOBODY) in exc.detail
        for bad in ("not-a-uuid", 42, None, str(NOBODY)[:-1]):
            with subtests.test(call=name, id=bad):
                exc = refused(ValidationError, fn, bad)
                assert_problem(exc, status=422, error_keys=["customer_id"])


def test_unknown_region(svc, world, refused, subtests):
    for region in ["MARS", "north", "", None]:
        with subtests.test(region=region):
            exc = refused(ValidationError, svc.customers.create, name="Kantine Mars", region=region)
            assert_problem(exc, status=422, error_keys=["region"])
    exc = refused(ValidationError, svc.customers.list, region="MARS")
    assert_problem(exc, status=422, error_keys=["region"])
    exc = refused(ValidationError, svc.customers.count, region=["NORTH", "MARS"])
    assert_problem(exc, status=422, error_keys=["region"])
    exc = refused(ValidationError, svc.customers.update, world["a"].id, region="MARS")
    assert_problem(exc, status=422, error_keys=["region"])


def test_bad_limit(svc, world, refused, subtests):
    for limit in [0, -1, 10001, 1001, "50", True, 2.5, None]:
        with subtests.test(limit=limit):
            exc = refused(ValidationError, svc.customers.list, limit=limit)
            assert_problem(exc, status=422, error_keys=["limit"])
    for limit in [0, 10001]:
        with subtests.test(activities_limit=limit):
            exc = refused(ValidationError, svc.activities.list, world["a"].id, limit=limit)
            assert_problem(exc, status=422, error_keys=["limit"])


def test_malformed_cursor(svc, world, refused, subtests):
    for cursor in ["garbage", "!!!", "", "e30", "W10", "bnVsbA", "x" * 5000,
                   base64.urlsafe_b64encode(b'{"q": 1}').decode(), 17]:
        with subtests.test(cursor=str(cursor)[:20]):
            exc = refused(ValidationError, svc.customers.list, cursor=cursor)
            assert_problem(exc, status=422, error_keys=["cursor"])
            exc = refused(ValidationError, svc.activities.list, world["a"].id, cursor=cursor)
            assert_problem(exc, status=422, error_keys=["cursor"])


def test_cursor_from_another_filter_sort_or_customer(svc, world, refused):
    page = svc.customers.list(roi_bucket="HIGH", limit=1)
    assert page.next_cursor is not None
    exc = refused(ValidationError, svc.customers.list, roi_bucket="LOW", limit=1, cursor=page.next_cursor)
    assert_problem(exc, status=422, error_keys=["cursor"])
    exc = refused(ValidationError, svc.customers.list, roi_bucket="HIGH", sort="-name", limit=1, cursor=page.next_cursor)
    assert_problem(exc, status=422, error_keys=["cursor"])
    exc = refused(ValidationError, svc.customers.list, limit=1, cursor=page.next_cursor)
    assert_problem(exc, status=422, error_keys=["cursor"])
    # The cursor works with its own filter.
    assert len(svc.customers.list(roi_bucket="HIGH", limit=1, cursor=page.next_cursor).items) == 1

    for n in range(2):
        svc.activities.create(world["b"].id, kind="MENU_INTEGRATION", season=f"Q{n + 1}", outcome="MENU_LOCKED")
    page = svc.activities.list(world["b"].id, limit=1)
    assert page.next_cursor
    exc = refused(ValidationError, svc.activities.list, world["a"].id, limit=1, cursor=page.next_cursor)
    assert_problem(exc, status=422, error_keys=["cursor"])
    exc = refused(ValidationError, svc.activities.list, world["b"].id, kind="ROI_CONSULTATION", limit=1,
                  cursor=page.next_cursor)
    assert_problem(exc, status=422, error_keys=["cursor"])


def _tamper(cursor: str, **changes) -> str:
    data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    data.update(changes)
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def test_tampered_cursor(svc, world, refused, subtests):
    page = svc.customers.list(sort="renewal_date", limit=1)
    assert page.next_cursor
    for changes in [{"v": "not a date"}, {"v": None}, {"id": "not-a-uuid"}, {"v": 17}, {"id": None}]:
        with subtests.test(changes=changes):
            exc = refused(ValidationError, svc.customers.list, sort="renewal_date", limit=1,
                          cursor=_tamper(page.next_cursor, phase="values", **changes))
            assert_problem(exc, status=422, error_keys=["cursor"])
    page = svc.activities.list(world["a"].id, limit=1)
    svc.activities.create(world["a"].id, kind="MENU_INTEGRATION", season="Q4", outcome="DRAFT")
    page = svc.activities.list(world["a"].id, limit=1)
    assert page.next_cursor
    for changes in [{"at": "noon"}, {"id": "x"}, {"at": None}]:
        with subtests.test(activity_cursor=changes):
            exc = refused(ValidationError, svc.activities.list, world["a"].id, limit=1,
                          cursor=_tamper(page.next_cursor, **changes))
            assert_problem(exc, status=422, error_keys=["cursor"])


def test_bad_sort_and_filters(svc, world, refused, subtests):
    for sort in ["owner_name", "-", "name; drop table accounts", 3]:
        with subtests.test(sort=sort):
            exc = refused(ValidationError, svc.customers.list, sort=sort)
            assert_problem(exc, status=422, error_keys=["sort"])
    for filters, key in [
        ({"roi_bucket": "HUGE"}, "roi_bucket"),
        ({"sample_status": "LOST"}, "sample_status"),
        ({"renewal_before": "next year"}, "renewal_before"),
        ({"season_from": 2026}, "season_from"),
        ({"exclusivity": "yes"}, "exclusivity"),
        ({"decision_maker_count_min": -1}, "decision_maker_count_min"),
        ({"q": 42}, "q"),
        ({"owner": 42}, "owner"),
        ({"chain_id": "chain"}, "chain_id"),
    ]:
        with subtests.test(filters=filters):
            exc = refused(ValidationError, svc.customers.list, **filters)
            assert_problem(exc, status=422, error_keys=[key])


# -------------------------------------------------------------- activities

def test_unknown_activity_kind_and_unknown_field(svc, world, refused):
    exc = refused(ValidationError, svc.activities.create, world["a"].id, kind="COFFEE_CHAT", outcome="NICE")
    assert_problem(exc, status=422, error_keys=["kind"])
    exc = refused(ValidationError, svc.activities.create, world["a"].id, kind=None, outcome="NICE")
    assert_problem(exc, status=422, error_keys=["kind"])
    exc = refused(ValidationError, svc.activities.create, world["a"].id, kind="ROI_CONSULTATION",
                  commitment_level="HIGH", mood="good", outcome="QUALIFIED")
    assert_problem(exc, status=422)
    assert "mood" in str(exc)


def test_wrong_outcome(svc, world, refused, subtests):
    for kind, fields, outcome in [
        ("ROI_CONSULTATION", {"commitment_level": "HIGH"}, "ALIGNED"),
        ("ROI_CONSULTATION", {"commitment_level": "HIGH"}, None),
        ("MENU_INTEGRATION", {"season": "Q4"}, "qualified"),
        ("DECISION_MAKER_ALIGNMENT", {"roles": ["HEAD_CHEF"], "alignment_score": 50}, "SUCCESS"),
        ("PRODUCTTEST_FEEDBACK", {"sample_id": str(world["delivered"].id)}, "FEEDBACK_SUCCESS"),
    ]:
        with subtests.test(kind=kind, outcome=outcome):
            exc = refused(ValidationError, svc.activities.create, world["a"].id, kind=kind, outcome=outcome, **fields)
            problem = assert_problem(exc, status=422, error_keys=["outcome"])
            assert "must be one of" in problem["errors"]["outcome"]


MISSING = [
    ("DECISION_MAKER_ALIGNMENT", {}, "ALIGNED", ["roles", "alignment_score"]),
    ("DECISION_MAKER_ALIGNMENT", {"roles": ["HEAD_CHEF"]}, "ALIGNED", ["alignment_score"]),
    ("MENU_INTEGRATION", {"planned_dishes": ["Roulade"]}, "DRAFT", ["season"]),
    ("ROI_CONSULTATION", {"savings_per_month": 100}, "QUALIFIED", ["commitment_level"]),
    ("PRODUCTTEST_FEEDBACK", {"rating": 4}, "SUCCESS", ["sample_id"]),
]


def test_missing_required_activity_fields(svc, world, refused, subtests):
    for kind, fields, outcome, missing in MISSING:
        with subtests.test(kind=kind, missing=missing):
            exc = refused(ValidationError, svc.activities.create, world["a"].id, kind=kind, outcome=outcome, **fields)
            assert_problem(exc, status=422)
            assert missing[0] in str(exc)


def test_missing_required_activity_fields_are_reported_per_field(svc, world, refused, subtests):
    """RFC 7807 errors per field: each missing field under its own name, so a form can mark it."""
    for kind, fields, outcome, missing in MISSING:
        with subtests.test(kind=kind, missing=missing):
            exc = refused(ValidationError, svc.activities.create, world["a"].id, kind=kind, outcome=outcome, **fields)
            assert_problem(exc, status=422, error_keys=missing)


def test_activity_fields_that_break_the_kinds_schema(svc, world, refused, subtests):
    for kind, fields, outcome, key in [
        ("DECISION_MAKER_ALIGNMENT", {"roles": ["CEO"], "alignment_score": 50}, "ALIGNED", "roles.0"),
        ("DECISION_MAKER_ALIGNMENT", {"roles": ["HEAD_CHEF"], "alignment_score": 150}, "ALIGNED", "alignment_score"),
        ("MENU_INTEGRATION", {"season": "Q4", "rollout_from": "2026-12-01", "rollout_to": "2026-11-01"}, "DRAFT",
         "rollout_to"),
        ("ROI_CONSULTATION", {"commitment_level": "HIGH", "savings_per_month": -5}, "QUALIFIED", "savings_per_month"),
        ("PRODUCTTEST_FEEDBACK", {"sample_id": "nope"}, "SUCCESS", "sample_id"),
        ("PRODUCTTEST_FEEDBACK", {"sample_id": str(world["delivered"].id), "rating": 0}, "SUCCESS", "rating"),
    ]:
        with subtests.test(kind=kind, fields=fields):
            exc = refused(ValidationError, svc.activities.create, world["a"].id, kind=kind, outcome=outcome, **fields)
            assert_problem(exc, status=422, error_keys=[key])


def test_activity_in_the_future(svc, world, refused):
    exc = refused(ValidationError, svc.activities.create, world["a"].id, kind="MENU_INTEGRATION", season="Q4",
                  outcome="MENU_LOCKED", occurred_at=datetime.now(timezone.utc) + timedelta(days=2))
    assert_problem(exc, status=422, error_keys=["occurred_at"])


def test_product_feedback_for_a_sample_that_is_not_delivered(svc, world, refused):
    exc = refused(IllegalTransition, svc.activities.create, world["a"].id, kind="PRODUCTTEST_FEEDBACK",
                  sample_id=world["requested"].id, rating=4, outcome="SUCCESS")
    assert exc.current == "REQUESTED"
    assert exc.allowed == ["PACKED", "CANCELED"]
    assert_problem(exc, status=409)


def test_product_feedback_before_the_delivery(svc, world, refused):
    delivered = world["delivered"]
    exc = refused(ValidationError, svc.activities.create, world["a"].id, kind="PRODUCTTEST_FEEDBACK",
                  sample_id=delivered.id, outcome="SUCCESS", occurred_at=delivered.last_event_at - timedelta(days=1))
    assert_problem(exc, status=422, error_keys=["event_at"])


def test_product_feedback_for_another_customers_or_an_unknown_sample(svc, world, refused):
    exc = refused(ValidationError, svc.activities.create, world["a"].id, kind="PRODUCTTEST_FEEDBACK",
                  sample_id=world["other_sample"].id, outcome="SUCCESS")
    assert_problem(exc, status=422, error_keys=["sample_id"])
    exc = refused(NotFound, svc.activities.create, world["a"].id, kind="PRODUCTTEST_FEEDBACK",
                  sample_id=NOBODY, outcome="SUCCESS")
    assert_problem(exc, status=404, error_keys=["sample_id"])


def test_unknown_roi_scenario_or_another_customers(svc, world, refused):
    exc = refused(NotFound, svc.activities.create, world["a"].id, kind="ROI_CONSULTATION", roi_scenario_id=NOBODY,
                  commitment_level="HIGH", outcome="QUALIFIED")
    assert_problem(exc, status=404, error_keys=["roi_scenario_id"])
    exc = refused(ValidationError, svc.activities.create, world["a"].id, kind="ROI_CONSULTATION",
                  roi_scenario_id=world["other_scenario"].id, commitment_level="HIGH", outcome="QUALIFIED")
    assert_problem(exc, status=422, error_keys=["roi_scenario_id"])


def test_bad_activity_filters(svc, world, refused, subtests):
    for filters, key in [({"kind": "COFFEE_CHAT"}, "kind"), ({"from_": "last week"}, "from_"), ({"to": 5}, "to"),
                         ({"q": 5}, "q")]:
        with subtests.test(filters=filters):
            exc = refused(ValidationError, svc.activities.list, world["a"].id, **filters)
            assert_problem(exc, status=422, error_keys=[key])


def test_the_world_is_still_consistent_after_all_that(svc, world, refused, owner_engine):
    """A refused write in the middle of good ones does not disturb them."""
    refused(ValidationError, svc.fields.patch, world["a"].id, {"bogus": 1})
    svc.fields.patch(world["a"].id, {"roi_potential": {"bucket": "MID", "value": 10}})
    refused(IllegalTransition, svc.samples.set_status, world["requested"].id, "SHIPPED")
    svc.samples.set_status(world["requested"].id, "PACKED")
    assert svc.projections.verify(batches=1) == 0
    with owner_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM hot_projection_drifted")).scalar_one() == 0
        row = conn.execute(sa.text("SELECT roi_bucket, sample_status FROM cm_customer_hot_proj WHERE customer_id = :id"),
                           {"id": world["a"].id}).one()
    assert tuple(row) == ("MID", "PACKED")


def test_the_snapshot_sees_every_kind_of_change(svc, world, owner_engine):
    """The guard above can fail: each of these writes shows up in the snapshot."""
    writes = [
        lambda: svc.fields.patch(world["a"].id, {"kitchen_notes": "new"}),
        lambda: svc.samples.set_status(world["requested"].id, "PACKED"),
        lambda: svc.activities.create(world["b"].id, kind="MENU_INTEGRATION", season="Q1", outcome="DRAFT"),
    ]
    for write in writes:
        before = snapshot(owner_engine)
        write()
        after = snapshot(owner_engine)
        assert after != before
        assert after["event_outbox.max_position"] > before["event_outbox.max_position"]
    # A change to a single value inside a row, with counts unchanged, is seen too.
    before = snapshot(owner_engine)
    with owner_engine.begin() as conn:
        conn.execute(sa.text("UPDATE event_outbox SET data = '{}' WHERE position = (SELECT min(position) FROM event_outbox)"))
    after = snapshot(owner_engine)
    assert after["event_outbox"] != before["event_outbox"]
    assert after["event_outbox"][0] == before["event_outbox"][0]
