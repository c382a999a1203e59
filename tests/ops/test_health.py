"""`steward health`: OK when all is well, FAIL (exit 2) for a stopped daemon, WARN (exit 1)
for drift the nightly reconciliation repaired; the same figures as Prometheus metrics."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import time as clock
from pathlib import Path

import sqlalchemy as sa

from services.adapters.database import database_url, make_engine
from services.config import OperationsConfig
from services.service_layer import health
from services.service_layer.events import schedule
from tests.conftest import SESSION
from tests.logins import ensure_person

STEWARD = str(Path(sys.executable).with_name("steward"))


def _health(clean_db, login: str, *args: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("STEWARD_") or k == "STEWARD_TEST_DATABASE_URL"}
    environment.update(STEWARD_DATABASE_URL=clean_db, STEWARD_USER=login)
    return subprocess.run([STEWARD, "health", *args], env=environment, capture_output=True, text=True, timeout=120)


def _by_name(report) -> dict[str, str]:
    return {c.name: c.status for c in report.checks}


def test_health_exit_codes_for_a_running_then_stopped_daemon_and_for_drift(svc, owner_engine, clean_db,
                                                                            daemon_process, daemon_engine, options):
    svc.customers.create(name="Kantine", region="NORTH")
    with owner_engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO backup_runs (started_at, file, bytes, tool, schema_version) "
                             "VALUES (now(), '/backups/x.dump', 1000, 'pg_dump 16', '0040')"))
        conn.execute(sa.text("INSERT INTO daemon_jobs (job, last_started_at, last_finished_at, last_report) VALUES "
                             "('rebuild', now(), now(), 'nightly rebuild: 1 customers ...; 0 row(s) had drifted')"))
    config = OperationsConfig()
    report = health.check(svc.engine, svc.url, config=config)
    assert _by_name(report)["daemon"] == "FAIL" and report.exit_code == 2      # none has ever run

    daemon = daemon_process("--poll", "0.2")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        report = health.check(svc.engine, svc.url, config=config)
        if _by_name(report)["daemon"] == "OK" and _by_name(report)["consumer lag"] == "OK":
            break
        time.sleep(0.2)
    assert report.exit_code == 0, [(c.name, c.status, c.detail) for c in report.checks]
    ran = _health(clean_db, svc.url.username, "--format", "json")
    assert ran.returncode == 0 and json.loads(ran.stdout)["status"] == "OK", ran.stdout + ran.stderr

    daemon.send_signal(signal.SIGTERM)
    assert daemon.wait(timeout=60) == 0
    ran = _health(clean_db, svc.url.username)
    assert ran.returncode == 2 and "stopped" in ran.stdout, ran.stdout
    metrics = _health(clean_db, svc.url.username, "--format", "prometheus")
    assert metrics.returncode == 2
    assert 'steward_health_status{check="daemon"} 2' in metrics.stdout
    assert "steward_daemons_running 0" in metrics.stdout and "steward_health_exit_code 2" in metrics.stdout

    # Back up; then drift that the nightly reconciliation repairs: a warning, exit 1.
    with owner_engine.begin() as conn:
        conn.execute(sa.text("UPDATE daemon_heartbeats SET stopped_at = NULL, beat_at = now()"))
        conn.execute(sa.text("UPDATE cm_customer_hot_proj SET city = 'Nowhere'"))
        conn.execute(sa.text("UPDATE daemon_jobs SET last_started_at = now() - interval '2 days'"))
    schedule.Scheduler(daemon_engine, replace(options, rebuild_at=clock(3, 0), rebuild_batches=4)
                       ).run_due(stop=lambda: False)
    report = health.check(svc.engine, svc.url, config=config)
    assert _by_name(report)["reconciliation"] == "WARN" and report.exit_code == 1, report.to_json()
    assert report.checks[[c.name for c in report.checks].index("reconciliation")].metrics[
        "steward_reconciliation_drift_rows"] == 1


def test_health_names_the_projection_lag_and_a_login_that_may_not_look(svc, owner_engine, clean_db, sql_count):
    customer = svc.customers.create(name="Kantine", region="NORTH")
    svc.fields.patch(customer.id, {"roi_potential": {"bucket": "LOW"}})
    with owner_engine.begin() as conn:   # a write that went around the triggers
        conn.execute(sa.text("UPDATE cm_customer_hot_proj SET updated_at = updated_at - interval '1 hour'"))
    report = health.check(svc.engine, svc.url, config=OperationsConfig())
    lag = report.checks[[c.name for c in report.checks].index("projection lag")]
    assert lag.status == "WARN" and lag.metrics["steward_projection_lag_customers"] == 1
    assert 3500 < lag.metrics["steward_projection_lag_max_seconds"] < 3700

    # A sales rep's login cannot look: the checks say so, and the exit code is FAIL.
    rep = ensure_person(owner_engine, f"t_healthrep_{SESSION}", role="SALES_REP", region="NORTH")
    engine = make_engine(database_url(clean_db, rep), pool_size=1)
    try:
        report = health.check(engine, engine.url, config=OperationsConfig())
    finally:
        engine.dispose()
    assert report.exit_code == 2
    assert "an admin, the daemon's login or the database owner" in _by_name_detail(report)["daemon"]


def _by_name_detail(report) -> dict[str, str]:
    return {c.name: c.detail for c in report.checks}
