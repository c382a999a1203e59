"""Draining the outbox: one daemon with every built-in consumer on, against procrastinate
(a PostgreSQL job queue) working off the same number of no-op jobs on the same server.

The events are synthetic but name real customers, so the projection and KPI
consumers do their real work at this size; logistics posts to a local sink
(services.service_layer.events.bench) and the bus publishes to a NATS server started here
when `nats-server` is installed. Procrastinate gets a scratch database,
dropped afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator

import psycopg
import sqlalchemy as sa
from psycopg import sql
from sqlalchemy.engine import Engine

from services.entrypoints.bench.timing import Row, compared
from services.adapters.database import make_engine
from services.service_layer.events import bench as daemon_bench
from services.service_layer.events.options import DaemonOptions

_ACTOR = '{"type": "system", "id": "steward-bench"}'
# The daemon bench's business-like mix (every tenth event asks logistics for a shipment), for existing customers.
_SEED = sa.text("""
    INSERT INTO event_outbox (id, type, actor, customer_id, data)
    SELECT gen_random_uuid(),
           (ARRAY['customer.fields.changed', 'sample.status.changed', 'activity.created', 'sample.requested',
                  'customer.fields.changed', 'sample.status.changed', 'activity.created', 'customer.updated',
                  'roi.consultation.updated', 'shipment.requested'])[1 + (row_number() OVER () % 10)::int],
           CAST(:actor AS jsonb), c.id,
           jsonb_build_object('customerId', c.id, 'sampleId', gen_random_uuid(), 'items', '[]'::jsonb)
      FROM (SELECT id FROM accounts ORDER BY random() LIMIT :customers) c, generate_series(1, :per_customer) n
""")
_FORGET = sa.text("DELETE FROM event_outbox WHERE actor = CAST(:actor AS jsonb)")
_SEEDED_IN = sa.text("SELECT CAST(pg_current_xact_id() AS text)")
_VISIBLE = sa.text("SELECT pg_snapshot_xmin(pg_current_snapshot()) > CAST(:txid AS xid8)")
PER_CUSTOMER = 5
HORIZON_WAIT_SECONDS = 120


# Enough events that the daemon's start (threads, connections, first plans) is a small
# part of the figure; procrastinate, 40 times slower, gets at most PROCRASTINATE_JOBS.
PROCRASTINATE_JOBS = 10_000


def events_for(customers: int) -> int:
    return min(50_000, max(500, customers // 20))


def measure(owner: Engine, *, events: int) -> list[Row]:
    with owner.begin() as conn:
        seeded = conn.execute(_SEED, {"actor": _ACTOR, "customers": max(1, events // PER_CUSTOMER),
                                      "per_customer": PER_CUSTOMER}).rowcount
        txid = conn.execute(_SEEDED_IN).scalar_one()
    waited = _until_visible(owner, txid)
    daemon = make_engine(owner.url.set(username="steward_daemon", password=None), pool_size=6,
                         application_name="steward-bench-daemon")
    try:
        with _nats() as nats_url:
            stats = daemon_bench.measure(daemon, nats_url=nats_url, batch_size=DaemonOptions().batch_size)
    finally:
        daemon.dispose()
        with owner.begin() as conn:
            conn.execute(_FORGET, {"actor": _ACTOR})
    consumers = ", ".join(stats.passed) + ("" if nats_url else " (bus off: no nats-server)")
    ours = Row("drain", "outbox drain, one daemon, all built-in consumers", "daemon", rate=stats.events_per_second,
               unit="events/s", note=f"{stats.events:,} events ({seeded:,} seeded) in {stats.seconds:.1f} s; "
                                     f"consumers: {consumers}",
               extra={"events": stats.events, "seconds": stats.seconds, "passed": stats.passed,
                      "waited_for_horizon_s": waited})
    try:
        import procrastinate  # noqa: F401  (the `bench` extra)
    except ModuleNotFoundError:
        return [ours, Row("drain", "procrastinate worker (not installed)", "worker", is_baseline=True,
                          note="not measured: pip install 'steward[bench]'")]
    jobs = min(seeded, PROCRASTINATE_JOBS)
    seconds = _procrastinate(owner, jobs)
    worker = Row("drain", "procrastinate worker, no-op jobs", "worker", rate=jobs / seconds, unit="events/s",
                 is_baseline=True, note=f"{jobs:,} jobs in {seconds:.1f} s")
    return [compared(ours, worker), worker]


def _until_visible(owner: Engine, txid: str) -> float:
    """Consumers read only events below every running transaction's id, on the whole server
    (xids are cluster-wide): a long transaction in another database holds them back. Wait
    until the seeded events are readable, so the drain measures draining, not waiting."""
    started = time.perf_counter()
    while time.perf_counter() - started < HORIZON_WAIT_SECONDS:
        with owner.connect() as conn:
            if conn.execute(_VISIBLE, {"txid": txid}).scalar_one():
                break
        time.sleep(0.2)
    return time.perf_counter() - started


@contextlib.contextmanager
def _nats() -> Iterator[str | None]:
    """A throw-away NATS server with JetStream, or None when none is installed."""
    binary = shutil.which("nats-server")
    if binary is None:
        yield None
        return
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory(prefix="steward-bench-nats-") as store:
        server = subprocess.Popen([binary, "-js", "-a", "127.0.0.1", "-p", str(port), "-sd", store],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_for_port(port)
            yield f"nats://127.0.0.1:{port}"
        finally:
            server.terminate()
            server.wait(timeout=10)


def _wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)


def _procrastinate(owner: Engine, jobs: int) -> float:
    """Seconds one procrastinate worker (default settings) takes for `jobs` no-op jobs, in a scratch database."""
    import procrastinate

    server = owner.url.set(drivername="postgresql")
    scratch = f"steward_bench_queue_{secrets.token_hex(3)}"
    admin_dsn = server.render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
    try:
        app = procrastinate.App(connector=procrastinate.PsycopgConnector(
            conninfo=server.set(database=scratch).render_as_string(hide_password=False)))

        @app.task(name="noop")
        async def noop() -> None:
            return None

        async def run() -> float:
            async with app.open_async():
                await app.schema_manager.apply_schema_async()
                for start in range(0, jobs, 5000):
                    await noop.batch_defer_async(*({} for _ in range(min(5000, jobs - start))))
                started = time.perf_counter()
                await app.run_worker_async(wait=False, install_signal_handlers=False, listen_notify=False)
                return time.perf_counter() - started

        return asyncio.run(run())
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(scratch)))
