"""Two Steward databases on one server are two worlds.

Logins and the group roles (steward_admin, ...) are cluster-wide; whether someone is
an admin, a team lead or a rep is decided by an active row in THIS database's users
table. The people of database B have no CONNECT on database A (CONNECT is revoked
from PUBLIC and granted per person), and if an admin grants it by mistake they still
read and write nothing of A. An admin whose users row is inactive reads nothing;
someone granted the group role steward_admin without an ADMIN row is no admin.
"""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

import services
from tests.security import checksums
from tests.security.conftest import drop_roles, fill, report, run_steps, with_user

B_PEOPLE = ("admin", "lead", "rep")

# Reference data is the same pack in every Steward database (the workflow, contact roles,
# public holidays) and the migration log and definitions' digest are readable by every
# login on purpose (schema checks): none of it is A's business data.
NOT_DATA = {"regions", "field_catalog", "activity_kinds", "products", "sample_kits", "sample_kit_items",
            "sample_statuses", "sample_transitions", "contact_role_types", "business_holidays",
            "steward_schema_state", "pack_info", "hot_columns", "_yoyo_migration", "_yoyo_log", "_yoyo_version", "yoyo_lock"}

# What a stranger to A would try: the daemon's tables (admins' operational rights),
# customers, people, events, the admin functions, sequences, large objects.
WRITES = (
    "INSERT INTO public.event_inbox (envelope) VALUES ('{\"type\": \"lead.converted\", \"data\": {}}')",
    "UPDATE public.event_inbox SET state = 'done'",
    "UPDATE public.consumer_checkpoints SET last_position = 0, last_txid = '0'",
    "UPDATE public.event_dead_letters SET state = 'discarded'",
    "DELETE FROM public.event_inbox",
    "INSERT INTO public.event_outbox (id, type, actor, customer_id, data) VALUES "
    "(gen_random_uuid(), 'user.added', '{\"type\": \"system\", \"id\": \"postgres\"}', NULL, '{}')",
    "UPDATE public.accounts SET name = 'written from B'",
    "INSERT INTO public.accounts (name, region) VALUES ('planted from B', 'NORTH')",
    "INSERT INTO public.field_values (customer_id, field_key, value) "
    "SELECT id, 'kitchen_notes', '\"written from B\"' FROM public.accounts "
    "ON CONFLICT (customer_id, field_key) DO UPDATE SET value = EXCLUDED.value",
    "UPDATE public.users SET active = false",
    "INSERT INTO public.saved_views (owner_id, name, definition) VALUES (NULL, 'planted from B', '{}')",
    "SELECT steward_api.add_user('secb_planted_{suffix}', 'planted', 'ADMIN', NULL)",
    "SELECT steward_api.set_user_chains({cm_lit}, ARRAY[{chain_o}])",
    "SELECT steward_api.disable_user({rep_lit})",
    "SELECT nextval('public.event_outbox_position_seq')",
    "SELECT nextval('public.event_inbox_position_seq')",
    "SELECT lo_create(0)",
)


def relations(su: psycopg.Connection) -> list[str]:
    """Every table and view of A's non-system schemas that holds A's data."""
    rows = su.execute(
        "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.relname FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1").fetchall()
    return [qualified for qualified, name in rows if name not in NOT_DATA]


def readable_rows(conn: psycopg.Connection, names: list[str]) -> dict[str, int]:
    """{relation: rows} of what this login reads (refused counts as nothing read)."""
    seen = {}
    for name in names:
        try:
            count = conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        except psycopg.Error:
            continue
        if count:
            seen[name] = count
    return seen


def _rows(seen: dict[str, int]) -> str:
    return ", ".join(f"{name} ({count} rows)" for name, count in seen.items())


@pytest.fixture
def b_given_connect_on_a(world, world_b):
    """An admin's mistake: B's people get CONNECT on A."""
    logins = [world_b.logins[w] for w in B_PEOPLE]
    grant = sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
        sql.Identifier(world.db), sql.SQL(", ").join(map(sql.Identifier, logins)))
    world.su.execute(grant)
    yield
    world.su.execute(sql.SQL("REVOKE CONNECT ON DATABASE {} FROM {}").format(
        sql.Identifier(world.db), sql.SQL(", ").join(map(sql.Identifier, logins))))


@pytest.fixture
def cleanup_logins(world):
    """Logins a test adds to A; dropped with the world's."""
    def add(who: str, login: str) -> str:
        world.logins[who] = login
        return login
    return add


@pytest.mark.parametrize("who", B_PEOPLE)
def test_people_of_b_cannot_connect_to_a(world, world_b, who):
    with pytest.raises(psycopg.OperationalError, match="permission denied|CONNECT"):
        psycopg.connect(with_user(world.url, world_b.logins[who]), connect_timeout=10).close()


@pytest.mark.parametrize("who", B_PEOPLE)
def test_people_of_b_are_refused_by_the_service_layer_of_a(world, world_b, who):
    """A typed refusal, not a traceback; and Forbidden, not DatabaseUnavailable: the server
    is there and said no, telling the person to check the network would mislead them."""
    with pytest.raises(services.Forbidden):
        services.connect(url=world.url, user=world_b.logins[who], pool_size=1).close()


@pytest.mark.parametrize("who", B_PEOPLE)
def test_people_of_b_read_nothing_of_a_even_with_connect(world, world_b, b_given_connect_on_a, who):
    names = relations(world.su)
    assert "public.accounts" in names and "public.users" in names
    with psycopg.connect(with_user(world.url, world_b.logins[who]), autocommit=True) as conn:
        seen = readable_rows(conn, names)
    assert not seen, f"{who} of database B reads rows of database A: {_rows(seen)}"


@pytest.mark.parametrize("who", B_PEOPLE)
def test_people_of_b_write_nothing_of_a_even_with_connect(world, world_b, b_given_connect_on_a, who):
    values = world.placeholders("admin") | {
        "suffix": world_b.suffix,
        "cm_lit": sql.Literal(world.logins["cm"]).as_string(world.su),
        "rep_lit": sql.Literal(world.logins["rep"]).as_string(world.su)}
    steps = [fill(s, values) for s in WRITES]
    planted = f"secb_planted_{world_b.suffix}"
    before = world.snapshot()
    with psycopg.connect(with_user(world.url, world_b.logins[who])) as conn:
        outcomes = run_steps(conn, steps)
    after = world.snapshot()
    created = world.su.execute("SELECT count(*) > 0 FROM pg_roles WHERE rolname = %s", [planted]).fetchone()[0]
    if after != before:
        world.restore(before, after)
        _put_back_logins(world)
    if created:
        drop_roles(world.url, [planted], [world.db])
    what = f"{who} of database B wrote to database A:\n{report(outcomes)}"
    assert not created, f"{what}\nand created the login {planted}"
    checksums.assert_unchanged(before, after, what)


def _put_back_logins(world) -> None:
    """steward_api.disable_user sets NOLOGIN: the world's people must log in again."""
    for login in world.logins.values():
        world.su.execute(sql.SQL("ALTER ROLE {} LOGIN").format(sql.Identifier(login)))


def test_an_inactive_admin_reads_and_writes_nothing(world, cleanup_logins):
    """steward_api.disable_user sets NOLOGIN and ends the sessions it may end; a session it could
    not end (an owner without pg_signal_backend), or a login a DBA enabled again, must see
    nothing: here the row is set inactive while the login stays."""
    login = cleanup_logins("admin_gone", f"sec_admin_gone_{world.suffix}")
    world.owner.users.add(login, role="ADMIN", display_name="admin, soon inactive")
    world.su.execute("UPDATE public.users SET active = false WHERE login = %s", [login])
    names = relations(world.su)
    with world.connect("admin_gone", autocommit=True) as conn:
        seen = readable_rows(conn, names)
    assert not seen, f"an inactive admin reads {_rows(seen)}"
    values = world.placeholders("admin") | {
        "suffix": world.suffix + "g", "cm_lit": sql.Literal(world.logins["cm"]).as_string(world.su),
        "rep_lit": sql.Literal(world.logins["rep"]).as_string(world.su)}
    before = world.snapshot()
    with world.connect("admin_gone") as conn:
        outcomes = run_steps(conn, [fill(s, values) for s in WRITES])
    after = world.snapshot()
    created = world.su.execute("SELECT count(*) > 0 FROM pg_roles WHERE rolname = %s",
                               [f"secb_planted_{world.suffix}g"]).fetchone()[0]
    if after != before:
        world.restore(before, after)
        _put_back_logins(world)
    if created:
        drop_roles(world.url, [f"secb_planted_{world.suffix}g"], [world.db])
    assert not created
    checksums.assert_unchanged(before, after, f"an inactive admin wrote:\n{report(outcomes)}")
    with pytest.raises(services.Forbidden):
        services.connect(url=world.url, user=login, pool_size=1).close()


def test_the_group_role_alone_does_not_make_an_admin(world, cleanup_logins):
    """A sales rep of A who also holds the cluster-wide steward_admin (granted for another
    database, or by mistake) is still a sales rep in A: admin means an ADMIN row here."""
    login = cleanup_logins("rep_plus", f"sec_rep_plus_{world.suffix}")
    world.owner.users.add(login, role="SALES_REP", region="NORTH", display_name="rep with the admin group")
    world.su.execute(sql.SQL("GRANT steward_admin TO {}").format(sql.Identifier(login)))
    with world.connect("rep_plus", autocommit=True) as conn:
        seen = readable_rows(conn, ["public.accounts", "public.cm_customer_hot_proj", "public.field_values",
                                    "public.event_inbox", "public.event_dead_letters", "public.event_outbox",
                                    "public.kpi_region_daily"])
    assert not seen, f"a rep who holds steward_admin reads like an admin: {_rows(seen)}"
    with services.connect(url=world.url, user=login, pool_size=1) as svc:
        assert svc.actor.role == "SALES_REP"
        assert svc.customers.count() == 0
        with pytest.raises(services.Forbidden):
            svc.users.add(f"sec_rep_plus_made_{world.suffix}", role="ADMIN")
