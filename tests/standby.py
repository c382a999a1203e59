"""A hot standby of the test server on this machine: `pg_basebackup -R` into a temporary folder,
started with the server's own binaries on a free port, stopped and removed afterwards.

The standby copies the whole cluster (every database, every login) and then streams the
primary's changes, so a test may write before or after it starts; `wait_for_replay` waits
until it has replayed what the primary has written so far.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import sqlalchemy as sa


class StandbyUnavailable(Exception):
    """Why no standby can run here (the test says so when it skips)."""


def _binaries(dsn: str) -> tuple[Path, str]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        major = int(conn.execute("SHOW server_version_num").fetchone()[0]) // 10000
        timezone = conn.execute("SHOW TimeZone").fetchone()[0]
        allowed = conn.execute("SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]
    if not allowed:
        raise StandbyUnavailable("the test server's login may not replicate")
    folder = Path(f"/usr/lib/postgresql/{major}/bin")
    if not (folder / "pg_basebackup").exists():
        raise StandbyUnavailable(f"no PostgreSQL {major} binaries in {folder}")
    return folder, timezone


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def hot_standby(database_url: str) -> Iterator[str]:
    """The URL of a hot standby of `database_url`'s server, same database and login.
    PostgreSQL refuses to run as root: as root, the standby runs as the server's user postgres."""
    url = sa.engine.make_url(database_url).set(drivername="postgresql")
    dsn = url.render_as_string(hide_password=False)
    bin_dir, timezone = _binaries(dsn)
    as_root = os.geteuid() == 0
    runner: list[str] = []
    owner = None
    if as_root:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise StandbyUnavailable("running as root and there is no user postgres to run the standby") from None
        runner = ["runuser", "-u", "postgres", "--"]
    folder = Path(tempfile.mkdtemp(prefix="steward-standby-"))
    data = folder / "data"
    port = _free_port()
    started = False
    try:
        if owner is not None:
            os.chown(folder, owner.pw_uid, owner.pw_gid)
        env = {**os.environ, "PGPASSWORD": url.password or os.environ.get("PGPASSWORD", "")}
        copied = subprocess.run(
            [*runner, str(bin_dir / "pg_basebackup"), "-D", str(data), "-R", "--checkpoint=fast", "-X", "stream",
             "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"],
            capture_output=True, text=True, env=env, timeout=300)
        if copied.returncode != 0:
            raise StandbyUnavailable(f"pg_basebackup failed: {copied.stderr.strip().splitlines()[-1:]}")
        # Debian keeps the configuration beside the cluster, not in it: a small one of our own.
        (data / "postgresql.conf").write_text(
            f"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{folder}'\n"
            f"timezone = '{timezone}'\nhot_standby = on\nfsync = off\nshared_buffers = 16MB\nmax_connections = 100\n"
            "hot_standby_feedback = on\nwal_receiver_status_interval = 1s\n")
        (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
        if owner is not None:
            for path in (data / "postgresql.conf", data / "pg_hba.conf"):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        start = subprocess.run([*runner, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"),
                                "-w", "-t", "60", "start"], capture_output=True, text=True, timeout=90)
        started = True
        if start.returncode != 0:
            log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else start.stderr
            raise StandbyUnavailable(f"the standby did not start: {log.strip().splitlines()[-1:]}")
        yield url.set(port=port).render_as_string(hide_password=False)
    finally:
        if started:
            subprocess.run([*runner, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                           capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def wait_for_replay(primary_url: str, standby_url: str, timeout: float = 30.0) -> None:
    """Until the standby has replayed everything the primary has written so far."""
    def connect(u: str):
        return psycopg.connect(sa.engine.make_url(u).set(drivername="postgresql").render_as_string(hide_password=False),
                               autocommit=True)

    with connect(primary_url) as primary:
        target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
    deadline = time.monotonic() + timeout
    with connect(standby_url) as standby:
        while True:
            done = standby.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]).fetchone()[0]
            if done:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"the standby has not replayed up to {target} in {timeout:.0f} s")
            time.sleep(0.02)
