"""A copy of the shipped pack with one more hot field, in a database of its own (the `extended` fixture).

A delivery slot whose weekday and earliest hour become projection columns, the weekday
filterable by a list of days, the hour sortable and filterable by a minimum. Import the
fixture into a test module to use it (tests/integration/test_pack_adds_a_hot_field.py,
tests/desktop/test_pack_columns.py).
"""

from __future__ import annotations

import secrets
import shutil

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import sql

from services import paths, pack
from services.adapters import hot_fields, schema
from services.adapters.database import database_url

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
