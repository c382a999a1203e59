"""`steward users`: people and their database logins (admins only)."""

from __future__ import annotations

import os
from typing import List, Optional

import typer
from rich.table import Table

from services.entrypoints.cli.common import connect, console

app = typer.Typer(help="People: one database login per person, with a role (admins only).", no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    login: str = typer.Argument(..., help="The person's database login (lower case)."),
    role: str = typer.Option(..., "--role", help="SALES_REP, TEAM_LEAD, CHAIN_MANAGER, ADMIN, or MODULE (a module's service account: posts inbound events only).", case_sensitive=False),
    region: Optional[str] = typer.Option(None, "--region", help="Region code (sales reps and team leads)."),
    chain: Optional[List[str]] = typer.Option(None, "--chain", help="Chain id (chain managers; repeatable)."),
    name: Optional[str] = typer.Option(None, "--name", help="Display name (default: the login)."),
    password_env: Optional[str] = typer.Option(
        None, "--password-env", help="Name of an environment variable holding the initial password "
                                     "(a password on the command line would end up in the shell history)."),
    adopt_existing_login: bool = typer.Option(
        False, "--adopt-existing-login",
        help="Make an existing database login (say, the person's login for another Steward database) this "
             "person; superusers only. The login's password and attributes stay as they are."),
) -> None:
    """Create a person: their database login and their Steward user. An existing login is
    never taken over unless a superuser adopts it explicitly."""
    password = None
    if password_env:
        password = os.environ.get(password_env)
        if not password:
            console.print(f"[red]The environment variable {password_env} is empty or not set.[/red]")
            raise typer.Exit(2)
    with connect(ctx.obj, admins_only="add people") as svc:
        person = svc.users.add(login, role=role.upper(), region=region.upper() if region else None,
                               chains=chain or (), display_name=name, password=password,
                               adopt_existing_login=adopt_existing_login)
    console.print(f"Added {person.login} ({person.role}{', ' + person.region if person.region else ''}).")
    if password is None and not ctx.obj.embedded:
        console.print("No password set: give one with `ALTER ROLE ... PASSWORD` or --password-env, "
                      "or let the server authenticate them another way (pg_hba.conf).")


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """Everyone with a Steward user, by role."""
    with connect(ctx.obj, admins_only="list people") as svc:
        people = svc.users.list()
    table = Table("login", "name", "role", "region", "chains", "active")
    for p in people:
        table.add_row(p.login, p.display_name, p.role, p.region or "", str(len(p.chains)) if p.chains else "",
                      "yes" if p.active else "[red]disabled[/red]")
    console.print(table)


@app.command("disable")
def disable(ctx: typer.Context, login: str = typer.Argument(...)) -> None:
    """The person can no longer log in to this database or see anything; their history stays."""
    with connect(ctx.obj, admins_only="disable people") as svc:
        person = svc.users.disable(login)
    console.print(f"Disabled {person.login}.")
