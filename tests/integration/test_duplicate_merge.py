"""Merging customers: every child row to the survivor, picked values, tombstones, one change
set that undo takes back row by row; access rules hold, also against a login's plain SQL."""

from __future__ import annotations

import hashlib

import psycopg
import pytest
import sqlalchemy as sa

import services
from services.errors import Forbidden, NotFound, StewardError
from tests.conftest import SESSION
from tests.logins import ensure_person

REP = f"t_rep_{SESSION}"
REP2 = f"t_rep2_{SESSION}"
CHILDREN = ("sample_request", "activities", "slas", "roi_scenarios")


def _children(engine, ids) -> dict[str, str]:
    """A checksum per child table of these customers' rows (row and customer), and of their links."""
    sums = {}
    with engine.connect() as conn:
        for table in CHILDREN:
            rows = conn.execute(sa.text(f"SELECT id::text, customer_id::text FROM {table} "
                                        "WHERE customer_id = ANY(:ids) ORDER BY id"), {"ids": list(ids)}).all()
            sums[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
        links = conn.execute(sa.text("SELECT contact_id::text, account_id::text, role FROM contact_roles "
                                     "WHERE account_id = ANY(:ids) ORDER BY 1, 2, 3"), {"ids": list(ids)}).all()
        sums["contact_roles"] = (len(links), hashlib.sha256(repr(links).encode()).hexdigest())
    return sums


def _busy_customer(svc, name, city, owner, n):
    c = svc.customers.create(name=name, region="NORTH", city=city, owner=owner)
    svc.fields.patch(c.id, {"covers_per_day": 100 + n, "kitchen_notes": f"notes of {name}"})
    svc.samples.request(c.id)
    svc.activities.create(c.id, "ROI_CONSULTATION", outcome="QUALIFIED", commitment_level="MID")  # opens an SLA
    svc.roi.create_scenario(c.id, f"Scenario {n}")
    svc.customers.add_contact(c.id, f"Chef {n}", ["HEAD_CHEF"], email=f"chef{n}@example.org", phone="+49 40 1234567")
    return c


@pytest.fixture
def pair(svc, owner_engine, clean_db):
    for login in (REP, REP2):
        ensure_person(owner_engine, login, role="SALES_REP", region="NORTH")
    a = _busy_customer(svc, "Gasthaus Zur Linde", "Hamburg", REP, 1)
    b = _busy_customer(svc, "Gasthaus zur Linde GmbH", "Hamburg", REP, 2)
    other = _busy_customer(svc, "Gasthaus Zur Linde", "Kiel", REP2, 3)
    return a, b, other


def test_a_merge_moves_every_child_row_and_undo_puts_each_back(svc, pair, owner_engine, sql_count):
    a, b, _ = pair
    before = _children(owner_engine, [a.id, b.id])
    before_b = _children(owner_engine, [b.id])
    dry = svc.duplicates.merge(a.id, [b.id], pick={"name": b.id, "covers_per_day": b.id}, dry_run=True)
    assert dry.dry_run and dry.change_set is None
    assert dry.moved == {table: n for table, (n, _) in before_b.items()}
    assert all(n >= 1 for n in dry.moved.values())
    assert [f["key"] for f in dry.fields] == ["covers_per_day"] and dry.fields[0]["after"] == 102
    assert [m["key"] for m in dry.master] == ["name"]
    assert _children(owner_engine, [b.id]) == before_b, "a dry run writes nothing"
    assert sql_count("change_sets") == 0 and sql_count("event_outbox", "type = 'customer.merged'") == 0

    done = svc.duplicates.merge(a.id, [b.id], pick={"name": b.id, "covers_per_day": b.id})
    assert done.moved == dry.moved and done.change_set.kind == "merge"
    with owner_engine.connect() as conn:
        for table in CHILDREN:
            assert conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE customer_id = :b"), {"b": b.id}).scalar() == 0
            assert conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE customer_id = :a"),
                                {"a": a.id}).scalar() == before[table][0]
    survivor = svc.customers.get(a.id)
    assert survivor.name == "Gasthaus zur Linde GmbH" and svc.fields.get(a.id).values["covers_per_day"] == 102
    tomb = svc.customers.get(b.id)
    assert tomb.merged_into == a.id, "the merged customer's id still resolves, to its survivor"
    assert b.id not in {r.id for r in svc.customers.list(limit=100).items}, "no tombstone in the grid"
    assert svc.projections.verify() == 0
    assert sql_count("event_outbox", "type = 'customer.merged' AND customer_id = :a", a=a.id) == 1
    items = svc.change_sets.items(done.change_set.id)
    assert {i.target for i in items} == {"moved", "tombstone", "master", "field"}
    assert any(i.key.startswith("sample_request:") for i in items)
    # The history written for b reads under the survivor.
    assert any(h.new == "notes of Gasthaus zur Linde GmbH" for h in svc.fields.history(a.id, "kitchen_notes"))

    undo = svc.change_sets.undo(done.change_set.id)
    assert undo.refused_values == ()
    assert _children(owner_engine, [a.id, b.id]) == before
    assert _children(owner_engine, [b.id]) == before_b
    assert svc.customers.get(b.id).merged_into is None and svc.customers.get(a.id).name == "Gasthaus Zur Linde"
    assert svc.fields.get(a.id).values["covers_per_day"] == 101
    assert b.id in {r.id for r in svc.customers.list(limit=100).items}
    assert svc.projections.verify() == 0
    with pytest.raises(StewardError, match="not redone"):
        svc.change_sets.undo(undo.id)           # a redo would pick the values again and move nothing


def test_undo_refuses_per_row_what_changed_since(svc, pair, owner_engine):
    a, b, _ = pair
    scenario_of_b = svc.roi.list(b.id)[0].id
    done = svc.duplicates.merge(a.id, [b.id])
    with owner_engine.begin() as conn:   # someone deletes one moved row in the meantime
        conn.execute(sa.text("DELETE FROM roi_scenarios WHERE id = :id"), {"id": scenario_of_b})
    undo = svc.change_sets.undo(done.change_set.id)
    assert [(r.customer_id, r.key, r.reason) for r in undo.refused_values] == [
        (b.id, f"roi_scenarios:{scenario_of_b}", "changed since")]
    with owner_engine.connect() as conn:   # every other row went back
        for table in ("sample_request", "activities", "slas"):
            assert conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE customer_id = :b"), {"b": b.id}).scalar() == 1


def test_a_rep_merges_only_their_own_customers(svc, pair, clean_db):
    a, b, other = pair
    with services.connect(url=clean_db, user=REP) as rep:
        with pytest.raises((Forbidden, NotFound)):
            rep.duplicates.merge(a.id, [other.id])          # other is REP2's
        with pytest.raises((Forbidden, NotFound)):
            rep.duplicates.merge(other.id, [a.id])
        assert rep.customers.get(a.id).merged_into is None
        done = rep.duplicates.merge(a.id, [b.id])             # both theirs
        assert done.change_set.kind == "merge"


def test_a_rep_login_cannot_set_merged_into_or_forge_moves_with_sql(svc, pair, clean_db):
    a, b, other = pair
    dsn = sa.engine.make_url(clean_db).set(drivername="postgresql", username=REP, password=None)
    with psycopg.connect(dsn.render_as_string(hide_password=False), autocommit=True) as conn:
        for statement in (
                "UPDATE accounts SET merged_into = %(a)s WHERE id = %(b)s",
                "UPDATE sample_request SET customer_id = %(a)s WHERE customer_id = %(o)s",
                "UPDATE contact_roles SET account_id = %(a)s WHERE account_id = %(b)s",
                "INSERT INTO change_set_items (change_set_id, customer_id, target, key, before, after) "
                "VALUES (gen_random_uuid(), %(b)s, 'moved', 'x', 'null', 'null')",
                "INSERT INTO duplicate_dismissals (customer_a, customer_b) VALUES (%(a)s, %(b)s)",
                "SELECT steward_internal.merge_apply('{}'::jsonb, NULL, 'ADMIN', NULL, %(a)s, ARRAY[%(o)s]::uuid[], '{}')",
                "SELECT steward_internal.undo_merge(gen_random_uuid(), gen_random_uuid(), '{\"role\": \"ADMIN\"}')"):
            with pytest.raises(psycopg.Error):
                conn.execute(statement, {"a": a.id, "b": b.id, "o": other.id})
        with pytest.raises(psycopg.Error, match="may not merge"):
            conn.execute("SELECT steward_api.merge_customers(%(a)s, ARRAY[%(o)s]::uuid[])", {"a": a.id, "o": other.id})
    with svc.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM accounts WHERE merged_into IS NOT NULL")).scalar() == 0


def test_bad_merges_say_why_and_change_nothing(svc, pair, sql_count):
    a, b, _ = pair
    with pytest.raises(StewardError, match="survivor"):
        svc.duplicates.merge(a.id, [a.id])
    with pytest.raises(StewardError, match="not valid"):
        svc.duplicates.merge(a.id, [b.id], pick={"no_such_field": b.id})
    svc.duplicates.merge(a.id, [b.id])
    with pytest.raises(StewardError, match="merged already"):
        svc.duplicates.merge(a.id, [b.id])
    assert sql_count("change_sets") == 1
