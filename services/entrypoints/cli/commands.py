"""The `steward` command's groups and options (typer). With no subcommand it opens the desktop.

Each command group lives in its own module and is registered below. The
desktop is imported only when asked for, so the daemon and the CLI never load Qt.
The command's entry point is services/entrypoints/cli/__init__.py `main`, which
shows the desktop's start window before this module is imported.
"""

from __future__ import annotations

import importlib

import typer

from services import formats
from services.entrypoints.cli import common
from services.entrypoints.cli.common import console, settings_from

app = typer.Typer(
    name="steward",
    help="Customer management for Cook&Fresh® sales: desktop, daemon and admin commands.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# (module, name of the Typer group or None for top-level commands)
_COMMANDS = [
    ("services.entrypoints.cli.db", "db"),
    ("services.entrypoints.cli.projections", "projections"),
    ("services.entrypoints.cli.users", "users"),
    ("services.entrypoints.cli.tokens", "tokens"),
    ("services.entrypoints.cli.serve", None),
    ("services.entrypoints.cli.kpis", "kpis"),
    ("services.entrypoints.cli.daemon", None),
    ("services.entrypoints.cli.events", "events"),
    ("services.entrypoints.cli.demo", None),
    ("services.entrypoints.cli.bench", None),
    ("services.entrypoints.cli.health", None),
    ("services.entrypoints.cli.retention", "retention"),
    ("services.entrypoints.cli.privacy", "privacy"),
    ("services.entrypoints.cli.migrate", "migrate"),
    ("services.entrypoints.cli.duplicates", "duplicates"),
    ("services.entrypoints.cli.imports", None),
]
for module_name, group in _COMMANDS:
    module = importlib.import_module(module_name)
    if group:
        app.add_typer(module.app, name=group)
    else:
        module.register(app)


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    database_url: str = typer.Option(None, "--database-url", envvar="STEWARD_DATABASE_URL",
                                     help="A shared PostgreSQL (default: the embedded one)."),
    user: str = typer.Option(None, "--user", envvar="STEWARD_USER",
                             help="Who you are: your login on a shared server, a demo person on the embedded one."),
    read_database_url: str = typer.Option(None, "--read-database-url", envvar="STEWARD_READ_DATABASE_URL",
                                          help="A streaming replica of the shared PostgreSQL: grid pages, counts, "
                                               "the cockpit and exports read there (same login)."),
) -> None:
    ctx.obj = settings_from(database_url=database_url, user=user, read_database_url=read_database_url)
    formats.configure(locale=ctx.obj.locale, timezone=ctx.obj.timezone)
    if ctx.invoked_subcommand is None:
        _open_desktop(ctx.obj)


@app.command()
def desktop(
    ctx: typer.Context,
    database_url: str = typer.Option(None, "--database-url", help="A shared PostgreSQL (default: the embedded one)."),
    user: str = typer.Option(None, "--user", help="Your login on a shared server, a demo person on the embedded one."),
) -> None:
    """Open the desktop (demo data is loaded on first start of an empty embedded database)."""
    _open_desktop(ctx.obj.override(database_url=database_url, user=user))


def _open_desktop(settings) -> None:
    try:
        launcher = importlib.import_module("desktop.app")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("desktop"):
            console.print("[red]The desktop is not part of this installation yet.[/red] Try `steward demo`.")
            raise typer.Exit(1) from None
        raise
    raise typer.Exit(launcher.main(settings))


def run() -> None:
    with common.friendly_errors():
        app(prog_name="steward")
