"""Attacks on the HTTP server's login and the API tokens, in plain SQL.

The server logs in as steward_http and acts for a person only while a valid token of that
person is set for the transaction (sql/definitions/30_tokens.sql). Whatever else its session
does (no token, a forged, expired or revoked one, another person's token hash, any group
role it can take) it is nobody: it reads no business row and the write API refuses it. A
person's own login gains nothing from a token; tokens are made only by people logged in as
themselves, for themselves unless they are admins.
"""

from __future__ import annotations

import secrets

import psycopg
import pytest
import sqlalchemy as sa

from tests.conftest import SESSION
from tests.logins import drop_logins, ensure_person
from tests.security.conftest import with_user

GROUPS = ("steward_person", "steward_sales_rep", "steward_team_lead", "steward_chain_manager", "steward_admin",
          "steward_module")
# What every person may read, and the server without a person's token too: the pack and the catalog.
REFERENCE = {"regions", "field_catalog", "activity_kinds", "products", "sample_kits", "sample_kit_items",
             "sample_statuses", "sample_transitions", "business_holidays", "contact_role_types", "pack_info",
             "_yoyo_migration", "steward_schema_state"}
PEOPLE = {"rep": ("SALES_REP", "NORTH"), "rep2": ("SALES_REP", "NORTH"), "admin": ("ADMIN", None),
          "module": ("MODULE", None)}


def login(name: str) -> str:
    return f"t_tok_{name}_{SESSION}"


class World:
    def __init__(self, url: str, owner_engine):
        self.url = url
        self.owner = owner_engine
        for name, (role, region) in PEOPLE.items():
            ensure_person(owner_engine, login(name), role=role, region=region)
        with owner_engine.begin() as conn:
            self.ids = {name: conn.execute(sa.text("SELECT id FROM users WHERE login = :l"), {"l": login(name)}).scalar()
                        for name in PEOPLE}
            self.customer = {}
            for name in ("rep", "rep2"):
                self.customer[name] = conn.execute(sa.text(
                    "SELECT steward_api.create_customer(p_name => :n, p_region => 'NORTH', p_owner => :o) ->> 'id'"),
                    {"n": f"Kantine {name}", "o": str(self.ids[name])}).scalar()
        self.tokens = {name: self.token(name) for name in PEOPLE}
        self.read_token = self.token("rep", "read")

    def token(self, name: str, scope: str = "write") -> str:
        with self.owner.begin() as conn:
            return conn.execute(sa.text("SELECT steward_api.create_token(:l, :s) ->> 'token'"),
                                {"l": login(name), "s": scope}).scalar()

    def connect(self, user: str) -> psycopg.Connection:
        return psycopg.connect(with_user(self.url, user))

    def rows(self, table: str) -> int:
        with self.owner.connect() as conn:
            return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()


@pytest.fixture(scope="module")
def w(database, owner_engine):
    with owner_engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE accounts, api_tokens, event_outbox, event_inbox, field_values, users "
                             "RESTART IDENTITY CASCADE"))
    world = World(database, owner_engine)
    yield world
    drop_logins(database, [login(n) for n in PEOPLE])


def _as_server(w: World, token: str | None, group: str | None) -> psycopg.Connection:
    conn = w.connect("steward_http")
    if token is not None:
        conn.execute("SELECT set_config('steward.token', %s, true)", [token])
    if group is not None:
        conn.execute(f"SET LOCAL ROLE {group}")
    return conn


def _readable_tables(conn: psycopg.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'v') "
        "AND has_table_privilege(current_user, c.oid, 'SELECT')")]


def _sees_nothing(conn: psycopg.Connection) -> dict[str, int]:
    """Rows of every table this session may SELECT, other than the reference data."""
    seen = {}
    for table in _readable_tables(conn):
        if table not in REFERENCE:
            try:
                with conn.transaction():
                    seen[table] = conn.execute(f'SELECT count(*) FROM public."{table}"').fetchone()[0]
            except psycopg.errors.InsufficientPrivilege:
                pass   # a view over a function the session may not call: nothing seen either
    return {t: n for t, n in seen.items() if n}


def test_the_server_login_alone_has_no_privilege(w):
    with w.connect("steward_http") as conn:
        assert set(_readable_tables(conn)) <= {"_yoyo_migration", "steward_schema_state"}
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT count(*) FROM accounts")


BAD_TOKENS = {
    "none": None,
    "forged": "stw_" + secrets.token_hex(32),
    "empty": "",
}


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("kind", list(BAD_TOKENS) + ["expired", "revoked", "hash of admin's", "admin's upper case"])
def test_without_a_valid_token_every_group_reads_nothing_and_writes_nothing(w, group, kind):
    if kind == "expired":
        token = w.token("admin")
        with w.owner.begin() as conn:
            conn.execute(sa.text("UPDATE api_tokens SET expires_at = now() - interval '1 second' "
                                 "WHERE token_hash = sha256(convert_to(:t, 'UTF8'))"), {"t": token})
    elif kind == "revoked":
        token = w.token("admin")
        with w.owner.begin() as conn:
            conn.execute(sa.text("UPDATE api_tokens SET revoked_at = now() "
                                 "WHERE token_hash = sha256(convert_to(:t, 'UTF8'))"), {"t": token})
    elif kind == "hash of admin's":
        with w.owner.connect() as conn:
            token = conn.execute(sa.text("SELECT encode(sha256(convert_to(:t, 'UTF8')), 'hex')"),
                                 {"t": w.tokens["admin"]}).scalar()
    elif kind == "admin's upper case":
        token = w.tokens["admin"].upper()
    else:
        token = BAD_TOKENS[kind]
    events, customers = w.rows("event_outbox"), w.rows("accounts")
    with _as_server(w, token, group) as conn:
        assert _sees_nothing(conn) == {}
        if group != "steward_module":   # which may not even ask
            assert conn.execute("SELECT public.steward_current_user_id(), public.steward_is_admin()").fetchone() == (
                None, False)
        for statement in ("SELECT steward_api.create_customer(p_name => 'Evil', p_region => 'NORTH')",
                          f"SELECT steward_api.patch_fields('{w.customer['rep']}', '{{\"kitchen_notes\": \"x\"}}')",
                          "SELECT steward_api.receive_event('{\"type\": \"email.bounce\", \"version\": \"1.0\", "
                          "\"id\": \"6f1b1c1e-3a0e-4f55-9a57-0d8f9c1e2a99\", \"data\": {}}')"):
            with pytest.raises(psycopg.Error) as refused:
                with conn.transaction():
                    conn.execute(statement)
            assert refused.value.sqlstate in ("SW403", "42501"), (statement, refused.value)
    assert (w.rows("event_outbox"), w.rows("accounts")) == (events, customers)


def test_a_token_counts_only_in_the_server_session(w):
    """A rep's own login with the admin's real token set is still the rep."""
    with w.connect(login("rep")) as conn:
        conn.execute("SELECT set_config('steward.token', %s, false)", [w.tokens["admin"]])
        assert conn.execute("SELECT public.steward_current_user_id(), public.steward_is_admin()").fetchone() == (
            w.ids["rep"], False)
        assert [r[0] for r in conn.execute("SELECT id::text FROM accounts")] == [w.customer["rep"]]
        # Nor may a person ask the database whose a token is.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM public.steward_token_person(%s)", [w.tokens["admin"]])


def test_the_server_session_is_exactly_the_tokens_person(w):
    with _as_server(w, w.tokens["rep"], "steward_sales_rep") as conn:
        assert conn.execute("SELECT public.steward_current_user_id()").fetchone()[0] == w.ids["rep"]
        assert [r[0] for r in conn.execute("SELECT id::text FROM accounts")] == [w.customer["rep"]]
        # The other rep's customer is neither readable nor writable.
        with pytest.raises(psycopg.Error) as refused:
            conn.execute(f"SELECT steward_api.patch_fields('{w.customer['rep2']}', '{{\"kitchen_notes\": \"x\"}}')")
        assert refused.value.sqlstate == "SW403"
    # Taking the admin group does not make the rep an admin: the policies ask who, not which group.
    with _as_server(w, w.tokens["rep"], "steward_admin") as conn:
        assert _sees_nothing(conn).get("accounts") is None
        assert conn.execute("SELECT public.steward_is_admin()").fetchone()[0] is False
        # Nor read the token hashes, whoever the token is.
    with _as_server(w, w.tokens["admin"], "steward_admin") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT token_hash FROM api_tokens")


def test_the_server_cannot_become_the_owner_or_the_daemon(w):
    with w.connect("steward_http") as conn:
        for role in ("postgres", "steward_daemon", "steward_inbox_writer", login("admin")):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                with conn.transaction():
                    conn.execute(f'SET ROLE "{role}"')


def test_a_read_token_cannot_write(w):
    events = w.rows("event_outbox")
    with _as_server(w, w.read_token, "steward_sales_rep") as conn:
        assert [r[0] for r in conn.execute("SELECT id::text FROM accounts")] == [w.customer["rep"]]
        for statement in (f"SELECT steward_api.patch_fields('{w.customer['rep']}', '{{\"kitchen_notes\": \"x\"}}')",
                          f"SELECT steward_api.request_sample('{w.customer['rep']}')",
                          f"SELECT steward_api.create_token('{login('rep')}', 'write')"):
            with pytest.raises(psycopg.Error) as refused:
                with conn.transaction():
                    conn.execute(statement)
            assert refused.value.sqlstate == "SW403"
            assert "may only read" in refused.value.diag.message_primary
    assert w.rows("event_outbox") == events


def test_tokens_are_not_made_over_http_even_by_an_admin(w):
    tokens = w.rows("api_tokens")
    with _as_server(w, w.tokens["admin"], "steward_admin") as conn:
        with pytest.raises(psycopg.Error) as refused:
            conn.execute(f"SELECT steward_api.create_token('{login('admin')}', 'write', now() + interval '10 years')")
        assert refused.value.sqlstate == "SW403"
    assert w.rows("api_tokens") == tokens


def test_a_person_makes_tokens_for_themselves_only(w):
    tokens = w.rows("api_tokens")
    with w.connect(login("rep")) as conn:
        with pytest.raises(psycopg.Error) as refused:
            with conn.transaction():
                conn.execute(f"SELECT steward_api.create_token('{login('rep2')}', 'write')")
        assert refused.value.sqlstate == "SW403"
        with pytest.raises(psycopg.Error) as refused:
            with conn.transaction():
                conn.execute(f"SELECT steward_api.create_token('{login('admin')}', 'write')")
        assert refused.value.sqlstate == "SW403"
        # Another's token is not theirs to revoke (nor to see).
        other = conn.execute("SELECT count(*) FROM api_tokens WHERE user_id <> %s", [w.ids["rep"]]).fetchone()[0]
        assert other == 0
        with w.owner.connect() as owner:
            admins = owner.execute(sa.text("SELECT id FROM api_tokens WHERE user_id = :u LIMIT 1"),
                                   {"u": w.ids["admin"]}).scalar()
        with pytest.raises(psycopg.Error) as refused:
            with conn.transaction():
                conn.execute("SELECT steward_api.revoke_token(%s)", [admins])
        assert refused.value.sqlstate == "SW404"
        assert w.rows("api_tokens") == tokens
        own = conn.execute(f"SELECT steward_api.create_token('{login('rep')}', 'read') ->> 'scope'").fetchone()[0]
        conn.commit()
        assert own == "read"
    assert w.rows("api_tokens") == tokens + 1


def test_a_module_login_only_posts_inbound_events(w):
    with w.connect(login("module")) as conn:
        for statement in ("SELECT count(*) FROM accounts", "SELECT count(*) FROM event_inbox",
                          f"SELECT steward_api.patch_fields('{w.customer['rep']}', '{{\"kitchen_notes\": \"x\"}}')"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                with conn.transaction():
                    conn.execute(statement)
        position = conn.execute(
            "SELECT steward_api.receive_event('{\"type\": \"email.bounce\", \"version\": \"1.0\", "
            "\"id\": \"6f1b1c1e-3a0e-4f55-9a57-0d8f9c1e2a42\", \"data\": {\"bounceType\": \"HARD\"}}')").fetchone()[0]
        conn.commit()
        assert position is not None
    # Over HTTP the same: the module's token with the module's group.
    with _as_server(w, w.tokens["module"], "steward_module") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT count(*) FROM accounts")
