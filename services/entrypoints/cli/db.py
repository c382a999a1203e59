"""`steward db`: schema migrations."""

from __future__ import annotations

import typer
from rich.table import Table

from services.adapters import embedded, schema
from services.entrypoints.cli.common import console
from services.adapters.database import make_engine, translated_errors
from services.service_layer.facade import owner_url

app = typer.Typer(help="Schema migrations (run as the database owner on a shared server).", no_args_is_help=True)


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
