"""The source document's projection design, installed beside the product for the baselines.

It lives in its own schema (steward_bench) on a copy of the hot field values,
so the product's tables, triggers and functions are never touched; `installed`
drops the schema on the way out, also after a failure, and a leftover from a
killed run is dropped before installing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

SCHEMA = "steward_bench"
_SQL = Path(__file__).with_name("source_design.sql")


@contextlib.contextmanager
def installed(owner: Engine) -> Iterator[None]:
    drop(owner)
    with owner.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {SCHEMA}")
        conn.exec_driver_sql(_SQL.read_text(encoding="utf-8"))
        conn.exec_driver_sql(f"ANALYZE {SCHEMA}.field_values")
    try:
        yield
    finally:
        drop(owner)


def drop(owner: Engine) -> None:
    with owner.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")


def recompute(conn: sa.Connection, customer_ids: list) -> int:
    """The source's recompute for each customer, in one statement (the loop runs in the server)."""
    return conn.execute(sa.text(f"SELECT count({SCHEMA}.recompute_customer_hot(id)) FROM unnest(CAST(:ids AS uuid[])) AS id"),
                        {"ids": customer_ids}).scalar_one()
