"""Operations (issue 16): the legacy back-fill's rate, the retention dry run, `steward health`.

The back-fill moves a generated legacy table (services/entrypoints/demo/legacy.py, the
quirks of the shipped sample) of `rows` customers with resources/legacy/kunden.mapping.toml,
exactly as `steward migrate legacy backfill` does, against its baseline: the same rows one
customer at a time through the write API (create, contact, fields: what an import script
would do). Afterwards the back-fill is undone and the legacy table dropped, so the demo
data is as it was.
"""

from __future__ import annotations

import time

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from services import paths
from services.config import OperationsConfig
from services.entrypoints.bench.timing import Row, compared, sample, stopwatch
from services.entrypoints.demo import legacy as legacy_table
from services.service_layer import health, mapping as mappings
from services.service_layer.legacy import _prepare

SOURCE = "legacy.bench_kunden"
TARGET_ROWS_PER_SECOND = 10_000
BASELINE_ROWS = 300


def measure(owner: Engine, svc, *, rows: int = 100_000, samples: int = 10) -> list[Row]:
    mapping = mappings.load_mapping(paths.resources_dir() / "legacy" / "kunden.mapping.toml")
    _drop(owner, svc)
    loaded = _load(owner, rows)
    try:
        report = svc.legacy.backfill(mapping, source=SOURCE, batch=5000)
        backfill = Row("ops", "legacy back-fill (steward migrate legacy backfill)", "admin",
                       rate=report.rows_per_second, unit="rows/s",
                       note=f"{report.rows_read:,} rows in {report.seconds:.1f} s: {report.written:,} written, "
                            f"{report.refused:,} refused, {report.duplicates:,} duplicates; target "
                            f"≥ {TARGET_ROWS_PER_SECOND:,} rows/s",
                       extra={"seconds": report.seconds, "rows": report.rows_read})
        validate_seconds, validation = stopwatch(lambda: svc.legacy.validate(mapping, source=SOURCE, record=False))
        validated = Row("ops", "legacy validate (every row mapped and compared)", "admin", seconds=validate_seconds,
                        unit="s", note=f"{validation.rows_read:,} rows; "
                                       f"{'clean' if validation.clean else 'not clean'}")
        svc.legacy.reset(SOURCE)
        baseline = Row("ops", "baseline: one customer at a time through the write API", "admin",
                       rate=_one_by_one(svc, mapping, BASELINE_ROWS), unit="rows/s", is_baseline=True,
                       note=f"create_customer, add_contact, patch_fields per row; {BASELINE_ROWS} rows")
    finally:
        _drop(owner, svc)
    dry_seconds, previews = stopwatch(lambda: svc.retention.preview())
    dry = Row("ops", "retention --dry-run (outbox, contacts, archive)", "admin", seconds=dry_seconds, unit="s",
              note="; ".join(f"{p['policy']}: {_count(p):,}" for p in previews))
    config = OperationsConfig()
    checked = sample(lambda: health.check(owner, owner.url, config=config), n=samples, warmup=1, at_least=3)
    healthy = Row("ops", "steward health (all checks)", "admin", timing=checked,
                  note=f"{loaded:,} legacy rows loaded before")
    return [compared(backfill, baseline), baseline, validated, dry, healthy]


def _count(preview: dict) -> int:
    return int(preview.get("outbox", preview.get("contacts", preview.get("samples", 0))))


def _load(owner: Engine, rows: int) -> int:
    """The legacy table, written by COPY (the loading is not what is measured)."""
    dsn = owner.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE {SOURCE} ({', '.join(f'{c} text' for c in legacy_table.COLUMNS)})")
        n = 0
        with conn.cursor().copy(f"COPY {SOURCE} FROM STDIN") as copy:
            for row in legacy_table.rows(rows, seed=1616):
                copy.write_row([row[c] or None for c in legacy_table.COLUMNS])
                n += 1
        conn.execute(f"ANALYZE {SOURCE}")
    return n


def _drop(owner: Engine, svc) -> None:
    with owner.connect() as conn:
        move = conn.execute(sa.text("SELECT state FROM legacy_moves WHERE source = :s"), {"s": SOURCE}).scalar()
    if move == "open":
        svc.legacy.switch(SOURCE, "dual_write", False)
        svc.legacy.switch(SOURCE, "read_switch", False)
        svc.legacy.reset(SOURCE)
    with owner.begin() as conn:
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {SOURCE} CASCADE"))
        conn.execute(sa.text("DELETE FROM legacy_moves WHERE source = :s"), {"s": SOURCE})


def _one_by_one(svc, mapping, n: int) -> float:
    """Rows per second for the first n rows of the table, one write API call after another."""
    rows = svc.legacy._ctx.call("legacy_rows", source=SOURCE, after=None, keys=n)
    prepared = _prepare(mapping, rows).rows
    created = []
    started = time.perf_counter()
    for row in prepared:
        c = svc.customers.create(row["customer"]["name"], row["customer"]["region"], row["customer"].get("city"),
                                 external_ref="bench:" + row["key"])
        created.append(c.id)
        for contact in row["contacts"]:
            svc.customers.add_contact(c.id, contact["full_name"], contact["roles"], email=contact.get("email"),
                                      phone=contact.get("phone"))
        if row["fields"]:
            svc.fields.patch(c.id, row["fields"])
    seconds = time.perf_counter() - started
    with svc.engine.begin() as conn:   # the owner's session: remove them again (history and words with them)
        conn.execute(sa.text("DELETE FROM contacts WHERE id IN (SELECT contact_id FROM contact_roles "
                             "WHERE account_id = ANY (:ids))"), {"ids": created})
        conn.execute(sa.text("SELECT steward_internal.begin_bulk_write()"))
        conn.execute(sa.text("DELETE FROM cm_customer_words WHERE customer_id = ANY (:ids)"), {"ids": created})
        conn.execute(sa.text("DELETE FROM accounts WHERE id = ANY (:ids)"), {"ids": created})
        conn.execute(sa.text("SELECT steward_internal.end_bulk_write()"))
    return len(prepared) / seconds if seconds else 0.0
