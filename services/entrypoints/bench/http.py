"""The HTTP API (`steward serve`) over loopback with keep-alive, each figure beside the same call
made to the service layer directly, in the same run.

The app runs as `steward serve` in a process of its own (one uvicorn worker), logged in as
steward_http and acting per request as the token's person (the database checks the token in
every transaction); the clients are httpx clients with keep-alive. The rate limit is off
for the run (it would otherwise cap the throughput figure at the limit). The tokens made
for the run are revoked at the end.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import itertools
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

import services
from services.entrypoints.bench.timing import Row, compared, sample
from services.entrypoints.bench.writes import ThreeHotFields

CLIENTS = 32
THROUGHPUT_SECONDS = 4.0


def measure(owner: Engine, owner_url: URL, rep_login: str, rep_customers: list, *, n: int,
            settings) -> list[Row]:
    import httpx

    from services.entrypoints.http.server import server_url

    token, token_id = _token(owner, rep_login)
    rep = services.connect(owner_url.render_as_string(hide_password=False), rep_login, settings=settings,
                           source="bench", pool_size=CLIENTS + 2)
    rows: list[Row] = []
    try:
        with served(server_url(owner_url)) as base:
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
                # The rep's first page of HIGH-ROI customers.
                direct = sample(lambda: rep.customers.list(roi_bucket="HIGH", limit=50), n=n)
                base_row = Row("http", "svc.customers.list(roi_bucket=HIGH), service layer directly", "sales rep",
                               direct, is_baseline=True)
                over_http = sample(lambda: _ok(client.get("/customers", params={"roi_bucket": "HIGH"})), n=n)
                rows += [compared(Row("http", "GET /customers?roi_bucket=HIGH", "sales rep", over_http,
                                      note="first page of 50, JSON; keep-alive on loopback"), base_row), base_row]

                # Three hot fields written, each call a new value on another of the rep's customers.
                values, ids = ThreeHotFields(seed=23), itertools.cycle(rep_customers)
                direct = sample(lambda: rep.fields.patch(next(ids), values()), n=n)
                base_row = Row("http", "svc.fields.patch, three hot fields, service layer directly", "sales rep",
                               direct, is_baseline=True)
                over_http = sample(lambda: _ok(client.patch(f"/customers/{next(ids)}/fields", json=values())), n=n)
                rows += [compared(Row("http", "PATCH /customers/{id}/fields, three hot fields", "sales rep",
                                      over_http, note="committed write: audit, projection, outbox"), base_row),
                         base_row]

            # Throughput of GET /customers/{id}/fields with 32 clients at once.
            ids = list(rep_customers)
            direct_rate = _throughput(lambda i: rep.fields.get(ids[i % len(ids)]), lambda: None)
            base_row = Row("http", f"svc.fields.get, {CLIENTS} threads, service layer directly", "sales rep",
                           rate=direct_rate, unit="calls/s", is_baseline=True)
            local = threading.local()
            clients: list[Any] = []

            def get_fields(i: int) -> None:
                client = getattr(local, "client", None)
                if client is None:
                    client = local.client = httpx.Client(base_url=base, headers=headers, timeout=60)
                    clients.append(client)
                _ok(client.get(f"/customers/{ids[i % len(ids)]}/fields"))

            try:
                http_rate = _throughput(get_fields, lambda: None)
            finally:
                for client in clients:
                    client.close()
            rows += [compared(Row("http", f"GET /customers/{{id}}/fields, {CLIENTS} concurrent clients", "sales rep",
                                  rate=http_rate, unit="req/s",
                                  note="one uvicorn worker; the ratio is HTTP / service layer"), base_row), base_row]
    finally:
        rep.close()
        with owner.begin() as conn:
            conn.execute(sa.text("SELECT steward_api.revoke_token(:id)"), {"id": token_id})
    return rows


@contextlib.contextmanager
def served(url: URL) -> Iterator[str]:
    """`steward serve` in its own process (one worker, no rate limit), as it runs in production:
    its event loop and threads do not share this process's interpreter lock with the clients."""
    import httpx

    from services.entrypoints.http.main import ENV_URL

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, ENV_URL: url.render_as_string(hide_password=False)}
    process = subprocess.Popen(
        [sys.executable, "-c", "from services.entrypoints.cli import main; main()", "serve", "--port", str(port),
         "--rate-limit", "0", "--pool-size", str(CLIENTS + 2), "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"steward serve exited: {process.stderr.read().decode(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("steward serve did not answer /health within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _token(owner: Engine, login: str) -> tuple[str, str]:
    with owner.begin() as conn:
        made = conn.execute(sa.text(
            "SELECT steward_api.create_token(p_login => :l, p_scope => 'write', "
            "p_expires_at => now() + interval '1 day', p_label => 'steward bench')"), {"l": login}).scalar_one()
    return made["token"], made["id"]


def _ok(response):
    if response.status_code >= 400:
        raise RuntimeError(f"{response.request.method} {response.request.url.path}: {response.status_code} "
                           f"{response.text[:300]}")
    return response


def _throughput(call: Callable[[int], Any], warm: Callable[[], Any]) -> float:
    """Calls per second of `call(i)` from CLIENTS threads at once, over THROUGHPUT_SECONDS (after a warm-up)."""
    counter = itertools.count()
    stop = threading.Event()
    done = [0] * CLIENTS

    def worker(slot: int) -> None:
        for _ in range(5):
            call(next(counter))
        barrier.wait()
        while not stop.is_set():
            call(next(counter))
            done[slot] += 1

    barrier = threading.Barrier(CLIENTS + 1, timeout=120)
    with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
        futures = [pool.submit(worker, slot) for slot in range(CLIENTS)]
        barrier.wait()
        started = time.perf_counter()
        time.sleep(THROUGHPUT_SECONDS)
        stop.set()
        counted = sum(done)
        elapsed = time.perf_counter() - started
        for future in futures:
            future.result()
    return counted / elapsed
