"""Reads from a streaming replica (STEWARD_READ_DATABASE_URL), tested against a real hot standby
of the test server: grid pages, counts and the cockpit read there, as the same person under the
same row-level security; writes, and what the writer reads right after, go to the primary."""

from __future__ import annotations

from dataclasses import replace

import psycopg
import pytest
import sqlalchemy as sa

import services
from services.config import Settings
from services.entrypoints.cli.commands import app
from tests.conftest import SESSION
from tests.logins import ensure_person
from tests.standby import StandbyUnavailable, hot_standby, wait_for_replay

REP = f"t_rrep_{SESSION}"
OTHER_REP = f"t_rrep2_{SESSION}"


@pytest.fixture(scope="module")
def standby(database):
    """One hot standby for the module's tests (starting one takes a few seconds)."""
    try:
        with hot_standby(database) as url:
            yield url
    except StandbyUnavailable as why:
        pytest.skip(f"no hot standby on this machine: {why}")


def _dsn(url: str) -> str:
    return sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def team(svc, owner_engine, clean_db, standby):
    """Two sales reps of NORTH with customers each, the admin's (svc) writes, all replayed."""
    ensure_person(owner_engine, REP, role="SALES_REP", region="NORTH")
    ensure_person(owner_engine, OTHER_REP, role="SALES_REP", region="NORTH")
    mine = [svc.customers.create(name=f"Mine {i}", region="NORTH", owner=REP).id for i in range(4)]
    theirs = [svc.customers.create(name=f"Theirs {i}", region="NORTH", owner=OTHER_REP).id for i in range(3)]
    wait_for_replay(clean_db, standby)
    return {"mine": mine, "theirs": theirs}


@pytest.fixture
def paused(standby):
    """The standby stops replaying (what it shows stands still) until the test ends."""
    with psycopg.connect(_dsn(standby), autocommit=True) as conn:
        conn.execute("SELECT pg_wal_replay_pause()")
        yield
        conn.execute("SELECT pg_wal_replay_resume()")


def _server_of_reads(person: services.Steward) -> bool:
    """Whether the person's grid reads are served by a server in recovery (the standby)."""
    with person._ctx.read_replica() as conn:
        return conn.execute(sa.text("SELECT pg_is_in_recovery()")).scalar_one()


def test_pages_and_counts_read_from_the_standby_writes_and_the_writer_from_the_primary(
        svc, team, clean_db, standby, paused):
    reader = services.connect(url=clean_db, user=svc.actor.login, read_url=standby, source="test")
    writer = services.connect(url=clean_db, user=svc.actor.login, read_url=standby, source="test")
    try:
        assert reader.reads_from_replica and _server_of_reads(reader)
        before = {r.id for r in reader.customers.list(limit=50).items}
        assert before == set(team["mine"] + team["theirs"]) and reader.customers.count() == 7

        # The standby stands still: a new customer is on the primary only.
        new = writer.customers.create(name="Fresh", region="NORTH", owner=REP)
        assert writer.fields.get(new.id).customer_id == new.id            # read-your-writes: the primary
        assert new.id in {r.id for r in writer.customers.list(limit=50).items}   # the writer's grid follows its write
        assert writer.customers.count() == 8 and not _server_of_reads(writer)
        assert new.id not in {r.id for r in reader.customers.list(limit=50).items}  # the others' grid: the standby
        assert reader.customers.count() == 7
        assert reader.customers.get(new.id).name == "Fresh"              # a customer opened: the primary
        # A row re-read after a change (named customers) comes from the primary too.
        assert [r.id for r in reader.customers.list(customer_ids=[new.id]).items] == [new.id]
        assert reader.replica_lag().total_seconds() > 0
        with psycopg.connect(_dsn(standby), autocommit=True) as conn:
            logins = {r[0] for r in conn.execute(
                "SELECT usename FROM pg_stat_activity WHERE application_name = 'steward-test-reads'")}
        assert logins == {svc.actor.login}                               # the person's own login there
    finally:
        reader.close()
        writer.close()


def test_the_standby_catches_up_and_the_lag_says_so(svc, team, clean_db, standby):
    reader = services.connect(url=clean_db, user=svc.actor.login, read_url=standby, source="test")
    try:
        new = svc.customers.create(name="Later", region="NORTH", owner=REP)
        wait_for_replay(clean_db, standby)
        assert new.id in {r.id for r in reader.customers.list(limit=50).items}
        assert reader.replica_lag().total_seconds() < 5
    finally:
        reader.close()


def test_row_level_security_is_the_same_on_the_standby(team, clean_db, standby):
    on_primary = services.connect(url=clean_db, user=REP, source="test")
    on_standby = services.connect(url=clean_db, user=REP, read_url=standby, source="test")
    try:
        assert _server_of_reads(on_standby) and not _server_of_reads(on_primary)
        page = on_standby.customers.list(limit=50)
        assert {r.id for r in page.items} == set(team["mine"])
        assert [(r.id, r.writable) for r in page.items] == [(r.id, r.writable) for r in on_primary.customers.list(limit=50).items]
        assert on_standby.customers.count() == on_primary.customers.count() == 4
        # The cockpit's reports run on the standby (read-only there) and count the same customers.
        for report in ("sla_adherence", "roi_pipeline", "sample_success"):
            there, here = getattr(on_standby.kpis, report)(), getattr(on_primary.kpis, report)()
            assert replace(there, as_of=None) == replace(here, as_of=None), report
        # The standby refuses writes of its own: nothing the service layer routes there writes.
        with on_standby._ctx.replica.connect() as conn, pytest.raises(sa.exc.DBAPIError, match="read-only"):
            conn.execute(sa.text("SELECT steward_api.create_customer(p_name => 'x', p_region => 'NORTH')"))
    finally:
        on_primary.close()
        on_standby.close()


def test_without_a_replica_everything_reads_the_primary(svc):
    assert not svc.reads_from_replica and svc.replica_lag() is None
    with svc._ctx.read_replica() as conn:
        assert conn.execute(sa.text("SELECT pg_is_in_recovery()")).scalar_one() is False


def test_the_setting_and_the_option(monkeypatch):
    monkeypatch.setenv("STEWARD_READ_DATABASE_URL", "postgresql://db-replica/steward")
    assert Settings.from_env().read_database_url == "postgresql://db-replica/steward"
    option = next(p for p in app.registered_callback.callback.__defaults__ if getattr(p, "param_decls", None)
                  and "--read-database-url" in p.param_decls)
    assert option.envvar == "STEWARD_READ_DATABASE_URL"


def test_the_desktop_shows_how_far_behind_the_replica_is(qtbot, svc, team, clean_db, standby):
    from desktop import reference as reference_data
    from desktop.main_window import MainWindow

    person = services.connect(url=clean_db, user=svc.actor.login, read_url=standby, source="desktop")
    window = MainWindow(person, reference_data.load(person), live=False, page_size=20)
    window.confirm_close = False
    qtbot.addWidget(window)
    try:
        window.show()
        qtbot.waitUntil(lambda: window.model.rowCount() == 7)
        qtbot.waitUntil(lambda: window.status.replica.text() != "")
        assert window.status.replica.text() == "·  from the replica, up to date"
        assert "data as of" in window.status.freshness.text()
    finally:
        window.shut_down()
        person.close()
