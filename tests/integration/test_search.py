"""Full-text pages of the customer grid (services/service_layer/customers/words.py): every role's pages with `q`
and other filters, walked with cursors, equal a plain SQL query as that login; the search
words follow renames, moves and drift repair; a person reads only the words of customers
they may read."""

from __future__ import annotations

import secrets

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import sql

import services
from tests.logins import drop_logins
from services.entrypoints import demo
from services.service_layer import projections
from services.service_layer.customers import words as grid_words
from services.entrypoints.bench import data
from tests.bench.conftest import empty

CUSTOMERS = 1500
ROLES = ("admin", "admin person", "sales rep", "team lead", "chain manager")

# (service filters, the same condition in SQL); `q` is matched as Filters.build defines it:
# every word of it starts a word of the name or city.
SEARCHES = [
    ({"q": "gasthaus"}, "search @@ to_tsquery('simple', 'gasthaus:*')"),
    ({"q": "Gasthaus", "roi_bucket": "HIGH"}, "search @@ to_tsquery('simple', 'gasthaus:*') AND roi_bucket = 'HIGH'"),
    # several words start with "kant" (kantine, kantinen, kantinenpartner), more with "ka" and "g"
    ({"q": "kant"}, "search @@ to_tsquery('simple', 'kant:*')"),
    ({"q": "kant", "sample_status": ["DELIVERED", "REQUESTED"], "decision_maker_count_min": 1},
     "search @@ to_tsquery('simple', 'kant:*') AND sample_status IN ('DELIVERED', 'REQUESTED') "
     "AND decision_maker_count >= 1"),
    ({"q": "ka"}, "search @@ to_tsquery('simple', 'ka:*')"),
    ({"q": "g", "roi_bucket": "HIGH"}, "search @@ to_tsquery('simple', 'g:*') AND roi_bucket = 'HIGH'"),
    ({"q": "gast", "exclusivity": False}, "search @@ to_tsquery('simple', 'gast:*') AND exclusivity = false"),
    ({"q": "ha K"}, "search @@ to_tsquery('simple', 'ha:* & k:*')"),
    ({"q": "Gast", "region": ["NORTH", "SOUTH"]},
     "search @@ to_tsquery('simple', 'gast:*') AND region IN ('NORTH', 'SOUTH')"),
    ({"q": "zzzqx"}, "search @@ to_tsquery('simple', 'zzzqx:*')"),
]


@pytest.fixture(scope="module")
def people(database, owner_engine):
    """Demo customers, and a service session and a SQL login per role ("admin" is the owner)."""
    empty(owner_engine)
    demo.load(owner_engine, CUSTOMERS, seed=5)
    owner = services.connect(database)
    admin_login = f"t_search_admin_{secrets.token_hex(3)}"
    owner.users.add(admin_login, role="ADMIN", display_name="Search admin")
    logins = {**data.people(owner_engine).logins, "admin person": admin_login}
    sessions = {"admin": (owner, database)}
    for role in ROLES[1:]:
        dsn = sa.engine.make_url(database).set(username=logins[role]).render_as_string(hide_password=False)
        sessions[role] = (services.connect(database, logins[role]), dsn)
    yield sessions
    for svc, _ in sessions.values():
        svc.close()
    empty(owner_engine)
    drop_logins(database, [admin_login])


def _all_pages(svc: services.Steward, filters: dict, sort: str, limit: int = 4) -> list:
    seen, cursor = [], None
    while True:
        page = svc.customers.list(**filters, sort=sort, limit=limit, cursor=cursor)
        seen += [row.id for row in page.items]
        if not (cursor := page.next_cursor):
            return seen


def _read(dsn: str, where: str, descending: bool) -> list:
    direction = "DESC" if descending else "ASC"
    with psycopg.connect(dsn) as conn:
        return [r[0] for r in conn.execute(
            f"SELECT customer_id FROM cm_customer_hot_proj WHERE {where} "
            f"ORDER BY name {direction}, customer_id {direction}")]


def _walked(svc: services.Steward) -> list[str]:
    """Records the statements that read the search words."""
    statements: list[str] = []

    @sa.event.listens_for(svc.engine, "before_cursor_execute")
    def record(conn, cursor, statement, params, context, executemany):
        if "cm_customer_words" in statement:
            statements.append(statement)
    return statements


@pytest.mark.parametrize("sort", ["name", "-name"])
@pytest.mark.parametrize("filters, where", SEARCHES)
@pytest.mark.parametrize("role", ROLES)
def test_search_pages_are_exactly_what_the_login_reads(people, role, filters, where, sort):
    svc, dsn = people[role]
    expected = _read(dsn, where, sort.startswith("-"))
    assert _all_pages(svc, filters, sort) == expected
    assert svc.customers.count(**filters) == len(expected)


@pytest.mark.parametrize("role", ["admin", "team lead"])
def test_admins_and_team_leads_walk_the_words(people, role):
    svc, dsn = people[role]
    walked = _walked(svc)
    page = svc.customers.list(q="kant", limit=5)
    assert any("JOIN LATERAL" in s for s in walked), "a name-ordered search page walks cm_customer_words"
    expected = _read(dsn, "search @@ to_tsquery('simple', 'kant:*')", False)
    assert len(expected) > 5 and [r.id for r in page.items] == expected[:5]
    with svc.engine.connect() as conn:
        words = grid_words.words_to_walk(conn, "kant")
    assert len(words) > 1 and all(w.startswith("kant") for w in words)


def test_too_many_words_fall_back_to_the_projections_indexes(people, monkeypatch):
    svc, dsn = people["team lead"]
    monkeypatch.setattr(grid_words, "MOST_WORDS", 1)
    walked = _walked(svc)
    expected = _read(dsn, "search @@ to_tsquery('simple', 'kant:*')", False)
    assert _all_pages(svc, {"q": "kant"}, "name", limit=11) == expected
    assert walked and all("to_tsvector" in s for s in walked), "only the words were looked up, no page walked them"


def test_a_person_reads_only_the_words_of_customers_they_read(people):
    for role in ROLES[1:]:
        _, dsn = people[role]
        with psycopg.connect(dsn) as conn:
            readable = {r[0] for r in conn.execute("SELECT customer_id FROM cm_customer_hot_proj")}
            worded = {r[0] for r in conn.execute("SELECT DISTINCT customer_id FROM cm_customer_words")}
        assert worded == readable, role


def test_words_follow_renames_moves_and_repairs(people, owner_engine):
    owner, _ = people["admin"]
    lead, lead_dsn = people["team lead"]
    lead_region = lead.actor.region
    elsewhere = next(r for r in owner.catalog.regions if r != lead_region)
    renamed = owner.customers.list(q="kantine", region=lead_region, limit=1).items[0]
    moved = owner.customers.list(q="gasthaus", region=lead_region, limit=1).items[0]
    try:
        owner.customers.update(renamed.id, name="Zylinderhof Quxberg", city="Aachen")
        owner.customers.update(moved.id, region=elsewhere)
        for filters in ({"q": "kantine"}, {"q": "zylinder qux"}, {"q": "aach"}, {"q": "gasthaus"}):
            where = "search @@ to_tsquery('simple', {})".format(
                "'" + " & ".join(f"{w}:*" for w in filters["q"].split()) + "'")
            expected = _read(lead_dsn, where, False)
            assert _all_pages(lead, filters, "name", limit=25) == expected
        assert [r.id for r in owner.customers.list(q="zylinder qux").items] == [renamed.id]
        assert renamed.id not in {r.id for r in lead.customers.list(q="kantine", limit=500).items}
        assert renamed.id in {r.id for r in lead.customers.list(q="quxberg").items}
        assert moved.id not in {r.id for r in lead.customers.list(q="gasthaus", limit=500).items}
        assert projections.count_drift(owner_engine) == 0

        # Words that drift anyway (a person with the owner's rights typing SQL) are found and repaired.
        with owner_engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM cm_customer_words WHERE customer_id = :c AND word = 'quxberg'"),
                         {"c": renamed.id})
            conn.execute(sa.text("UPDATE cm_customer_words SET region = 'NOWHERE' WHERE customer_id = :c"),
                         {"c": moved.id})
        assert projections.count_drift(owner_engine) == 2
        assert projections.rebuild(owner_engine, batches=4).repaired == 2
        assert projections.count_drift(owner_engine) == 0
        assert renamed.id in {r.id for r in lead.customers.list(q="quxberg").items}
    finally:
        owner.customers.update(renamed.id, name=renamed.name, city=renamed.city)
        owner.customers.update(moved.id, region=lead_region)
