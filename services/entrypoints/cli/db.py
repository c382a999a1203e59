"""`steward db`: schema migrations, backup and restore."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from services.adapters import embedded, schema
from services.entrypoints.cli.common import console
from services.adapters.database import make_engine, translated_errors
from services.service_layer.facade import owner_url

app = typer.Typer(help="Schema migrations, backup and restore (run as the database owner on a shared server).",
                  no_args_is_help=True)


@app.command()
def upgrade(ctx: typer.Context) -> None:
    """Apply pending migrations and sync reference data from resources/."""
    settings = ctx.obj
    url = owner_url(settings)
    engine = make_engine(url, pool_size=1)
    try:
        with translated_errors():
            applied = schema.upgrade(url)
            schema.sync_reference_data(engine)
            from services.service_layer import people
            if settings.embedded:
                people.ensure_demo_people(engine)
    finally:
        engine.dispose()
    if applied:
        console.print(f"Applied {len(applied)} migration(s): {', '.join(applied)}.")
    else:
        console.print("The schema is up to date.")
    console.print("Reference data (regions, fields, activity kinds, products, kits) synced.")


@app.command()
def status(ctx: typer.Context) -> None:
    """Show which migrations are applied and which are pending, and where the embedded server is."""
    settings = ctx.obj
    before = embedded.state(settings.data_dir) if settings.embedded else None
    url = owner_url(settings)
    engine = make_engine(url, pool_size=1)
    try:
        with translated_errors():
            pending = set(schema.pending_migrations(engine))
    finally:
        engine.dispose()
    table = Table("migration", "state")
    for migration in schema.known_migrations():
        table.add_row(migration, "[yellow]pending[/yellow]" if migration in pending else "[green]applied[/green]")
    console.print(table)
    if pending:
        console.print(f"{len(pending)} pending: run `steward db upgrade`.")
    if before is not None:
        console.print(_embedded_line(before), highlight=False)


def _embedded_line(before: embedded.EmbeddedState) -> str:
    if before.running:
        others = len(before.users)
        users = f"used by {others} other Steward process{'es' if others != 1 else ''}" if others else "used by no process"
        return (f"Embedded PostgreSQL: running (server pid {before.server_pid}, {users}); "
                f"data in {before.data_dir}.")
    new = "" if before.initialised else " (created by this command)"
    return (f"Embedded PostgreSQL: was not running; started for this command and stopped when it ends{new}; "
            f"data in {before.data_dir}.")


@app.command()
def backup(ctx: typer.Context,
           file: Optional[Path] = typer.Argument(None, help="Where to write it (default: a dated file in the "
                                                              "backup folder, [backup] folder of the configuration).")
           ) -> None:
    """Back the database up (pg_dump, custom format), as its owner; with progress."""
    from services.config import OperationsConfig
    from services.entrypoints.cli.common import progress_bar
    from services.service_layer import backups

    settings = ctx.obj
    url = owner_url(settings)
    folder = OperationsConfig.load(settings).backup_folder(settings)
    with progress_bar(transient=True) as bar:
        task = bar.add_task("Backing up", total=None)
        report = backups.backup(url, file, folder=folder,
                                progress=lambda done, total, what: bar.update(task, completed=done, total=total,
                                                                              description=f"Backing up {what}"))
    console.print(f"Backed up {url.database} ({report.tables} tables, schema {report.schema_version}) to "
                  f"{report.file} ({report.bytes / 1e6:,.1f} MB) in {report.seconds:.1f} s with {report.tool}.",
                  highlight=False)


@app.command()
def restore(ctx: typer.Context,
            file: Path = typer.Argument(..., help="A backup written by `steward db backup`."),
            replace: bool = typer.Option(False, "--replace", help="Overwrite a database that is not empty."),
            yes: bool = typer.Option(False, "--yes", help="Do not ask before replacing.")) -> None:
    """Restore a backup, as the database's owner: refuses a non-empty database without
    --replace and a backup of a newer schema; upgrades an older one."""
    from services.entrypoints.cli.common import progress_bar
    from services.service_layer import backups

    settings = ctx.obj
    url = owner_url(settings)
    if replace and not yes:
        typer.confirm(f"Replace everything in {url.database} with {file.name}?", abort=True)
    with progress_bar(transient=True) as bar:
        task = bar.add_task("Restoring", total=None)
        report = backups.restore(url, file, replace=replace,
                                 progress=lambda done, total, what: bar.update(task, completed=done, total=total))
    console.print(f"Restored {file} into {url.database} (schema {report.schema_version}"
                  + (f", then upgraded by {len(report.upgraded)} migration(s)" if report.upgraded else "")
                  + f") in {report.seconds:.1f} s" + (", replacing what was there." if report.replaced else "."),
                  highlight=False)
    if report.missing_logins:
        console.print(f"[yellow]These people have no login on this server:[/yellow] {', '.join(report.missing_logins)}. "
                      "Create their logins (CREATE ROLE … LOGIN) and run `steward db upgrade` to let them in.",
                      highlight=False)
