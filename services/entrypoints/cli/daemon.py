"""`steward daemon`: the headless mode admins run as a service (docs/DAEMON.md)."""

from __future__ import annotations

from datetime import timedelta

import typer

from services.entrypoints.cli.common import count, console
from services.config import Settings
from services.service_layer.events.identity import DAEMON_LOGIN
from services.service_layer.events.options import DaemonOptions, parse_time_of_day


def register(app: typer.Typer) -> None:
    app.command()(daemon)


def daemon(
    ctx: typer.Context,
    once: bool = typer.Option(False, "--once", help="Drain everything pending, then exit (for cron and tests)."),
    batch_size: int = typer.Option(None, "--batch-size", min=1, max=50_000,
                                   help="Events per consumer transaction (env STEWARD_DAEMON_BATCH, default 5000)."),
    poll: float = typer.Option(None, "--poll", min=0.1, help="Seconds between polls when no notification comes "
                                                              "(env STEWARD_DAEMON_POLL, default 5)."),
    consumer: list[str] = typer.Option(None, "--consumer", help="Run only this consumer (repeatable)."),
    logistics_url: str = typer.Option(None, "--logistics-url",
                                      help="Where shipment requests are posted (env STEWARD_LOGISTICS_URL)."),
    logistics_attempts: int = typer.Option(None, "--logistics-attempts", min=1,
                                           help="Tries before a shipment request becomes a dead letter "
                                                "(env STEWARD_LOGISTICS_ATTEMPTS, default 5)."),
    nats_url: str = typer.Option(None, "--nats-url", help="The NATS server of the bus (env STEWARD_NATS_URL)."),
    rebuild_at: str = typer.Option(None, "--rebuild-at", help="Nightly projection rebuild, HH:MM local time, or "
                                                              "'off' (env STEWARD_REBUILD_AT, default 03:00)."),
    retention_days: float = typer.Option(None, "--retention-days", min=0,
                                         help="Clean up outbox events every consumer passed, older than this "
                                              "(env STEWARD_OUTBOX_RETENTION_DAYS, default 7)."),
    log_format: str = typer.Option("text", "--log-format", help="text (key=value) or json."),
    user: str = typer.Option(None, "--user", help=f"The daemon's login (default {DAEMON_LOGIN} on the embedded "
                                                  f"server, the URL's user on a shared one)."),
) -> None:
    """Drain the outbox to its consumers and process inbound events; runs until SIGTERM."""
    from services.service_layer.events import logs
    from services.service_layer.events.daemon import Daemon

    if log_format not in ("text", "json"):
        raise typer.BadParameter("text or json", param_hint="--log-format")
    options = DaemonOptions.from_env().override(
        batch_size=batch_size, poll_seconds=poll, only=frozenset(consumer) if consumer else None,
        logistics_url=logistics_url, logistics_attempts=logistics_attempts, nats_url=nats_url,
        rebuild_at=parse_time_of_day(rebuild_at, "--rebuild-at") if rebuild_at is not None else None,
        outbox_retention=timedelta(days=retention_days) if retention_days is not None else None,
    )
    if rebuild_at is not None and options.rebuild_at is not None and parse_time_of_day(rebuild_at) is None:
        options = DaemonOptions(**{**options.__dict__, "rebuild_at": None})
    logs.configure(log_format)
    settings = ctx.obj.override(user=user)
    runner = Daemon(lambda: _open(settings), options, once=once)
    code = runner.run()
    if once and runner.last is not None:
        s = runner.last
        console.print(f"Drained {count(s.events, 'event')} through every consumer in {s.seconds:.2f} s "
                      f"({count(round(s.events_per_second), 'event')}/s); {count(s.inbound, 'inbound event')}; "
                      f"{count(s.dead_letters, 'new dead letter')}; {count(s.repairs, 'projection repair')}.",
                      highlight=False)
    raise typer.Exit(code)


def _open(settings: Settings):
    """The daemon's own login: steward_daemon on the embedded server, the URL's user on a shared one."""
    import services

    user = settings.user or (DAEMON_LOGIN if settings.embedded else None)
    svc = services.connect(settings.database_url, user, settings=settings, source="daemon")
    return svc.engine, svc.url
