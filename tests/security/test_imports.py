"""Attacks on the import (sql/definitions/50_imports.sql) by a person's own login, in plain
SQL: importing into customers not theirs, into someone else's import, in another region
or for another owner, forging the items undo acts on, calling the undo of an import."""

from __future__ import annotations

import json

import psycopg
import pytest
from psycopg.types.json import Jsonb


def _customer_data(world) -> list:
    return world.su.execute(
        "SELECT a.id, a.name, a.city, a.region, a.owner_id, a.external_ref, a.master_version, "
        "       (SELECT jsonb_object_agg(f.field_key, f.value) FROM field_values f WHERE f.customer_id = a.id), "
        "       (SELECT count(*) FROM contact_roles r WHERE r.account_id = a.id) "
        "  FROM accounts a ORDER BY a.id").fetchall()


def _row(n: int, **customer) -> dict:
    return {"row": n, "customer": customer, "contacts": [], "fields": {"covers_per_day": 321}}


def _open_import(conn, mode: str = "upsert", match: str = "name_city") -> str:
    opened = conn.execute("SELECT steward_api.begin_change_set('import', 'attack', %s)",
                          [Jsonb({"mode": mode, "match": match})]).fetchone()[0]
    return opened["id"]


def test_a_rep_cannot_import_into_customers_not_theirs(world):
    before = _customer_data(world)
    rows = []
    for n, scope in enumerate(("sibling_shared", "sibling_private", "other_chain", "other_region"), start=2):
        name, city = world.su.execute("SELECT name, city FROM accounts WHERE id = %s", [world.customers[scope]]).fetchone()
        rows.append(_row(n, name=name, **({"city": city} if city else {}), external_ref=f"stolen-{n}"))
    with world.connect("rep") as conn:
        cs = _open_import(conn, "update")
        # Refused as a whole ...
        with pytest.raises(psycopg.Error) as refused:
            conn.execute("SELECT steward_api.import_batch(%s, 'update', 'name_city', %s)", [cs, Jsonb(rows)])
        assert refused.value.sqlstate == "SW422" and "not yours to change" in str(refused.value)
        conn.rollback()
        cs = _open_import(conn, "update")
        # ... and row by row, when told to skip refused rows: none of them written. The one the
        # rep may read is "not yours"; those the rep may not read are not found at all.
        result = conn.execute("SELECT steward_api.import_batch(%s, 'update', 'name_city', %s, true)",
                              [cs, Jsonb(rows)]).fetchone()[0]
        conn.commit()
    assert result["created"] == result["updated"] == 0
    assert [(r["row"], r["reason"]) for r in result["refused"]] == [
        (2, "not yours to change"), (3, "no customer matches"), (4, "no customer matches"), (5, "no customer matches")]
    assert _customer_data(world) == before


def test_a_match_by_e_mail_tells_nothing_of_contacts_the_rep_may_not_read(world):
    contact = world.su.execute("INSERT INTO contacts (full_name, email) VALUES ('Geheim', 'geheim@south.example') "
                               "RETURNING id").fetchone()[0]
    world.su.execute("INSERT INTO contact_roles (contact_id, account_id, role) VALUES (%s, %s, 'HEAD_CHEF')",
                     [contact, world.customers["other_region"]])
    try:
        rows = [{"row": n, "customer": {}, "contacts": [{"full_name": "X", "email": email, "roles": ["HEAD_CHEF"]}],
                 "fields": {}} for n, email in ((2, "geheim@south.example"), (3, "nobody@nowhere.example"))]
        with world.connect("rep") as conn:
            answer = conn.execute("SELECT steward_api.import_preview('update', 'email', %s)", [Jsonb(rows)]).fetchone()[0]
        assert [(a["action"], a["errors"]) for a in answer] == \
            [("error", [{"target": "match", "reason": "no customer matches"}])] * 2
    finally:
        world.su.execute("DELETE FROM contacts WHERE id = %s", [contact])


def test_a_rep_cannot_create_customers_elsewhere_or_for_someone_else(world):
    before = _customer_data(world)
    rows = [_row(2, name="Fremdregion", region="SOUTH"),
            _row(3, name="Geschenk", region="NORTH", owner=world.logins["rep2"])]
    with world.connect("rep") as conn:
        cs = _open_import(conn, "create", "name_city")
        result = conn.execute("SELECT steward_api.import_batch(%s, 'create', 'name_city', %s, true)",
                              [cs, Jsonb(rows)]).fetchone()[0]
        conn.commit()
    assert result["created"] == 0
    assert [(r["row"], r["target"], r["reason"]) for r in result["refused"]] == [
        (2, "customer.region", "not your region"), (3, "customer.owner", "a sales rep's customers are their own")]
    assert _customer_data(world) == before


def test_nobody_writes_into_someone_elses_import(world):
    with world.connect("rep2") as conn:
        theirs = _open_import(conn)
        conn.commit()
    with world.connect("rep") as conn:
        with pytest.raises(psycopg.Error) as refused:
            conn.execute("SELECT steward_api.import_batch(%s, 'upsert', 'name_city', %s)",
                         [theirs, Jsonb([_row(2, name="X", region="NORTH")])])
        assert refused.value.sqlstate == "SW404"
        conn.rollback()
        with pytest.raises(psycopg.Error) as refused:
            conn.execute("SELECT steward_api.import_done_rows(%s)", [theirs])
        assert refused.value.sqlstate == "SW404"


@pytest.mark.parametrize("statement", [
    "INSERT INTO change_set_items (change_set_id, customer_id, target, key, after) "
    "VALUES ({cs}, {customer}, 'created', 'customer', '{{}}')",
    "INSERT INTO import_rows (change_set_id, row_number, outcome) VALUES ({cs}, 2, 'refused')",
    "UPDATE change_sets SET kind = 'import' WHERE id = {cs}",
    "SELECT steward_internal.undo_import({cs}, {cs}, '{{}}')",
    "SELECT * FROM import_mappings",
])
def test_a_person_cannot_forge_what_undo_acts_on(world, statement):
    """Undo deletes the customers an import's items name: nobody but the write API writes
    them, and the undo of an import runs only inside steward_api.undo_change_set."""
    with world.connect("rep") as conn:
        cs = _open_import(conn)
        conn.commit()
        before = _customer_data(world)
        target = world.customers["sibling_shared"]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement.format(cs=f"'{cs}'", customer=f"'{target}'"))
        conn.rollback()
    assert _customer_data(world) == before


def test_an_undo_by_a_rep_deletes_only_what_their_import_created(world):
    """A rep's import creates a customer; undo deletes it and nothing else, even when the
    rep's import also named (and was refused) customers of others."""
    before = _customer_data(world)
    name, city = world.su.execute("SELECT name, city FROM accounts WHERE id = %s",
                                  [world.customers["sibling_shared"]]).fetchone()
    rows = [_row(2, name="Neu vom Rep", region="NORTH"), _row(3, name=name, **({"city": city} if city else {}))]
    with world.connect("rep") as conn:
        cs = _open_import(conn)
        result = conn.execute("SELECT steward_api.import_batch(%s, 'upsert', 'name_city', %s, true)",
                              [cs, Jsonb(rows)]).fetchone()[0]
        conn.execute("SELECT steward_api.finish_change_set(%s)", [cs])
        conn.commit()
        assert result["created"] == 1 and len(_customer_data(world)) == len(before) + 1
        undone = conn.execute("SELECT steward_api.undo_change_set(%s)", [cs]).fetchone()[0]
        conn.commit()
    assert json.loads(json.dumps(undone["refused_values"])) == []
    assert _customer_data(world) == before
