"""`steward projections`: rebuild and verify the hot projection."""

from __future__ import annotations

import typer

from services.entrypoints.cli.common import connect, console, progress_bar

app = typer.Typer(help="The hot projection (cm_customer_hot_proj).", no_args_is_help=True)


@app.command()
def rebuild(ctx: typer.Context, batches: int = typer.Option(64, min=1, max=4096, help="Short transactions to split the work into.")) -> None:
    """Rebuild the projection from the truth (set-based, in short batches)."""
    with connect(ctx.obj, admins_only="rebuild the projection") as svc, progress_bar() as bar:
        task = bar.add_task("Rebuilding", total=batches)
        report = svc.projections.rebuild(batches=batches, progress=lambda done, total: bar.update(task, completed=done))
    console.print(f"Rebuilt {report.customers:,} customers in {report.seconds:.1f} s; "
                  f"{report.repaired:,} row(s) had drifted and were repaired.")


@app.command()
def verify(ctx: typer.Context, batches: int = typer.Option(64, min=1, max=4096)) -> None:
    """Compare the projection with the truth; exit 1 if any row drifted."""
    with connect(ctx.obj, admins_only="verify the projection") as svc, progress_bar(transient=True) as bar:
        task = bar.add_task("Verifying", total=batches)
        drift = svc.projections.verify(batches=batches, progress=lambda done, total: bar.update(task, completed=done))
    console.print(f"{drift} drifted row(s).")
    raise typer.Exit(1 if drift else 0)
