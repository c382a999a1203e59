"""`steward bench --latency 20ms`: each user action of the desktop over a network with that
round-trip time (services/entrypoints/bench/proxy.py between the client and PostgreSQL), as
the busiest sales rep: milliseconds per action and the round trips it makes.

The actions make the service calls the desktop makes for them, in parallel where the desktop
runs them in parallel (its read pool has three threads): opening a customer reads its header
and its visible tab at once, the cockpit its three charts and how current they are. The
connection pool is warm except for "open the app", which logs in.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa

import services
from services.config import Settings
from services.entrypoints.bench import data
from services.entrypoints.bench.proxy import DelayProxy
from services.entrypoints.bench.timing import Row, Timing
from services.errors import ValidationError

DEFAULT_RTT_MS = 20.0
PAGE = 50              # the desktop grid's page (desktop/paged_model.py)
READ_THREADS = 3       # the desktop's read pool (desktop/workers.py)
# The targets at 20 ms RTT (ms); the other actions have none.
TARGETS = {"first grid page": 60, "next page": 60, "apply a filter": 60, "save fields": 50,
           "open a customer (header + fields tab)": 100, "open the cockpit": 300}


def parse_delay(text: str) -> float:
    """'20ms', '20', '0.02s' → milliseconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*", str(text))
    if not match:
        raise ValidationError(f"'{text}' is not a delay; write it like 20ms.", errors={"latency": "like 20ms"})
    value = float(match.group(1)) * (1000 if match.group(2) == "s" else 1)
    if not 0 <= value <= 1000:
        raise ValidationError("The delay must lie between 0 and 1000 ms.", errors={"latency": "0 to 1000 ms"})
    return value


@dataclass
class _Action:
    name: str
    run: Callable[[], Any]
    before: Callable[[], Any] | None = None


def measure(settings: Settings, owner: sa.Engine, cast: data.People, *, rtt_ms: float, n: int,
            seed: int = 42) -> list[Row]:
    rep = cast.logins.get("sales rep")
    if rep is None:
        return []
    url = owner.url
    n = max(5, min(n, 30))      # each sample costs round trips of real time
    with DelayProxy(url.host or "127.0.0.1", url.port or 5432, rtt=rtt_ms / 1000) as proxy:
        through = url.set(host="127.0.0.1", port=proxy.port, username=rep, password=None)
        via = replace(settings, database_url=through.render_as_string(hide_password=False), read_database_url=None)

        def log_in() -> services.Steward:
            return services.connect(via.database_url, rep, settings=via, source="bench", pool_size=READ_THREADS)

        svc = log_in()
        pool = ThreadPoolExecutor(READ_THREADS)
        try:
            actions = _actions(svc, owner, rep, log_in, pool, seed)
            rows = [_measured(proxy, action, n, rtt_ms) for action in actions]
            lead = cast.logins.get("team lead")
            if lead is not None:      # a page without the sales rep's planner settings (context.reading)
                with services.connect(via.database_url, lead, settings=via, source="bench", pool_size=2) as other:
                    rows.append(_measured(proxy, _Action("first grid page", lambda: other.customers.list(limit=PAGE)),
                                          n, rtt_ms, who="team lead"))
        finally:
            pool.shutdown()
            svc.close()
    return rows


def _actions(svc: services.Steward, owner: sa.Engine, rep: str, log_in, pool: ThreadPoolExecutor,
             seed: int) -> list[_Action]:
    customers = data.sample_customers(owner, 200, seed=seed, owner_login=rep)
    turn = {"i": 0, "cursor": None, "etag": None, "sample": None, "cid": None}

    def next_customer() -> None:
        turn["i"] += 1
        turn["cid"] = customers[turn["i"] % len(customers)]

    def open_app() -> None:
        fresh = log_in()
        try:
            fresh.customers.regions(), fresh.customers.owners()       # desktop/reference.py
            fresh.customers.list(limit=PAGE)
        finally:
            fresh.close()

    def first_page() -> None:
        page = svc.customers.list(limit=PAGE)
        turn["cursor"] = page.next_cursor

    def next_page() -> None:
        page = svc.customers.list(limit=PAGE, cursor=turn["cursor"])
        turn["cursor"] = page.next_cursor or None

    def open_customer() -> None:
        header = pool.submit(svc.customers.get, turn["cid"])
        fields = pool.submit(svc.fields.get, turn["cid"])
        header.result()
        turn["etag"] = fields.result().etag

    def before_save() -> None:
        next_customer()
        turn["etag"] = svc.fields.get(turn["cid"]).etag

    def save() -> None:
        svc.fields.patch(turn["cid"], {"covers_per_day": 100 + turn["i"] % 400}, if_match=turn["etag"])

    def before_move() -> None:
        next_customer()
        turn["sample"] = svc.samples.request(turn["cid"])

    def move() -> None:
        sample = turn["sample"]
        svc.samples.set_status(sample.id, sample.allowed_next[0])

    def log_activity() -> None:
        svc.activities.create(turn["cid"], "MENU_INTEGRATION", outcome="DRAFT", season="Spring")

    def cockpit() -> None:
        kpis = svc.kpis
        jobs = [pool.submit(kpis.sample_success), pool.submit(kpis.roi_pipeline), pool.submit(kpis.sla_adherence),
                pool.submit(kpis.status)]
        for job in jobs:
            job.result()

    return [
        _Action("open the app (log in, reference data, first page)", open_app),
        _Action("first grid page", first_page),
        _Action("next page", next_page, before=lambda: turn["cursor"] or first_page()),
        _Action("apply a filter", lambda: svc.customers.list(limit=PAGE, roi_bucket="HIGH")),
        _Action("open a customer (header + fields tab)", open_customer, before=next_customer),
        _Action("save fields", save, before=before_save),
        _Action("move a sample", move, before=before_move),
        _Action("log an activity", log_activity, before=next_customer),
        _Action("open the cockpit", cockpit),
    ]


def _measured(proxy: DelayProxy, action: _Action, n: int, rtt_ms: float, who: str = "sales rep") -> Row:
    for _ in range(2):                 # warm: prepared statements, the pool's connections
        if action.before:
            action.before()
        action.run()
    times: list[float] = []
    trips: list[int] = []
    opened: list[int] = []
    for _ in range(n):
        if action.before:
            action.before()
        r0, c0 = proxy.counted()
        started = time.perf_counter()
        action.run()
        times.append((time.perf_counter() - started) * 1000)
        r1, c1 = proxy.counted()
        trips.append(r1 - r0)
        opened.append(c1 - c0)
    timing = Timing.of(times)
    round_trips = int(statistics.median(trips))
    target = TARGETS.get(action.name)
    met = "" if target is None else ("met" if timing.p95 <= target else "NOT met")
    note = f"{round_trips} round trips" + (f", {int(statistics.median(opened))} new connections" if any(opened) else "")
    if target is not None and rtt_ms == DEFAULT_RTT_MS:
        note += f"; target ≤ {target} ms at 20 ms RTT: {met}"
    elif target is not None:
        met = ""
    return Row("latency", action.name, who, timing=timing, note=note,
               extra={"rtt_ms": rtt_ms, "round_trips": round_trips, "round_trips_max": max(trips),
                      "connections": int(statistics.median(opened)), "target_ms": target, "met": met or None})
