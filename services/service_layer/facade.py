"""`services.connect()`: the one way in for the desktop, the daemon, the CLI and the tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

from services.adapters import embedded, schema

from services.service_layer import people, projections
from services.service_layer.access import Actor, resolve_actor
from services.service_layer.activities import ActivityService
from services.service_layer.bulk import BulkService
from services.service_layer.change_sets import ChangeSetService
from services.service_layer.changes import ChangeFeed
from services.service_layer.checked import checked
from services.config import DEFAULT_EMBEDDED_USER, Settings
from services.service_layer.context import Context, load_catalog
from services.service_layer.customers import CustomerService
from services.service_layer.duplicates import DuplicateService
from services.adapters.database import database_url, make_engine, translated_errors
from services.service_layer.fields import FieldService
from services.service_layer.kpis import KpiService
from services.service_layer.people import PeopleService
from services.service_layer.roi import RoiService
from services.service_layer.samples import SampleService
from services.service_layer.tokens import TokenService
from services.service_layer.views import ViewService
from services.service_layer.backups import BackupService
from services.service_layer.imports import ImportService
from services.service_layer.legacy import LegacyService
from services.service_layer.privacy import PrivacyService
from services.service_layer.retention import RetentionService


class ProjectionService:
    def __init__(self, engine: Engine):
        self._engine = engine

    def rebuild(self, *, batches: int = 64, progress=None) -> projections.RebuildReport:
        """Rebuild from the truth in short batches; needs the schema owner or the daemon's login."""
        with translated_errors():
            return projections.rebuild(self._engine, batches=batches, progress=progress)

    def verify(self, *, batches: int = 64, progress=None) -> int:
        """The number of drifted customers (0 when the projection is true)."""
        with translated_errors():
            return projections.count_drift(self._engine, batches=batches, progress=progress)


class Steward:
    """The service facade. Every call is one unit of work; results are frozen dataclasses."""

    VALUES = ("engine", "url", "actor")  # plain attributes, handed out as they are; every other one is a service

    def __init__(self, engine: Engine, url: URL, actor: Actor, ctx: Context, settings: Settings | None = None):
        self.engine = engine
        self.url = url
        self.actor = actor
        self._ctx = ctx
        self.customers = CustomerService(ctx)
        self.fields = FieldService(ctx)
        self.samples = SampleService(ctx)
        self.roi = RoiService(ctx)
        self.activities = ActivityService(ctx)
        self.projections = ProjectionService(engine)
        self.users = PeopleService(ctx)
        self.changes = ChangeFeed(ctx, url)
        self.kpis = KpiService(ctx)
        self.views = ViewService(ctx)
        self.change_sets = ChangeSetService(ctx)
        self.bulk = BulkService(ctx)
        self.tokens = TokenService(ctx)
        self.duplicates = DuplicateService(ctx)
        # Operations (issue 16): retention, privacy requests, the legacy move, backups.
        self.retention = RetentionService(ctx)
        self.privacy = PrivacyService(ctx)
        self.legacy = LegacyService(ctx)
        self.backups = BackupService(engine, settings)
        # Imports (issue 14): customer lists as one change set each.
        self.imports = ImportService(ctx)
        # Every service, those added above later too, checks its callers' arguments before it
        # runs (services/service_layer/checked.py). The services themselves (and the hooks above) call each
        # other unchecked: they pass on what they have already checked.
        wrapped: dict[int, object] = {}
        for name, value in list(vars(self).items()):
            if not name.startswith("_") and name not in self.VALUES:
                setattr(self, name, wrapped.setdefault(id(value), checked(value)))

    @property
    def catalog(self):
        return self._ctx.catalog

    @property
    def reads_from_replica(self) -> bool:
        """Whether grid pages, counts, the cockpit and exports read from a replica."""
        return self._ctx.replica is not None

    def replica_lag(self) -> timedelta | None:
        """How far the replica's data is behind the primary's (zero when it has replayed
        everything it received), or None without a replica. One query on the replica."""
        if self._ctx.replica is None:
            return None
        with translated_errors(), self._ctx.replica.connect() as conn:
            seconds = conn.execute(_REPLAY_LAG).scalar()
        return timedelta(seconds=float(seconds or 0))

    def close(self) -> None:
        self._ctx.close()
        self.engine.dispose()
        if self._ctx.replica is not None:
            self._ctx.replica.dispose()

    def __enter__(self) -> "Steward":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# A person's sessions: no JIT. It compiles for longer (50–200 ms) than the cockpit's queries
# run, which is all it would ever start for; off with the login, the cockpit's reads need no
# transaction to turn it off (two round trips fewer each).
PERSON_SESSION = {"jit": "off"}

# Idle since the last replayed transaction is not lag: when the replica has replayed all it
# received, nothing is behind (NULL off a replica, read as zero).
_REPLAY_LAG = sa.text(
    "SELECT CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END")


def replica_url(read_url: str, person: URL) -> URL:
    """The replica's URL with the person's own login (and password, unless the read URL gives
    one for that login): the same login as on the primary, so the same row-level security."""
    given = make_url(read_url)
    password = given.password if given.username == person.username and given.password else person.password
    return database_url(read_url).set(username=person.username, password=password)


def owner_url(settings: Settings, url: str | None = None) -> URL:
    """The URL that may change the schema: the embedded superuser, or the configured one."""
    if url or settings.database_url:
        return database_url(url or settings.database_url)
    return database_url(embedded.server_uri(settings.data_dir))


T = TypeVar("T")


def run_as_owner(settings: Settings, work: Callable[[Engine], T], *, source: str = "owner") -> T:
    """`work(engine)` on a one-connection engine of the schema owner (the embedded superuser, or
    the configured URL's login), disposed of afterwards: for bulk jobs outside the write API,
    such as loading the demo data on a first start. Errors come back typed (services.errors)."""
    engine = make_engine(owner_url(settings), pool_size=1, application_name=f"steward-{source}")
    try:
        with translated_errors():
            return work(engine)
    finally:
        engine.dispose()


def connect(url: str | None = None, user: str | None = None, *, settings: Settings | None = None,
            source: str = "service", pool_size: int = 4, read_url: str | None = None,
            progress: Callable[[str], None] | None = None) -> Steward:
    """Connect as a person.

    Without a URL (argument, STEWARD_DATABASE_URL) the embedded server is
    started or joined, migrated, and you act as `user` (default: the demo
    admin). With a URL you log in as its user, or as `user` with the usual
    libpq password sources. The schema is brought up to date when this login
    may do so; otherwise a clear SchemaOutdated error says who must.

    `read_url` (else STEWARD_READ_DATABASE_URL) is a streaming replica of the database:
    grid pages, counts, the cockpit and exports read there, logged in as the same person;
    writes and what follows them (a customer's fields after a save) stay on the primary.

    `progress` hears what happens, in words for a person ("First start: creating the
    database…"), for a start window; it may raise to stop between the steps.
    """
    settings = settings or Settings.from_env()
    url = url or settings.database_url
    read_url = read_url or settings.read_database_url
    user = user or settings.user
    say = progress or (lambda _text: None)
    with translated_errors():
        if url is None:
            if embedded.state(settings.data_dir).initialised:
                say("Starting the database…")
            else:
                say(f"First start: creating the database in {settings.data_dir} (up to a minute)…")
            owner = owner_url(settings)
            say("Bringing the database up to date…")
            owner_engine = make_engine(owner, pool_size=1)
            try:
                schema.ensure_current(owner_engine, owner, may_upgrade=True)
                people.ensure_demo_people(owner_engine)
            finally:
                owner_engine.dispose()
            target = owner.set(username=user or DEFAULT_EMBEDDED_USER)
        else:
            target = database_url(url, user)
        say("Logging in…")
        engine = make_engine(target, pool_size=pool_size, application_name=f"steward-{source}", settings=PERSON_SESSION)
        replica = None
        try:
            schema.ensure_current(engine, target, may_upgrade=schema.can_migrate(engine))
            with engine.connect() as conn:
                actor = resolve_actor(conn)
                catalog = load_catalog(conn)
            if read_url:
                replica = make_engine(replica_url(read_url, target), pool_size=pool_size,
                                      application_name=f"steward-{source}-reads", settings=PERSON_SESSION)
                with replica.connect() as conn:   # the login works there, now rather than at the first page
                    conn.execute(sa.text("SELECT 1"))
        except BaseException:
            engine.dispose()
            if replica is not None:
                replica.dispose()
            raise
    # The settings as this connection uses them (a URL given here means a shared database).
    return Steward(engine, target, actor, Context(engine, actor, catalog, source=source, replica=replica,
                                                    session=PERSON_SESSION),
                   settings.override(database_url=url, read_database_url=read_url))
