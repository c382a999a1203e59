"""Writing three hot fields: `svc.fields.patch` end to end, and the projection maintenance
alone (one SQL upsert of three field values) with our triggers against the source's design.

Our triggers add the audit row and touch only the projection columns of the
written field; the source's trigger re-reads all five hot fields with five
queries and upserts the whole row, once per written field. Every sample is its
own committed transaction on a different customer.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

import services
from services.entrypoints.bench.source_design import SCHEMA
from services.entrypoints.bench.timing import Row, compared, sample
from services.adapters.database import dumps
from services.rules import calendar

_UPSERT = ("INSERT INTO {table} (customer_id, field_key, value) "
           "SELECT :id, e.key, e.value FROM jsonb_each(CAST(:values AS jsonb)) AS e "
           "ON CONFLICT (customer_id, field_key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()")


class ThreeHotFields:
    """A fresh, valid value for three hot fields on every call, so every write changes something."""

    def __init__(self, seed: int = 11):
        self._random = random.Random(seed)
        self._today = calendar.today()

    def __call__(self) -> dict[str, Any]:
        r = self._random
        start = self._today + timedelta(days=r.randint(10, 300))
        return {
            "roi_potential": {"bucket": r.choice(("LOW", "MID", "HIGH")), "value": r.randint(100, 9000)},
            "decision_makers": {"count": r.randint(0, 6), "has_exec_alignment": r.random() < 0.5},
            "seasonal_menu_cycle": {"season_start": start.isoformat(),
                                    "season_end": (start + timedelta(days=r.randint(30, 120))).isoformat()},
        }


def measure(owner: Engine, sessions: dict[str, services.Steward], customers: dict[str, list], *, n: int) -> list[Row]:
    """`sessions` and `customers` by role: who writes, and customers they may write."""
    values = ThreeHotFields()
    patches: list[Row] = []
    for who, svc in sessions.items():
        ids = _cycle(customers[who])
        timing = sample(lambda s=svc, i=ids: s.fields.patch(next(i), values()), n=n)
        patches.append(Row("write", "fields.patch, three hot fields (audit, projection, outbox)", who, timing))

    ids = _cycle(customers["admin"])
    ours = Row("write", "SQL upsert of three hot fields · our triggers", "admin",
               _upserts(owner, "public.field_values", ids, values, n))
    source = Row("write", "SQL upsert of three hot fields · source's recompute trigger", "admin",
                 _upserts(owner, f"{SCHEMA}.field_values", ids, values, n), is_baseline=True,
                 note="five queries re-read all hot fields, per written field; no audit, no outbox")
    # The service call does more than either trigger (validation, ETag, audit, outbox, the
    # answer); the like-for-like comparison is the SQL pair, writing the same table.
    return [*patches, compared(ours, source), source]


def _upserts(owner: Engine, table: str, ids, values: ThreeHotFields, n: int):
    statement = sa.text(_UPSERT.format(table=table))

    def write() -> None:
        with owner.begin() as conn:
            conn.execute(statement, {"id": next(ids), "values": dumps(values())})

    return sample(write, n=n)


def _cycle(items: list):
    while True:
        yield from items
