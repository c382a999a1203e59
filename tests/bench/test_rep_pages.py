"""A sales rep's grid pages on demo data, where the rep owns hundreds of customers and has
shared siblings in many chains: the bounded branches (services/service_layer/customers/scope.py, `_rep_page`)
must hand out exactly what the rep's login reads, in order, page after page."""

from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa

import services
from services.entrypoints import demo
from services.entrypoints.bench import data

CUSTOMERS = 3000


@pytest.fixture(scope="module")
def rep(emptied, owner_engine):
    demo.load(owner_engine, CUSTOMERS, seed=3)
    login = data.people(owner_engine).logins["sales rep"]
    svc = services.connect(emptied, login)
    yield svc, sa.engine.make_url(emptied).set(username=login).render_as_string(hide_password=False)
    svc.close()


def read_as_rep(dsn: str, where: str, key: str, direction: str, params: dict) -> list:
    with psycopg.connect(dsn) as conn:
        ordered = [r[0] for r in conn.execute(
            f"SELECT customer_id FROM cm_customer_hot_proj WHERE {where} AND {key} IS NOT NULL "
            f"ORDER BY {key} {direction}, customer_id {direction}", params)]
        return ordered + [r[0] for r in conn.execute(
            f"SELECT customer_id FROM cm_customer_hot_proj WHERE {where} AND {key} IS NULL "
            f"ORDER BY customer_id {direction}", params)]


@pytest.mark.parametrize("sort", ["name", "-name", "roi_value", "-renewal_date"])
# (filters, the same as SQL, whether the rep reads more than a page: then their own customers fill the first)
@pytest.mark.parametrize("filters, where, fills_a_page", [
    ({}, "true", True),
    ({"roi_bucket": "HIGH"}, "roi_bucket = 'HIGH'", True),
    ({"exclusivity": True, "decision_maker_count_min": 2}, "exclusivity AND decision_maker_count >= 2", True),
    ({"region": "SOUTH"}, "region = 'SOUTH'", False),   # not the rep's region: only siblings, if any
])
def test_rep_pages_are_exactly_what_the_login_reads(rep, sort, filters, where, fills_a_page):
    svc, dsn = rep
    seen, cursor = [], None
    while True:
        page = svc.customers.list(**filters, sort=sort, limit=37, cursor=cursor)
        seen += [row.id for row in page.items]
        if not (cursor := page.next_cursor):
            break
    expected = read_as_rep(dsn, where, sort.lstrip("-"), "DESC" if sort.startswith("-") else "ASC", {})
    assert (len(expected) > 37) == fills_a_page
    assert seen == expected
    assert svc.customers.count(**filters) == len(expected)


def test_the_rep_reads_shared_siblings_but_not_private_ones(rep, owner_engine):
    svc, _ = rep
    with owner_engine.connect() as conn:
        me = conn.execute(sa.text("SELECT id FROM users WHERE login = :l"), {"l": svc.actor.login}).scalar_one()
        counts = conn.execute(sa.text(
            "SELECT count(*) FILTER (WHERE owner_id IS DISTINCT FROM :me AND shared AND NOT is_chain "
            "  AND chain_id IN (SELECT parent_account_id FROM accounts WHERE owner_id = :me)) AS siblings, "
            "count(*) FILTER (WHERE owner_id = :me) AS own FROM cm_customer_hot_proj"), {"me": me}).one()
    assert counts.siblings > 0 and counts.own > 37
    assert svc.customers.count() == counts.own + counts.siblings
