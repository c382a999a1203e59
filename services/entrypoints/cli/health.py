"""`steward health`: the checklist for a person or a monitor; exit 0 OK, 1 WARN, 2 FAIL."""

from __future__ import annotations

import typer
from rich.table import Table

from services.entrypoints.cli.common import console

_COLOURS = {"OK": "green", "WARN": "yellow", "FAIL": "red"}


def register(app: typer.Typer) -> None:
    @app.command()
    def health(ctx: typer.Context,
               format_: str = typer.Option("table", "--format", help="table, json or prometheus (metrics text).")
               ) -> None:
        """Database, schema, daemon heartbeats, consumer lag, dead letters, projection lag, the
        nightly reconciliation, the last backup, disk use: each OK, WARN or FAIL (thresholds: the
        health table of the configuration). Exit code 0, 1 or 2: the worst of them."""
        from services.adapters.database import database_url, make_engine
        from services.config import OperationsConfig
        from services.errors import ValidationError
        from services.service_layer import health as checks
        from services.service_layer.facade import owner_url

        if format_ not in ("table", "json", "prometheus"):
            raise ValidationError("The format is table, json or prometheus.", errors={"format": "unknown format"})
        settings = ctx.obj
        config = OperationsConfig.load(settings)
        # The embedded server is the person's own: its owner. A shared one: the login given.
        url = owner_url(settings) if settings.embedded else database_url(settings.database_url, settings.user)
        engine = make_engine(url, pool_size=1, application_name="steward-health")
        try:
            report = checks.check(engine, url, config=config, data_dir=settings.data_dir if settings.embedded else None,
                                  backup_folder=config.backup_folder(settings))
        finally:
            engine.dispose()
        if format_ == "json":
            typer.echo(checks.render_json(report))
        elif format_ == "prometheus":
            typer.echo(report.prometheus(), nl=False)
        else:
            table = Table("check", "status", "detail", title=f"Steward health: {report.status}", title_justify="left")
            for c in report.checks:
                table.add_row(c.name, f"[{_COLOURS[c.status]}]{c.status}[/{_COLOURS[c.status]}]", c.detail)
            console.print(table)
        raise typer.Exit(report.exit_code)
