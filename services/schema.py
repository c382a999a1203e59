"""Schema migrations (yoyo, plain SQL files in sql/migrations) and reference data.

Migrations never import application code. Reference data (regions, field
catalog, activity kinds, products, kits) comes from resources/ and is synced
after every upgrade, so editing the domain pack needs no migration.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine
from yoyo import get_backend, read_migrations

from services import paths
from services.database import dumps
from services.errors import SchemaOutdated
from services.pack import load_catalog_files, load_pack

MIGRATION_TABLE = "_yoyo_migration"


def _yoyo_uri(url: URL) -> str:
    return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def known_migrations() -> list[str]:
    return sorted(p.name.removesuffix(".sql") for p in paths.migrations_dir().glob("*.sql")
                  if not p.name.endswith(".rollback.sql"))


def pending_migrations(engine: Engine) -> list[str]:
    """Migrations not yet applied; readable by every login (the table is granted to all)."""
    with engine.connect() as conn:
        exists = conn.execute(sa.text("SELECT to_regclass(:t) IS NOT NULL"), {"t": MIGRATION_TABLE}).scalar()
        applied = set()
        if exists:
            applied = set(conn.execute(sa.text(f"SELECT migration_id FROM {MIGRATION_TABLE}")).scalars())
    return [m for m in known_migrations() if m not in applied]


def upgrade(url: URL) -> list[str]:
    """Apply pending migrations (under yoyo's lock, so concurrent upgrades wait). Returns their ids."""
    backend = get_backend(_yoyo_uri(url))
    migrations = read_migrations(str(paths.migrations_dir()))
    with backend.lock():
        todo = backend.to_apply(migrations)
        backend.apply_migrations(todo)
    return [m.id for m in todo]


def ensure_current(engine: Engine, url: URL, *, may_upgrade: bool) -> None:
    """Bring the schema up to date, or say clearly that an admin must."""
    pending = pending_migrations(engine)
    if pending:
        if not may_upgrade:
            raise SchemaOutdated(
                f"The database schema is behind this program by {len(pending)} migration(s) "
                f"({', '.join(pending)}). An admin must run `steward db upgrade` as the database owner."
            )
        upgrade(url)
        sync_reference_data(engine)
    elif may_upgrade and not _reference_data_present(engine):
        sync_reference_data(engine)


def _reference_data_present(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(sa.text("SELECT EXISTS (SELECT 1 FROM field_catalog)")).scalar())


def can_migrate(engine: Engine) -> bool:
    """Whether this login may change the schema: a superuser or the database's owner."""
    with engine.connect() as conn:
        return bool(conn.execute(sa.text(
            "SELECT rolsuper OR pg_has_role(current_user, (SELECT datdba FROM pg_database "
            "WHERE datname = current_database()), 'MEMBER') FROM pg_roles WHERE rolname = current_user"
        )).scalar())


def sync_reference_data(engine: Engine) -> None:
    """Upsert the pack and the product catalog into their tables (idempotent)."""
    pack = load_pack()
    products, kits = load_catalog_files()
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO regions (code, name) VALUES (:code, :name) "
            "ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name"),
            [{"code": r.code, "name": r.name} for r in pack.regions])
        conn.execute(sa.text(
            "INSERT INTO field_catalog (key, label, description, schema, hot, restricted, derived, sort_order) "
            "VALUES (:key, :label, :description, CAST(:schema AS jsonb), :hot, :restricted, :derived, :sort_order) "
            "ON CONFLICT (key) DO UPDATE SET label = EXCLUDED.label, description = EXCLUDED.description, "
            "schema = EXCLUDED.schema, hot = EXCLUDED.hot, restricted = EXCLUDED.restricted, "
            "derived = EXCLUDED.derived, sort_order = EXCLUDED.sort_order"),
            [{"key": f.key, "label": f.label, "description": f.description, "schema": dumps(f.schema),
              "hot": f.hot, "restricted": f.restricted, "derived": f.derived, "sort_order": i}
             for i, f in enumerate(pack.fields)])
        conn.execute(sa.text(
            "INSERT INTO activity_kinds (kind, label, outcomes, fields_schema, sla, sort_order) "
            "VALUES (:kind, :label, :outcomes, CAST(:fields_schema AS jsonb), CAST(:sla AS jsonb), :sort_order) "
            "ON CONFLICT (kind) DO UPDATE SET label = EXCLUDED.label, outcomes = EXCLUDED.outcomes, "
            "fields_schema = EXCLUDED.fields_schema, sla = EXCLUDED.sla, sort_order = EXCLUDED.sort_order"),
            [{"kind": k.kind, "label": k.label, "outcomes": list(k.outcomes), "fields_schema": dumps(k.fields_schema),
              "sla": dumps(k.sla) if k.sla else None, "sort_order": i}
             for i, k in enumerate(pack.activity_kinds)])
        conn.execute(sa.text(
            "INSERT INTO products (sku, name, category, unit, active) VALUES (:sku, :name, :category, :unit, true) "
            "ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name, category = EXCLUDED.category, "
            "unit = EXCLUDED.unit, active = true"),
            [p.__dict__ for p in products])
        # A product that left the catalog stays for the samples that name it, but cannot be requested.
        conn.execute(sa.text("UPDATE products SET active = false WHERE sku <> ALL (:skus)"),
                     {"skus": [p.sku for p in products]})
        conn.execute(sa.text("UPDATE sample_kits SET is_default = false WHERE is_default"))
        for kit in kits:
            conn.execute(sa.text(
                "INSERT INTO sample_kits (id, name, is_default) VALUES (:id, :name, :is_default) "
                "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, is_default = EXCLUDED.is_default"),
                {"id": kit.id, "name": kit.name, "is_default": kit.is_default})
            conn.execute(sa.text("DELETE FROM sample_kit_items WHERE kit_id = :id"), {"id": kit.id})
            conn.execute(sa.text("INSERT INTO sample_kit_items (kit_id, sku, quantity) VALUES (:kit, :sku, :qty)"),
                         [{"kit": kit.id, "sku": sku, "qty": qty} for sku, qty in kit.items])
