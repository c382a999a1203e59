"""The schema: migrations, current definitions, and reference data.

* Migrations (sql/migrations, applied once each by yoyo) hold tables, columns,
  indexes and data moves. They never import application code.
* Definitions (sql/definitions, one file per concept, and the pack's rules.sql)
  hold the current functions, views, triggers, grants and policies. They are
  idempotent and applied after the migrations whenever their text changed, so
  a newcomer reads each concept in one file, not in the history of migrations.
* Reference data (regions, field catalog, activity kinds, the sample workflow,
  contact roles, products, kits, public holidays) comes from resources/ and is
  synced on every upgrade, so editing the domain pack needs no migration.
"""

from __future__ import annotations

import hashlib
from datetime import date
from functools import cache
from pathlib import Path

import holidays
import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine
from yoyo import get_backend, read_migrations

from services import paths
from services.adapters.database import dumps
from services.errors import UpgradeFailed, SchemaOutdated
from services.adapters import field_checks, hot_fields
from services.pack import (column_declaration, kpis_declaration, load_catalog_files, load_pack, reference_files, render,
                           rules_file)

MIGRATION_TABLE = "_yoyo_migration"
# The pack's rules come after the core's definitions and before access, which
# grants on everything defined before it.
_PACK_RULES_BEFORE = "90_"
# Holidays for SLA due dates: from well before the oldest data to well after the newest.
HOLIDAY_YEARS = range(2000, 2061)


def _yoyo_uri(url: URL) -> str:
    return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def known_migrations() -> list[str]:
    return sorted(p.name.removesuffix(".sql") for p in paths.migrations_dir().glob("*.sql")
                  if not p.name.endswith(".rollback.sql"))


@cache
def definitions() -> tuple[tuple[str, str], ...]:
    """(name, SQL) of every definition in the order they are applied: the core's files, the
    pack's rules, what is generated from the pack's hot columns, then access (which grants
    on all of them). {{...}} markers in the files are filled in from the pack."""
    pack = load_pack()
    core = sorted(paths.definitions_dir().glob("*.sql"))

    def read(path: Path) -> tuple[str, str]:
        return path.name, render(path.read_text(encoding="utf-8"), pack)

    return (*(read(p) for p in core if p.name < _PACK_RULES_BEFORE), read(rules_file()),
            ("hot_fields (generated)", hot_fields.definitions(pack)),
            ("field_checks (generated)", field_checks.definitions(pack)),
            *(read(p) for p in core if p.name >= _PACK_RULES_BEFORE))


@cache
def definitions_hash() -> str:
    """A digest of the definitions and of the reference data's sources: a changed pack
    means an upgrade, just as a changed function does."""
    digest = hashlib.sha256()
    for name, text in definitions():
        digest.update(name.encode() + b"\0" + text.encode() + b"\0")
    for path in reference_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def pending_migrations(engine: Engine) -> list[str]:
    """Migrations not yet applied; readable by every login (the table is granted to all)."""
    with engine.connect() as conn:
        exists = conn.execute(sa.text("SELECT to_regclass(:t) IS NOT NULL"), {"t": MIGRATION_TABLE}).scalar()
        applied = set()
        if exists:
            applied = set(conn.execute(sa.text(f"SELECT migration_id FROM {MIGRATION_TABLE}")).scalars())
    return [m for m in known_migrations() if m not in applied]


def definitions_current(engine: Engine) -> bool:
    with engine.connect() as conn:
        if not conn.execute(sa.text("SELECT to_regclass('public.steward_schema_state') IS NOT NULL")).scalar():
            return False
        applied = conn.execute(sa.text("SELECT definitions_hash FROM steward_schema_state")).scalar()
    return applied == definitions_hash()


def upgrade(url: URL) -> list[str]:
    """Apply pending migrations, sync reference data, apply the definitions; under
    yoyo's lock, so concurrent upgrades wait. Returns the migrations applied."""
    backend = get_backend(_yoyo_uri(url))
    migrations = read_migrations(str(paths.migrations_dir()))
    with backend.lock():
        todo = backend.to_apply(migrations)
        backend.apply_migrations(todo)
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(dsn) as conn:
            _sync_reference_data(conn)
            hot_fields.apply_columns(conn, load_pack())
            _apply_definitions(conn)
    return [m.id for m in todo]


def _apply_definitions(conn: psycopg.Connection) -> None:
    """Every definitions file in order, in the caller's transaction. Each file is
    several statements without parameters, which psycopg sends as one simple query."""
    for name, text in definitions():
        try:
            conn.execute(text)
        except psycopg.Error as exc:
            # A defect of a definition (or a database changed by hand), not a person's input:
            # one line that names the file, and nothing of the definitions applied.
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise UpgradeFailed(f"{name}: {first}. The definitions were not applied (the database keeps "
                                f"its previous ones); migrations already applied stay.") from exc
    conn.execute(
        "INSERT INTO steward_schema_state (definitions_hash) VALUES (%s) "
        "ON CONFLICT (singleton) DO UPDATE SET definitions_hash = EXCLUDED.definitions_hash, applied_at = now()",
        [definitions_hash()])


def ensure_current(engine: Engine, url: URL, *, may_upgrade: bool) -> None:
    """Bring the schema up to date, or say clearly that an admin must."""
    pending = pending_migrations(engine)
    if pending or not definitions_current(engine):
        if not may_upgrade:
            behind = (f"{len(pending)} migration(s) ({', '.join(pending)})" if pending
                      else "its definitions (functions, policies)")
            raise SchemaOutdated(
                f"The database schema is behind this program by {behind}. "
                "An admin must run `steward db upgrade` as the database owner."
            )
        upgrade(url)


def can_migrate(engine: Engine) -> bool:
    """Whether this login may change the schema: a superuser or the database's owner."""
    with engine.connect() as conn:
        return bool(conn.execute(sa.text(
            "SELECT rolsuper OR pg_has_role(current_user, (SELECT datdba FROM pg_database "
            "WHERE datname = current_database()), 'MEMBER') FROM pg_roles WHERE rolname = current_user"
        )).scalar())


def sync_reference_data(engine: Engine) -> None:
    """Upsert the pack, the product catalog and the holidays into their tables (idempotent)."""
    with engine.begin() as conn:
        _sync_reference_data(conn.connection.driver_connection)


def _german_holidays() -> list[tuple[date, str]]:
    return sorted(holidays.country_holidays("DE", years=HOLIDAY_YEARS).items())


def _sync_reference_data(conn: psycopg.Connection) -> None:
    pack = load_pack()
    products, kits = load_catalog_files()
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO regions (code, name) VALUES (%s, %s) ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name",
            [(r.code, r.name) for r in pack.regions])
        cur.executemany(
            "INSERT INTO field_catalog (key, label, description, schema, hot, restricted, derived, checks, columns, "
            "                           sort_order) "
            "VALUES (%s, %s, %s, %s::jsonb, %s, %s, %s, %s::jsonb, %s::jsonb, %s) "
            "ON CONFLICT (key) DO UPDATE SET label = EXCLUDED.label, description = EXCLUDED.description, "
            "schema = EXCLUDED.schema, hot = EXCLUDED.hot, restricted = EXCLUDED.restricted, "
            "derived = EXCLUDED.derived, checks = EXCLUDED.checks, columns = EXCLUDED.columns, "
            "sort_order = EXCLUDED.sort_order",
            [(f.key, f.label, f.description, dumps(f.schema), f.hot, f.restricted, f.derived, dumps(list(f.checks)),
              dumps([column_declaration(c) for c in f.columns]), i)
             for i, f in enumerate(pack.fields)])
        cur.execute("INSERT INTO pack_info (name, kpis, words) VALUES (%s, %s::jsonb, %s::jsonb) "
                    "ON CONFLICT (singleton) DO UPDATE SET name = EXCLUDED.name, kpis = EXCLUDED.kpis, "
                    "words = EXCLUDED.words",
                    [pack.name, dumps(kpis_declaration(pack.kpis)), dumps(pack.words.declaration())])
        cur.executemany(
            "INSERT INTO activity_kinds (kind, label, outcomes, fields_schema, sla, checks, sort_order) "
            "VALUES (%s, %s, %s, %s::jsonb, %s::jsonb, %s::jsonb, %s) "
            "ON CONFLICT (kind) DO UPDATE SET label = EXCLUDED.label, outcomes = EXCLUDED.outcomes, "
            "fields_schema = EXCLUDED.fields_schema, sla = EXCLUDED.sla, checks = EXCLUDED.checks, "
            "sort_order = EXCLUDED.sort_order",
            [(k.kind, k.label, list(k.outcomes), dumps(k.fields_schema), dumps(k.sla) if k.sla else None,
              dumps(list(k.checks)), i)
             for i, k in enumerate(pack.activity_kinds)])
        cur.executemany(
            "INSERT INTO contact_role_types (code, label, sort_order) VALUES (%s, %s, %s) "
            "ON CONFLICT (code) DO UPDATE SET label = EXCLUDED.label, sort_order = EXCLUDED.sort_order",
            [(code, label, i) for i, (code, label) in enumerate(pack.contact_roles.items())])
        workflow = pack.sample_workflow
        cur.execute("DELETE FROM sample_transitions")
        cur.execute("DELETE FROM sample_statuses WHERE status <> ALL (%s)", [list(workflow.statuses)])
        cur.executemany(
            "INSERT INTO sample_statuses (status, position) VALUES (%s, %s) "
            "ON CONFLICT (status) DO UPDATE SET position = EXCLUDED.position",
            [(status, i) for i, status in enumerate(workflow.statuses)])
        cur.executemany(
            "INSERT INTO sample_transitions (from_status, to_status, position) VALUES (%s, %s, %s)",
            [(status, nxt, i) for status in workflow.statuses for i, nxt in enumerate(workflow.allowed_next(status))])
        cur.execute("DELETE FROM business_holidays")
        cur.executemany("INSERT INTO business_holidays (day, name) VALUES (%s, %s)", _german_holidays())
        cur.executemany(
            "INSERT INTO products (sku, name, category, unit, active) VALUES (%s, %s, %s, %s, true) "
            "ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name, category = EXCLUDED.category, "
            "unit = EXCLUDED.unit, active = true",
            [(p.sku, p.name, p.category, p.unit) for p in products])
        # A product that left the catalog stays for the samples that name it, but cannot be requested.
        cur.execute("UPDATE products SET active = false WHERE sku <> ALL (%s)", [[p.sku for p in products]])
        cur.execute("UPDATE sample_kits SET is_default = false WHERE is_default")
        for kit in kits:
            cur.execute(
                "INSERT INTO sample_kits (id, name, is_default) VALUES (%s, %s, %s) "
                "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, is_default = EXCLUDED.is_default",
                (kit.id, kit.name, kit.is_default))
            cur.execute("DELETE FROM sample_kit_items WHERE kit_id = %s", [kit.id])
            cur.executemany("INSERT INTO sample_kit_items (kit_id, sku, quantity) VALUES (%s, %s, %s)",
                            [(kit.id, sku, qty) for sku, qty in kit.items])
