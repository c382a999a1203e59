"""The bulk load: one transaction that empties the data tables, COPYs the plan in and
rebuilds what the triggers would have kept (audit history, hot projection, search words).

Why it is fast, and stays correct:
* triggers are off during COPY (inside the transaction, so a failure restores
  them with everything else); audit rows and the projection are then written
  set-based from what was copied;
* secondary indexes are dropped and built once after the data is in; primary
  keys stay, fed ascending ids so they only grow at their right edge;
* foreign-key checks run row by row (about 10 µs a row here); a superuser
  switches them off with the other triggers (the plan is consistent by
  construction, and the tests check it), anyone else drops and re-adds the
  constraints, which validates each once, set-based;
* the projection is filled by the rebuild's own statement (sql/queries), whose
  ON CONFLICT never fires on the empty table (measured: 15 s against 14 s for a
  plain INSERT of the truth at a million customers, and no second copy of it);
* every table is truncated in this transaction, so COPY may FREEZE its rows
  (no hint-bit writes or anti-wraparound vacuum later).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from psycopg import sql
from psycopg.copy import QueuedLibpqWriter
from sqlalchemy.engine import Engine

from services import paths
from services.adapters import hot_fields
from services.pack import load_pack
from services.entrypoints.demo import binary_copy, statements
from services.entrypoints.demo.tables import TABLES, Plan
from services.errors import Conflict

Progress = Callable[[str, int, int], None]   # (phase, done, total)
COPIED = tuple(t.name for t in TABLES)
DERIVED = ("field_history", "cm_customer_hot_proj", "cm_customer_words")
LOADED = COPIED + DERIVED


class DemoDataExists(Conflict):
    """The database holds customers already and --replace was not given."""

    slug = "demo-data-exists"
    title = "The database is not empty"


@dataclass(frozen=True)
class _SetAside:
    """What the load switches off or drops, to put back before it commits."""

    triggers: str            # ALL or USER
    indexes: list            # (index_name, definition)
    foreign_keys: list       # (table_name, name, definition)


def refuse_unless_empty(conn, replace: bool) -> int:
    """How many customers exist; refuses when any do (or contacts without customers) and not replacing."""
    customers = conn.execute(sa.text("SELECT count(*) FROM accounts")).scalar_one()
    contacts = conn.execute(sa.text("SELECT EXISTS (SELECT 1 FROM contacts)")).scalar_one()
    if (customers or contacts) and not replace:
        raise DemoDataExists(
            f"The database already holds {customers:,} customers. Load the demo into an empty database, "
            "or add --replace to empty the customer data first (people and reference data stay).",
            errors={"customers": "exist already"})
    return customers


def skips_key_checks(conn) -> bool:
    """Only a superuser may switch off the foreign-key triggers; anyone else re-validates the keys."""
    return bool(conn.execute(sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar_one())


def load(engine: Engine, plan: Plan, *, replace: bool, chain_manager_chains: Callable[[sa.Connection], None],
         progress: Progress) -> dict[str, float]:
    """Everything in one transaction; returns seconds per phase."""
    lap = _Stopwatch()
    with engine.begin() as conn:
        for setting, value in statements.SESSION:
            conn.execute(sa.text("SELECT set_config(:name, :value, true)"), {"name": setting, "value": value})
        conn.execute(sa.text("LOCK TABLE accounts, contacts IN ACCESS EXCLUSIVE MODE"))
        refuse_unless_empty(conn, replace)
        conn.execute(sa.text(f"TRUNCATE {', '.join(LOADED + (('event_outbox',) if replace else ()))} CASCADE"))
        aside = _set_aside(conn)
        lap("prepare")

        driver = conn.connection.driver_connection
        for table in TABLES:
            _copy(driver, table, plan, progress)
            lap(table.name)
        conn.execute(sa.text(statements.FIELD_HISTORY))
        for table in ("field_history", "sample_status_history"):
            conn.execute(sa.text(statements.RESET_SEQUENCE.format(table=table)))
        lap("field_history")
        conn.execute(sa.text(f"ANALYZE {', '.join(COPIED + ('field_history',))}"))
        lap("analyze")

        progress("projection", 0, 1)
        # The rebuild's own statement, over every id: on the empty projection it only inserts.
        conn.execute(sa.text(hot_fields.repair_statement(load_pack())),
                     {"lo": uuid.UUID(int=0), "hi": uuid.UUID(int=(1 << 128) - 1), "ids": None})
        progress("projection", 1, 1)
        lap("projection")
        progress("search words", 0, 1)
        conn.execute(sa.text(paths.query("fill_customer_words")))
        progress("search words", 1, 1)
        lap("search words")

        _put_back(conn, aside, progress)
        lap("indexes")
        chain_manager_chains(conn)
    lap("commit")

    # Outside the transaction: VACUUM sets the visibility map, so grid pages can be index-only scans.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        progress("analyze", 0, 1)
        conn.execute(sa.text("VACUUM (ANALYZE) cm_customer_hot_proj, cm_customer_words"))
        progress("analyze", 1, 1)
    lap("vacuum")
    return lap.phases


def _set_aside(conn) -> _SetAside:
    skip_checks = skips_key_checks(conn)
    tables = {"tables": list(LOADED)}
    aside = _SetAside("ALL" if skip_checks else "USER", conn.execute(sa.text(statements.SECONDARY_INDEXES), tables).all(),
                      [] if skip_checks else conn.execute(sa.text(statements.FOREIGN_KEYS), tables).all())
    for table in LOADED:
        conn.execute(sa.text(f"ALTER TABLE {table} DISABLE TRIGGER {aside.triggers}"))
    for fk in aside.foreign_keys:
        conn.execute(sa.text(f"ALTER TABLE {fk.table_name} DROP CONSTRAINT {fk.name}"))
    for index in aside.indexes:
        conn.execute(sa.text(f"DROP INDEX {index.index_name}"))
    return aside


def _put_back(conn, aside: _SetAside, progress: Progress) -> None:
    steps = [sa.text(index.definition) for index in aside.indexes]
    steps += [sa.text(f"ALTER TABLE {fk.table_name} ADD CONSTRAINT {fk.name} {fk.definition}")
              for fk in aside.foreign_keys]
    steps += [sa.text(f"ALTER TABLE {table} ENABLE TRIGGER {aside.triggers}") for table in LOADED]
    for n, step in enumerate(steps, 1):
        conn.execute(step)
        progress("indexes", n, len(steps))


def _copy(driver, table, plan: Plan, progress: Progress) -> None:
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT binary, FREEZE)").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, table.columns)))
    total, done = table.rows(plan), 0
    progress(table.name, 0, total)
    with driver.cursor() as cursor:
        # The writer thread sends one chunk while numpy encodes the next.
        with cursor.copy(statement, writer=QueuedLibpqWriter(cursor)) as copy:
            copy.write(binary_copy.SIGNATURE)
            for rows, data in table.chunks(plan):
                copy.write(data)
                done += rows
                progress(table.name, done, total)
            copy.write(binary_copy.TRAILER)


class _Stopwatch:
    def __init__(self):
        self.phases: dict[str, float] = {}
        self._last = time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        self.phases[name] = self.phases.get(name, 0.0) + now - self._last
        self._last = now
