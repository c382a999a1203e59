"""Waiting for change notifications (LISTEN/NOTIFY), for the daemon and the desktop.

Notifications are lost while a connection is down, so a listener is only a
wake-up call: callers always re-read from the database (the truth) and poll as
a fallback. Runs blocking; call it from a worker thread, never a UI thread.
"""

from __future__ import annotations

import time

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL

from services.errors import DatabaseUnavailable

# The outbox's NOTIFY channel, payload empty (steward_internal.emit, sql/definitions/03_outbox.sql).
CHANNEL = "steward_events"


def _dsn(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class Listener:
    """`wait(timeout)` returns True when a notification arrived, False on timeout;
    raises DatabaseUnavailable when the connection is lost (call `reconnect()`)."""

    def __init__(self, url: URL, channel: str = CHANNEL):
        self._dsn = _dsn(url)
        self._channel = channel
        self._conn: psycopg.Connection | None = None

    def connect(self) -> None:
        self.close()
        try:
            self._conn = psycopg.connect(self._dsn, autocommit=True, connect_timeout=10,
                                         application_name="steward-listener")
            self._conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
        except psycopg.OperationalError as exc:
            self._conn = None
            raise DatabaseUnavailable(f"Cannot listen for changes: {str(exc).strip().splitlines()[0]}") from exc

    reconnect = connect

    @property
    def connected(self) -> bool:
        return self._conn is not None and not self._conn.closed

    def wait(self, timeout: float) -> bool:
        if not self.connected:
            self.connect()
        assert self._conn is not None
        deadline = time.monotonic() + timeout
        try:
            got = False
            # notifies() returns after `timeout` seconds or once stop_after notifications arrived.
            for _ in self._conn.notifies(timeout=max(0.0, deadline - time.monotonic()), stop_after=1):
                got = True
            if got:
                # Drain what else queued up: one wake-up is enough for any number of changes.
                for _ in self._conn.notifies(timeout=0.01):
                    pass
            return got
        except psycopg.OperationalError as exc:
            self.close()
            raise DatabaseUnavailable(f"Lost the change notifications: {str(exc).strip().splitlines()[0]}") from exc

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: BLE001 - closing a broken connection may fail; it is gone either way
                pass
            self._conn = None

    def __enter__(self) -> "Listener":
        self.connect()
        return self

    def __exit__(self, *exc) -> None:
        self.close()
