"""Measuring the drain rate: `python -m services.service_layer.events.bench DATABASE_URL`.

Fills the outbox of an (empty, migrated) database with synthetic events for
synthetic customers, then drains them as one daemon with every built-in
consumer on: logistics posts to a local sink started here, the bus publishes
to NATS when --nats-url is given. Prints the events per second.
"""

from __future__ import annotations

import argparse
import asyncio
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from services.adapters.database import database_url, make_engine
from services.service_layer.events.drain import DrainStats, drain_all
from services.service_layer.events.options import DaemonOptions

BENCH_SUBJECT, BENCH_STREAM = "steward.bench", "STEWARD_BENCH"

# A business-like mix: every tenth event asks logistics for a shipment.
_SEED = sa.text("""
    WITH made AS (
        INSERT INTO accounts (name, region, city)
        SELECT 'Bench ' || i, (ARRAY['NORTH', 'SOUTH', 'EAST', 'WEST'])[1 + i % 4], 'Stadt'
          FROM generate_series(1, :customers) i
        RETURNING id
    )
    INSERT INTO event_outbox (id, type, actor, customer_id, data)
    SELECT gen_random_uuid(),
           (ARRAY['customer.fields.changed', 'sample.status.changed', 'activity.created', 'sample.requested',
                  'customer.fields.changed', 'sample.status.changed', 'activity.created', 'customer.updated',
                  'roi.consultation.updated', 'shipment.requested'])[1 + (n % 10)],
           '{"type": "system", "id": "bench"}', m.id,
           jsonb_build_object('customerId', m.id, 'sampleId', gen_random_uuid(), 'items', '[]'::jsonb)
      FROM made m, generate_series(1, :per_customer) n
""")


class _Sink(BaseHTTPRequestHandler):
    # Keep-alive, as a real service would: with HTTP/1.0 every post opened a connection,
    # and eight posts at a time took 27 ms each instead of 0.6 ms.
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def seed(engine: Engine, *, customers: int, per_customer: int) -> int:
    with engine.begin() as conn:
        made = conn.execute(_SEED, {"customers": customers, "per_customer": per_customer}).rowcount
    with engine.begin() as conn:
        # As after any bulk load: without statistics the planner would sort the whole
        # outbox for every batch instead of walking its index.
        conn.execute(sa.text("ANALYZE accounts, event_outbox"))
    return made


def measure(engine: Engine, *, nats_url: str | None = None, batch_size: int = 2000) -> DrainStats:
    """Drain what is pending with every consumer on; logistics posts to a local sink."""
    sink = ThreadingHTTPServer(("127.0.0.1", 0), _Sink)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    try:
        options = DaemonOptions(batch_size=batch_size, rebuild_at=None, nats_url=nats_url,
                                logistics_url=f"http://127.0.0.1:{sink.server_port}/shipments",
                                nats_subject=BENCH_SUBJECT, nats_stream=BENCH_STREAM)
        return drain_all(engine, options=options)
    finally:
        sink.shutdown()
        sink.server_close()
        if nats_url:
            asyncio.run(_drop_stream(nats_url))


async def _drop_stream(url: str) -> None:
    """The bus made a stream for the benchmark's subjects; it is no one's to keep."""
    import nats

    nc = await nats.connect(url, connect_timeout=3, allow_reconnect=False)
    try:
        await nc.jetstream().delete_stream(BENCH_STREAM)
    except Exception:  # noqa: BLE001 - nothing to drop
        pass
    finally:
        await nc.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="an empty database, migrated (`steward db upgrade`); the owner's URL")
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--per-customer", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--nats-url")
    args = parser.parse_args()
    owner = make_engine(database_url(args.url), pool_size=1)
    events = seed(owner, customers=args.customers, per_customer=args.per_customer)
    owner.dispose()
    daemon = make_engine(database_url(args.url, "steward_daemon"), pool_size=4)
    stats = measure(daemon, nats_url=args.nats_url, batch_size=args.batch_size)
    daemon.dispose()
    print(f"{events:,} events drained by one daemon (consumers: {', '.join(stats.passed)}) in {stats.seconds:.2f} s: "
          f"{stats.events_per_second:,.0f} events/s")


if __name__ == "__main__":
    main()
