"""Scheduled work inside the daemon: the nightly projection rebuild and the outbox clean-up
(the retention policy `outbox`).

A job is claimed with one UPDATE on daemon_jobs (its last start lying before
its due time), so of several daemons exactly one runs it. A job seen for the
first time is scheduled from then on, not run at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from services.service_layer import projections, retention
from services.service_layer.events.failures import is_connection_problem
from services.service_layer.events.logs import LOG, facts
from services.service_layer.events.options import DaemonOptions

_SEEN = sa.text("INSERT INTO daemon_jobs (job) VALUES (:job) ON CONFLICT DO NOTHING")
_CLAIM = sa.text("UPDATE daemon_jobs SET last_started_at = now(), last_finished_at = NULL "
                 " WHERE job = :job AND last_started_at < :due RETURNING job")
_FINISH = sa.text("UPDATE daemon_jobs SET last_finished_at = now(), last_report = :report WHERE job = :job")
_DELETE_HEARTBEATS = sa.text("DELETE FROM daemon_heartbeats WHERE beat_at < now() - interval '7 days'")


def last_occurrence(at: time, now: datetime) -> datetime:
    """The latest moment at `at` o'clock (local time) not after `now`."""
    today = now.replace(hour=at.hour, minute=at.minute, second=at.second, microsecond=0)
    return today if today <= now else today - timedelta(days=1)


def claim(engine: Engine, job: str, due: datetime) -> bool:
    with engine.begin() as conn:
        conn.execute(_SEEN, {"job": job})
        return conn.execute(_CLAIM, {"job": job, "due": due}).first() is not None


def _finish(engine: Engine, job: str, report: str) -> None:
    with engine.begin() as conn:
        conn.execute(_FINISH, {"job": job, "report": report})


def rebuild_projection(engine: Engine, options: DaemonOptions) -> str:
    """Reconcile the hot projection with the truth in short transactions; the drift is the report."""
    report = projections.rebuild(engine, batches=options.rebuild_batches)
    text = (f"nightly rebuild: {report.customers:,} customers compared with the truth in "
            f"{options.rebuild_batches} short transactions, {report.seconds:.1f} s; "
            f"{report.repaired} row(s) had drifted and were repaired")
    (LOG.warning if report.repaired else LOG.info)(text, extra=facts(
        job="rebuild", customers=report.customers, drifted=report.repaired, seconds=report.seconds))
    return text


def clean_up(engine: Engine, options: DaemonOptions, stop: Callable[[], bool] = lambda: False) -> str:
    """The retention policy `outbox` (services/service_layer/retention.py): delete, in batches,
    outbox events every consumer has passed and that are older than the retention, handled
    inbox rows and closed dead letters of the same age; recorded in retention_runs like
    every run. Heartbeats of daemons gone for a week go too."""
    days = options.outbox_retention.total_seconds() / 86400
    report = retention.apply_policy(retention.engine_call(engine), "outbox", days, options.cleanup_batch, stop=stop)
    with engine.begin() as conn:
        conn.execute(_DELETE_HEARTBEATS)
    deleted = {k: report.counts.get(k, 0) for k in ("outbox", "inbox", "letters")}
    text = (f"clean-up: removed {deleted['outbox']:,} outbox events passed by every consumer and older than "
            f"{days:g} days, {deleted['inbox']:,} handled inbox rows, "
            f"{deleted['letters']:,} closed dead letters")
    LOG.info(text, extra=facts(job="cleanup", run=report.run, **deleted))
    return text


class Scheduler:
    def __init__(self, engine: Engine, options: DaemonOptions):
        self._engine = engine
        self._options = options

    def run_due(self, stop: Callable[[], bool]) -> None:
        now = datetime.now().astimezone()
        if self._options.rebuild_at is not None and claim(self._engine, "rebuild",
                                                           last_occurrence(self._options.rebuild_at, now)):
            self._run("rebuild", lambda: rebuild_projection(self._engine, self._options))
        if not stop() and claim(self._engine, "cleanup", now - self._options.cleanup_every):
            self._run("cleanup", lambda: clean_up(self._engine, self._options, stop))

    def _run(self, job: str, work: Callable[[], str]) -> None:
        """A failed job is logged and reported; it runs again when next due. Only a lost
        connection goes up, to the daemon's reconnect."""
        try:
            report = work()
        except Exception as exc:  # noqa: BLE001 - a job's failure must not stop the daemon
            if is_connection_problem(exc):
                raise
            report = f"{job} failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            LOG.error(report, extra=facts(job=job), exc_info=True)
        _finish(self._engine, job, report)
