"""`steward demo`: the bulk-loaded demo data is complete, consistent with the pack's rules,
valid against the catalog, deterministic, and the service layer works on it."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

import services
from services.entrypoints import demo
from services.service_layer import people, projections
from services.entrypoints.cli import app
from services.entrypoints.demo import bulk
from services.errors import ValidationError
from services.service_layer.kpis import aggregates as kpi_aggregates
from services.pack import load_pack
from services.rules import calendar, workflow
from services.rules.validation import check_errors, schema_errors

CUSTOMERS = 2000
TODAY = calendar.today()
KINDS = ("PRODUCTTEST_FEEDBACK", "ROI_CONSULTATION", "MENU_INTEGRATION", "DECISION_MAKER_ALIGNMENT")
HOT_KEYS = ("roi_potential", "decision_makers", "seasonal_menu_cycle", "current_supplier_contracts")


@pytest.fixture
def loaded(clean_db, owner_engine):
    return demo.load(owner_engine, CUSTOMERS, seed=7, today=TODAY)


def rows(engine, query: str, **params):
    with engine.connect() as conn:
        return conn.execute(sa.text(query), params).all()


def one(engine, query: str, **params):
    with engine.connect() as conn:
        return conn.execute(sa.text(query), params).scalar_one()


def test_the_summary_counts_what_is_in_the_database(loaded, owner_engine, sql_count):
    s = loaded
    assert sql_count("accounts") == s.customers == CUSTOMERS
    assert sql_count("accounts", "is_chain") == s.chains > 0
    assert sql_count("accounts", "parent_account_id IS NOT NULL") == s.locations > 0
    assert s.chains + s.locations + s.single_sites == CUSTOMERS
    assert sql_count("contacts") == s.contacts
    assert sql_count("field_values") == s.field_values
    assert sql_count("sample_item") == s.sample_items
    assert sql_count("roi_scenarios") == s.roi_scenarios == s.activities["ROI_CONSULTATION"]
    assert dict(rows(owner_engine, "SELECT status, count(*) FROM sample_request GROUP BY status")) == s.samples
    assert dict(rows(owner_engine, "SELECT kind, count(*) FROM activities GROUP BY kind")) == s.activities
    assert dict(rows(owner_engine, "SELECT role, count(*) FROM users WHERE active GROUP BY role")) == s.people
    assert sql_count("slas", "status = 'OPEN'") == s.slas["open"]
    assert sql_count("slas", "status = 'OPEN' AND due_date < :today", today=TODAY) == s.slas["overdue"]
    assert sql_count("slas", "status = 'MET'") == s.slas["met_on_time"] + s.slas["met_late"]
    # An import, not business activity.
    assert sql_count("event_outbox", "customer_id IS NOT NULL") == 0 and s.outbox_events == 0
    assert "no customer events" in s.note


def test_every_status_kind_and_hot_field_is_there(loaded, owner_engine, sql_count):
    assert all(loaded.samples[status] > 0 for status in workflow.STATUSES)
    assert all(loaded.activities[kind] > 0 for kind in KINDS)
    for key in HOT_KEYS:
        assert sql_count("field_values", "field_key = :k", k=key) > 0, key
    assert sql_count("cm_customer_hot_proj", "sample_status IS NOT NULL") > 0
    # Decision makers come both as a count and as a list of people.
    assert {t for (t,) in rows(owner_engine, "SELECT DISTINCT jsonb_typeof(value) FROM field_values "
                                             "WHERE field_key = 'decision_makers'")} == {"object", "array"}
    assert sql_count("accounts", "coverage_policy = 'CHAIN_SHARED'") > 0
    assert sql_count("accounts", "coverage_policy = 'OWNER_ONLY' AND parent_account_id IS NOT NULL") > 0
    assert loaded.slas["overdue"] > 0 and loaded.slas["met_on_time"] > 0 and loaded.slas["met_late"] > 0
    assert loaded.slas["open"] > loaded.slas["overdue"]
    # Most samples are the default kit.
    kits = Counter(k for (k,) in rows(owner_engine, "SELECT kit_id FROM sample_request"))
    assert kits.most_common(1)[0][0] == "CF-BASIS-5" and None in kits


def test_audit_history_has_one_demo_row_per_initial_value(loaded, owner_engine, sql_count):
    assert sql_count("field_history") == loaded.field_values
    assert sql_count("field_history", "source = 'demo' AND old_value IS NULL") == loaded.field_values
    assert one(owner_engine, "SELECT count(*) FROM field_values v JOIN field_history h "
                             "ON h.customer_id = v.customer_id AND h.field_key = v.field_key "
                             "AND h.new_value = v.value AND h.changed_at = v.updated_at") == loaded.field_values


def test_the_projection_equals_the_truth(loaded, owner_engine):
    assert projections.count_drift(owner_engine) == 0


def test_the_cockpit_aggregates_of_the_load_equal_a_rebuild_batch_by_batch(loaded, owner_engine):
    def aggregates() -> dict[str, list[str]]:
        with owner_engine.connect() as conn:
            return {t: sorted(conn.exec_driver_sql(f"SELECT to_jsonb(t)::text FROM {t} t").scalars())
                    for t in kpi_aggregates._TABLES}

    built = aggregates()   # by the load, in one pass
    assert all(built.values())
    kpi_aggregates.rebuild_all(owner_engine, customer_batches=5)
    assert aggregates() == built


def test_sample_histories_are_consistent(loaded, owner_engine):
    broken = one(owner_engine, """
        WITH h AS (
            SELECT h.*, s.status AS sample_status, s.created_at, s.last_event_at,
                   lag(h.new_status) OVER w AS previous_status, lag(h.event_at) OVER w AS previous_at,
                   row_number() OVER w AS step, count(*) OVER (PARTITION BY h.sample_id) AS steps
              FROM sample_status_history h JOIN sample_request s ON s.id = h.sample_id
            WINDOW w AS (PARTITION BY h.sample_id ORDER BY h.id))
        SELECT count(*) FROM h
         WHERE (step = 1 AND (new_status <> 'REQUESTED' OR old_status IS NOT NULL OR event_at <> created_at))
            OR (step > 1 AND (old_status IS DISTINCT FROM previous_status OR event_at < previous_at))
            OR (step = steps AND (new_status <> sample_status OR event_at <> last_event_at))
            OR event_at > now()""")
    assert broken == 0
    assert one(owner_engine, "SELECT count(*) FROM sample_request s WHERE NOT EXISTS "
                             "(SELECT 1 FROM sample_status_history h WHERE h.sample_id = s.id)") == 0
    for old, new in rows(owner_engine, "SELECT DISTINCT old_status, new_status FROM sample_status_history "
                                       "WHERE old_status IS NOT NULL"):
        assert new in workflow.allowed_next(old), (old, new)


def test_slas_follow_the_packs_rules(loaded, owner_engine):
    feedback = rows(owner_engine, """
        SELECT o.due_date, o.status, o.closed_at, h.event_at AS delivered_at, a.occurred_at, a.kind,
               a.data ->> 'sample_id' = CAST(o.sample_id AS text) AS same_sample
          FROM slas o
          JOIN sample_status_history h ON h.sample_id = o.sample_id AND h.new_status = 'DELIVERED'
          LEFT JOIN activities a ON a.id = o.met_by_activity_id
         WHERE o.rule = 'feedback_after_delivery'""")
    assert feedback
    for due, status, closed_at, delivered_at, met_at, kind, same_sample in feedback:
        assert due == calendar.add_business_days(calendar.local_date(delivered_at), 5)
        if status == "MET":
            assert (kind, met_at, same_sample) == ("PRODUCTTEST_FEEDBACK", closed_at, True)
    assert one(owner_engine, "SELECT count(*) FROM sample_request s WHERE s.status = 'DELIVERED' AND NOT EXISTS "
                             "(SELECT 1 FROM slas o WHERE o.sample_id = s.id AND o.status = 'OPEN')") == 0

    follow_ups = rows(owner_engine, """
        SELECT o.due_date, o.status, o.opened_at, o.closed_at, c.kind, c.outcome, c.occurred_at,
               (SELECT min(a.occurred_at) FROM activities a
                 WHERE a.customer_id = o.customer_id AND a.occurred_at > o.opened_at) AS next_contact
          FROM slas o JOIN activities c ON c.id = o.opened_by_activity_id
         WHERE o.rule = 'follow_up'""")
    assert follow_ups
    for due, status, opened_at, closed_at, kind, outcome, occurred_at, next_contact in follow_ups:
        assert (kind, occurred_at) == ("ROI_CONSULTATION", opened_at) and outcome in ("QUALIFIED", "NEEDS_DATA")
        assert due == calendar.local_date(opened_at) + timedelta(days=7)
        # Any contact after a consultation is its follow-up.
        assert (status, closed_at) == (("MET", next_contact) if next_contact else ("OPEN", None))
    # Met SLAs name the activity that met them, at the moment they were met.
    assert one(owner_engine, "SELECT count(*) FROM slas o JOIN activities a ON a.id = o.met_by_activity_id "
                             "WHERE a.occurred_at <> o.closed_at OR a.customer_id <> o.customer_id") == 0


def test_values_pass_the_catalogs_schemas(loaded, owner_engine):
    pack = load_pack()
    fields = {f.key: f for f in pack.fields}
    kinds = {k.kind: k for k in pack.activity_kinds}
    FIELD_CHECKS = {key: f.checks for key, f in fields.items()}
    KIND_CHECKS = {kind: k.checks for kind, k in kinds.items()}
    for key, value in rows(owner_engine, "SELECT field_key, value FROM field_values"):
        assert not schema_errors(fields[key].schema, value, prefix=key), (key, value)
        assert not check_errors(FIELD_CHECKS[key], value, prefix=key), (key, value)
        assert not fields[key].derived
    for kind, outcome, data in rows(owner_engine, "SELECT kind, outcome, data FROM activities"):
        assert outcome in kinds[kind].outcomes
        assert not schema_errors(kinds[kind].fields_schema, data, prefix=""), (kind, data)
        assert not check_errors(KIND_CHECKS[kind], data, prefix=""), (kind, data)


def test_foreign_keys_hold_although_the_load_skipped_their_checks(loaded, owner_engine):
    # Re-adding a constraint validates it against every row; the transaction is rolled back.
    constraints = rows(owner_engine, "SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) "
                                     "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(:t)",
                       t=list(bulk.LOADED))
    assert len(constraints) > 20
    with owner_engine.connect() as conn, conn.begin() as transaction:
        for table, name, definition in constraints:
            conn.execute(sa.text(f"ALTER TABLE {table} DROP CONSTRAINT {name}"))
            conn.execute(sa.text(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"))
        transaction.rollback()


def _digest(engine) -> dict[str, str]:
    tables = ("accounts", "contacts", "contact_roles", "field_values", "sample_request", "sample_item",
              "sample_status_history", "roi_scenarios", "activities", "slas")
    return {t: one(engine, f"SELECT md5(string_agg(CAST(x AS text), '|' ORDER BY CAST(x AS text))) FROM {t} x")
            for t in tables}


def test_the_same_seed_gives_the_same_data(clean_db, owner_engine):
    demo.load(owner_engine, 300, seed=11, today=TODAY)
    first = _digest(owner_engine)
    demo.load(owner_engine, 300, seed=11, today=TODAY, replace=True)
    assert _digest(owner_engine) == first
    demo.load(owner_engine, 300, seed=12, today=TODAY, replace=True)
    assert _digest(owner_engine)["accounts"] != first["accounts"]


def test_refuses_a_database_with_customers_and_replaces_on_request(loaded, owner_engine, sql_count):
    users, events = sql_count("users"), sql_count("event_outbox")
    with pytest.raises(demo.DemoDataExists) as refused:
        demo.load(owner_engine, 500, seed=1)
    assert "--replace" in refused.value.detail and refused.value.status == 409
    assert sql_count("accounts") == CUSTOMERS and sql_count("users") == users and sql_count("event_outbox") == events

    summary = demo.load(owner_engine, 500, seed=1, replace=True)
    assert sql_count("accounts") == summary.customers == 500
    assert sql_count("users") == users  # the sales team is reused
    assert projections.count_drift(owner_engine) == 0


def test_bad_input_is_refused_before_anything_is_written(clean_db, owner_engine, sql_count, subtests):
    for customers, seed in ((5, 1), (demo.MAX_CUSTOMERS + 1, 1), ("many", 1), (True, 1), (500, -1), (500, 1.5)):
        with subtests.test(customers=customers, seed=seed):
            with pytest.raises(ValidationError):
                demo.load(owner_engine, customers, seed)
            assert sql_count("users") == 0 and sql_count("accounts") == 0


def test_a_non_superuser_owner_gets_checked_keys_and_the_same_schema(clean_db, owner_engine, monkeypatch):
    def schema_objects():
        return (rows(owner_engine, "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
                                   "ORDER BY 1"),
                rows(owner_engine, "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                                   "WHERE connamespace = 'public'::regnamespace ORDER BY 1"),
                rows(owner_engine, "SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1"))

    before = schema_objects()
    monkeypatch.setattr(bulk, "skips_key_checks", lambda conn: False)
    demo.load(owner_engine, 300, seed=3, today=TODAY)
    assert schema_objects() == before
    assert projections.count_drift(owner_engine) == 0


def test_the_service_layer_works_on_the_demo(clean_db, owner_engine):
    people.ensure_demo_people(owner_engine)
    demo.load(owner_engine, CUSTOMERS, seed=5, today=TODAY)
    with services.connect(url=clean_db) as svc:
        high = svc.customers.list(roi_bucket="HIGH", limit=50)
        assert high.items and all(c.roi_bucket == "HIGH" for c in high.items) and high.next_cursor
        assert svc.customers.list(sample_status="DELIVERED", renewal_before=TODAY + timedelta(days=730)).items
        assert svc.customers.list(q="kantine", region="WEST").items
        assert svc.customers.list(season_from=TODAY, decision_maker_count_min=2, exclusivity=True).items
        customer = svc.customers.list(sample_status="FEEDBACK_SUCCESS", limit=1).items[0]
        assert svc.activities.list(customer.id).items
        fs = svc.fields.get(customer.id)
        assert fs.values["sample_status"] == "FEEDBACK_SUCCESS"
        svc.fields.patch(customer.id, {"roi_potential": {"bucket": "HIGH", "value": 4321}}, if_match=fs.etag)
        delivered = svc.customers.list(sample_status="DELIVERED", limit=1).items[0]
        sample = svc.samples.list(delivered.id)[0]
        svc.activities.create(delivered.id, kind="PRODUCTTEST_FEEDBACK", outcome="SUCCESS", sample_id=sample.id,
                              rating=5)
        assert svc.projections.verify() == 0

    # The chain manager got the biggest chains (compared by size: equal sizes may tie).
    sizes = rows(owner_engine, """
        SELECT count(*), bool_or(parent_account_id IN (SELECT chain_id FROM user_chains JOIN users u ON u.id = user_id
                                                        WHERE u.login = 'felix'))
          FROM accounts WHERE parent_account_id IS NOT NULL GROUP BY parent_account_id ORDER BY 1 DESC""")
    managed = sorted((n for n, mine in sizes if mine), reverse=True)
    assert len(managed) == 3 and managed == [n for n, _ in sizes[:3]]

    # A sales rep sees their own customers and the shared siblings in their chains, nothing else.
    login, rep_id = rows(owner_engine, """
        SELECT u.login, u.id FROM users u JOIN accounts a ON a.owner_id = u.id
          JOIN accounts sibling ON sibling.parent_account_id = a.parent_account_id AND sibling.owner_id <> u.id
         WHERE u.role = 'SALES_REP' AND sibling.coverage_policy = 'CHAIN_SHARED'
         GROUP BY u.login, u.id ORDER BY count(*) DESC, u.login LIMIT 1""")[0]
    expected = {c for (c,) in rows(owner_engine, """
        SELECT id FROM accounts WHERE owner_id = :me
        UNION
        SELECT s.id FROM accounts s
         WHERE s.coverage_policy = 'CHAIN_SHARED'
           AND s.parent_account_id IN (SELECT parent_account_id FROM accounts WHERE owner_id = :me)""", me=rep_id)}
    seen, cursor = set(), None
    with services.connect(url=clean_db, user=login) as rep:
        while True:
            page = rep.customers.list(limit=500, cursor=cursor)
            seen |= {c.id for c in page.items}
            if not (cursor := page.next_cursor):
                break
    assert seen == expected
    assert any(owner != rep_id for (owner,) in rows(owner_engine, "SELECT owner_id FROM accounts WHERE id = ANY(:ids)",
                                                    ids=list(seen)))


def test_the_cli_loads_prints_a_summary_and_refuses_to_load_twice(clean_db):
    runner = CliRunner()
    env = {"STEWARD_DATABASE_URL": clean_db}
    result = runner.invoke(app, ["demo", "--customers", "300", "--seed", "3"], env=env)
    assert result.exit_code == 0, result.output
    assert "Loaded 300 customers" in result.output and "Feedback: success" in result.output
    assert "FEEDBACK_SUCCESS" not in result.output and "PRODUCTTEST_FEEDBACK" not in result.output   # words, not codes
    assert "no customer events" in result.output

    verified = runner.invoke(app, ["projections", "verify"], env=env)
    assert verified.exit_code == 0 and "0 drifted" in verified.output

    again = runner.invoke(app, ["demo", "--customers", "300"], env=env)
    assert isinstance(again.exception, demo.DemoDataExists)
    replaced = runner.invoke(app, ["demo", "--customers", "400", "--replace"], env=env)
    assert replaced.exit_code == 0 and "Loaded 400 customers" in replaced.output
