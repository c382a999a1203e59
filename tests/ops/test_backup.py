"""Backups: a round trip (backup, wipe, restore) gives the same database, checksum for
checksum; a restore refuses a non-empty database without replace and a newer schema; the
PostgreSQL client is one at least as new as the server."""

from __future__ import annotations

import secrets

import psycopg
import pytest
import sqlalchemy as sa

import services
from services.adapters import schema
from services.adapters.database import database_url, make_engine
from services.errors import Conflict, ValidationError
from services.service_layer import backups
from tests.ops.conftest import seed, spread
from tests.security import checksums
from tests.security.conftest import create_database, drop_database, migrate


@pytest.fixture(scope="module")
def own_database(database):
    """A database of its own: the round trip wipes it."""
    name = f"{psycopg.conninfo.conninfo_to_dict(database)['dbname']}_bk_{secrets.token_hex(2)}"
    url = create_database(database, name)
    migrate(url)
    yield url
    drop_database(database, name)


def _snapshot(url: str) -> dict:
    """The checksums, but for the record of the backup itself (it is not in the file it makes)
    and the server's internal triggers of foreign keys, named by their oids (the constraints
    themselves are compared by name)."""
    with psycopg.connect(url, autocommit=True) as su:
        return {k: v for k, v in checksums.snapshot(su).items()
                if "backup_runs" not in k and "RI_ConstraintTrigger" not in k}


def test_backup_wipe_restore_gives_the_same_database(own_database, tmp_path):
    with services.connect(url=own_database, pool_size=1) as owner:
        w = seed(owner, 3)
        spread(make_engine(database_url(own_database), pool_size=1), w)
        owner.legacy.load(services.service_layer.mapping.Table(["kunden_nr", "firma"], [{"kunden_nr": "1", "firma": "X"}]),
                          "legacy.kunden")
    before = _snapshot(own_database)
    url = database_url(own_database)
    steps: list[tuple[int, int]] = []
    report = backups.backup(url, tmp_path / "steward.dump", progress=lambda d, t, _: steps.append((d, t)))
    assert report.bytes > 0 and report.schema_version == schema.known_migrations()[-1] and steps[-1][0] == steps[-1][1] > 10

    engine = make_engine(url, pool_size=1)
    with engine.begin() as conn:
        backups.wipe(conn)
        assert backups.holds_steward(conn) == 0
    restored = backups.restore(url, report.file)
    assert not restored.replaced and restored.upgraded == [] and restored.missing_logins == []
    checksums.assert_unchanged(before, _snapshot(own_database), "backup, wipe, restore")
    with services.connect(url=own_database, pool_size=1) as owner:
        assert owner.projections.verify() == 0
        assert owner.backups.last() is not None                  # the restored file counts as a backup

    with pytest.raises(Conflict):
        backups.restore(url, report.file)                        # not empty, no --replace
    backups.restore(url, report.file, replace=True)
    checksums.assert_unchanged(before, _snapshot(own_database), "restore --replace")

    # A backup of a newer Steward (a migration this program does not know) is refused.
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO _yoyo_migration (migration_hash, migration_id, applied_at_utc) "
                             "VALUES ('future', '9999.from-the-future', now())"))
    newer = backups.backup(url, tmp_path / "newer.dump")
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM _yoyo_migration WHERE migration_id = '9999.from-the-future'"))
    with pytest.raises(ValidationError, match="newer Steward"):
        backups.restore(url, newer.file, replace=True)
    with pytest.raises(ValidationError):
        backups.restore(url, _not_a_dump(tmp_path), replace=True)
    engine.dispose()


def _not_a_dump(tmp_path):
    path = tmp_path / "junk.dump"
    path.write_bytes(b"PGDMP but not really")
    return path


def test_the_client_is_at_least_as_new_as_the_server():
    for major in (15, 16):
        tool = backups.find_tool("pg_dump", major)
        assert tool.major >= major
    assert backups.find_tool("pg_dump", 16).major == 16        # the embedded server's own, for its server
    with pytest.raises(backups.ToolMissing):
        backups.find_tool("pg_dump", 99)
