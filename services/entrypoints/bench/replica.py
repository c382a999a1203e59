"""`steward --read-database-url URL bench --only replica`: a grid page from the replica beside the
same page from the primary, as each person, and how long a write takes to show on the replica.

The replica is whatever the URL names (a streaming standby of the benchmark database); the
page is `svc.customers.list` as the person makes it, through `STEWARD_READ_DATABASE_URL`'s
routing (services/service_layer/context.py), so the figures include the routing itself.
"""

from __future__ import annotations

import time
from dataclasses import replace

import services
from services.config import Settings
from services.entrypoints.bench.timing import Row, Timing, compared, sample

PAGE = 50
VISIBLE_TIMEOUT = 60.0


def measure(settings: Settings, cast_logins: dict[str, str], owner_url: str, *, n: int) -> list[Row]:
    if not settings.read_database_url:
        return [Row("replica", "grid page from a replica", note="not run: give --read-database-url "
                                                                 "(or STEWARD_READ_DATABASE_URL)")]
    primary_only = replace(settings, database_url=owner_url, read_database_url=None)
    with_replica = replace(settings, database_url=owner_url)
    rows: list[Row] = []
    for who in ("sales rep", "team lead"):
        login = cast_logins.get(who)
        if login is None:
            continue
        on_primary = services.connect(owner_url, login, settings=primary_only, source="bench", pool_size=2)
        on_replica = services.connect(owner_url, login, settings=with_replica, source="bench", pool_size=2)
        try:
            base = Row("replica", "first page of 50, from the primary", who, sample(
                lambda: on_primary.customers.list(limit=PAGE), n=n), is_baseline=True)
            ours = Row("replica", "first page of 50, from the replica", who, sample(
                lambda: on_replica.customers.list(limit=PAGE), n=n))
            rows += [base, compared(ours, base)]
            if who == "sales rep":
                rows.append(_visible_after(on_primary, on_replica, n=min(n, 10)))
        finally:
            on_primary.close()
            on_replica.close()
    return rows


def _visible_after(writer: services.Steward, reader: services.Steward, *, n: int) -> Row:
    """From a save on the primary to its value in a replica's grid page (the replay lag a person sees)."""
    customer = reader.customers.list(limit=1).items[0].id
    waits: list[float] = []
    for i in range(n):
        value = 1000 + i
        writer.fields.patch(customer, {"roi_potential": {"bucket": "LOW", "value": value}})
        started = time.perf_counter()
        while True:
            seen = next((r for r in reader.customers.list(limit=PAGE).items if r.id == customer), None)
            if seen is not None and seen.hot.get("roi_value") == value:
                break
            if time.perf_counter() - started > VISIBLE_TIMEOUT:
                break
            time.sleep(0.001)
        waits.append((time.perf_counter() - started) * 1000)
    lag = reader.replica_lag()
    return Row("replica", "a save until the replica's grid shows it", "sales rep", Timing.of(waits),
               note=f"replay lag afterwards {lag.total_seconds():.2f} s (the whole cluster's WAL is replayed); "
                    "the writer itself reads the primary for 5 s after its own write")
