"""Fixtures for the daemon: its own login, bulk events, a logistics endpoint, daemon processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlalchemy as sa

from services.adapters.database import database_url, make_engine
from services.service_layer.events import DaemonOptions

STEWARD = str(Path(sys.executable).with_name("steward"))
ACTOR = '{"type": "system", "id": "test"}'


@pytest.fixture
def daemon_engine(clean_db):
    """An engine logged in as steward_daemon, as the daemon is (row-level security applies)."""
    engine = make_engine(database_url(clean_db, "steward_daemon"), pool_size=4)
    yield engine
    engine.dispose()


@pytest.fixture
def options():
    """Daemon options with no external system configured, whatever the environment says."""
    return DaemonOptions(batch_size=500, logistics_backoff=0.01, logistics_attempts=3, rebuild_at=None)


@pytest.fixture
def customers(owner_engine, clean_db):
    """`customers(n)`: n accounts made by SQL (the triggers give them projection rows); returns their ids."""
    def make(n: int, region: str = "NORTH") -> list[uuid.UUID]:
        with owner_engine.begin() as conn:
            return list(conn.execute(sa.text(
                "INSERT INTO accounts (name, region, city) SELECT 'Kantine ' || i, :region, 'Hamburg' "
                "FROM generate_series(1, :n) i RETURNING id"), {"n": n, "region": region}).scalars())
    return make


@pytest.fixture
def outbox_events(owner_engine):
    """`outbox_events(customer_ids, per_customer, type)`: events appended straight to the outbox."""
    def append(customer_ids, per_customer: int = 1, type_: str = "customer.fields.changed") -> int:
        with owner_engine.begin() as conn:
            return conn.execute(sa.text(
                "INSERT INTO event_outbox (id, type, actor, customer_id, data) "
                "SELECT gen_random_uuid(), :type, CAST(:actor AS jsonb), c, "
                "       jsonb_build_object('customerId', c, 'sampleId', gen_random_uuid(), 'items', '[]'::jsonb) "
                "  FROM unnest(CAST(:ids AS uuid[])) c, generate_series(1, :k)"),
                {"type": type_, "actor": ACTOR, "ids": list(customer_ids), "k": per_customer}).rowcount
    return append


@pytest.fixture
def inbox_events(owner_engine):
    """`inbox_events(envelopes)`: envelopes inserted into the inbox as another module would
    (docs/DAEMON.md): a second copy of an id already pending or done is left out."""
    def insert(envelopes) -> None:
        with owner_engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO event_inbox (envelope) VALUES (CAST(:e AS jsonb)) ON CONFLICT DO NOTHING"),
                         [{"e": json.dumps(e)} for e in envelopes])
    return insert


@pytest.fixture
def query(owner_engine):
    """`query(sql, **params)`: the first column of the first row, as the owner."""
    def run(statement: str, **params):
        with owner_engine.connect() as conn:
            return conn.execute(sa.text(statement), params).scalar()
    return run


def envelope(type_: str, data: dict, *, event_id: str | None = None, version: str = "1.0") -> dict:
    return {"type": type_, "version": version, "id": event_id or str(uuid.uuid4()),
            "time": "2026-03-02T10:00:00+01:00", "source": "crm.marketing", "correlationId": None,
            "actor": {"type": "service", "id": "marketing"}, "data": data}


class LogisticsEndpoint:
    """A local HTTP server standing in for logistics: fails the first `fail_first` tries of each
    event (503), or every try of the event ids in `always_fail`; records what it accepted."""

    def __init__(self, fail_first: int = 0):
        self.fail_first = fail_first
        self.always_fail: set[str] = set()
        self.down = False
        self.tries: Counter[str] = Counter()
        self.accepted: list[tuple[str, dict]] = []
        self._lock = threading.Lock()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = self.headers.get("Idempotency-Key", "")
                with endpoint._lock:
                    endpoint.tries[key] += 1
                    fail = endpoint.down or key in endpoint.always_fail or endpoint.tries[key] <= endpoint.fail_first
                    if not fail:
                        endpoint.accepted.append((key, body))
                self.send_response(503 if fail else 202)
                self.end_headers()
                self.wfile.write(b"busy" if fail else b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/shipments"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def accepted_keys(self) -> set[str]:
        with self._lock:
            return {k for k, _ in self.accepted}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def logistics():
    endpoints = []

    def start(fail_first: int = 0) -> LogisticsEndpoint:
        endpoints.append(LogisticsEndpoint(fail_first))
        return endpoints[-1]
    yield start
    for e in endpoints:
        e.close()


@pytest.fixture
def daemon_process(clean_db, tmp_path):
    """`daemon_process(*args, **env)`: a `steward daemon` subprocess logged in as steward_daemon.
    Its output goes to files (a full pipe would block it): `output(process)` reads them."""
    started: list[subprocess.Popen] = []

    def start(*args: str, **env: str) -> subprocess.Popen:
        environment = {k: v for k, v in os.environ.items()
                       if not k.startswith("STEWARD_") or k == "STEWARD_TEST_DATABASE_URL"}
        environment.update(STEWARD_DATABASE_URL=clean_db, STEWARD_USER="steward_daemon",
                           STEWARD_REBUILD_AT="off", **env)
        n = len(started)
        with open(tmp_path / f"daemon{n}.out", "w") as out, open(tmp_path / f"daemon{n}.log", "w") as log:
            process = subprocess.Popen([STEWARD, "daemon", *args], env=environment, stdout=out, stderr=log, text=True)
        process.output_files = (tmp_path / f"daemon{n}.out", tmp_path / f"daemon{n}.log")
        started.append(process)
        return process
    yield start
    for p in started:
        if p.poll() is None:
            p.kill()
        p.wait()


def output(process: subprocess.Popen) -> tuple[str, str]:
    """What a daemon_process printed: (stdout, its log on stderr)."""
    return tuple(path.read_text(encoding="utf-8") for path in process.output_files)
