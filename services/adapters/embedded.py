"""The embedded PostgreSQL that runs when no database URL is configured.

pgserver ships the server binaries in a wheel. It counts the processes using a
data folder and stops the server when the last one exits, so the desktop and the
daemon can share one embedded server.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import psycopg
from psycopg import sql

DATABASE_NAME = "steward"

_servers: dict[Path, object] = {}


def server_uri(data_dir: Path) -> str:
    """Start (or join) the embedded server and return a superuser URI for its `steward` database."""
    pgdata = (data_dir / "pgdata").resolve()
    if pgdata not in _servers:
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        # pgserver logs every step at INFO and platformdirs warns about a missing
        # XDG_RUNTIME_DIR; neither is news to a person starting the program.
        logging.getLogger("pgserver").setLevel(logging.WARNING)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pgserver

            _servers[pgdata] = pgserver.get_server(pgdata, cleanup_mode="stop")
    server = _servers[pgdata]
    admin_uri = server.get_uri()  # type: ignore[attr-defined]
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))
    return server.get_uri(DATABASE_NAME)  # type: ignore[attr-defined]
