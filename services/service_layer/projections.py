"""Rebuilding and verifying the hot projection against the truth.

Both work in short batches over slices of the customer-id space, so neither
holds a long transaction (which would keep vacuum from cleaning the outbox) and
both can report progress.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from services.adapters import hot_fields
from services.pack import load_pack

Progress = Callable[[int, int], None]  # (batches done, batches in all)

# Through the write API (sql/definitions/14_maintenance.sql): an admin runs them as themselves.
_REBUILD_RANGE = sa.text("SELECT steward_api.rebuild_projection_range(:lo, :hi)")
_VERIFY_RANGE = sa.text("SELECT steward_api.verify_projection_range(:lo, :hi)")


@dataclass(frozen=True)
class RebuildReport:
    customers: int
    repaired: int
    seconds: float


def _repair() -> sa.TextClause:
    """The rebuild's statement, generated from the pack's hot columns (services/adapters/hot_fields.py)."""
    return sa.text(hot_fields.repair_statement(load_pack()))


def id_ranges(batches: int) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """`batches` contiguous slices covering every UUID (random UUIDs spread evenly)."""
    step = (1 << 128) // batches
    bounds = [i * step for i in range(batches)] + [1 << 128]
    return [(uuid.UUID(int=bounds[i]), uuid.UUID(int=bounds[i + 1] - 1)) for i in range(batches)]


def rebuild(engine: Engine, *, batches: int = 64, progress: Progress | None = None) -> RebuildReport:
    """Set-based rebuild from the truth, then of the search words from the projection; returns
    how many rows had to change (drift repaired: projection rows, customers whose words differed)."""
    started = time.perf_counter()
    customers = repaired = 0
    ranges = id_ranges(batches)
    for n, (lo, hi) in enumerate(ranges, 1):
        with engine.begin() as conn:
            done = conn.execute(_REBUILD_RANGE, {"lo": lo, "hi": hi}).scalar_one()
        customers += done["customers"]
        repaired += done["repaired"]
        if progress:
            progress(n, len(ranges))
    return RebuildReport(customers, repaired, time.perf_counter() - started)


def repair(conn, customer_ids: Iterable[uuid.UUID]) -> int:
    """Repair the rows of some customers inside the caller's transaction; returns how many differed."""
    ids = sorted(set(customer_ids))
    if not ids:
        return 0
    conn.execute(sa.text("SELECT count(*) FROM (SELECT 1 FROM accounts WHERE id = ANY(:ids) FOR SHARE) AS locked"),
                 {"ids": ids})
    return conn.execute(_repair(),
                        {"lo": ids[0], "hi": ids[-1], "ids": ids}).scalar_one()


def count_drift(engine: Engine, *, batches: int = 64, progress: Progress | None = None) -> int:
    """How many customers' projection rows differ from the truth, or their search words from those rows."""
    drift = 0
    ranges = id_ranges(batches)
    for n, (lo, hi) in enumerate(ranges, 1):
        with engine.connect() as conn:
            drift += conn.execute(_VERIFY_RANGE, {"lo": lo, "hi": hi}).scalar_one()
        if progress:
            progress(n, len(ranges))
    return drift
