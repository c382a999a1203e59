"""Role × operation × scope: every cell through the service layer, and every table
counted through plain SQL as that login. The rules hold in PostgreSQL itself."""

from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa

import services
from tests.access.conftest import ROLES, SCOPES

ALL = set(SCOPES)
READ = {
    "rep": {"own", "sibling_shared"},
    "lead": {"own", "sibling_shared", "sibling_private", "other_chain"},
    "cm": {"own", "sibling_shared", "sibling_private"},
    "admin": ALL,
}
WRITE = {"rep": {"own"}, "lead": READ["lead"], "cm": READ["cm"], "admin": ALL}
ALLOWED = {
    "read": READ,
    "list": READ,
    "write_field": WRITE,
    "write_restricted": {"rep": set(), "lead": set(), "cm": READ["cm"], "admin": ALL},
    "request_sample": WRITE,
    "change_status": WRITE,
    "log_activity": WRITE,
    "reassign": {"rep": set(), "lead": READ["lead"], "cm": set(), "admin": ALL},
}
# Everything a role reads, including what the cells above do not name (chains, the rep's second site).
READABLE = {
    "rep": {"own", "sibling_shared", "own_private"},
    "lead": {"own", "sibling_shared", "sibling_private", "other_chain", "own_private", "chain:S", "chain:P", "chain:O"},
    "cm": {"own", "sibling_shared", "sibling_private", "own_private", "chain:S", "chain:P"},
}


def _outbox_top(world) -> int:
    with world.sessions["owner"].engine.connect() as conn:
        return conn.execute(sa.text("SELECT coalesce(max(position), 0) FROM event_outbox")).scalar_one()


def _do(op: str, svc: services.Steward, world, cid):
    owner = world.sessions["owner"]
    if op == "read":
        return svc.customers.get(cid)
    if op == "list":
        ids, cursor = set(), None
        while True:
            page = svc.customers.list(limit=100, cursor=cursor)
            ids |= {row.id for row in page.items}
            if not (cursor := page.next_cursor):
                break
        if cid not in ids:
            raise services.NotFound("not listed")
        return ids
    if op == "write_field":
        return svc.fields.patch(cid, {"kitchen_notes": f"checked the combi steamer ({svc.actor.login})"})
    if op == "write_restricted":
        discount = len(svc.actor.login) % 7 + ROLES.index(next(r for r in ROLES if world.sessions[r] is svc))
        return svc.fields.patch(cid, {"price_agreement": {"price_list": "CHAIN", "discount_pct": discount}})
    if op == "request_sample":
        return svc.samples.request(cid)
    if op == "change_status":
        sample = owner.samples.request(cid)
        return svc.samples.set_status(sample.id, "PACKED")
    if op == "log_activity":
        return svc.activities.create(cid, kind="DECISION_MAKER_ALIGNMENT", roles=["HEAD_CHEF"],
                                     alignment_score=60, outcome="PARTIAL")
    if op == "reassign":
        before = owner.customers.get(cid).owner_id
        target = world.logins["rep2"] if before != owner.users.get(world.logins["rep2"]).id else world.logins["rep"]
        try:
            return svc.customers.reassign(cid, target)
        finally:
            owner.customers.reassign(cid, before) if before else None
    raise AssertionError(op)


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("op", list(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_cell(world, role, op, scope):
    svc = world.sessions[role]
    cid = world.customers[scope]
    allowed = scope in ALLOWED[op][role]
    readable = scope in READ[role]
    top = _outbox_top(world)
    if allowed:
        assert _do(op, svc, world, cid) is not None
        if op not in ("read", "list"):
            assert _outbox_top(world) > top, "an allowed write appends its event"
    else:
        expected = services.Forbidden if readable and op not in ("read", "list") else services.NotFound
        if (op, role) in (("reassign", "rep"), ("reassign", "cm"), ("write_restricted", "rep"), ("write_restricted", "lead")):
            expected = services.Forbidden  # refused for the role, naming the field, before looking at the customer
        with pytest.raises(expected):
            _do(op, svc, world, cid)
        if op != "change_status":  # that cell's own setup (by the owner) appends events
            assert _outbox_top(world) == top, "a refused call leaves the outbox as it was"


TABLES_BY_CUSTOMER = {
    "accounts": "id", "cm_customer_hot_proj": "customer_id", "field_values": "customer_id",
    "field_history": "customer_id", "sample_request": "customer_id", "activities": "customer_id",
    "slas": "customer_id", "roi_scenarios": "customer_id", "event_outbox": "customer_id",
    "contact_roles": "account_id",
}
TABLES_BY_SAMPLE = ("sample_item", "sample_status_history")


def _readable_ids(world, role) -> list:
    ids = []
    for name in READABLE[role]:
        ids.append(world.chains[name[6:]] if name.startswith("chain:") else world.customers[name])
    return ids


def _expected_counts(world, role) -> dict[str, int]:
    ids = _readable_ids(world, role)
    counts = {}
    with world.sessions["owner"].engine.connect() as conn:
        for table, column in TABLES_BY_CUSTOMER.items():
            counts[table] = conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE {column} = ANY(:ids)"),
                                         {"ids": ids}).scalar_one()
        for table in TABLES_BY_SAMPLE:
            counts[table] = conn.execute(sa.text(
                f"SELECT count(*) FROM {table} WHERE sample_id IN (SELECT id FROM sample_request WHERE customer_id = ANY(:ids))"),
                {"ids": ids}).scalar_one()
        counts["contacts"] = conn.execute(sa.text(
            "SELECT count(DISTINCT contact_id) FROM contact_roles WHERE account_id = ANY(:ids)"), {"ids": ids}).scalar_one()
    return counts


def _counts_as(world, who) -> dict[str, int]:
    with psycopg.connect(world.login_dsn(who)) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in (*TABLES_BY_CUSTOMER, *TABLES_BY_SAMPLE, "contacts")}


@pytest.mark.parametrize("role", ["rep", "lead", "cm"])
def test_plain_sql_counts_as_login(world, role):
    assert _counts_as(world, role) == _expected_counts(world, role)


def test_admin_sql_sees_everything(world):
    with world.sessions["owner"].engine.connect() as conn:
        everything = {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
                      for t in (*TABLES_BY_CUSTOMER, *TABLES_BY_SAMPLE, "contacts")}
    assert _counts_as(world, "admin") == everything


def test_sales_rep_cannot_widen_scope(world):
    sibling = str(world.customers["sibling_private"])
    with psycopg.connect(world.login_dsn("rep"), autocommit=True) as conn:
        def count():
            return conn.execute("SELECT count(*) FROM accounts").fetchone()[0]

        baseline = count()
        assert baseline == 3  # own, own_private, sibling_shared
        conn.execute("SET steward.login = 'admin'")                     # a session variable means nothing
        conn.execute("SELECT set_config('steward.role', 'ADMIN', false)")
        assert count() == baseline
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SET ROLE steward_admin")
        conn.execute("SET ROLE steward_person")                           # a group it belongs to: sees less
        assert count() == 0
        conn.execute("RESET ROLE")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f"SET SESSION AUTHORIZATION {world.logins['admin']}")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SET row_security = off; SELECT count(*) FROM accounts")
        conn.execute("RESET row_security")
        with pytest.raises(psycopg.Error) as refused:   # the write API is callable, and says no
            conn.execute("SELECT steward_api.add_user('x_widen', 'x', 'ADMIN')")
        assert refused.value.sqlstate == "SW403"
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT count(*) FROM hot_projection_drifted")
        assert conn.execute("SELECT steward_can_write(%s)", [sibling]).fetchone()[0] is False
        with pytest.raises(psycopg.errors.InsufficientPrivilege):   # the truth is the daemon's to compare
            conn.execute("SELECT count(*) FROM hot_projection_truth('00000000-0000-0000-0000-000000000000', "
                         "'ffffffff-ffff-ffff-ffff-ffffffffffff')")
        # Writing around the service layer does not work either: people write through steward_api only.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE accounts SET name = 'mine now' WHERE id = %s", [sibling])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE cm_customer_hot_proj SET roi_bucket = 'HIGH'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM field_history")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO field_values (customer_id, field_key, value) VALUES (%s, 'kitchen_notes', '\"x\"')",
                         [sibling])
        own = str(world.customers["own"])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):   # a restricted field, even on its own site
            conn.execute("INSERT INTO field_values (customer_id, field_key, value) "
                         "VALUES (%s, 'price_agreement', '{\"price_list\": \"CHAIN\"}')", [own])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):   # an event in someone else's name
            conn.execute("INSERT INTO event_outbox (id, type, actor, customer_id, data) "
                         "VALUES (gen_random_uuid(), 'shipment.requested', '{\"type\":\"user\",\"id\":\"x\"}', %s, '{}')",
                         [own])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):   # not even its own customer, directly
            conn.execute("UPDATE accounts SET owner_id = steward_current_user_id() WHERE id = %s", [own])
        with pytest.raises(psycopg.Error) as refused:   # a sibling it may read is not one it may update
            conn.execute("SELECT steward_api.update_customer(%s, '{\"name\": \"mine now\"}')",
                         [str(world.customers["sibling_shared"])])
        assert refused.value.sqlstate == "SW403"


def test_audit_records_who(world):
    rep = world.sessions["rep"]
    cid = world.customers["own"]
    rep.fields.patch(cid, {"covers_per_day": 240})
    entry = world.sessions["owner"].fields.history(cid, key="covers_per_day")[0]
    assert entry.changed_by_login == world.logins["rep"]
    assert entry.changed_by == rep.actor.user_id
    with world.sessions["owner"].engine.connect() as conn:
        actor = conn.execute(sa.text(
            "SELECT actor FROM event_outbox WHERE type = 'customer.fields.changed' ORDER BY position DESC LIMIT 1")).scalar()
    assert actor == {"type": "user", "id": str(rep.actor.user_id)}


def test_change_feed_leaks_nothing(world):
    rep = world.sessions["rep"]
    start = rep.changes.latest_position()
    world.sessions["owner"].fields.patch(world.customers["other_region"], {"covers_per_day": 99})
    world.sessions["owner"].fields.patch(world.customers["own"], {"covers_per_day": 98})
    changes = rep.changes.since(start)
    assert changes.customer_ids == {world.customers["own"]}


def test_disabled_person_can_no_longer_log_in(world, database):
    owner = world.sessions["owner"]
    login = f"t_gone_{world.suffix}"
    owner.users.add(login, role="SALES_REP", region="NORTH")
    owner.customers.create(name="Gone's site", region="NORTH", owner=login)
    session = services.connect(url=database, user=login)
    assert len(session.customers.list().items) == 1
    owner.users.disable(login)
    world.logins["gone"] = login  # dropped with the others at teardown
    # Its sessions were ended; one that survived would see nothing; a new login is refused.
    try:
        assert session.customers.list().items == ()
    except (services.Forbidden, services.DatabaseUnavailable):
        pass
    session.close()
    with pytest.raises(services.Forbidden, match="not permitted to log in"):
        services.connect(url=database, user=login)


# The SECURITY DEFINER functions of the public schema a person may call; each must
# reveal nothing beyond the caller's own facts. A new one is a decision: add it here.
# (The write API, steward_api, is callable by every person and decides itself.)
PERSON_DEFINER_FUNCTIONS = {
    "steward_current_user_id", "steward_user_region", "steward_user_role", "steward_managed_chains",
    "steward_rep_chains", "steward_can_write", "steward_may_write_restricted", "steward_is_admin",
    "steward_lead_region", "steward_rep_id", "steward_is_daemon",
    # The time of the oldest event the KPI aggregates have not taken in: no customer,
    # no content; every client learns as much from the (empty) change notification.
    "kpi_pending_since",
    # When the last backup finished: the desktop's reminder on the embedded database.
    "steward_last_backup",
}


@pytest.mark.parametrize("who", ["rep", "admin"])
def test_only_reviewed_definer_functions_are_callable(world, who):
    with psycopg.connect(world.login_dsn(who)) as conn:
        callable_ = {name for (name,) in conn.execute(
            "SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND prosecdef "
            "AND prorettype <> 'trigger'::regtype AND has_function_privilege(oid, 'EXECUTE')")}
        internal = {name for (name,) in conn.execute(
            "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname IN ('steward_internal', 'steward_pack') AND has_function_privilege(p.oid, 'EXECUTE')")}
    # Admins draw the positions of the inbox and dead-letter rows they add (sql/definitions/90_access.sql).
    # And the values a legacy move's read view shows (43_legacy.sql).
    admin_only = ({"event_inbox_next_position", "event_dead_letters_next_id", "steward_legacy_values"}
                  if who == "admin" else set())
    assert callable_ == PERSON_DEFINER_FUNCTIONS | admin_only
    assert internal == set()


@pytest.mark.parametrize("sort", ["name", "-name", "roi_value", "-renewal_date"])
@pytest.mark.parametrize("role", ["rep", "lead", "cm", "admin"])
def test_scoped_pages_are_exactly_what_the_login_reads(world, role, sort):
    """The grid splits a person's scope into branches for the planner; together the
    pages must hold each readable customer exactly once, in order."""
    svc = world.sessions[role]
    seen, cursor = [], None
    while True:
        page = svc.customers.list(sort=sort, limit=2, cursor=cursor)
        seen += [row.id for row in page.items]
        if not (cursor := page.next_cursor):
            break
    key = sort.lstrip("-")
    direction = "DESC" if sort.startswith("-") else "ASC"
    with psycopg.connect(world.login_dsn(role)) as conn:
        expected = [r[0] for r in conn.execute(
            f"SELECT customer_id FROM cm_customer_hot_proj WHERE {key} IS NOT NULL "
            f"ORDER BY {key} {direction}, customer_id {direction}")]
        expected += [r[0] for r in conn.execute(
            f"SELECT customer_id FROM cm_customer_hot_proj WHERE {key} IS NULL ORDER BY customer_id {direction}")]
    assert seen == expected
    assert svc.customers.count() == len(expected)


@pytest.mark.parametrize("role", ["rep", "lead", "cm"])
def test_an_export_contains_only_readable_rows(world, role, tmp_path):
    from desktop.export import export_view
    from desktop.grid.columns import build

    svc = world.sessions[role]
    columns = [c for c in build(svc.catalog.hot_columns, svc.customers.sort_keys(), svc.customers.regions())
               if c.key in ("name", "city")]
    path = tmp_path / "view.csv"
    written = export_view(svc, {}, "name", columns, path)
    with open(path, encoding="utf-8-sig") as f:
        exported = sorted(line.split(",")[0] for line in f.read().splitlines()[1:])
    with psycopg.connect(world.login_dsn(role)) as conn:
        readable = sorted(name for (name,) in conn.execute("SELECT name FROM accounts"))
    assert exported == readable and written == len(readable)
    everything = world.sessions["owner"].customers.count()
    assert written < everything
