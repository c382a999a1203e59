"""Adding a hot field is an edit to the pack and nothing else.

A copy of the shipped pack with one more hot field (a test's field, not a shipped one):
a delivery slot whose weekday and earliest hour become projection columns, the weekday
filterable by a list of days, the hour sortable and filterable by a minimum. Nothing
else is changed; `steward db upgrade` makes the columns, the index, the trigger and the
truth, and the service layer filters and sorts by the new names.
"""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import sql

import services
from services import paths, pack
from services.adapters import hot_fields, schema
from services.adapters.database import database_url
from tests.logins import ensure_person

EXTRA_FIELD = '''

[[field]]
key = "delivery_slot"
label = "Delivery slot"
hot = true
description = "The weekday and earliest hour the kitchen takes deliveries."
[field.schema]
type = "object"
required = ["weekday"]
additionalProperties = false
properties.weekday = { type = "string", enum = ["MON", "TUE", "WED", "THU", "FRI"], title = "Weekday" }
properties.earliest = { type = "integer", minimum = 0, maximum = 23, title = "Earliest hour" }
[[field.column]]
name = "delivery_weekday"
type = "text"
path = "weekday"
label = "Delivery day"
filters = [{ name = "delivery_weekday", op = "in", label = "Delivery day" }]
[[field.column]]
name = "delivery_earliest"
type = "integer"
path = "earliest"
label = "Earliest delivery"
sortable = true
filters = [{ name = "delivery_earliest_min", op = ">=", label = "Earliest delivery from", minimum = 0 }]
'''


def _forget_the_pack() -> None:
    """What is read once per process from the pack."""
    pack.load_pack.cache_clear()
    schema.definitions.cache_clear()
    schema.definitions_hash.cache_clear()
    paths.query.cache_clear()
    hot_fields._repairs.clear()


@pytest.fixture
def extended(tmp_path, monkeypatch, database):
    """A database on the shipped pack plus the delivery slot; the shipped pack again afterwards."""
    folder = tmp_path / "b2b_food_plus"
    shutil.copytree(paths.resources_dir() / pack.DEFAULT_PACK, folder)
    with open(folder / "pack.toml", "a", encoding="utf-8") as f:
        f.write(EXTRA_FIELD)
    monkeypatch.setenv(pack.PACK_SETTING, str(folder))
    _forget_the_pack()
    server = sa.engine.make_url(database).set(drivername="postgresql")
    name = f"steward_pack_{secrets.token_hex(3)}"
    with psycopg.connect(server.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        schema.upgrade(database_url(url))
        yield url
    finally:
        monkeypatch.undo()
        _forget_the_pack()
        with psycopg.connect(server.render_as_string(hide_password=False), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def test_a_sixth_hot_field_is_filterable_sortable_rebuilt_and_verified(extended):
    owner = services.connect(url=extended)
    try:
        login = ensure_person(owner.engine, f"t_admin_{secrets.token_hex(3)}", role="ADMIN")
        admin = services.connect(url=extended, user=login)
        slots = {"early monday": ("MON", 7), "tuesday": ("TUE", 9), "any monday": ("MON", None), "friday": ("FRI", 5)}
        ids = {}
        for name, (day, hour) in slots.items():
            customer = admin.customers.create(name=f"Kantine {name}", region="NORTH")
            value = {"weekday": day} | ({"earliest": hour} if hour is not None else {})
            admin.fields.patch(customer.id, {"delivery_slot": value})
            ids[name] = customer.id

        assert "delivery_weekday" in admin.customers.filters() and "delivery_earliest" in admin.customers.sort_keys()
        mondays = admin.customers.list(delivery_weekday="MON")
        assert {row.id for row in mondays.items} == {ids["early monday"], ids["any monday"]}
        assert {row.delivery_weekday for row in mondays.items} == {"MON"}
        early_first = admin.customers.list(sort="delivery_earliest", delivery_earliest_min=6)
        assert [row.delivery_earliest for row in early_first.items] == [7, 9]
        by_hour = admin.customers.list(sort="-delivery_earliest")
        assert [row.id for row in by_hour.items] == [ids["tuesday"], ids["early monday"], ids["friday"],
                                                     ids["any monday"]]   # no hour: last
        with pytest.raises(services.ValidationError) as refused:
            admin.customers.list(delivery_weekday="SUN")
        assert "delivery_weekday" in refused.value.errors
        with pytest.raises(services.ValidationError):        # the database checks the new schema too
            admin.fields.patch(ids["friday"], {"delivery_slot": {"weekday": "SAT"}})

        # The truth knows the new columns: a hand-broken row is found and repaired.
        with owner.engine.begin() as conn:
            conn.execute(sa.text("UPDATE cm_customer_hot_proj SET delivery_weekday = 'WED' WHERE customer_id = :id"),
                         {"id": ids["tuesday"]})
        assert owner.projections.verify() == 1
        assert owner.projections.rebuild().repaired == 1
        assert owner.projections.verify() == 0
        assert admin.customers.list(delivery_weekday="TUE").items[0].id == ids["tuesday"]
        admin.close()
    finally:
        owner.close()
