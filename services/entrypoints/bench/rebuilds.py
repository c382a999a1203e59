"""Rebuilding the hot projection: our set-based rebuild against the per-customer recompute loop
of the source's design and against REFRESH MATERIALIZED VIEW over the same truth."""

from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from services.service_layer import projections
from services.entrypoints.bench import source_design
from services.entrypoints.bench.source_design import SCHEMA
from services.entrypoints.bench.timing import Row, compared, stopwatch

BATCHES = 64
LOOP_BUDGET_SECONDS = 30.0

_COLUMNS = ("customer_id, name, city, region, owner_id, chain_id, chain_name, is_chain, shared, sample_status, "
            "sample_last_event_at, roi_bucket, roi_value, decision_maker_count, has_exec_alignment, season_start, "
            "season_end, renewal_date, exclusivity, sla_due")
_WRITE_ALL = sa.text(f"INSERT INTO {SCHEMA}.hot_rebuilt ({_COLUMNS}) "
                     f"SELECT {_COLUMNS} FROM hot_projection_truth(:lo, :hi)")
_IDS_IN = sa.text("SELECT id FROM accounts WHERE id BETWEEN :lo AND :hi")


def measure(owner: Engine, customers: int) -> list[Row]:
    seconds, report = stopwatch(lambda: projections.rebuild(owner, batches=BATCHES))
    product = Row("rebuild", "services.service_layer.projections.rebuild (compare all, repair drift)", "admin", seconds=seconds,
                  unit="s", note=f"{report.customers:,} customers compared, {report.repaired:,} rows repaired")
    every_row = Row("rebuild", "set-based, every row written (all our indexes)", "admin",
                    seconds=_write_every_row(owner), unit="s")
    refresh = Row("rebuild", "REFRESH MATERIALIZED VIEW over hot_projection_truth", "admin",
                  seconds=_refresh(owner), unit="s", is_baseline=True)
    loop = _recompute_loop(owner, customers)
    return [compared(product, loop, refresh), compared(every_row, loop, refresh), refresh, loop]


def _write_every_row(owner: Engine) -> float:
    started = time.perf_counter()
    for lo, hi in projections.id_ranges(BATCHES):
        with owner.begin() as conn:
            conn.execute(_WRITE_ALL, {"lo": lo, "hi": hi})
    return time.perf_counter() - started


def _refresh(owner: Engine) -> float:
    with owner.begin() as conn:
        seconds, _ = stopwatch(lambda: conn.exec_driver_sql(f"REFRESH MATERIALIZED VIEW {SCHEMA}.hot_truth_mv"))
    return seconds


def _recompute_loop(owner: Engine, customers: int) -> Row:
    """Whole id slices through the source's recompute, one customer at a time, until the
    budget is spent; the rest is extrapolated from the customers done (and the row says so)."""
    done = 0
    started = time.perf_counter()
    for lo, hi in projections.id_ranges(BATCHES):
        with owner.begin() as conn:
            ids = conn.execute(_IDS_IN, {"lo": lo, "hi": hi}).scalars().all()
            done += source_design.recompute(conn, ids)
        if time.perf_counter() - started > LOOP_BUDGET_SECONDS:
            break
    spent = time.perf_counter() - started
    whole = spent * customers / done if done else None
    note = ("every customer" if done >= customers else
            f"extrapolated from {done:,} customers in {spent:.1f} s (the whole loop would take too long)")
    return Row("rebuild", "per-customer recompute loop (source's design)", "admin", seconds=whole, unit="s",
               is_baseline=True, note=note, extra={"customers_done": done, "seconds_spent": spent})
