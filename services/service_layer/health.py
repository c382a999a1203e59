"""`steward health`: a checklist a person or a monitor reads, and the exit code it acts on.

Each check is OK, WARN or FAIL against thresholds from the configuration
([health] in steward.toml, services.config.HEALTH_DEFAULTS):

    database         reachable (FAIL: nothing else is checked)
    schema           migrations and definitions current (FAIL: migrations pending)
    daemon           heartbeat age of the running daemon(s) (daemon_heartbeats)
    consumer lag     the oldest event each active consumer has not passed
    dead letters     waiting for a person
    projection lag   customers whose hot projection is older than their newest write,
                     among those with events in the last hours (hot_projection_staleness)
    reconciliation   when the nightly rebuild last ran, and the drift it repaired
    backup           age of the last backup (backup_runs)
    disk             the database's size; how full the disk of the data (embedded) or
                     backup folder is

The exit code is 0 when all are OK, 1 when the worst is WARN, 2 when it is FAIL, as
monitoring plugins expect. `--format prometheus` writes the same figures as metrics.
Run it as an admin, the daemon's login, or the owner (the embedded default).
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from services.adapters import schema
from services.adapters.database import api_refusal
from services.config import OperationsConfig
from services.service_layer.events import status as events_status
from services.service_layer.events.options import DaemonOptions

OK, WARN, FAIL = "OK", "WARN", "FAIL"
_LEVEL = {OK: 0, WARN: 1, FAIL: 2}
_DRIFT = re.compile(r"(\d[\d,]*) row\(s\) had drifted")


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str
    metrics: dict[str, float] = field(default_factory=dict)    # name (with labels) → value

    def to_json(self) -> dict[str, Any]:
        return {"check": self.name, "status": self.status, "detail": self.detail,
                "metrics": {k: (None if v == float("inf") else v) for k, v in self.metrics.items()}}


@dataclass(frozen=True)
class HealthReport:
    checks: tuple[Check, ...]
    seconds: float

    @property
    def status(self) -> str:
        return max((c.status for c in self.checks), key=_LEVEL.__getitem__, default=OK)

    @property
    def exit_code(self) -> int:
        return _LEVEL[self.status]

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "exit_code": self.exit_code, "seconds": round(self.seconds, 3),
                "checks": [c.to_json() for c in self.checks]}

    def prometheus(self) -> str:
        lines = ["# HELP steward_health_status Each check of `steward health`: 0 OK, 1 WARN, 2 FAIL.",
                 "# TYPE steward_health_status gauge"]
        lines += [f'steward_health_status{{check="{c.name}"}} {_LEVEL[c.status]}' for c in self.checks]
        lines += ["# HELP steward_health_exit_code The worst check: 0 OK, 1 WARN, 2 FAIL.",
                  "# TYPE steward_health_exit_code gauge", f"steward_health_exit_code {self.exit_code}",
                  "# TYPE steward_health_seconds gauge", f"steward_health_seconds {self.seconds:.3f}"]
        seen: set[str] = set()
        for c in self.checks:
            for name, value in c.metrics.items():
                base = name.split("{", 1)[0]
                if base not in seen:
                    seen.add(base)
                    lines.append(f"# TYPE {base} gauge")
                lines.append(f"{name} {_number(value)}")
        return "\n".join(lines) + "\n"


def _number(value: float) -> str:
    if value == float("inf"):
        return "+Inf"
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def _grade(value: float, warn: float, fail: float) -> str:
    return FAIL if value >= fail else WARN if value >= warn else OK


def _ago(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def check(engine: Engine, url: URL, *, config: OperationsConfig, data_dir: Path | None = None,
          backup_folder: Path | None = None, options: DaemonOptions | None = None) -> HealthReport:
    """Run every check (each in its own short transaction; one failing does not stop the others)."""
    started = time.perf_counter()
    limits = config.health
    checks: list[Check] = []
    try:
        with engine.connect() as conn:
            version = conn.execute(sa.text("SHOW server_version")).scalar_one()
        checks.append(Check("database", OK, f"reachable: {url.host or 'embedded server'}/{url.database}, "
                                            f"PostgreSQL {version}", {"steward_up": 1}))
    except Exception as exc:  # noqa: BLE001 - being unreachable is the finding
        checks.append(Check("database", FAIL, f"unreachable: {_first_line(exc)}", {"steward_up": 0}))
        return HealthReport(tuple(checks), time.perf_counter() - started)

    steps: list[tuple[str, Callable[[], Check]]] = [
        ("schema", lambda: _schema(engine)),
        ("daemon", lambda: _daemon(engine, limits)),
        ("consumer lag", lambda: _consumer_lag(engine, limits, options)),
        ("dead letters", lambda: _dead_letters(engine, limits)),
        ("projection lag", lambda: _projection_lag(engine, limits)),
        ("reconciliation", lambda: _reconciliation(engine, limits)),
        ("backup", lambda: _backup(engine, limits)),
        ("disk", lambda: _disk(engine, limits, data_dir, backup_folder)),
    ]
    for name, step in steps:
        try:
            checks.append(step())
        except Exception as exc:  # noqa: BLE001 - a check that cannot run is a failed check
            refusal = api_refusal(getattr(exc, "orig", None))
            why = refusal.detail if refusal else _first_line(exc)
            if "permission denied" in why or refusal is not None:
                why += " (run `steward health` as an admin, the daemon's login or the database owner)"
            checks.append(Check(name, FAIL, f"could not be checked: {why}"))
    return HealthReport(tuple(checks), time.perf_counter() - started)


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# ------------------------------------------------------------------ the checks

def _schema(engine: Engine) -> Check:
    pending = schema.pending_migrations(engine)
    if pending:
        return Check("schema", FAIL, f"{len(pending)} migration(s) pending ({', '.join(pending)}): run "
                                     "`steward db upgrade` as the owner", {"steward_schema_pending_migrations": len(pending)})
    if not schema.definitions_current(engine):
        return Check("schema", WARN, "the definitions (functions, policies) are older than this program: run "
                                     "`steward db upgrade`", {"steward_schema_pending_migrations": 0})
    latest = schema.known_migrations()[-1]
    return Check("schema", OK, f"current (migration {latest})", {"steward_schema_pending_migrations": 0})


def _daemon(engine: Engine, limits: dict[str, float]) -> Check:
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT daemon, login, mode, started_at, stopped_at, extract(epoch FROM now() - beat_at) AS age "
            "FROM daemon_heartbeats ORDER BY beat_at DESC")).all()
    if not rows:
        return Check("daemon", FAIL, "no daemon has ever run here: start `steward daemon`",
                     {"steward_daemon_heartbeat_age_seconds": float("inf"), "steward_daemons_running": 0})
    running = [r for r in rows if r.stopped_at is None and r.age < limits["daemon_fail_seconds"]]
    freshest = rows[0]
    metrics = {"steward_daemon_heartbeat_age_seconds": float(freshest.age),
               "steward_daemons_running": float(len(running))}
    if running:
        best = min(running, key=lambda r: r.age)
        names = ", ".join(r.daemon for r in running)
        status = _grade(best.age, limits["daemon_warn_seconds"], limits["daemon_fail_seconds"])
        return Check("daemon", status, f"{len(running)} running ({names}); last heartbeat {_ago(best.age)} ago",
                     {**metrics, "steward_daemon_heartbeat_age_seconds": float(best.age)})
    if freshest.mode == "once":
        status = _grade(freshest.age, limits["daemon_warn_seconds"], limits["daemon_fail_seconds"])
        return Check("daemon", status, f"no daemon running; the last `steward daemon --once` ({freshest.daemon}) "
                                       f"finished {_ago(freshest.age)} ago", metrics)
    if freshest.stopped_at is not None:
        return Check("daemon", FAIL, f"stopped: the last daemon ({freshest.daemon}) stopped {_ago(freshest.age)} ago; "
                                     "start `steward daemon`", metrics)
    return Check("daemon", FAIL, f"silent: the last heartbeat ({freshest.daemon}) was {_ago(freshest.age)} ago; "
                                 "it may have been killed", metrics)


def _consumer_lag(engine: Engine, limits: dict[str, float], options: DaemonOptions | None) -> Check:
    with engine.connect() as conn:
        state = events_status.read(conn, options or DaemonOptions.from_env())
    metrics: dict[str, float] = {}
    worst, worst_name = 0.0, ""
    inactive = []
    for c in state.consumers:
        if c.state.startswith("inactive"):
            inactive.append(c.name)
            continue
        metrics[f'steward_consumer_lag_seconds{{consumer="{c.name}"}}'] = c.lag_seconds
        metrics[f'steward_consumer_lag_events{{consumer="{c.name}"}}'] = float(c.lag_events)
        if c.lag_seconds >= worst:
            worst, worst_name = c.lag_seconds, c.name
    status = _grade(worst, limits["consumer_lag_warn_seconds"], limits["consumer_lag_fail_seconds"])
    detail = (f"worst: {worst_name} {_ago(worst)} behind" if worst > 0 else "every active consumer is caught up")
    if inactive:
        detail += f" ({', '.join(inactive)} inactive)"
    if state.holding_back:
        detail += f"; held back: {state.holding_back}"
    return Check("consumer lag", status, detail, metrics)


def _dead_letters(engine: Engine, limits: dict[str, float]) -> Check:
    with engine.connect() as conn:
        waiting = conn.execute(sa.text("SELECT count(*) FROM event_dead_letters WHERE state = 'dead'")).scalar_one()
    status = _grade(waiting, limits["dead_letters_warn"], limits["dead_letters_fail"])
    detail = (f"{waiting:,} waiting for a person (`steward events dead-letters`, then `redrive`)" if waiting
              else "none waiting")
    return Check("dead letters", status, detail, {"steward_dead_letters_waiting": float(waiting)})


def _projection_lag(engine: Engine, limits: dict[str, float]) -> Check:
    since = datetime.now(timezone.utc) - timedelta(hours=limits["projection_lag_window_hours"])
    with engine.connect() as conn:
        lag = conn.execute(sa.text("SELECT steward_api.projection_lag(CAST(:since AS timestamptz))"),
                           {"since": since}).scalar_one()
    behind, seconds = int(lag["customers"]), float(lag["max_seconds"])
    status = _grade(behind, limits["projection_lag_warn"], limits["projection_lag_fail"])
    detail = (f"{behind:,} of {lag['checked']:,} recently written customers' projection rows are behind (up to "
              f"{_ago(seconds)}); `steward projections rebuild` repairs them" if behind
              else f"the projection follows every write ({lag['checked']:,} customers with recent events checked)")
    return Check("projection lag", status, detail, {"steward_projection_lag_customers": float(behind),
                                                    "steward_projection_lag_max_seconds": seconds})


def _reconciliation(engine: Engine, limits: dict[str, float]) -> Check:
    with engine.connect() as conn:
        row = conn.execute(sa.text(
            "SELECT last_finished_at, last_report, extract(epoch FROM now() - last_finished_at) AS age "
            "FROM daemon_jobs WHERE job = 'rebuild'")).first()
    if row is None or row.last_finished_at is None:
        return Check("reconciliation", WARN, "no nightly reconciliation has finished yet (the daemon runs it at "
                                             "STEWARD_REBUILD_AT, 03:00)", {"steward_reconciliation_age_seconds": float("inf")})
    found = _DRIFT.search(row.last_report or "")
    drift = int(found[1].replace(",", "")) if found else 0
    failed = "failed" in (row.last_report or "")
    hours = row.age / 3600
    status = max(_grade(hours, limits["reconciliation_warn_hours"], limits["reconciliation_fail_hours"]),
                 _grade(drift, limits["drift_warn"], limits["drift_fail"]), FAIL if failed else OK,
                 key=_LEVEL.__getitem__)
    detail = (f"last run {_ago(row.age)} ago: " + ("it failed: " + row.last_report if failed else
              f"{drift:,} row(s) had drifted and were repaired" if drift else "no drift"))
    return Check("reconciliation", status, detail, {"steward_reconciliation_age_seconds": float(row.age),
                                                    "steward_reconciliation_drift_rows": float(drift)})


def _backup(engine: Engine, limits: dict[str, float]) -> Check:
    with engine.connect() as conn:
        row = conn.execute(sa.text(
            "SELECT file, bytes, extract(epoch FROM now() - finished_at) AS age FROM backup_runs "
            "ORDER BY finished_at DESC LIMIT 1")).first()
    if row is None:
        return Check("backup", WARN, "never backed up: `steward db backup`", {"steward_backup_age_seconds": float("inf")})
    days = row.age / 86400
    status = _grade(days, limits["backup_warn_days"], limits["backup_fail_days"])
    return Check("backup", status, f"last backup {_ago(row.age)} ago ({row.bytes / 1e6:.1f} MB, {row.file})",
                 {"steward_backup_age_seconds": float(row.age), "steward_backup_bytes": float(row.bytes)})


def _disk(engine: Engine, limits: dict[str, float], data_dir: Path | None, backup_folder: Path | None) -> Check:
    with engine.connect() as conn:
        size = conn.execute(sa.text("SELECT pg_database_size(current_database())")).scalar_one()
    metrics = {"steward_database_size_bytes": float(size)}
    parts = [f"database {size / 1e6:,.0f} MB"]
    status = OK
    for label, folder in (("data folder", data_dir), ("backup folder", backup_folder)):
        if folder is None:
            continue
        existing = next((p for p in [Path(folder), *Path(folder).parents] if p.exists()), None)
        if existing is None:
            continue
        usage = shutil.disk_usage(existing)
        percent = 100.0 * usage.used / usage.total
        metrics[f'steward_disk_used_ratio{{folder="{label}"}}'] = round(percent / 100, 4)
        parts.append(f"{label} disk {percent:.0f} % full ({usage.free / 1e9:,.1f} GB free)")
        status = max(status, _grade(percent, limits["disk_warn_percent"], limits["disk_fail_percent"]),
                     key=_LEVEL.__getitem__)
    return Check("disk", status, "; ".join(parts), metrics)


def render_json(report: HealthReport) -> str:
    return json.dumps(report.to_json(), indent=2, default=str)
