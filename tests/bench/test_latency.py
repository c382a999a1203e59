"""Round trips over a real network: through the delaying proxy of `steward bench --latency`,
each user action makes the round trips docs/BENCHMARKS.md promises (a page or a write: one),
and every round trip costs the delay."""

from __future__ import annotations

import time

import psycopg
import pytest
import sqlalchemy as sa

import services
from services.entrypoints import demo
from services.entrypoints.bench import data, latency
from services.entrypoints.bench.proxy import DelayProxy
from services.errors import ValidationError

CUSTOMERS = 300
RTT = 0.010


@pytest.fixture(scope="module")
def network(emptied, owner_engine):
    """The demo's sales rep and team lead, logged in through a proxy adding 10 ms of round trip."""
    demo.load(owner_engine, CUSTOMERS, seed=5)
    logins = data.people(owner_engine).logins
    url = sa.engine.make_url(emptied)
    with DelayProxy(url.host or "127.0.0.1", url.port or 5432, rtt=RTT) as proxy:
        through = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        rep = services.connect(through, logins["sales rep"], source="test")
        lead = services.connect(through, logins["team lead"], source="test")
        yield proxy, rep, lead
        rep.close()
        lead.close()


def trips(proxy: DelayProxy, action) -> tuple[int, float]:
    action()                                   # warm: the pool's connection, prepared statements
    before = proxy.round_trips
    started = time.perf_counter()
    action()
    return proxy.round_trips - before, time.perf_counter() - started


def test_a_page_a_save_and_a_customer_opened_are_one_round_trip_each(network):
    proxy, rep, lead = network
    first = rep.customers.list(limit=50)
    customer = next(r.id for r in first.items if r.writable)
    assert trips(proxy, lambda: rep.customers.list(limit=50))[0] == 1
    assert trips(proxy, lambda: rep.customers.list(limit=50, cursor=first.next_cursor))[0] == 1
    assert trips(proxy, lambda: rep.customers.list(limit=50, roi_bucket="HIGH"))[0] == 1
    assert trips(proxy, lambda: lead.customers.list(limit=50))[0] == 1
    assert trips(proxy, lambda: rep.customers.get(customer))[0] == 1
    assert trips(proxy, lambda: rep.fields.get(customer))[0] == 1
    count, seconds = trips(proxy, lambda: rep.fields.patch(customer, {"covers_per_day": 120}))
    assert count == 1 and seconds >= RTT
    assert trips(proxy, lambda: rep.kpis.sla_adherence())[0] <= 2


def test_a_connection_the_server_ended_is_replaced_without_a_ping(network, owner_engine):
    proxy, rep, _lead = network
    with owner_engine.connect() as conn:
        ended = conn.execute(sa.text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = :login"),
            {"login": rep.actor.login}).scalar()
    assert ended >= 1
    time.sleep(0.2)
    assert rep.customers.list(limit=5).items          # a new connection, not an error


def test_the_delay_is_read_as_people_write_it():
    assert latency.parse_delay("20ms") == 20 and latency.parse_delay("0.04s") == 40
    with pytest.raises(ValidationError):
        latency.parse_delay("fast")


def test_the_proxy_holds_each_direction_for_half_the_round_trip(database):
    dsn = sa.engine.make_url(database).set(drivername="postgresql")
    with DelayProxy(dsn.host or "127.0.0.1", dsn.port or 5432, rtt=0.05) as proxy, \
            psycopg.connect(dsn.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False),
                            autocommit=True) as conn:
        before = proxy.round_trips
        started = time.perf_counter()
        for _ in range(3):
            conn.execute("SELECT 1").fetchone()
        assert proxy.round_trips - before == 3 and time.perf_counter() - started >= 0.15
