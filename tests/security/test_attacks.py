"""Attacks by every kind of person, in plain SQL over their own login (what anyone with
psql and their credentials can type), against the target design:

* people read through row-level security but write nothing directly, except their
  own saved views (admins: also the daemon's event tables, as operators); writes go
  through SECURITY DEFINER functions in steward_api;
* nobody forges or takes outbox positions, uses TEMP, creates anything, COPYs into
  tables, truncates, moves sequences, creates large objects or becomes another role.

Each attack: checksum of the whole database (tests/security/checksums.py) as the
superuser, the attack in one transaction as the person (each statement in its own
savepoint, so a refused statement does not protect the ones after it; whatever was
accepted is committed), the checksum again. Refused or a silent no-op: passes. Any
change: fails, naming each statement's outcome and each changed item. The world's
rows are put back afterwards, so one hole does not spoil the tests after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

import psycopg
import pytest
from psycopg import sql

from tests.security import checksums
from tests.security.conftest import (NOT_WRITABLE, ROLES, Copy, Sql, accepted_must_fail, fill, first_line, report,
                                     run_steps)

NON_ADMIN = ("rep", "lead", "cm")

# Tables a role may still write directly in the target design, and how. Sweeps leave them out;
# the attacks on other people's saved views are explicit below.
ALLOWED_DIRECT = {
    "saved_views": ROLES,                                  # own rows, enforced by its policies
    "event_inbox": ("admin",),                             # operators: `steward events ...`
    "event_dead_letters": ("admin",),
    "consumer_checkpoints": ("admin",),
}
ADMIN_SEQUENCES = ("event_inbox_position_seq", "event_dead_letters_id_seq")   # used by those inserts
# The functions that hand out those sequences' values to whoever may insert rows there
# (sql/definitions/90_access.sql): an admin drawing a position changes only the sequence.
ADMIN_POSITION_FUNCTIONS = {"event_inbox_next_position": "event_inbox_position_seq",
                            "event_dead_letters_next_id": "event_dead_letters_id_seq"}


@dataclass(frozen=True)
class Ctx:
    """What an attack template may use: placeholders, and the catalog found at run time."""

    role: str
    values: dict[str, str]
    tables: list[tuple[str, str]]
    sequences: list[tuple[str, str]]
    schemas: list[str]
    suffix: str


@dataclass(frozen=True)
class Attack:
    name: str
    steps: tuple | Callable[[Ctx], list]
    roles: tuple[str, ...] = ROLES
    autocommit: bool = False
    # Superuser SQL, true when the attack got through in a way no checksum shows
    # (a new role or database: cluster-wide, other sessions create those too).
    breach: str | None = None
    cleanup: str | None = None


def q(schema: str, name: str) -> str:
    return ".".join(part if re.fullmatch(r"[a-z_][a-z0-9_]*", part) else '"' + part.replace('"', '""') + '"'
                    for part in (schema, name))


# A write that only an escalated session could do, for every role.
ESCALATED_WRITES = (
    "UPDATE public.accounts SET name = 'escalated' WHERE id = {foreign}",
    "INSERT INTO public.event_outbox (id, type, actor, customer_id, data) "
    "VALUES (gen_random_uuid(), 'user.added', '{\"type\": \"system\", \"id\": \"postgres\"}', NULL, '{}')",
    "UPDATE public.daemon_jobs SET last_report = 'escalated'",
    "UPDATE public.users SET role = 'ADMIN', region = NULL WHERE login = {me_lit}",
)
# Ordinary writes in the attacker's own scope (forbidden as direct SQL in the target design).
OWN_WRITES = (
    "UPDATE public.field_values SET value = '\"written around the service\"' "
    "WHERE customer_id = {own} AND field_key = 'kitchen_notes'",
    "UPDATE public.sample_request SET status = 'FEEDBACK_SUCCESS' WHERE id = {sample}",
)
SYSTEM_EVENT = ("INSERT INTO public.event_outbox (id, type, actor, customer_id, data) VALUES "
                "(gen_random_uuid(), 'sample.status.changed', '{\"type\": \"system\", \"id\": \"postgres\"}', {own}, "
                "'{\"status\": \"FEEDBACK_SUCCESS\"}')")
SELF_EVENT = ("INSERT INTO public.event_outbox (id, type, actor, customer_id, data) VALUES "
              "(gen_random_uuid(), 'sample.status.changed', jsonb_build_object('type', 'user', 'id', {my_id}::text), "
              "{own}, '{\"status\": \"FEEDBACK_SUCCESS\"}')")


def _sweep_tables(ctx: Ctx, make: Callable[[str, str], list]) -> list:
    steps = []
    for schema, name in ctx.tables:
        if ctx.role in ALLOWED_DIRECT.get(name, ()):
            continue
        steps += make(schema, name)
    return steps


def _every_sequence(ctx: Ctx) -> list:
    steps = []
    for schema, name in ctx.sequences:
        if not (ctx.role == "admin" and name in ADMIN_SEQUENCES):
            steps.append(f"SELECT nextval('{q(schema, name)}')")
        steps.append(f"SELECT setval('{q(schema, name)}', 1, false)")
        steps.append(f"SELECT setval('{q(schema, name)}', 9000000000000000)")
        steps.append(Sql(f"ALTER SEQUENCE {q(schema, name)} RESTART WITH 1"))
    return steps


def _create_everywhere(ctx: Ctx) -> list:
    """CREATE each kind of object in each schema of the database (and pg_temp)."""
    steps = []
    for schema in [*ctx.schemas, "pg_temp"]:
        s = q(schema, "x").rsplit(".", 1)[0]
        # Relations and composite types in pg_catalog are refused even to the owner.
        catalog = "fails" if schema == "pg_catalog" else "ok"
        steps += [
            Sql(f"CREATE TABLE {s}.sec_evil_table (x int)", superuser=catalog),
            Sql(f"CREATE VIEW {s}.sec_evil_view AS SELECT 1 AS x", superuser=catalog),
            Sql(f"CREATE FUNCTION {s}.sec_evil_function() RETURNS int LANGUAGE sql AS 'SELECT 1'"),
            Sql(f"CREATE SEQUENCE {s}.sec_evil_sequence", superuser=catalog),
            Sql(f"CREATE TYPE {s}.sec_evil_type AS (x int)", superuser=catalog),
            Sql(f"CREATE DOMAIN {s}.sec_evil_domain AS int"),
        ]
    return steps


def _copy_into_every_table(ctx: Ctx) -> list:
    # saved_views stays in: its row-level security must refuse COPY FROM. The admins' event
    # tables do not: COPY there is the INSERT they may do anyway.
    return [Copy(f"COPY {q(schema, name)} FROM STDIN") for schema, name in ctx.tables
            if name == "saved_views" or ctx.role not in ALLOWED_DIRECT.get(name, ())]


def _truncate_every_table(ctx: Ctx) -> list:
    # Every table, saved_views and the event tables too: TRUNCATE ignores row-level security.
    # Foreign keys refuse many of these even to the owner: no sanity check for the single ones.
    return [Sql(f"TRUNCATE {q(schema, name)}", superuser="skip") for schema, name in ctx.tables] + [
        Sql("TRUNCATE public.accounts, public.users CASCADE")]


ATTACKS: list[Attack] = [
    # ------------------------------------------------------------ accounts
    Attack("accounts: insert a location into a foreign chain (joins it: its shared sites become readable)", (
        "INSERT INTO public.accounts (name, region, owner_id, parent_account_id, coverage_policy) "
        "VALUES ('trojan site', 'NORTH', {my_id}, {chain_o}, 'CHAIN_SHARED')",)),
    Attack("accounts: move an own customer into a foreign chain", (
        "UPDATE public.accounts SET parent_account_id = {chain_o} WHERE id = {own}",)),
    Attack("accounts: rename, move region, share a private chain, bump the ETag", (
        "UPDATE public.accounts SET name = 'renamed by SQL', city = 'Nowhere' WHERE id = {own}",
        "UPDATE public.accounts SET region = 'SOUTH' WHERE id = {own}",
        "UPDATE public.accounts SET coverage_policy = 'CHAIN_SHARED' WHERE parent_account_id IS NOT NULL OR is_chain",
        "UPDATE public.accounts SET fields_version = fields_version + 1000 WHERE id = {own}")),
    Attack("accounts: take over a customer outside the scope", (
        "UPDATE public.accounts SET owner_id = {my_id} WHERE id = {foreign}",
        "INSERT INTO public.accounts (id, name, region, owner_id) VALUES ({foreign}, 'x', 'NORTH', {my_id}) "
        "ON CONFLICT (id) DO UPDATE SET owner_id = EXCLUDED.owner_id",
        "MERGE INTO public.accounts a USING (SELECT {foreign} AS id) s ON a.id = s.id "
        "WHEN MATCHED THEN UPDATE SET owner_id = {my_id}")),
    # Deleting a customer with fields fails even for the owner today (field_values' delete
    # trigger writes history for the customer being deleted); kept for when that changes.
    Attack("accounts: delete customers", (
        Sql("DELETE FROM public.accounts WHERE id = {own}", superuser="fails"),
        Sql("DELETE FROM public.accounts WHERE id = {foreign}", superuser="fails"))),
    Attack("contacts: plant, rewrite, unlink", (
        "INSERT INTO public.contacts (full_name, email) VALUES ('planted contact', 'spy@example.com')",
        "UPDATE public.contacts SET email = 'spy@example.com'",
        "INSERT INTO public.contact_roles (contact_id, account_id, role) "
        "SELECT contact_id, account_id, 'BUYER' FROM public.contact_roles WHERE account_id = {own}",
        "DELETE FROM public.contact_roles WHERE account_id = {own}")),
    # -------------------------------------------------------------- fields
    Attack("fields: write invalid values (not what the field's JSON schema allows)", (
        "INSERT INTO public.field_values (customer_id, field_key, value) VALUES ({own}, 'roi_potential', '\"not an object\"') "
        "ON CONFLICT (customer_id, field_key) DO UPDATE SET value = EXCLUDED.value",
        "UPDATE public.field_values SET value = '{\"bucket\": \"GIGANTIC\", \"value\": -5}' "
        "WHERE customer_id = {own} AND field_key = 'roi_potential'",
        "UPDATE public.field_values SET value = '42' WHERE customer_id = {own} AND field_key = 'kitchen_notes'",
        "INSERT INTO public.field_values (customer_id, field_key, value) VALUES ({own}, 'covers_per_day', '\"many\"')")),
    Attack("fields: write the derived sample status and restricted contract fields", (
        "INSERT INTO public.field_values (customer_id, field_key, value) VALUES ({own}, 'sample_status', '\"FEEDBACK_SUCCESS\"')",
        "UPDATE public.field_values SET value = '{\"renewal_date\": \"2020-01-01\", \"exclusivity\": true}' "
        "WHERE customer_id = {own} AND field_key = 'current_supplier_contracts'")),
    Attack("fields: delete, and write outside the scope", (
        "DELETE FROM public.field_values WHERE customer_id = {own}",
        "INSERT INTO public.field_values (customer_id, field_key, value) VALUES ({foreign}, 'kitchen_notes', '\"x\"') "
        "ON CONFLICT (customer_id, field_key) DO UPDATE SET value = EXCLUDED.value")),
    Attack("audit and projection: forge, rewrite, erase", (
        "INSERT INTO public.field_history (customer_id, field_key, new_value, changed_by, changed_by_login) "
        "VALUES ({own}, 'kitchen_notes', '\"forged\"', {other_id}, {other_lit})",
        "UPDATE public.field_history SET changed_by_login = 'nobody'",
        "DELETE FROM public.field_history",
        "UPDATE public.cm_customer_hot_proj SET roi_bucket = 'HIGH', owner_id = {my_id}",
        "INSERT INTO public.cm_customer_words (word, name, customer_id, region) VALUES ('planted', 'planted', {foreign}, 'NORTH')",
        "DELETE FROM public.sample_status_history")),
    # ------------------------------------------------------------- samples
    Attack("samples: move past the workflow (UPDATE sample_request SET status ...)", (
        "UPDATE public.sample_request SET status = 'FEEDBACK_SUCCESS' WHERE id = {sample}",
        "UPDATE public.sample_request SET status = 'DELIVERED', last_event_at = now() WHERE id = {sample}")),
    Attack("samples: backdate, insert one already delivered, add items, forge history", (
        "UPDATE public.sample_request SET last_event_at = now() - interval '1 year', "
        "created_at = now() - interval '1 year' WHERE id = {sample}",
        "INSERT INTO public.sample_request (customer_id, status) VALUES ({own}, 'DELIVERED')",
        "INSERT INTO public.sample_item (sample_id, sku, quantity) VALUES ({sample}, {sku}, 1000)",
        "INSERT INTO public.sample_status_history (sample_id, old_status, new_status, event_at) "
        "VALUES ({sample}, 'SHIPPED', 'DELIVERED', now())")),
    # ------------------------------------------------- SLAs, activities, ROI
    Attack("slas: set MET, move the due date, insert one already met", (
        "UPDATE public.slas SET status = 'MET', closed_at = now() WHERE customer_id = {own}",
        "UPDATE public.slas SET due_date = '2099-12-31' WHERE customer_id = {own}",
        "INSERT INTO public.slas (customer_id, kind, rule, due_date, status, closed_at) "
        "VALUES ({own}, 'ROI_CONSULTATION', 'follow_up', current_date, 'MET', now())")),
    Attack("activities: bogus outcome, someone else's name, in the future", (
        "INSERT INTO public.activities (customer_id, kind, outcome) VALUES ({own}, 'ROI_CONSULTATION', 'BOGUS')",
        "INSERT INTO public.activities (customer_id, kind, outcome, created_by, data) VALUES "
        "({own}, 'ROI_CONSULTATION', 'QUALIFIED', {other_id}, '{\"commitment_level\": \"HIGH\"}')",
        "INSERT INTO public.activities (customer_id, kind, outcome, occurred_at, data) VALUES "
        "({own}, 'ROI_CONSULTATION', 'QUALIFIED', now() + interval '1 year', '{\"commitment_level\": \"HIGH\"}')")),
    Attack("roi scenarios: inflate savings", (
        "INSERT INTO public.roi_scenarios (customer_id, name, savings_per_month) VALUES ({own}, 'inflated', 9999999999)",
        "UPDATE public.roi_scenarios SET savings_per_month = 9999999999 WHERE customer_id = {own}")),
    # --------------------------------------------------------------- people
    Attack("users: change the own row (become an admin, change region)", (
        "UPDATE public.users SET role = 'ADMIN', region = NULL WHERE login = session_user",
        "UPDATE public.users SET region = 'SOUTH' WHERE login = session_user")),
    Attack("users: change, add, delete someone else's row", (
        "UPDATE public.users SET active = false WHERE login = {other_lit}",
        "UPDATE public.users SET login = {me_lit} || '_x' WHERE login = {other_lit}",
        "INSERT INTO public.users (login, display_name, role) VALUES ('sec_planted_admin', 'planted', 'ADMIN')",
        "DELETE FROM public.users WHERE login = {other_lit}")),
    Attack("user_chains: manage a foreign chain, drop the chain managers' chains", (
        "INSERT INTO public.user_chains (user_id, chain_id) VALUES ({my_id}, {chain_o})",
        "DELETE FROM public.user_chains")),
    Attack("reference data: unrestrict fields, add outcomes and regions, retire products", (
        "UPDATE public.field_catalog SET restricted = false",
        "UPDATE public.activity_kinds SET outcomes = outcomes || ARRAY['BOGUS']",
        "INSERT INTO public.regions (code, name) VALUES ('EVIL', 'evil')",
        "UPDATE public.products SET active = false",
        "DELETE FROM public.sample_kit_items",
        "UPDATE public.sample_kits SET name = 'renamed kit'")),
    Attack("saved views: change, delete, plant other people's views", (
        "UPDATE public.saved_views SET definition = '{\"filters\": {}}', shared = true WHERE id IN ({view}, {shared_view})",
        "UPDATE public.saved_views SET owner_id = {my_id} WHERE id = {shared_view}",
        "DELETE FROM public.saved_views WHERE id IN ({view}, {shared_view})",
        "INSERT INTO public.saved_views (owner_id, name, definition) VALUES ({other_id}, 'planted', '{}')",
        "INSERT INTO public.saved_views (owner_id, name, definition) VALUES (NULL, 'planted system view', '{}')")),
    # -------------------------------------------------- daemon and aggregates
    Attack("daemon tables: rewind checkpoints, plant inbox events, discard dead letters", (
        "UPDATE public.consumer_checkpoints SET last_position = 0, last_txid = '0'",
        "INSERT INTO public.event_inbox (envelope) VALUES ('{\"type\": \"lead.converted\", \"data\": {}}')",
        "UPDATE public.event_inbox SET state = 'done'",
        "UPDATE public.event_dead_letters SET state = 'discarded'",
        "DELETE FROM public.event_inbox"), roles=NON_ADMIN),
    Attack("daemon jobs, KPI aggregates and migrations", (
        "UPDATE public.daemon_jobs SET last_started_at = now() + interval '1 year'",
        "INSERT INTO public.daemon_jobs (job) VALUES ('planted')",
        "UPDATE public.kpi_state SET last_position = 0, last_txid = '0'",
        "DELETE FROM public.kpi_region_daily",
        "UPDATE public.kpi_roi_pipeline SET roi_value = 0",
        "DELETE FROM public._yoyo_migration",
        "INSERT INTO public.yoyo_lock (locked, pid) VALUES (1, 1)")),
    # Foreign keys and NOT NULL refuse many of these even to the owner: no sanity check.
    Attack("every table: DELETE and INSERT DEFAULT VALUES", lambda ctx: _sweep_tables(ctx, lambda s, n: [
        Sql(f"DELETE FROM {q(s, n)}", superuser="skip"), Sql(f"INSERT INTO {q(s, n)} DEFAULT VALUES", superuser="skip")])),
    # --------------------------------------------------------------- outbox
    Attack("outbox: forge an event in the own name", (SELF_EVENT,)),
    Attack("outbox: forge events as the system, without a customer, with a chosen position and txid", (
        SYSTEM_EVENT,
        "INSERT INTO public.event_outbox (id, type, actor, customer_id, data) "
        "VALUES (gen_random_uuid(), 'user.added', '{\"type\": \"system\", \"id\": \"postgres\"}', NULL, '{}')",
        "INSERT INTO public.event_outbox (position, txid, time, id, type, actor, customer_id, data) VALUES "
        "(1, '0', '2000-01-01', gen_random_uuid(), 'customer.fields.changed', "
        "jsonb_build_object('type', 'user', 'id', {my_id}::text), {own}, '{}')")),
    Attack("outbox: rewrite and delete events", (
        "UPDATE public.event_outbox SET data = '{}'",
        "DELETE FROM public.event_outbox")),
    # ------------------------------------------------------ sequences, TEMP
    Attack("sequences: nextval, setval, ALTER on every sequence", _every_sequence),
    Attack("temp: create a temporary table, view, sequence and function", (
        "CREATE TEMP TABLE scratch (x int)",
        "CREATE TEMP SEQUENCE scratch_seq",
        "CREATE TEMP VIEW scratch_view AS SELECT 1 AS x",
        "CREATE FUNCTION pg_temp.steward_current_user_id() RETURNS uuid LANGUAGE sql AS 'SELECT NULL::uuid'")),
    Attack("temp: shadow our tables in pg_temp, then write", (
        "SET search_path = pg_temp, public",
        "CREATE TEMP TABLE users (id uuid, login text, role text, region text, active boolean)",
        "INSERT INTO users VALUES ({my_id}, session_user, 'ADMIN', NULL, true)",
        "CREATE TEMP TABLE field_catalog (key text, hot boolean, restricted boolean)",
        *OWN_WRITES)),
    Attack("views: a temporary security-definer-style view over accounts, then write through it", (
        "CREATE TEMP VIEW all_accounts WITH (security_invoker = false) AS SELECT * FROM public.accounts",
        "UPDATE all_accounts SET name = 'through a view' WHERE id IN ({own}, {foreign})")),
    Attack("views: write through our security_invoker views", (
        "UPDATE public.kpi_slices SET roi_bucket = 'HIGH'",
        "DELETE FROM public.kpi_slices",
        Sql("UPDATE public.hot_projection_drifted SET problem = 'none'", superuser="fails"))),
    # ---------------------------------------------------- creating anything
    Attack("create: a table, view, function, sequence, type, domain in every schema", _create_everywhere),
    Attack("create: schema, extension, publication, collation, language, wrapper, server, cast", (
        "CREATE SCHEMA sec_evil",
        "CREATE SCHEMA AUTHORIZATION {me}",
        "CREATE EXTENSION pg_trgm SCHEMA public",
        "CREATE PUBLICATION sec_evil FOR TABLE public.accounts",
        "CREATE COLLATION public.sec_evil FROM \"C\"",
        "CREATE FOREIGN DATA WRAPPER sec_evil",
        "CREATE CAST (text AS public.accounts) WITH INOUT AS IMPLICIT",
        # Needs a function returning event_trigger, and a superuser: refused either way.
        Sql("CREATE EVENT TRIGGER sec_evil ON ddl_command_start EXECUTE FUNCTION public.event_outbox_notify()",
            superuser="fails"))),
    Attack("create: index, statistics, trigger, rule, policy on our tables", (
        "CREATE INDEX sec_evil_idx ON public.accounts (city)",
        "CREATE STATISTICS public.sec_evil ON name, city FROM public.accounts",
        "CREATE TRIGGER sec_evil AFTER INSERT ON public.saved_views FOR EACH STATEMENT "
        "EXECUTE FUNCTION public.event_outbox_notify()",
        "CREATE RULE sec_evil AS ON INSERT TO public.saved_views DO ALSO NOTIFY steward_events",
        "CREATE POLICY sec_evil ON public.accounts FOR ALL TO PUBLIC USING (true) WITH CHECK (true)",
        "CREATE POLICY sec_evil ON public.saved_views FOR ALL TO PUBLIC USING (true) WITH CHECK (true)")),
    Attack("create: a role", (Sql("CREATE ROLE sec_evil_role_{suffix} LOGIN"),
                              Sql("CREATE USER sec_evil_user_{suffix}")),
           breach="SELECT count(*) > 0 FROM pg_roles WHERE rolname IN ('sec_evil_role_{suffix}', 'sec_evil_user_{suffix}')",
           cleanup="DROP ROLE IF EXISTS sec_evil_role_{suffix}, sec_evil_user_{suffix}"),
    Attack("create: a database, ALTER SYSTEM", (
        "CREATE DATABASE sec_evil_{suffix}",
        "ALTER SYSTEM SET log_statement = 'none'"), autocommit=True,
           breach="SELECT count(*) > 0 FROM pg_database WHERE datname = 'sec_evil_{suffix}'",
           cleanup="DROP DATABASE IF EXISTS sec_evil_{suffix}"),
    # ------------------------------------------------- altering what exists
    Attack("alter table: disable row-level security and triggers, add a column, take ownership", (
        "ALTER TABLE public.accounts DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE public.saved_views DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE public.accounts DISABLE TRIGGER ALL",
        "ALTER TABLE public.event_outbox DISABLE TRIGGER event_outbox_before_insert",
        "ALTER TABLE public.accounts ADD COLUMN sec_evil int",
        "ALTER TABLE public.field_values ALTER COLUMN value DROP NOT NULL",
        "ALTER TABLE public.saved_views OWNER TO {me}")),
    Attack("alter policies, functions, views; drop them", (
        "ALTER POLICY sales_rep_read ON public.accounts USING (true)",
        "ALTER POLICY read_own_and_shared ON public.saved_views USING (true)",
        "DROP POLICY admin_read ON public.accounts",
        "CREATE OR REPLACE FUNCTION public.steward_can_write(p_customer uuid) RETURNS boolean "
        "LANGUAGE sql STABLE AS 'SELECT true'",
        "ALTER FUNCTION public.steward_current_user_id() SET search_path = pg_temp, public",
        "ALTER FUNCTION public.steward_can_write(uuid) OWNER TO {me}",
        "ALTER VIEW public.kpi_slices SET (security_invoker = false)",
        "DROP TRIGGER accounts_after_write ON public.accounts",
        "DROP FUNCTION public.steward_user_role() CASCADE",
        "DROP TABLE public.saved_views",
        "DROP SCHEMA public CASCADE")),
    Attack("grant: roles, table rights, schema and database rights, default privileges", (
        "GRANT steward_admin TO {me}",
        "GRANT steward_daemon TO {me}",
        "GRANT {other_group} TO {other}",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO PUBLIC",
        "GRANT ALL ON public.saved_views TO PUBLIC",
        "GRANT EXECUTE ON FUNCTION steward_api.add_user(text, text, text, text, uuid[], text, boolean, jsonb) TO PUBLIC",
        "GRANT USAGE, UPDATE ON ALL SEQUENCES IN SCHEMA public TO PUBLIC",
        "GRANT CREATE ON SCHEMA public TO {me}",
        "GRANT CONNECT, TEMPORARY, CREATE ON DATABASE {db} TO PUBLIC",
        "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} GRANT ALL ON TABLES TO PUBLIC",
        "REVOKE SELECT ON public.accounts FROM steward_daemon",
        "REVOKE steward_person FROM {other}")),
    Attack("comment on: table, column, function, schema, database, roles, policy", (
        "COMMENT ON TABLE public.accounts IS 'pwned'",
        "COMMENT ON COLUMN public.accounts.name IS 'pwned'",
        "COMMENT ON FUNCTION steward_api.add_user(text, text, text, text, uuid[], text, boolean, jsonb) IS 'pwned'",
        "COMMENT ON SCHEMA public IS 'pwned'",
        "COMMENT ON DATABASE {db} IS 'pwned'",
        "COMMENT ON ROLE {other} IS 'pwned'",
        "COMMENT ON ROLE steward_admin IS 'pwned'",
        "COMMENT ON POLICY admin_read ON public.accounts IS 'pwned'")),
    Attack("alter role self: superuser, createdb, createrole, bypassrls, replication, rename, limits", (
        "ALTER ROLE {me} SUPERUSER",
        "ALTER ROLE {me} CREATEDB",
        "ALTER ROLE {me} CREATEROLE",
        "ALTER ROLE {me} BYPASSRLS",
        "ALTER ROLE {me} REPLICATION",
        "ALTER ROLE {me} CONNECTION LIMIT 1000",
        "ALTER ROLE {me} VALID UNTIL 'infinity'",
        # Superuser-only settings: triggers off (audit, projection, outbox) or large objects unchecked.
        "ALTER ROLE {me} SET session_replication_role = replica",
        "ALTER ROLE {me} SET lo_compat_privileges = on",
        "ALTER ROLE {me} RENAME TO sec_renamed_{suffix}")),
    Attack("alter other roles: passwords, login, settings, ALL, the database", (
        "ALTER ROLE {other} PASSWORD 'pwned'",
        "ALTER ROLE steward_daemon PASSWORD 'pwned'",
        "ALTER ROLE {other} NOLOGIN",
        "ALTER ROLE {other} SET search_path = pg_temp, public",
        "ALTER ROLE steward_daemon SET search_path = pg_temp, public",
        "ALTER ROLE ALL SET search_path = pg_temp, public",
        "ALTER ROLE ALL IN DATABASE {db} SET search_path = pg_temp, public",
        "ALTER DATABASE {db} SET search_path = pg_temp, public",
        "ALTER DATABASE {db} CONNECTION LIMIT 0",
        "ALTER DATABASE {db} OWNER TO {me}",
        Sql("REASSIGN OWNED BY {owner} TO {me}", superuser="fails"),   # the owner here is the bootstrap superuser
        "DROP OWNED BY {other}",
        "DROP ROLE {other}")),
    Attack("catalogs: write pg_class, pg_authid, pg_policy directly", (
        "UPDATE pg_catalog.pg_class SET relrowsecurity = false WHERE oid = 'public.accounts'::regclass",
        "UPDATE pg_catalog.pg_authid SET rolsuper = true WHERE rolname = {me_lit}",
        "DELETE FROM pg_catalog.pg_policy WHERE polrelid = 'public.accounts'::regclass")),
    # ------------------------------------------- becoming someone else
    Attack("SET ROLE steward_daemon, then write", (Sql("SET ROLE steward_daemon", superuser="skip"), *ESCALATED_WRITES)),
    Attack("SET ROLE to the database owner, then write", (Sql("SET ROLE {owner}", superuser="skip"), *ESCALATED_WRITES)),
    Attack("SET ROLE to a group the person is not in, then write",
           (Sql("SET ROLE {other_group}", superuser="skip"), *ESCALATED_WRITES)),
    Attack("SET ROLE to another person, then write", (Sql("SET ROLE {other}", superuser="skip"), *ESCALATED_WRITES)),
    Attack("SET ROLE steward_inbox_writer, then plant an inbound event", (
        Sql("SET ROLE steward_inbox_writer", superuser="skip"),
        "INSERT INTO public.event_inbox (envelope) VALUES ('{\"type\": \"lead.converted\", \"data\": {}}')"),
           roles=NON_ADMIN),    # admins may insert inbound events themselves
    Attack("set_config('role', ...), then write", (
        Sql("SELECT set_config('role', 'steward_daemon', false)", superuser="skip"), *ESCALATED_WRITES)),
    Attack("SET ROLE steward_person (a group the person is in), then write", (
        Sql("SET ROLE steward_person", superuser="skip"), *OWN_WRITES, SELF_EVENT)),
    Attack("SET SESSION AUTHORIZATION to the owner or another person, then write", (
        Sql("SET SESSION AUTHORIZATION {owner}", superuser="skip"), *ESCALATED_WRITES,
        Sql("SET SESSION AUTHORIZATION {other}", superuser="skip"), *ESCALATED_WRITES)),
    Attack("SET session_replication_role = replica (no triggers: no audit, no projection), then write", (
        "SET session_replication_role = replica", *OWN_WRITES)),
    Attack("SET row_security = off, then write", ("SET row_security = off", *OWN_WRITES)),
    Attack("spoof the service's context (steward.source, correlation id), then write", (
        "SELECT set_config('steward.source', 'service', false)",
        "SELECT set_config('steward.correlation_id', 'forged', false)", *OWN_WRITES)),
    Attack("a DO block writes", (
        "DO $$ BEGIN UPDATE public.accounts SET name = 'from a DO block' WHERE id = {own}; "
        "UPDATE public.field_values SET value = '\"from a DO block\"' WHERE customer_id = {own} "
        "AND field_key = 'kitchen_notes'; END $$",)),
    Attack("hold locks in a prepared transaction", (
        "SELECT 1 FROM public.accounts WHERE id = {own} FOR UPDATE",
        Sql("PREPARE TRANSACTION 'sec_hold_{suffix}'", superuser="skip")),
           breach="SELECT count(*) > 0 FROM pg_prepared_xacts WHERE gid = 'sec_hold_{suffix}'",
           cleanup="ROLLBACK PREPARED 'sec_hold_{suffix}'"),
    # -------------------------------------- large objects, COPY, server powers
    Attack("large objects: lo_create, lo_creat, lo_from_bytea, lo_import", (
        "SELECT lo_create(0)",
        "SELECT lo_creat(-1)",
        "SELECT lo_from_bytea(0, 'payload')",
        "SELECT lo_import('/etc/hostname')")),
    Attack("COPY into every table (even with no rows: being allowed is the hole)", _copy_into_every_table),
    Attack("TRUNCATE every table", _truncate_every_table),
    Attack("COPY rows into accounts, saved views, the outbox", (
        Copy("COPY public.accounts (name, region) FROM STDIN", rows=(("copied", "NORTH"),)),
        Copy("COPY public.saved_views (name, definition) FROM STDIN", rows=(("copied", "{}"),)),
        Copy("COPY public.event_outbox (id, type, actor, customer_id, data) FROM STDIN",
             rows=(("6f6e5ac4-2c6c-4b58-9a43-3a1f6b0e0001", "user.added", '{"type": "system", "id": "postgres"}',
                    None, "{}"),)))),
    Attack("server files and programs, configuration, WAL", (
        Sql("SELECT pg_read_file('/etc/hostname')", must_fail=True),
        Sql("SELECT count(*) FROM pg_ls_dir('.')", must_fail=True),
        Sql("COPY (SELECT 1) TO '/dev/null'", must_fail=True),
        Sql("COPY (SELECT 1) TO PROGRAM 'cat > /dev/null'", must_fail=True),
        Sql("COPY public.saved_views (name) FROM PROGRAM 'true'", must_fail=True),
        Sql("SELECT lo_export(0, '/dev/null')", must_fail=True, superuser="fails"),
        Sql("SELECT pg_reload_conf()", must_fail=True),
        Sql("SELECT pg_switch_wal()", must_fail=True),
        Sql("CHECKPOINT", must_fail=True))),
    # --------------------------------------------- definer functions, by name
    Attack("admin functions by a non-admin: add an admin, take chains, disable people", (
        "SELECT steward_api.add_user('sec_planted_{suffix}', 'planted', 'ADMIN', NULL)",
        "SELECT steward_api.set_user_chains({me_lit}, ARRAY[{chain_o}])",
        "SELECT steward_api.disable_user({other_lit})"), roles=NON_ADMIN,
           breach="SELECT count(*) > 0 FROM pg_roles WHERE rolname = 'sec_planted_{suffix}'",
           cleanup="DROP ROLE IF EXISTS sec_planted_{suffix}"),
    # ---------------------------------------- allowed: leave no trace anyway
    Attack("LISTEN, NOTIFY with a payload, advisory locks (allowed; nothing may change)", (
        "LISTEN steward_events",
        "NOTIFY steward_events, '{\"customerId\": \"00000000-0000-0000-0000-000000000000\", \"type\": \"forged\"}'",
        "SELECT pg_notify('steward_events', {foreign}::text)",
        "SELECT pg_advisory_lock(7405001, hashtext('bus'))",
        "SELECT pg_advisory_xact_lock(hashtextextended('steward.kpi_aggregates', 0))")),
]

CASES = [(role, attack) for attack in ATTACKS for role in attack.roles]


@pytest.fixture(scope="module")
def ctx_for(world):
    su = world.su
    tables = checksums.tables(su)
    sequences = checksums.sequences(su)
    schemas = [r[0] for r in su.execute(
        "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast%' "
        "ORDER BY 1")]
    cache: dict[str, Ctx] = {}

    def make(role: str) -> Ctx:
        if role not in cache:
            values = world.placeholders(role) | {"suffix": world.suffix}
            cache[role] = Ctx(role, values, tables, sequences, schemas, world.suffix)
        return cache[role]
    return make


def steps_of(attack: Attack, ctx: Ctx) -> list:
    raw = attack.steps(ctx) if callable(attack.steps) else list(attack.steps)
    return [fill(step, ctx.values) for step in raw]


def attempt(world, role: str, attack: Attack, ctx: Ctx) -> None:
    """Snapshot, attack, snapshot; put the world back; then say what got through."""
    steps = steps_of(attack, ctx)
    before = world.snapshot()
    conn = world.connect(role, autocommit=attack.autocommit)
    breached = False
    try:
        outcomes = run_steps(conn, steps)
        after = world.snapshot()          # the attacker is still connected: its temp objects count
        if attack.breach:
            breached = world.su.execute(fill(attack.breach, ctx.values).text).fetchone()[0]
    finally:
        conn.close()
        if attack.cleanup:
            try:
                world.su.execute(fill(attack.cleanup, ctx.values).text)
            except psycopg.Error:
                pass
    if after != before:
        world.restore(before, after)
    what = f"{role} ({world.logins[role]}) attacked: {attack.name}\n{report(outcomes)}"
    checksums.assert_unchanged(before, after, what)
    assert not accepted_must_fail(outcomes), f"{what}\nallowed: {accepted_must_fail(outcomes)}"
    assert not breached, f"{what}\nthe attack got through: {attack.breach}"


def slug(attack: Attack) -> str:
    return re.sub(r"\W+", "_", attack.name.split(" (")[0]).strip("_")[:60]


@pytest.mark.parametrize("role, attack", CASES, ids=[f"{r}-{slug(a)}" for r, a in CASES])
def test_attack_changes_nothing(world, ctx_for, role, attack):
    attempt(world, role, attack, ctx_for(role))


# --------------------------------------------------------- outbox positions


@pytest.mark.parametrize("role", ROLES)
def test_outbox_positions_cannot_be_taken(world, ctx_for, role):
    """The old trigger took the next position from pg_get_serial_sequence('event_outbox', ...)
    under the caller's search_path: a temporary event_outbox with its own sequence set to the
    outbox's current position, pg_temp first on the path, and a few hundred inserts took the
    positions every later writer would get, so their writes failed on the primary key."""
    ctx = ctx_for(role)
    steps = [fill(s, ctx.values) for s in (
        "CREATE TEMP TABLE event_outbox (position bigserial)",
        # The outbox's next position: the highest one the person sees, or better, nextval itself.
        "SELECT setval(pg_get_serial_sequence('pg_temp.event_outbox', 'position'), "
        "coalesce((SELECT max(position) FROM public.event_outbox), 1))",
        "SELECT setval(pg_get_serial_sequence('pg_temp.event_outbox', 'position'), "
        "nextval('public.event_outbox_position_seq'))",
        "SET search_path = pg_temp, public",
        # An explicit position: the column default (the real sequence) is not evaluated,
        # the trigger takes the next 500 positions from the temporary sequence.
        "INSERT INTO public.event_outbox (position, id, type, actor, customer_id, data) "
        "SELECT 0, gen_random_uuid(), 'customer.fields.changed', "
        "jsonb_build_object('type', 'user', 'id', {my_id}::text), {own}, '{}' FROM generate_series(1, 500)",
    )]
    before = world.snapshot()
    conn = world.connect(role)
    try:
        outcomes = run_steps(conn, steps)
        after = world.snapshot()
    finally:
        conn.close()
    write_error = None
    try:
        with world.service("admin") as admin:
            admin.fields.patch(world.customers["own"], {"kitchen_notes": f"written after {role}'s attack"})
    except Exception as exc:  # noqa: BLE001 - any failure of the normal write is the finding
        write_error = f"{type(exc).__name__}: {first_line(exc)}"
    finally:
        world.restore()
    what = f"{role} attacked the outbox positions:\n{report(outcomes)}"
    assert write_error is None, f"{what}\na normal write through the service layer failed afterwards: {write_error}"
    checksums.assert_unchanged(before, after, what)


# ------------------------------------------------------------- user_chains


@pytest.mark.parametrize("role", ROLES)
def test_user_chains_show_only_own_rows(world, role):
    """Which chain a chain manager manages is theirs to know (and the admins')."""
    with world.connect(role) as conn:
        seen = set(conn.execute("SELECT user_id, chain_id FROM public.user_chains").fetchall())
    everything = set(world.su.execute("SELECT user_id, chain_id FROM public.user_chains").fetchall())
    assert len(everything) == 2
    expected = everything if role == "admin" else {r for r in everything if r[0] == world.user_ids[role]}
    assert seen == expected


# ------------------------------------------------------ definer functions


# Junk per argument type: NULLs, ids of things outside the caller's scope, odd text. None of
# these combinations is a legitimate request, so any change they cause is a hole.
def _junk(world, role: str) -> dict[str, list[Any]]:
    foreign = [str(world.customers[s]) for s in NOT_WRITABLE[role]] or [str(world.customers["other_region"])]
    return {
        "uuid": [None, foreign[0], str(world.chains["O"]), "00000000-0000-0000-0000-000000000000",
                 str(world.user_ids["rep2"])],
        "uuid[]": [None, "{}", "{" + ",".join(foreign + [str(world.chains["O"])]) + "}", "{NULL}"],
        "text": [None, "", "steward_daemon", "postgres", "x'); DROP TABLE public.accounts; --", "x" * 5000],
        "text[]": [None, "{}", "{customer.fields.changed,sample.status.changed}", "{NULL}"],
        "jsonb": [None, "{}", "[]", "null", '{"a": {"b": [1, 2]}}'],
        "json": [None, "{}", "[]"],
        "boolean": [None, "true", "false"],
        "integer": [None, "0", "-1", "2147483647"],
        "bigint": [None, "0", "-1", "9223372036854775807"],
        "smallint": [None, "0", "-1"],
        "numeric": [None, "NaN", "-1e30"],
        "date": [None, "infinity", "-infinity", "1970-01-01"],
        "timestamp with time zone": [None, "infinity", "-infinity", "1970-01-01"],
        "xid8": [None, "0", "18446744073709551615"],
        "pg_snapshot": [None, "1:1:"],
    }


def _definer_functions(conn) -> list[tuple[str, str, str, list[str]]]:
    """(schema, name, kind, argument types) of every SECURITY DEFINER function this login may call."""
    return conn.execute(
        "SELECT n.nspname, p.proname, p.prokind::text, "
        "       array(SELECT format_type(t, NULL) FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY u(t, i) ORDER BY i) "
        "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE p.prosecdef AND has_function_privilege(p.oid, 'EXECUTE') AND p.prokind IN ('f', 'p') "
        "  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'steward_api') "
        "  AND p.prorettype <> 'trigger'::regtype ORDER BY 1, 2, 4").fetchall()


@pytest.mark.parametrize("role", ROLES)
def test_definer_functions_with_junk_arguments(world, role, subtests):
    """Every SECURITY DEFINER function the login may execute (steward_api aside: its
    arguments are attacked elsewhere), called with junk: nothing may change."""
    junk = _junk(world, role)
    with world.connect(role, autocommit=True) as probe:
        functions = _definer_functions(probe)
    assert any(name == "steward_current_user_id" for _, name, _, _ in functions), functions
    for schema, name, kind, args in functions:
        with subtests.test(function=f"{schema}.{name}({', '.join(args)})"):
            calls = []
            width = max([len(junk.get(a, [None])) for a in args] or [1])
            for i in range(width):
                values = [junk.get(a, [None])[i % len(junk.get(a, [None]))] for a in args]
                placeholders = ", ".join(f"%s::{a}" for a in args)
                verb = "CALL" if kind == "p" else "SELECT"
                calls.append((f'{verb} "{schema}"."{name}"({placeholders})', values))
            before = world.snapshot()
            outcomes = []
            with world.connect(role) as conn:
                for text, values in calls:
                    conn.execute("SAVEPOINT junk")
                    try:
                        conn.execute(text, values)
                        conn.execute("RELEASE SAVEPOINT junk")
                        outcomes.append(f"accepted: {text} {values!r:.200}")
                    except psycopg.Error as exc:
                        conn.execute("ROLLBACK TO SAVEPOINT junk")
                        outcomes.append(f"refused ({first_line(exc)}): {text}")
                conn.commit()
                after = world.snapshot()
            if role == "admin" and name in ADMIN_POSITION_FUNCTIONS:
                key = next(k for k in after if ADMIN_POSITION_FUNCTIONS[name] in k)
                before[key] = after[key]
            if after != before:
                world.restore(before, after)
            checksums.assert_unchanged(before, after, f"{role} called {schema}.{name}:\n    " + "\n    ".join(outcomes))


# ------------------------------------------------------ blocking writers


LOCK_MODES = ("UPDATE", "NO KEY UPDATE", "SHARE", "KEY SHARE")
TABLE_LOCK_MODES = ("SHARE UPDATE EXCLUSIVE", "SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE")


def _lock_targets(world, role) -> list[tuple[str, str, str]]:
    """(table, row condition, a column to write back) of rows the role must not be able to hold."""
    ids = "ARRAY[" + ", ".join(f"'{world.customers[s]}'::uuid" for s in NOT_WRITABLE[role]) + "]"
    targets = []
    if NOT_WRITABLE[role]:
        targets += [("public.accounts", f"id = ANY({ids})", "name"),
                    ("public.field_values", f"customer_id = ANY({ids})", "value"),
                    ("public.sample_request", f"customer_id = ANY({ids})", "notes"),
                    ("public.slas", f"customer_id = ANY({ids})", "due_date"),
                    ("public.cm_customer_hot_proj", f"customer_id = ANY({ids})", "roi_bucket")]
    targets += [("public.users", "true", "display_name"),
                ("public.user_chains", "true", "chain_id"),
                ("public.saved_views", f"owner_id IS DISTINCT FROM '{world.user_ids[role]}'::uuid", "name"),
                ("public.event_outbox", "true", "data"),
                ("public.daemon_jobs", "true", "last_report"),
                ("public.kpi_state", "true", "applied_at")]
    if role != "admin":
        targets += [("public.consumer_checkpoints", "true", "updated_at"),
                    ("public.event_inbox", "true", "handled_by")]
    return targets


def _blocked(writer: psycopg.Connection, table: str, where: str | None = None, column: str | None = None) -> str | None:
    """The statement a writer (the owner) could not run for a lock someone holds, or None.
    Rows: lock them and write them back. A table: take the lock every INSERT/UPDATE/DELETE takes."""
    statements = ([f"SELECT 1 FROM {table} WHERE {where} FOR UPDATE", f"UPDATE {table} SET {column} = {column} WHERE {where}"]
                  if where else [f"LOCK TABLE {table} IN ROW EXCLUSIVE MODE"])
    try:
        for statement in statements:
            try:
                writer.execute(statement)
            except psycopg.errors.LockNotAvailable:
                return statement
    finally:
        writer.rollback()
    return None


@pytest.mark.parametrize("role", ROLES)
def test_row_and_table_locks_do_not_block_writers(world, ctx_for, role):
    """SELECT ... FOR UPDATE/SHARE on rows of other scopes, and LOCK TABLE on every table the
    person may not write directly, held in an open transaction: no writer may have to wait."""
    rows = _lock_targets(world, role)
    tables = [q(s, n) for s, n in ctx_for(role).tables
              if role not in ALLOWED_DIRECT.get(n, ()) and n != "saved_views"]   # saved_views: see the next test
    steps = [Sql(f"SELECT 1 FROM {table} WHERE {where} FOR {mode}") for table, where, _ in rows for mode in LOCK_MODES]
    steps += [Sql(f"LOCK TABLE {table} IN {mode} MODE") for table in tables for mode in TABLE_LOCK_MODES]
    conn = world.connect(role)
    try:
        outcomes = run_steps(conn, steps, finish="keep")
        with psycopg.connect(world.url, options="-c lock_timeout=100ms") as writer:
            blocked = {t: how for t, where, column in rows if (how := _blocked(writer, t, where, column))}
            blocked |= {t: how for t in tables if (how := _blocked(writer, t))}
    finally:
        conn.rollback()
        conn.close()
    held = [o.step.text for o in outcomes if o.error is None]
    assert not blocked, f"{role} blocks writers of {sorted(blocked)}:\n  " + "\n  ".join(
        f"{t}: {s}" for t, s in blocked.items()) + "\nlocks the person got:\n  " + "\n  ".join(held)


@pytest.mark.parametrize("role", ROLES)
def test_saved_views_table_lock_does_not_block_other_people(world, role):
    """LOCK TABLE needs UPDATE, DELETE or TRUNCATE on the table (for modes above ROW
    EXCLUSIVE), and saved_views keeps direct UPDATE/DELETE for people: one open
    transaction holding ACCESS EXCLUSIVE would stall every desktop's list of views."""
    conn = world.connect(role)
    try:
        outcomes = run_steps(conn, [Sql(f"LOCK TABLE public.saved_views IN {m} MODE") for m in TABLE_LOCK_MODES],
                             finish="keep")
        with psycopg.connect(world.url, options="-c lock_timeout=100ms") as writer:
            blocked = _blocked(writer, "public.saved_views")
    finally:
        conn.rollback()
        conn.close()
    assert blocked is None, f"{role} stalls writers of saved_views:\n{report(outcomes)}"


# ------------------------------------------------------ other sessions


@pytest.mark.parametrize("role", ROLES)
def test_other_sessions_cannot_be_ended_or_cancelled(world, role):
    victims = {"the owner": world.url, "the daemon": world.dsn("steward_daemon"), "another person": world.dsn("rep2")}
    if role != "admin":
        victims["an admin"] = world.dsn("admin")
    conns = {name: psycopg.connect(dsn, autocommit=True) for name, dsn in victims.items()}
    try:
        pids = {name: c.info.backend_pid for name, c in conns.items()}
        with world.connect(role, autocommit=True) as attacker:
            for pid in pids.values():
                for fn in ("pg_cancel_backend", "pg_terminate_backend"):
                    try:
                        attacker.execute(f"SELECT {fn}(%s)", [pid])
                    except psycopg.Error:
                        pass
        gone = []
        for name, c in conns.items():
            try:
                c.execute("SELECT 1")
            except psycopg.OperationalError:
                gone.append(name)
        assert not gone, f"{role} ended the sessions of {gone}"
    finally:
        for c in conns.values():
            c.close()


# ------------------------------------------------------ the suite has teeth


def test_the_checksum_sees_each_kind_of_trace(world):
    """Each kind of change an attack could make shows up in the checksum, under its name."""
    su = world.su
    db = sql.Identifier(world.db).as_string(su)
    rep = sql.Identifier(world.logins["rep"]).as_string(su)
    own = world.customers["own"]
    changes = [  # (change, undo, the item that must differ)
        (f"UPDATE public.accounts SET city = 'Kiel' WHERE id = '{own}'", None, "table public.accounts"),
        ("SELECT nextval('public.field_history_id_seq')", None, "sequence public.field_history_id_seq"),
        ("SELECT lo_create(0)", None, "large objects"),
        ("COMMENT ON TABLE public.accounts IS 'x'", "COMMENT ON TABLE public.accounts IS NULL", "relation public.accounts"),
        ("GRANT SELECT ON public.accounts TO PUBLIC", "REVOKE SELECT ON public.accounts FROM PUBLIC", "relation public.accounts"),
        ("CREATE FUNCTION public.sec_trace() RETURNS int LANGUAGE sql AS 'SELECT 1'", "DROP FUNCTION public.sec_trace()",
         "function public.sec_trace()"),
        ("CREATE POLICY sec_trace ON public.saved_views USING (true)", "DROP POLICY sec_trace ON public.saved_views",
         "policy public.saved_views sec_trace"),
        ("ALTER TABLE public.accounts DISABLE TRIGGER accounts_after_write",
         "ALTER TABLE public.accounts ENABLE TRIGGER accounts_after_write", "trigger public.accounts accounts_after_write"),
        (f"GRANT TEMPORARY ON DATABASE {db} TO steward_person", f"REVOKE TEMPORARY ON DATABASE {db} FROM steward_person",
         "database"),
        (f"GRANT steward_admin TO {rep}", f"REVOKE steward_admin FROM {rep}", f"role {world.logins['rep']}"),
        (f"ALTER ROLE {rep} SET search_path = pg_temp, public", f"ALTER ROLE {rep} RESET search_path",
         f"role {world.logins['rep']}"),
    ]
    for change, undo, key in changes:
        before = world.snapshot()
        su.execute(change)
        after = world.snapshot()
        if undo:
            su.execute(undo)
        else:
            world.restore()
        changed = checksums.differences(before, after)
        assert any(line[2:].startswith(key + ":") for line in changed), (change, changed)
    # A person's temporary table (given TEMP for this check: the target design takes it away).
    su.execute(f"GRANT TEMPORARY ON DATABASE {db} TO {rep}")
    try:
        with world.connect("rep") as conn:
            before = world.snapshot()
            conn.execute("CREATE TEMP TABLE sec_trace (x int)")
            conn.commit()
            changed = checksums.differences(before, world.snapshot())
    finally:
        su.execute(f"REVOKE TEMPORARY ON DATABASE {db} FROM {rep}")
    assert any("temporary objects of non-superusers" in line for line in changed), changed
    assert checksums.differences(world.baseline, world.snapshot()) == []


@pytest.mark.parametrize("attack", [a for a in ATTACKS if not a.autocommit], ids=slug)
def test_attack_sql_is_valid(world, ctx_for, attack):
    """Run as the owner (a superuser) and rolled back, each statement does what it says:
    an attack refused for a typo would pass without testing anything."""
    ctx = ctx_for(attack.roles[0])
    steps = [s for s in steps_of(attack, ctx) if s.superuser != "skip"]
    with psycopg.connect(world.url) as owner:
        outcomes = run_steps(owner, steps, finish="keep")
        owner.rollback()
    wrong = [f"{o}" for o in outcomes if (o.error is None) != (o.step.superuser == "ok")
             and not (o.step.superuser == "ok" and o.error and "already exists" in o.error)]
    assert not wrong, "\n".join(wrong)
