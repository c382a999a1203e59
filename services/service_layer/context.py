"""What every service shares: the engine, the acting person, the catalog, and units of work."""

from __future__ import annotations

import contextlib
import re
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from services.service_layer.access import Actor
from services.adapters.database import UnitOfWork, make_engine, translated_errors
from services.errors import Forbidden, NotFound, StewardError
from services.pack.words import Words
from services.pack import (ActivityKind, FieldDef, Filter, HotColumn, Kit, Kpis, PackError, Product, hot_column,
                           in_written_order, kpis_from, load_pack)


@dataclass(frozen=True)
class Catalog:
    """Reference data as the database holds it (synced from resources/ on upgrade)."""

    regions: dict[str, str]
    fields: dict[str, FieldDef]
    kinds: dict[str, ActivityKind]
    products: dict[str, Product]
    kits: dict[str, Kit]
    contact_roles: dict[str, str]
    kpis: Kpis
    sample_statuses: tuple[str, ...] = ()
    words: Words = field(default_factory=Words)

    def label(self, code: Any, context: str | None = None, language: str | None = None) -> str:
        """How a code reads for people, in their language (services.formats) unless one is given."""
        return self.words.label(code, context, language or _language())

    def text(self, english: str, language: str | None = None) -> str:
        """A text of the pack (a label, a title) in the person's language."""
        return self.words.text(english, language or _language())

    @property
    def default_kit(self) -> Kit:
        return next(k for k in self.kits.values() if k.is_default)

    @cached_property
    def hot_columns(self) -> tuple[HotColumn, ...]:
        """The hot projection's pack-made columns, in the pack's order."""
        return tuple(c for f in self.fields.values() for c in f.columns)

    @cached_property
    def filters(self) -> dict[str, Filter]:
        """The pack's filters of the customer list, by parameter name."""
        return {f.name: f for c in self.hot_columns for f in c.filters}

    @cached_property
    def column(self) -> dict[str, HotColumn]:
        return {c.name: c for c in self.hot_columns}


def _language() -> str:
    from services import formats

    return formats.current().language


def load_catalog(conn: Connection) -> Catalog:
    regions = dict(conn.execute(sa.text("SELECT code, name FROM regions ORDER BY code")).all())
    fields = {
        r.key: FieldDef(r.key, r.label, r.schema, r.description, r.hot, r.restricted, r.derived, tuple(r.checks),
                        tuple(hot_column(r.key, r.schema, c) for c in r.columns))
        for r in conn.execute(sa.text("SELECT * FROM field_catalog ORDER BY sort_order, key"))
    }
    kinds = {
        r.kind: ActivityKind(r.kind, r.label, tuple(r.outcomes), r.fields_schema, r.sla, tuple(r.checks))
        for r in conn.execute(sa.text("SELECT * FROM activity_kinds ORDER BY sort_order, kind"))
    }
    products = {
        r.sku: Product(r.sku, r.name, r.category, r.unit)
        for r in conn.execute(sa.text("SELECT * FROM products WHERE active ORDER BY sku"))
    }
    items: dict[str, list[tuple[str, int]]] = {}
    for r in conn.execute(sa.text("SELECT kit_id, sku, quantity FROM sample_kit_items ORDER BY kit_id, sku")):
        items.setdefault(r.kit_id, []).append((r.sku, r.quantity))
    kits = {
        r.id: Kit(r.id, r.name, r.is_default, tuple(items.get(r.id, ())))
        for r in conn.execute(sa.text("SELECT * FROM sample_kits ORDER BY is_default DESC, id"))
    }
    contact_roles = dict(conn.execute(sa.text("SELECT code, label FROM contact_role_types ORDER BY sort_order, code")).all())
    info = conn.execute(sa.text("SELECT kpis, words FROM pack_info")).one()
    kpis, words = kpis_from(info.kpis), Words.from_declaration(info.words)
    statuses = tuple(conn.execute(sa.text("SELECT status FROM sample_statuses ORDER BY position")).scalars())
    fields, kinds = _as_written(fields, kinds)
    return Catalog(regions, fields, kinds, products, kits, contact_roles, kpis, statuses, words)


def _as_written(fields: dict[str, FieldDef], kinds: dict[str, ActivityKind]) -> tuple[dict, dict]:
    """The schemas with their properties in the order the pack file gives them (jsonb keeps
    them ordered by key length), where this client has the database's pack to ask."""
    try:
        pack = load_pack()
    except (PackError, OSError):
        return fields, kinds
    field_order = {f.key: f.schema for f in pack.fields}
    kind_order = {k.kind: k.fields_schema for k in pack.activity_kinds}
    return ({key: replace(f, schema=in_written_order(f.schema, field_order.get(key))) for key, f in fields.items()},
            {key: replace(k, fields_schema=in_written_order(k.fields_schema, kind_order.get(key)))
             for key, k in kinds.items()})


@contextlib.contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection for reads, in autocommit: each statement is one round trip, without the
    BEGIN before it and the COMMIT or ROLLBACK after it (a statement in READ COMMITTED sees a
    snapshot of its own either way), and psycopg keeps its prepared statements."""
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        yield conn


def local_settings(settings: Mapping[str, str]) -> str:
    """The statement that sets these settings for the transaction."""
    return "SELECT " + ", ".join(f"set_config('{_setting(name)}', '{_setting(value)}', true)"
                                 for name, value in settings.items())


def _setting(word: str) -> str:
    """A setting's name or value as the code gives it (written into the statement)."""
    if not re.fullmatch(r"[A-Za-z0-9_.]+", word):
        raise ValueError(f"not a plain setting: {word!r}")
    return word


# After a write of its own, a context reads from the primary for this long: the person sees
# what they saved (a grid row re-read after a save, a count) even while the replica replays it.
READ_YOUR_WRITES_SECONDS = 5.0


class Context:
    def __init__(self, engine: Engine, actor: Actor, catalog: Catalog, *, source: str,
                 replica: Engine | None = None, session: Mapping[str, str] | None = None):
        self.engine = engine
        self.actor = actor
        self.catalog = catalog
        self.source = source
        # A streaming replica (STEWARD_READ_DATABASE_URL), logged in as the same person: the same
        # login, so the same row-level security. None: every read goes to the primary.
        self.replica = replica
        # Settings every session of the engines has from the login (services.adapters.database.make_engine).
        self.session = dict(session or {})
        self._planned_engines: dict[tuple, Engine] = {}
        self._planned_lock = threading.Lock()
        self._wrote_at = float("-inf")

    @contextlib.contextmanager
    def read(self, *, settings: Mapping[str, str] | None = None) -> Iterator[Connection]:
        """A read from the primary: what the person has just written is there. See `reading`;
        `settings` are the planner settings the read's statements need."""
        with translated_errors(), reading(self._planned(self.engine, settings)) as conn:
            yield conn

    @contextlib.contextmanager
    def read_replica(self, *, settings: Mapping[str, str] | None = None) -> Iterator[Connection]:
        """A read that may be a moment behind (grid pages, counts, the cockpit, exports): from
        the replica when there is one, unless this context wrote in the last few seconds."""
        recent = time.monotonic() - self._wrote_at < READ_YOUR_WRITES_SECONDS
        engine = self.engine if self.replica is None or recent else self.replica
        with translated_errors(), reading(self._planned(engine, settings)) as conn:
            yield conn

    def _planned(self, engine: Engine, settings: Mapping[str, str] | None) -> Engine:
        """An engine whose sessions have these settings from the login: a read needs no
        transaction to set them for itself (BEGIN with the settings, COMMIT: two round trips
        more each time). One small pool per engine and settings, made when first needed."""
        if not settings:
            return engine
        key = (id(engine), tuple(sorted(settings.items())))
        with self._planned_lock:
            planned = self._planned_engines.get(key)
            if planned is None:
                planned = make_engine(engine.url, pool_size=1,
                                      application_name=f"steward-{self.source}-planned",
                                      settings={**self.session, **settings})
                self._planned_engines[key] = planned
        return planned

    def close(self) -> None:
        """Close the pools this context made for itself (the caller closes the engines it gave)."""
        with self._planned_lock:
            for planned in self._planned_engines.values():
                planned.dispose()
            self._planned_engines.clear()

    def wrote(self) -> None:
        """Reads follow the primary for a while (READ_YOUR_WRITES_SECONDS)."""
        self._wrote_at = time.monotonic()

    @contextlib.contextmanager
    def write(self, *, correlation_id: str | None = None) -> Iterator[UnitOfWork]:
        """One transaction. Writes are calls of the database's write API (UnitOfWork.call),
        which appends the events to the outbox itself."""
        self.wrote()
        try:
            with translated_errors(), self.engine.begin() as conn:
                yield UnitOfWork(conn, correlation_id or str(uuid.uuid4()), self.source)
        except Forbidden as exc:
            raise self.refusal(exc) from exc
        finally:
            self.wrote()   # the window counts from the commit (a long unit of work outlasts it)

    def call(self, function: str, /, **params: Any) -> Any:
        """One write API call, committed on its own. A single statement is its own
        transaction: sent in autocommit mode it is one round trip, without the BEGIN
        and COMMIT a unit of work of several statements needs."""
        self.wrote()
        try:
            with translated_errors(), self.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT")
                return UnitOfWork(conn, str(uuid.uuid4()), self.source).call(function, **params)
        except Forbidden as exc:
            raise self.refusal(exc) from exc
        finally:
            self.wrote()

    def refusal(self, exc: Forbidden) -> StewardError:
        """A refused write of a customer, in words that fit what the person may see:
        "not yours" for one they may read, "not found" for one they may not."""
        refused = getattr(exc, "refused_customer", None)
        if refused is None:
            return exc
        customer, doing = refused
        with self.read() as conn:
            visible = conn.execute(_VISIBLE, {"id": customer}).first()
        if visible is not None:
            whose = f" ({visible.owner_name}'s customer)" if visible.owner_name else ""
            return Forbidden(f"You may read “{visible.name}”{whose} but not {doing}.",
                             customer_id=str(customer), customer_name=visible.name)
        return NotFound(f"Customer {customer} does not exist or is not visible to you.")


# The customer's name and owner as the person reads them (row-level security applies).
_VISIBLE = sa.text("SELECT a.name, u.display_name AS owner_name FROM accounts a "
                   "LEFT JOIN users u ON u.id = a.owner_id WHERE a.id = CAST(:id AS uuid)")
