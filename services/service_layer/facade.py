"""`services.connect()`: the one way in for the desktop, the daemon, the CLI and the tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.engine import URL, Engine

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

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Steward":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


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
            source: str = "service", pool_size: int = 4,
            progress: Callable[[str], None] | None = None) -> Steward:
    """Connect as a person.

    Without a URL (argument, STEWARD_DATABASE_URL) the embedded server is
    started or joined, migrated, and you act as `user` (default: the demo
    admin). With a URL you log in as its user, or as `user` with the usual
    libpq password sources. The schema is brought up to date when this login
    may do so; otherwise a clear SchemaOutdated error says who must.

    `progress` hears what happens, in words for a person ("First start: creating the
    database…"), for a start window; it may raise to stop between the steps.
    """
    settings = settings or Settings.from_env()
    url = url or settings.database_url
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
        engine = make_engine(target, pool_size=pool_size, application_name=f"steward-{source}")
        try:
            schema.ensure_current(engine, target, may_upgrade=schema.can_migrate(engine))
            with engine.connect() as conn:
                actor = resolve_actor(conn)
                catalog = load_catalog(conn)
        except BaseException:
            engine.dispose()
            raise
    # The settings as this connection uses them (a URL given here means a shared database).
    return Steward(engine, target, actor, Context(engine, actor, catalog, source=source),
                   settings.override(database_url=url))
