"""Keeping the KPI aggregates (sql/migrations/0005) true to the base tables.

The daemon's `kpis` consumer calls `apply_events` for each batch of outbox
events; `rebuild_all` builds everything anew in short transactions (after a
bulk load, in tests, by admins). Both work through per-customer ledgers: the
aggregates change by the difference between what a ledger counted for a
customer and the customer's facts now, and the ledger is then set to the
truth. That costs what the touched customers' own facts cost, and applying a
batch twice, or replaying from an earlier point, finds no difference. Every
writer holds one advisory lock for its transaction, so a rebuild and the
daemon take turns.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from services import paths
from services.service_layer.outbox import OutboxEvent
from services.service_layer.projections import id_ranges

Progress = Callable[[int, int], None]  # (batches done, batches in all)

# The events after which something the cockpit counts may have changed. Any
# event naming a customer refreshes that customer; these are the ones that matter.
RELEVANT_TYPES = (
    "sample.requested",
    "sample.status.changed",
    "activity.created",
    "roi.consultation.updated",
    "customer.fields.changed",
    "customer.created",
    "customer.updated",
    "customer.reassigned",
)
# Of those, the events `apply_touched` reads (a chain's coverage change); of the others only their customer counts.
IN_FULL_TYPES = ("customer.updated",)
REFRESH_CHUNK = 1500  # customers per refresh statement when applying events

_LOCK = sa.text("SELECT pg_advisory_xact_lock(hashtextextended('steward.kpi_aggregates', 0))")
# These statements are cheap but the planner cannot see it (an inlined function
# of several branches, arrays of ids); JIT would then spend far more time
# compiling than they take to run.
_JIT = sa.text("SELECT current_setting('jit'), set_config('jit', 'off', true)")
_RESTORE_JIT = sa.text("SELECT set_config('jit', :jit, true)")
# Customers that exist, and those the ledger still counts (deleted since).
_CUSTOMERS_IN_RANGE = sa.text("SELECT customer_id FROM cm_customer_hot_proj WHERE customer_id BETWEEN :lo AND :hi "
                              "UNION SELECT customer_id FROM kpi_customer_slices WHERE customer_id BETWEEN :lo AND :hi")
_LOCATIONS = sa.text("SELECT id FROM accounts WHERE parent_account_id = ANY (CAST(:chains AS uuid[]))")
_SNAPSHOT = sa.text("SELECT CAST(pg_current_snapshot() AS text) AS snapshot, "
                    "CAST(pg_snapshot_xmin(pg_current_snapshot()) AS text) AS xmin")
# The one-pass build groups a million customers' facts, which it then writes in key
# order anyway: sorting once beats hashing (which spills at this size) and sorting
# again (at a million customers 25 s instead of 29 s).
_BUILD_SETTINGS = sa.text("SELECT set_config('work_mem', '256MB', true), set_config('enable_hashagg', 'off', true)")
# A rebuild starts empty; until it is done the reports read the base tables.
_TABLES = ("kpi_sample_outcomes_daily", "kpi_commitments_daily", "kpi_slas_daily", "kpi_roi_pipeline",
           "kpi_region_daily", "kpi_region_pipeline", "kpi_customer_facts", "kpi_customer_slices")
_RESET = (sa.text(f"TRUNCATE {', '.join(_TABLES)}"),
          sa.text("UPDATE kpi_state SET built_at = NULL, built_snapshot = NULL"))


@dataclass(frozen=True)
class AggregateStatus:
    built_at: datetime | None       # last complete rebuild; None: reports read the base tables
    applied_at: datetime | None     # last batch of events or rebuild
    pending_since: datetime | None  # time of the first relevant event not reflected yet
    now: datetime

    @property
    def present(self) -> bool:
        return self.built_at is not None

    @property
    def lag(self) -> timedelta:
        return self.now - self.pending_since if self.pending_since else timedelta(0)

    @property
    def as_of(self) -> datetime:
        """The aggregates reflect everything that happened before this moment."""
        return self.pending_since or self.now


@dataclass(frozen=True)
class RebuildReport:
    customer_batches: int
    rows_written: int
    seconds: float


@contextlib.contextmanager
def without_jit(conn: Connection, *, restore: bool = True) -> Iterator[None]:
    """JIT off for the transaction; `restore` it after (not needed where the transaction
    ends with the block, nor after an error, which loses the transaction and the setting)."""
    previous = conn.execute(_JIT).scalar_one()
    yield
    if restore:
        conn.execute(_RESTORE_JIT, {"jit": previous})


def status(conn: Connection) -> AggregateStatus:
    """How current the aggregates are; readable by every person. One query."""
    row = conn.execute(sa.text(paths.query("kpi_status")), {"types": list(RELEVANT_TYPES)}).one()
    return AggregateStatus(row.built_at, row.applied_at, row.pending_since, row.now)


def apply_events(conn: Connection, events: Sequence[OutboxEvent]) -> None:
    """Bring the aggregates up to date for everything `events` touched, in the caller's transaction.

    A few set-based statements per batch, whatever its size: the touched
    customers' facts and slices against their ledgers, and the event mark. A
    customer that changed region, owner, chain or coverage takes its counts
    from the old slice to the new one. Needs the daemon's login or the owner.
    """
    if not events:
        return
    last = max(events, key=lambda e: (e.txid, e.position))
    apply_touched(conn, {e.customer_id for e in events if e.customer_id is not None},
                  [e for e in events if e.type in IN_FULL_TYPES], through=(last.txid, last.position))


def apply_touched(conn: Connection, customers: Iterable[uuid.UUID], events: Sequence[OutboxEvent], *,
                  through: tuple[int, int]) -> None:
    """`apply_events` for a batch of which the caller read only what this needs: the customers
    its events name, of the events themselves those of IN_FULL_TYPES, and the (txid, position)
    of its last event (the daemon's consumer; per-event objects cost more than the refresh)."""
    with without_jit(conn):
        conn.execute(_LOCK)
        customers = set(customers)
        chains = sorted(e.customer_id for e in events if e.customer_id is not None and e.type == "customer.updated"
                        and "coverage_policy" in (e.data or {}).get("changes", {}))
        if chains:
            # A chain's coverage applies to its locations, which get no event of their own.
            customers.update(conn.execute(_LOCATIONS, {"chains": chains}).scalars())
        ids = sorted(customers)
        # A few thousand customers at once, and the planner reads the whole ledger instead of theirs.
        for start in range(0, len(ids), REFRESH_CHUNK):
            _refresh(conn, ids[start:start + REFRESH_CHUNK])
        _mark(conn, txid=str(through[0]), position=through[1], built=False)


def refresh_customers(conn: Connection, customers: Iterable[uuid.UUID]) -> int:
    """Bring ledgers and aggregates to the truth for these customers, in the caller's
    transaction (also for jobs that delete facts without events, such as archiving).
    Returns the rows written."""
    with without_jit(conn):
        conn.execute(_LOCK)
        return _refresh(conn, sorted(set(customers)))


def rebuild_all(engine: Engine, progress: Progress | None = None, *, customer_batches: int = 64) -> RebuildReport:
    """Build all aggregates anew from the base tables, in short transactions.

    Starts from empty aggregates (so any drift ends here); until the last batch
    the reports read the base tables. The daemon may keep applying events
    meanwhile: each batch takes the lock, and both keep the ledgers' invariant.
    Needs the daemon's login or the schema owner.
    """
    started = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(_LOCK)
        # Every event visible to this snapshot is reflected when the rebuild is done.
        start = conn.execute(_SNAPSHOT).one()
        for statement in _RESET:
            conn.execute(statement)
    ranges = id_ranges(customer_batches)
    written = 0
    for done, (lo, hi) in enumerate(ranges, 1):
        with engine.begin() as conn, without_jit(conn, restore=False):
            conn.execute(_LOCK)
            written += _refresh(conn, conn.execute(_CUSTOMERS_IN_RANGE, {"lo": lo, "hi": hi}).scalars().all())
            if done == len(ranges):
                _mark(conn, txid=start.xmin, position=0, built=True, snapshot=start.snapshot)
        if progress:
            progress(done, len(ranges))
    return RebuildReport(len(ranges), written, time.perf_counter() - started)


def build_all(engine: Engine) -> RebuildReport:
    """Build all aggregates anew in one transaction, one pass over the base tables
    (sql/queries/kpi_build_all.sql): the same sums as `rebuild_all`, several times
    faster, but one long transaction that the daemon's kpis consumer waits for.
    For a bulk import (the demo load), where nothing else is writing."""
    started = time.perf_counter()
    with engine.begin() as conn, without_jit(conn, restore=False):
        conn.execute(_LOCK)
        start = conn.execute(_SNAPSHOT).one()
        for statement in _RESET:
            conn.execute(statement)
        conn.execute(_BUILD_SETTINGS)
        written = conn.execute(sa.text(paths.query("kpi_build_all"))).scalar_one()
        _mark(conn, txid=start.xmin, position=0, built=True, snapshot=start.snapshot)
        # Filled tables without statistics make the consumer's first batches scan the ledgers.
        conn.execute(sa.text(f"ANALYZE {', '.join(_TABLES)}"))
    return RebuildReport(1, written, time.perf_counter() - started)


def _refresh(conn: Connection, ids: list[uuid.UUID]) -> int:
    # The facts first: they find the slice each customer was counted in in the
    # slice ledger, which the pipeline statement then moves.
    written = conn.execute(sa.text(paths.query("kpi_refresh_daily")), {"ids": ids}).scalar_one()
    return written + conn.execute(sa.text(paths.query("kpi_refresh_pipeline")), {"ids": ids}).scalar_one()


def _mark(conn: Connection, *, txid: str, position: int, built: bool, snapshot: str | None = None) -> None:
    conn.execute(sa.text(paths.query("kpi_mark_events")),
                 {"txid": txid, "position": position, "built": built, "snapshot": snapshot})
