"""A small world to attack, and plain psycopg connections as each of its people.

    chain S (NORTH, CHAIN_SHARED): own (rep), sibling_shared (rep2)
    chain P (NORTH, OWNER_ONLY):   own_private (rep), sibling_private (rep2)
    chain O (NORTH, CHAIN_SHARED): other_chain (rep2)          -- rep owns nothing there
    single site (SOUTH):           other_region (rep_south)
    chain manager `cm` manages S and P; team lead `lead` leads NORTH; `admin` is an admin.

Every customer has fields (one restricted), a PACKED sample, an activity that
opened an SLA, a contact and events; rep2 has a private and a shared saved
view; the daemon's tables (checkpoints, inbox, dead letters, jobs) and the KPI
aggregates have rows. So every table an attack might change holds something.

Logins are cluster-wide and other test sessions run on the same server at the
same time: every world has its own suffix, and its roles are dropped at the end.
"""

from __future__ import annotations

import re
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import sql

import services
from services.adapters import schema
from services.adapters.database import database_url, make_engine
from tests.security import checksums

ROLES = ("rep", "lead", "cm", "admin")     # the people who attack
PEOPLE = {"rep": ("SALES_REP", "NORTH"), "rep2": ("SALES_REP", "NORTH"), "rep_south": ("SALES_REP", "SOUTH"),
          "lead": ("TEAM_LEAD", "NORTH"), "admin": ("ADMIN", None)}

# A customer each role may write (the direct-write attacks aim here: in the target
# design nobody writes even their own customers by plain SQL) ...
OWN = {"rep": "own", "lead": "own", "cm": "own", "admin": "own"}
# ... and one outside its write scope (readable where the role reads anything beyond its own).
FOREIGN = {"rep": "sibling_shared", "lead": "other_region", "cm": "other_chain", "admin": "other_region"}
# Customers a role may not write: the rows it must not be able to lock either.
NOT_WRITABLE = {
    "rep": ("sibling_shared", "sibling_private", "other_chain", "other_region"),
    "lead": ("other_region",),
    "cm": ("other_chain", "other_region"),
    "admin": (),
}
# A group role the attacker is not a member of.
OTHER_GROUP = {"rep": "steward_admin", "lead": "steward_admin", "cm": "steward_admin", "admin": "steward_chain_manager"}


def with_user(url: str, user: str | None = None, database: str | None = None) -> str:
    """A libpq URL for `url`'s server as `user` (libpq finds the password) in `database`."""
    parsed = sa.engine.make_url(url).set(drivername="postgresql")
    if user:
        parsed = parsed.set(username=user, password=None)
    if database:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


def database_name(url: str) -> str:
    return sa.engine.make_url(url).database


def drop_roles(url: str, logins: list[str], databases: list[str]) -> None:
    """Drop test logins: first what they own or were granted in each database, then the roles."""
    for db in databases:
        try:
            with psycopg.connect(with_user(url, database=db), autocommit=True) as conn:
                for login in logins:
                    if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [login]).fetchone():
                        conn.execute(sql.SQL("REASSIGN OWNED BY {} TO CURRENT_USER").format(sql.Identifier(login)))
                        conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(login)))
        except psycopg.OperationalError:
            pass  # the database is gone already
    with psycopg.connect(with_user(url, database="postgres"), autocommit=True) as conn:
        for login in logins:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", [login])
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(login)))


def migrate(url: str) -> None:
    """What tests/conftest.py's `database` fixture does to a new database."""
    schema.upgrade(database_url(url))
    engine = make_engine(database_url(url), pool_size=1)
    try:
        schema.sync_reference_data(engine)
    finally:
        engine.dispose()


def create_database(url: str, name: str) -> str:
    with psycopg.connect(with_user(url, database="postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return with_user(url, database=name)


def drop_database(url: str, name: str) -> None:
    with psycopg.connect(with_user(url, database="postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@dataclass(repr=False)
class World:
    url: str                                                      # database A, as its owner (a superuser)
    suffix: str
    logins: dict[str, str] = field(default_factory=dict)         # who -> login
    user_ids: dict[str, uuid.UUID] = field(default_factory=dict)
    customers: dict[str, uuid.UUID] = field(default_factory=dict)  # scope -> customer id
    chains: dict[str, uuid.UUID] = field(default_factory=dict)
    samples: dict[str, uuid.UUID] = field(default_factory=dict)   # scope -> a PACKED sample
    views: dict[str, uuid.UUID] = field(default_factory=dict)
    owner: services.Steward | None = None                         # the service layer as the schema owner
    backup: checksums.Backup | None = None
    baseline: dict[str, Any] = field(default_factory=dict)
    _su: psycopg.Connection | None = None
    _open: list[tuple[psycopg.Connection, int]] = field(default_factory=list)   # (connection, backend pid)

    @property
    def db(self) -> str:
        return database_name(self.url)

    @property
    def su(self) -> psycopg.Connection:
        """The superuser's connection (autocommit): checksums, set-up, probes."""
        if self._su is None or self._su.closed:
            self._su = psycopg.connect(self.url, autocommit=True)
            # An attacker's lock must fail a test, not hang it.
            self._su.execute("SET lock_timeout = '10s'")
        return self._su

    def dsn(self, who: str, database: str | None = None) -> str:
        return with_user(self.url, self.logins.get(who, who), database)

    def connect(self, who: str, *, autocommit: bool = False, database: str | None = None) -> psycopg.Connection:
        """A plain connection as `who` (a key of `logins`, or a role name); closed with the world."""
        conn = psycopg.connect(self.dsn(who, database), autocommit=autocommit, connect_timeout=10)
        self._open.append((conn, conn.info.backend_pid))
        return conn

    def _settle(self) -> None:
        """Wait until the backends of closed connections are gone: a backend drops its
        temporary tables on its way out, after the client has hung up already."""
        gone = [pid for conn, pid in self._open if conn.closed]
        deadline = time.monotonic() + 10
        while gone and time.monotonic() < deadline and self.su.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", [gone]).fetchone()[0]:
            time.sleep(0.005)
        self._open = [(conn, pid) for conn, pid in self._open if not conn.closed]

    def service(self, who: str) -> services.Steward:
        return services.connect(url=self.url, user=self.logins[who], pool_size=1)

    def snapshot(self) -> dict[str, Any]:
        self._settle()
        return checksums.snapshot(self.su)

    def restore(self, before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
        """Back to the rows the world started with (after an attack that got through): the
        tables that differ between two snapshots when given, else every table."""
        only = checksums.changed_tables(before, after) if before is not None and after is not None else None
        checksums.restore(self.su, self.backup, only)

    def placeholders(self, role: str) -> dict[str, str]:
        """SQL fragments for attack templates: literals, identifiers, for the attacking role."""
        def lit(value: Any) -> str:
            return sql.Literal(str(value)).as_string(self.su)

        def uid(value: Any) -> str:
            return f"{lit(value)}::uuid"

        def ident(value: str) -> str:
            return sql.Identifier(value).as_string(self.su)

        owner = self.su.execute("SELECT datdba::regrole::text FROM pg_database WHERE datname = current_database()").fetchone()[0]
        other = "rep2"
        return {
            "own": uid(self.customers[OWN[role]]), "foreign": uid(self.customers[FOREIGN[role]]),
            "chain_o": uid(self.chains["O"]), "chain_s": uid(self.chains["S"]),
            "sample": uid(self.samples[OWN[role]]), "foreign_sample": uid(self.samples[FOREIGN[role]]),
            "my_id": uid(self.user_ids[role]), "other_id": uid(self.user_ids[other]),
            "admin_id": uid(self.user_ids["admin"]),
            "me": ident(self.logins[role]), "me_lit": lit(self.logins[role]),
            "other": ident(self.logins[other]), "other_lit": lit(self.logins[other]),
            "admin": ident(self.logins["admin"]), "admin_lit": lit(self.logins["admin"]),
            "owner": ident(owner), "db": ident(self.db), "other_group": ident(OTHER_GROUP[role]),
            "view": uid(self.views["rep2_private"]), "shared_view": uid(self.views["rep2_shared"]),
            "sku": lit("CF-BAS-001"),
        }

    def __repr__(self) -> str:
        return f"World({self.db}, logins={sorted(self.logins.values())})"

    def close(self) -> None:
        for conn, _ in self._open:
            if not conn.closed:
                conn.close()
        self._open.clear()


def _empty(url: str) -> None:
    from tests.conftest import KEEP

    with psycopg.connect(url, autocommit=True) as conn:
        names = [r[0] for r in conn.execute("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public'")]
        data = [t for t in names if t.strip('"') not in KEEP]
        conn.execute(f"TRUNCATE {', '.join(data)} RESTART IDENTITY CASCADE")


def build_world(database: str) -> World:
    _empty(database)
    w = World(url=database, suffix=secrets.token_hex(3))
    owner = w.owner = services.connect(url=database, pool_size=1)
    for who, (role, region) in PEOPLE.items():
        w.logins[who] = f"sec_{who}_{w.suffix}"
        w.user_ids[who] = owner.users.add(w.logins[who], role=role, region=region, display_name=who).id
    for name, policy in (("S", "CHAIN_SHARED"), ("P", "OWNER_ONLY"), ("O", "CHAIN_SHARED")):
        w.chains[name] = owner.customers.create(name=f"Chain {name}", region="NORTH", is_chain=True,
                                                coverage_policy=policy).id
    w.logins["cm"] = f"sec_cm_{w.suffix}"
    w.user_ids["cm"] = owner.users.add(w.logins["cm"], role="CHAIN_MANAGER", chains=[w.chains["S"], w.chains["P"]],
                                       display_name="cm").id

    def location(scope, chain, who, region="NORTH"):
        w.customers[scope] = owner.customers.create(
            name=f"{scope} site", region=region, city="Hamburg", owner=w.logins[who],
            parent_account_id=w.chains[chain] if chain else None).id

    location("own", "S", "rep")
    location("sibling_shared", "S", "rep2")
    location("own_private", "P", "rep")
    location("sibling_private", "P", "rep2")
    location("other_chain", "O", "rep2")
    location("other_region", None, "rep_south", region="SOUTH")
    for scope, cid in w.customers.items():
        owner.fields.patch(cid, {"roi_potential": {"bucket": "MID", "value": 100},
                                 "current_supplier_contracts": {"renewal_date": "2027-06-30", "exclusivity": False},
                                 "kitchen_notes": "combi steamer"})
        sample = owner.samples.request(cid)
        w.samples[scope] = owner.samples.set_status(sample.id, "PACKED").id
        # QUALIFIED opens the follow-up SLA.
        owner.activities.create(cid, kind="ROI_CONSULTATION", commitment_level="MID", outcome="QUALIFIED")
        owner.roi.create_scenario(cid, "Basis", savings_per_month=100)
        owner.customers.add_contact(cid, f"Chef of {scope}", ["HEAD_CHEF"], email="chef@example.com")
    with w.service("rep2") as rep2:
        w.views["rep2_private"] = rep2.views.save("rep2 private", {"filters": {"roi_bucket": "MID"}}).id
        w.views["rep2_shared"] = rep2.views.save("rep2 shared", {"filters": {"roi_bucket": "HIGH"}}, shared=True).id
    with w.service("lead") as lead:
        w.views["lead_private"] = lead.views.save("lead private", {"filters": {}}).id
    su = w.su
    su.execute("INSERT INTO consumer_checkpoints (consumer, stream) VALUES ('projection_check', 'outbox'), ('bus', 'outbox')")
    su.execute("INSERT INTO event_inbox (envelope) VALUES ('{\"type\": \"lead.converted\", \"data\": {}}')")
    su.execute("INSERT INTO event_dead_letters (consumer, direction, raw, reason) VALUES ('bus', 'inbound', 'x', 'test')")
    su.execute("INSERT INTO daemon_jobs (job) VALUES ('reconcile')")
    owner.kpis.rebuild()
    w.backup = checksums.capture(su)
    w.baseline = checksums.snapshot(su)
    return w


def teardown_world(w: World, databases: list[str] | None = None) -> None:
    w.close()
    if w.owner is not None:
        w.owner.close()
    if w._su is not None and not w._su.closed:
        w._su.close()
    _empty(w.url)
    drop_roles(w.url, list(w.logins.values()), databases or [w.db])


@pytest.fixture(scope="module")
def world(database):
    w = build_world(database)
    yield w
    teardown_world(w)


# ------------------------------------------------------- a second database


@dataclass
class WorldB:
    """Database B on the same server: its own admin, team lead and rep, one customer."""

    url: str
    logins: dict[str, str]
    customer: uuid.UUID
    suffix: str = ""

    @property
    def db(self) -> str:
        return database_name(self.url)


@pytest.fixture(scope="session")
def world_b(database):
    suffix = secrets.token_hex(3)
    name = f"{database_name(database)}_b"
    url = create_database(database, name)
    logins = {"admin": f"secb_admin_{suffix}", "lead": f"secb_lead_{suffix}", "rep": f"secb_rep_{suffix}",
              "victim": f"secb_victim_{suffix}", "victim2": f"secb_victim2_{suffix}"}
    try:
        migrate(url)
        with services.connect(url=url, pool_size=1) as owner_b:
            owner_b.users.add(logins["admin"], role="ADMIN", display_name="admin of B")
            owner_b.users.add(logins["lead"], role="TEAM_LEAD", region="NORTH", display_name="lead of B")
            owner_b.users.add(logins["rep"], role="SALES_REP", region="NORTH", display_name="rep of B")
            customer = owner_b.customers.create(name="B's site", region="NORTH", owner=logins["rep"]).id
            # People of B whose logins A's admin will try to take over (test_user_takeover.py).
            for victim in ("victim", "victim2"):
                owner_b.users.add(logins[victim], role="SALES_REP", region="NORTH", display_name=f"{victim} of B")
                owner_b.customers.create(name=f"{victim}'s site", region="NORTH", owner=logins[victim])
        yield WorldB(url=url, logins=logins, customer=customer, suffix=suffix)
    finally:
        drop_database(database, name)
        drop_roles(database, list(logins.values()), [database_name(database)])


# ------------------------------------------------------- running attacks


@dataclass(frozen=True)
class Sql:
    """One statement of an attack.

    must_fail: being accepted at all is the breach, because it would leave no
    trace in a checksum (reading a server file, COPY FROM a table with no rows).
    superuser: what the sanity check (test_attacks.py) expects when the owner
    runs it: "ok" (valid SQL that does what it says), "fails" (refused even to a
    superuser, kept because a person must be refused too), "skip" (changes who
    the session is, so the owner cannot stand in for the person).
    """

    text: str
    must_fail: bool = False
    superuser: str = "ok"


@dataclass(frozen=True)
class Copy:
    """COPY ... FROM STDIN with these rows; accepted at all is a breach."""

    text: str
    rows: tuple = ()
    must_fail: bool = True
    superuser: str = "ok"


def fill(step: Any, values: dict[str, str]) -> Sql | Copy:
    """Replace {name} by values[name]; other braces (JSON, arrays) stay as they are."""
    if isinstance(step, str):
        step = Sql(step)
    text = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), step.text)
    return Sql(text, step.must_fail, step.superuser) if isinstance(step, Sql) else Copy(text, step.rows, step.must_fail, step.superuser)


@dataclass(frozen=True)
class Outcome:
    step: Sql | Copy
    error: str | None        # None: accepted

    def __str__(self) -> str:
        verdict = "accepted" if self.error is None else f"refused ({self.error})"
        return f"{verdict}: {self.step.text}"


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def execute(conn: psycopg.Connection, step: Sql | Copy) -> None:
    if isinstance(step, Copy):
        with conn.cursor().copy(step.text) as copy:
            for row in step.rows:
                copy.write_row(row)
    else:
        conn.execute(step.text)


def run_steps(conn: psycopg.Connection, steps: list, *, finish: str = "commit") -> list[Outcome]:
    """Run each step in its own savepoint (a refused step does not stop the others), then
    commit what was accepted (finish="commit") or keep the transaction open ("keep").
    On an autocommit connection each step is its own transaction."""
    outcomes = []
    for step in steps:
        try:
            if not conn.autocommit:
                conn.execute("SAVEPOINT attack")
            execute(conn, step)
            if not conn.autocommit:
                conn.execute("RELEASE SAVEPOINT attack")
            outcomes.append(Outcome(step, None))
        except psycopg.Error as exc:
            outcomes.append(Outcome(step, first_line(exc)))
            if conn.closed or conn.broken:
                break
            if not conn.autocommit:
                try:
                    conn.execute("ROLLBACK TO SAVEPOINT attack")
                except psycopg.Error:      # the statement ended the transaction (PREPARE TRANSACTION)
                    conn.rollback()
    if finish == "commit" and not conn.autocommit and not conn.closed and not conn.broken:
        conn.commit()
    return outcomes


def report(outcomes: list[Outcome]) -> str:
    return "\n".join(f"    {o}" for o in outcomes)


def accepted_must_fail(outcomes: list[Outcome]) -> list[str]:
    return [o.step.text for o in outcomes if o.error is None and o.step.must_fail]
