"""`steward privacy`: a person's data on request: erase, export (admins)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from services.entrypoints.cli.common import connect, console

app = typer.Typer(help="A person's rights: erase their data, export it (GDPR).", no_args_is_help=True)


@app.command()
def erase(ctx: typer.Context,
          contact: Optional[str] = typer.Option(None, "--contact", help="The contact's id."),
          email: Optional[str] = typer.Option(None, "--email", help="Every contact with this address, and the "
                                                                    "address itself wherever it appears."),
          yes: bool = typer.Option(False, "--yes", help="Do not ask."),
          as_json: bool = typer.Option(False, "--json", help="The report as JSON.")) -> None:
    """Replace the person's name, e-mail and phone everywhere (history, audit, outbox, inbox,
    dead letters, legacy table included) and report where; recorded in the audit."""
    if not yes:
        typer.confirm(f"Erase the personal data of {contact or email} everywhere? This cannot be undone", abort=True)
    with connect(ctx.obj) as svc:
        report = svc.privacy.erase(contact=contact, email=email)
    if as_json:
        typer.echo(json.dumps(report, indent=2, default=str))
        return
    console.print(f"Erased {len(report['contacts'])} contact(s) ({report['values']} personal value(s) searched for "
                  "in every row of every table).", highlight=False)
    for place, n in sorted(report["changed"].items()):
        console.print(f"  {place}: {n:,} row(s) changed", highlight=False)
    if report["remaining"]:
        console.print(f"[red]Still found:[/red] {report['remaining']}")
        raise typer.Exit(1)
    console.print("A second search found none of the values anywhere.")


@app.command()
def export(ctx: typer.Context,
           contact: str = typer.Option(..., "--contact", help="The contact's id."),
           output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the JSON here (default: stdout).")
           ) -> None:
    """Everything Steward holds about a person, as JSON (right of access); recorded in the audit."""
    with connect(ctx.obj) as svc:
        data = svc.privacy.export(contact)
    text = json.dumps(data, indent=2, default=str, ensure_ascii=False)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        console.print(f"Wrote {len(data['records'])} record(s) of contact {contact} to {output}.", highlight=False)
    else:
        typer.echo(text)
