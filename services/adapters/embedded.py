"""The embedded PostgreSQL that runs when no database URL is configured.

pgserver ships the server binaries in a wheel. It lists the processes using a
data folder in `pgdata/.handle_pids.json` and stops the server when the last of
them exits normally. A process that is killed (SIGKILL, a crash, `timeout`)
never takes itself off that list, and the server would then run for ever. So:

- every start first drops the processes that no longer exist from the list;
- the process that starts the server also starts a small watcher (this
  module run as `python -m services.adapters.embedded WATCH PGDATA`), which
  does the same every second and stops the server once nobody is left,
  however the last one ended, or when the data folder has been deleted.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

DATABASE_NAME = "steward"
HANDLES = ".handle_pids.json"   # pgserver's list of the processes using a server
WATCHER = ".steward_watcher.pid"
WATCH_INTERVAL = 1.0            # seconds between the watcher's looks

_servers: dict[Path, object] = {}


@dataclass(frozen=True)
class EmbeddedState:
    """What `steward db status` says about the embedded server, read without starting it."""
    data_dir: Path
    initialised: bool
    running: bool
    server_pid: int | None
    users: tuple[int, ...]      # Steward processes using it now (dead ones left out)


def pgdata_of(data_dir: Path) -> Path:
    return (data_dir / "pgdata").resolve()


def server_uri(data_dir: Path) -> str:
    """Start (or join) the embedded server and return a superuser URI for its `steward` database."""
    pgdata = pgdata_of(data_dir)
    if pgdata not in _servers:
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        # pgserver logs every step at INFO and platformdirs warns about a missing
        # XDG_RUNTIME_DIR; neither is news to a person starting the program.
        logging.getLogger("pgserver").setLevel(logging.WARNING)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pgserver
            from pgserver.postgres_server import PostgresServer

            if pgdata.exists():
                with PostgresServer._lock:
                    _prune(pgdata)
            _servers[pgdata] = pgserver.get_server(pgdata, cleanup_mode="stop")
        _ensure_watcher(pgdata)
    server = _servers[pgdata]
    admin_uri = server.get_uri()  # type: ignore[attr-defined]
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))
    return server.get_uri(DATABASE_NAME)  # type: ignore[attr-defined]


def release(data_dir: Path) -> None:
    """This process is done with the embedded server of `data_dir`: it stops now if no other Steward
    process uses it, as it would when this process ends (for a script about to delete the folder)."""
    server = _servers.pop(pgdata_of(data_dir), None)
    if server is not None:
        server.cleanup()  # type: ignore[attr-defined]


def state(data_dir: Path) -> EmbeddedState:
    """Whether the embedded server of `data_dir` runs, and for whom; starts nothing."""
    pgdata = pgdata_of(data_dir)
    pid = _postmaster_pid(pgdata)
    return EmbeddedState(data_dir.resolve(), (pgdata / "PG_VERSION").exists(), pid is not None, pid,
                         tuple(p for p in _read_handles(pgdata) if _alive(p)))


# ---------------------------------------------------------------- bookkeeping

def _read_handles(pgdata: Path) -> list[int]:
    try:
        values = json.loads((pgdata / HANDLES).read_text())
    except (OSError, ValueError):
        return []
    return [v for v in values if isinstance(v, int)] if isinstance(values, list) else []


def _prune(pgdata: Path) -> list[int]:
    """Drop the processes that have ended from the list; the caller holds pgserver's lock."""
    handles = _read_handles(pgdata)
    living = [p for p in handles if _alive(p)]
    if living != handles:
        (pgdata / HANDLES).write_text(json.dumps(living))
    return living


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _postmaster_pid(pgdata: Path) -> int | None:
    """The server's pid from postmaster.pid, if that process runs."""
    try:
        pid = int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None
    return pid if _alive(pid) else None


def _ensure_watcher(pgdata: Path) -> None:
    """Start the watcher of this server unless one runs already. The watcher takes its
    marker away under the same lock when it decides to end, so none is left without one."""
    from pgserver.postgres_server import PostgresServer

    marker = pgdata / WATCHER
    with PostgresServer._lock:
        with contextlib.suppress(OSError, ValueError):
            if _alive(int(marker.read_text())):
                return
        watcher = subprocess.Popen(
            [sys.executable, "-m", __name__, "WATCH", str(pgdata)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, close_fds=True,
        )
        with contextlib.suppress(OSError):
            marker.write_text(str(watcher.pid))


def _watch(pgdata: Path) -> None:
    """Stop the server of `pgdata` once no Steward process uses it any more."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pgserver._commands import pg_ctl
        from pgserver.postgres_server import PostgresServer
    server_pid = _postmaster_pid(pgdata)
    while True:
        time.sleep(WATCH_INTERVAL)
        if not (pgdata / "PG_VERSION").exists():
            # The data folder was deleted under a running server: nothing can use it again.
            if server_pid is not None and _alive(server_pid):
                os.kill(server_pid, signal.SIGINT)   # PostgreSQL's fast shutdown
            return
        with PostgresServer._lock:
            server_pid = _postmaster_pid(pgdata)
            if server_pid is not None and _prune(pgdata):
                continue
            if server_pid is not None:
                user = "pgserver" if os.name != "nt" and os.geteuid() == 0 else None
                with contextlib.suppress(subprocess.SubprocessError, OSError):
                    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
            # else: stopped by its last user, as it should be
            with contextlib.suppress(OSError):
                (pgdata / WATCHER).unlink()
            return


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "WATCH":
    _watch(Path(sys.argv[2]))
