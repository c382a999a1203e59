"""Retention (GDPR): `steward retention run [--dry-run]`, and the daemon's hourly clean-up.

Three policies (sql/definitions/42_retention.sql), their days from the configuration
(services.config.OperationsConfig, [retention]; the defaults are MISSION.md's):

    outbox    published outbox events older than outbox_days (7), with handled inbox
              rows and closed dead letters of that age
    contacts  contacts of customers without activity for contacts_inactive_days (730)
              anonymised everywhere their values went
    archive   samples and activities older than archive_after_days (1826) moved to the
              archive tables, which the cockpit still counts

A dry run (`preview`) reads only. A run applies batch after batch, each in its own
transaction, and the database records it (who, when, the settings, the counts so far)
in retention_runs as it goes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from services.adapters.database import Json, translated_errors
from services.config import OperationsConfig
from services.errors import ValidationError
from services.service_layer.context import Context

POLICIES = ("outbox", "contacts", "archive")
Progress = Callable[[str, int, dict[str, Any]], None]   # (policy, batches done, counts so far)

_SETTING = {"outbox": "outbox_days", "contacts": "contacts_inactive_days", "archive": "archive_after_days"}
# What a batch's counts are made of; the unit a policy's progress is counted in.
UNIT = {"outbox": "outbox", "contacts": "contacts", "archive": "samples"}


@dataclass(frozen=True)
class RunReport:
    run: int
    policy: str
    days: float
    batches: int
    counts: dict[str, int]
    seconds: float


def days_of(config: OperationsConfig, policy: str) -> float:
    return float(config.retention[_SETTING[policy]])


def policies(names: list[str] | tuple[str, ...] | None) -> list[str]:
    chosen = list(names or POLICIES)
    unknown = [p for p in chosen if p not in POLICIES]
    if unknown:
        raise ValidationError(f"Unknown policy {', '.join(unknown)} (one of {', '.join(POLICIES)}).",
                              errors={"policy": f"must be one of {', '.join(POLICIES)}"})
    return chosen


class RetentionService:
    def __init__(self, ctx: Context, config: OperationsConfig | None = None):
        self._ctx = ctx
        self._config = config

    @property
    def config(self) -> OperationsConfig:
        if self._config is None:
            self._config = OperationsConfig.load()
        return self._config

    def preview(self, names: list[str] | None = None, *, examples: int = 5,
                days: dict[str, float] | None = None) -> list[dict[str, Any]]:
        """The dry run: per policy what a run would change now, with examples. Changes nothing."""
        return [self._ctx.call("retention_preview", policy=p,
                               settings=Json({"days": (days or {}).get(p, days_of(self.config, p))}),
                               examples=examples)
                for p in policies(names)]

    def run(self, names: list[str] | None = None, *, batch: int | None = None, progress: Progress | None = None,
            days: dict[str, float] | None = None, stop: Callable[[], bool] = lambda: False) -> list[RunReport]:
        """Apply each policy in batches; each run is recorded in retention_runs."""
        reports = []
        size = int(batch or self.config.retention["batch"])
        for policy in policies(names):
            reports.append(apply_policy(self._ctx.call, policy, (days or {}).get(policy, days_of(self.config, policy)),
                                        size, progress, stop))
        return reports

    def runs(self, limit: int = 20) -> list[dict[str, Any]]:
        """The audit: the latest runs, newest first."""
        with self._ctx.read() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.text(
                "SELECT id, policy, settings, by_login, started_at, finished_at, batches, counts "
                "FROM retention_runs ORDER BY id DESC LIMIT :n"), {"n": limit})]


def apply_policy(call: Callable[..., Any], policy: str, days: float, batch: int,
                 progress: Progress | None = None, stop: Callable[[], bool] = lambda: False) -> RunReport:
    """One run of one policy through the write API (`call` is Context.call or the daemon's)."""
    started = time.perf_counter()
    run = call("retention_begin", policy=policy, settings=Json({"days": days}))
    counts: dict[str, int] = {}
    batches = 0
    try:
        while True:
            done = call("retention_apply", run=run, limit=batch)
            batches += 1
            for key, value in done.items():
                if key != "more":
                    counts[key] = counts.get(key, 0) + int(value)
            if progress:
                progress(policy, batches, dict(counts))
            if not done.get("more") or stop():
                break
    finally:
        call("retention_finish", run=run)
    return RunReport(run, policy, days, batches, counts, time.perf_counter() - started)


def engine_call(engine: Engine) -> Callable[..., Any]:
    """A write API caller for a plain engine (the daemon's login): one committed call each."""
    def call(function: str, **params: Any) -> Any:
        from services.adapters.database import UnitOfWork

        with translated_errors(), engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            return UnitOfWork(conn, "daemon-retention", "daemon").call(function, **params)
    return call
