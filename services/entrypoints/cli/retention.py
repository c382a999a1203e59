"""`steward retention`: the GDPR policies, with a dry run (admins)."""

from __future__ import annotations

import json
from typing import List, Optional

import typer

from services.entrypoints.cli.common import connect, console, err_console

app = typer.Typer(help="Retention (GDPR): old outbox events, long-inactive contacts, the archive.",
                  no_args_is_help=True)

_UNITS = {"outbox": ("outbox", "outbox events"), "contacts": ("contacts", "contacts"),
          "archive": ("samples", "samples")}


@app.command()
def run(ctx: typer.Context,
        dry_run: bool = typer.Option(False, "--dry-run", help="List what each policy would change; change nothing."),
        policy: Optional[List[str]] = typer.Option(None, "--policy", help="outbox, contacts or archive (repeatable; "
                                                                          "default: all three)."),
        batch: Optional[int] = typer.Option(None, "--batch", min=1, max=10000, help="Units per transaction."),
        examples: int = typer.Option(5, "--examples", min=0, max=100, help="Examples per policy in a dry run."),
        as_json: bool = typer.Option(False, "--json", help="One JSON document, for scripts.")) -> None:
    """Apply the retention policies in batches (recorded in the audit), or --dry-run them."""
    with connect(ctx.obj) as svc:
        if dry_run:
            previews = svc.retention.preview(policy, examples=examples)
            if as_json:
                typer.echo(json.dumps(previews, indent=2, default=str))
                return
            for p in previews:
                _show_preview(p)
            console.print("Dry run: nothing was changed.")
            return
        reports = []
        for name in policy or ("outbox", "contacts", "archive"):
            with console.status(f"{name}: applying…") as spinner:
                def progress(pol, batches, counts, spinner=spinner):
                    unit, words = _UNITS[pol]
                    spinner.update(f"{pol}: batch {batches}, {counts.get(unit, 0):,} {words} so far")
                reports += svc.retention.run([name], batch=batch, progress=progress)
    if as_json:
        typer.echo(json.dumps([r.__dict__ for r in reports], indent=2, default=str))
        return
    for r in reports:
        counts = ", ".join(f"{v:,} {k}" for k, v in r.counts.items())
        console.print(f"{r.policy}: {counts or 'nothing'} ({r.batches} batch(es), {r.seconds:.1f} s; "
                      f"older than {r.days:g} days; audit run {r.run}).", highlight=False)


def _show_preview(p: dict) -> None:
    policy, days = p["policy"], p["days"]
    if policy == "outbox":
        console.print(f"outbox ({days:g} days): {p['outbox']:,} published events, {p['inbox']:,} handled inbox rows, "
                      f"{p['letters']:,} closed dead letters would be removed"
                      + (f"; {p['kept_unpassed']:,} older events are kept (a consumer has not passed them)"
                         if p.get("kept_unpassed") else "") + ".", highlight=False)
        for e in p["examples"]:
            console.print(f"  e.g. event {e['position']} {e['type']} of {e['time']}", highlight=False)
    elif policy == "contacts":
        console.print(f"contacts ({days:g} days without activity): {p['contacts']:,} contacts would be anonymised.",
                      highlight=False)
        for e in p["examples"]:
            console.print(f"  e.g. contact {e['contact_id']} of {', '.join(e['customers']) or 'no customer'}, "
                          f"last changed {str(e['last_change'])[:10]}", highlight=False)
    else:
        console.print(f"archive ({days:g} days): {p['samples']:,} samples and {p['activities']:,} activities would "
                      "move to the archive.", highlight=False)
        for e in p["examples"]:
            console.print(f"  e.g. sample {e['sample_id']} of {e['customer']} ({e['status']}, "
                          f"{str(e['last_event_at'])[:10]})", highlight=False)


@app.command()
def runs(ctx: typer.Context, limit: int = typer.Option(20, "--limit", min=1, max=1000)) -> None:
    """The audit of retention runs: who, when, which policy, what changed."""
    with connect(ctx.obj) as svc:
        rows = svc.retention.runs(limit)
    for r in rows:
        counts = ", ".join(f"{v:,} {k}" for k, v in (r["counts"] or {}).items())
        err_console.print(f"{r['id']:>6} {str(r['started_at'])[:19]} {r['by_login']:<20} {r['policy']:<9} "
                          f"{r['settings'].get('days')} days: {counts or 'nothing'}"
                          + ("" if r["finished_at"] else " (unfinished)"), highlight=False)
