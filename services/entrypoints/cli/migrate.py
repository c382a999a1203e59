"""`steward migrate legacy`: move a legacy customer table into Steward without downtime.

plan → (load) → backfill → validate → dual-write on → read-switch on → contract; every
step before contract can be switched off or undone (reset). docs/OPERATIONS.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from services.entrypoints.cli.common import connect, console, progress_bar

app = typer.Typer(help="Data migrations.", no_args_is_help=True)
legacy = typer.Typer(help="Move a legacy customer table into Steward (expand, back-fill, dual-write, read switch, "
                          "contract).", no_args_is_help=True)
app.add_typer(legacy, name="legacy")

MAPPING = typer.Option(..., "--mapping", help="The mapping file (TOML or JSON), e.g. resources/legacy/kunden.mapping.toml.")
TABLE = typer.Option(None, "--table", help="The legacy table (legacy.<name>); default: the mapping's [source] table.")


def _mapping(path: Path):
    from services.service_layer import mapping as mappings

    return mappings.load_mapping(path)


def _source(mapping, table: Optional[str]) -> str:
    from services.service_layer.legacy import source_of

    return source_of(mapping, table)


@legacy.command()
def plan(ctx: typer.Context, mapping: Path = MAPPING, table: Optional[str] = TABLE,
         file: Optional[Path] = typer.Option(None, "--file", help="Check against this CSV/XLSX export instead of "
                                                                  "the table.")) -> None:
    """How the legacy columns map to customers, contacts and fields; the mapping validated."""
    from services.service_layer import mapping as mappings

    declared = _mapping(mapping)
    source_file = file
    with connect(ctx.obj) as svc:
        columns = [] if file else svc.legacy.columns(_source(declared, table))
        if not file and not columns and declared.source.get("file"):
            source_file = (mapping.parent / declared.source["file"]).resolve()
        sample = mappings.read_table(source_file) if source_file else None
        problems, lines = svc.legacy.plan(declared, source=table, table=sample)
    where = f"{source_file} ({sample.encoding}, separator {sample.separator!r}, {len(sample):,} rows)" if sample \
        else _source(declared, table)
    console.print(f"Mapping {mapping} against {where}, key column {declared.key}:", highlight=False)
    grid = Table("target", "legacy column", "read as", "sample")
    for line in lines:
        grid.add_row(line.target, line.column or "", escape(line.reads), escape(line.sample))
    console.print(grid)
    if problems:
        console.print("[red]The mapping does not fit:[/red]")
        for p in problems:
            console.print(f"  {escape(p)}", highlight=False)
        raise typer.Exit(2)
    console.print("The mapping is valid.")


@legacy.command()
def load(ctx: typer.Context, file: Path = typer.Argument(..., help="The legacy system's CSV or XLSX export."),
         table: str = typer.Option("legacy.kunden", "--table", help="legacy.<name>: created with text columns, "
                                                                    "or appended to.")) -> None:
    """Load a CSV/XLSX export into a legacy table (encoding and separator detected)."""
    from services.service_layer import mapping as mappings

    source = mappings.read_table(file)
    with connect(ctx.obj) as svc, progress_bar() as bar:
        task = bar.add_task(f"Loading {file.name}", total=len(source))
        n = svc.legacy.load(source, table, progress=lambda done, total: bar.update(task, completed=done))
    console.print(f"Loaded {n:,} rows of {file.name} ({source.encoding}, separator {source.separator!r}) into {table}.",
                  highlight=False)


@legacy.command()
def backfill(ctx: typer.Context, mapping: Path = MAPPING, table: Optional[str] = TABLE,
             batch: int = typer.Option(5000, "--batch", min=1, max=20000, help="Keys per transaction.")) -> None:
    """Copy the legacy rows into Steward in resumable batches (stop it any time and start again)."""
    declared = _mapping(mapping)
    with connect(ctx.obj) as svc, progress_bar() as bar:
        task = bar.add_task("Back-filling", total=None)
        report = svc.legacy.backfill(declared, source=table, batch=batch,
                                     progress=lambda done, total: bar.update(task, completed=done, total=total))
    console.print(f"{report.source}: read {report.rows_read:,} rows ({report.keys:,} keys) in {report.seconds:.1f} s "
                  f"({report.rows_per_second:,.0f} rows/s): {report.written:,} written, {report.refused:,} refused, "
                  f"{report.duplicates:,} duplicate rows merged, {report.warnings:,} cell(s) dropped"
                  + (f", {report.skipped:,} moved before" if report.skipped else "")
                  + ("." if report.done else "; stopped before the end: run it again to continue."), highlight=False)
    if report.refused:
        console.print("The refused rows and why: `steward migrate legacy status --refusals`.")


@legacy.command()
def validate(ctx: typer.Context, mapping: Path = MAPPING, table: Optional[str] = TABLE) -> None:
    """Rows read, written, refused (with reasons), pending; per target how many moved rows differ."""
    declared = _mapping(mapping)
    with connect(ctx.obj) as svc, progress_bar(transient=True) as bar:
        task = bar.add_task("Validating", total=None)
        report = svc.legacy.validate(declared, source=table,
                                     progress=lambda done, total: bar.update(task, completed=done, total=total))
    _show_validation(report)
    raise typer.Exit(0 if report.clean else 1)


def _show_validation(report) -> None:
    console.print(f"{report.source}: {report.rows_read:,} rows read ({report.keys:,} keys, {report.duplicates:,} "
                  f"duplicate rows); {report.written:,} written, {report.refused:,} refused, {report.pending:,} not "
                  f"moved yet.", highlight=False)
    differing = {t: n for t, n in report.differences.items() if n}
    console.print("Field by field, moved rows that differ between the legacy row and Steward:"
                  + ("" if differing else " none."))
    for target, n in sorted(report.differences.items()):
        console.print(f"  {target:<45} {n:>8,}", highlight=False)
    for r in report.refusals:
        reasons = "; ".join(f"{e.get('column') or e.get('target')}: {e['reason']}" for e in r["errors"])
        console.print(f"  refused {r['legacy_key']}: {escape(reasons)}", highlight=False)
    if report.refused > len(report.refusals):
        console.print(f"  … and {report.refused - len(report.refusals):,} more refused (table legacy_refusals).")
    console.print("[green]Clean.[/green]" if report.clean else "[yellow]Not clean.[/yellow]")


def _switch(ctx: typer.Context, which: str, state: str, mapping: Optional[Path], table: Optional[str]) -> None:
    from services.errors import ValidationError

    if state not in ("on", "off"):
        raise ValidationError("Say on or off.", errors={"state": "on or off"})
    source = table or (_source(_mapping(mapping), None) if mapping else None)
    if not source:
        raise ValidationError("Name the legacy table (--table) or the mapping (--mapping).", errors={"table": "required"})
    with connect(ctx.obj) as svc:
        move = svc.legacy.switch(source, which, state == "on")
    console.print(f"{source}: dual-write {'on' if move['dual_write'] else 'off'}, read switch "
                  f"{'on' if move['read_switch'] else 'off'}.", highlight=False)


@legacy.command("dual-write")
def dual_write(ctx: typer.Context, state: str = typer.Argument(..., help="on or off"),
               mapping: Optional[Path] = typer.Option(None, "--mapping"), table: Optional[str] = TABLE) -> None:
    """Every write through Steward to a moved customer also updates its legacy row (same transaction)."""
    _switch(ctx, "dual_write", state, mapping, table)


@legacy.command("read-switch")
def read_switch(ctx: typer.Context, state: str = typer.Argument(..., help="on or off"),
                mapping: Optional[Path] = typer.Option(None, "--mapping"), table: Optional[str] = TABLE) -> None:
    """Readers of legacy.<name>_current get Steward's values for moved rows (the legacy row as fallback)."""
    _switch(ctx, "read_switch", state, mapping, table)


@legacy.command()
def status(ctx: typer.Context, mapping: Optional[Path] = typer.Option(None, "--mapping"), table: Optional[str] = TABLE,
           refusals: bool = typer.Option(False, "--refusals", help="List the refused rows with their reasons.")) -> None:
    """Where the move stands."""
    source = table or _source(_mapping(mapping), None) if mapping else table
    with connect(ctx.obj) as svc:
        s = svc.legacy.status(source or "legacy.kunden")
        listed = svc.legacy.refusals(s["source"], 1000) if refusals else []
    console.print(f"{s['source']} ({s['state']}): {s.get('source_rows') or 0:,} rows, {s.get('source_keys') or 0:,} keys; "
                  f"{s['linked']:,} moved, {s['refused']:,} refused; back-fill at key {s['last_key'] or '—'}"
                  + (" (finished)" if s.get("finished_at") else "") + f"; dual-write {'on' if s['dual_write'] else 'off'}, "
                  f"read switch {'on' if s['read_switch'] else 'off'}; last validation "
                  + (f"{str(s['validated_at'])[:19]} ({'clean' if (s.get('validation') or {}).get('clean') else 'not clean'})"
                     if s.get("validated_at") else "none") + ".", highlight=False)
    for r in listed:
        reasons = "; ".join(f"{e.get('column') or e.get('target')}: {e['reason']}" for e in r["errors"])
        console.print(f"  {r['legacy_key']}: {escape(reasons)}", highlight=False)


@legacy.command()
def read(ctx: typer.Context, key: str = typer.Argument(...), table: str = typer.Option("legacy.kunden", "--table")
         ) -> None:
    """A legacy row as its readers see it (legacy.<name>_current)."""
    with connect(ctx.obj) as svc:
        rows = svc.legacy.read(table, key)
    for row in rows:
        console.print({k: v for k, v in row.items()})


@legacy.command()
def reset(ctx: typer.Context, table: str = typer.Option(..., "--table"),
          yes: bool = typer.Option(False, "--yes")) -> None:
    """Undo the back-fill: delete the customers and contacts it made (both switches off first)."""
    if not yes:
        typer.confirm(f"Delete every customer the back-fill of {table} made?", abort=True)
    with connect(ctx.obj) as svc:
        done = svc.legacy.reset(table)
    console.print(f"{table}: {done['customers']:,} customers removed; the back-fill starts from the beginning next time.")


@legacy.command()
def contract(ctx: typer.Context, mapping: Path = MAPPING, table: Optional[str] = TABLE,
             keep_table: bool = typer.Option(False, "--keep-table", help="Keep the legacy table (its dual-write and "
                                                                        "read view go anyway)."),
             accept_refused: bool = typer.Option(False, "--accept-refused", help="Contract although rows were refused "
                                                                                "(they stay behind)."),
             yes: bool = typer.Option(False, "--yes", help="Do not ask.")) -> None:
    """The last step, as the database owner: validate, then remove the legacy path for good."""
    import services
    from services.adapters.database import make_engine
    from services.errors import PreconditionFailed
    from services.service_layer import legacy as legacy_move
    from services.service_layer.facade import owner_url

    declared = _mapping(mapping)
    source = _source(declared, table)
    settings = ctx.obj
    url = owner_url(settings)
    with services.connect(url.render_as_string(hide_password=False), settings=settings, source="cli") as owner:
        report = owner.legacy.validate(declared, source=source)
    _show_validation(report)
    if not report.clean:
        raise PreconditionFailed("Validation is not clean: contract only when every row has moved and none differs.")
    if report.refused and not accept_refused:
        raise PreconditionFailed(f"{report.refused:,} rows were refused; fix them and back-fill again, or add "
                                 "--accept-refused to leave them behind.")
    if not yes:
        answer = typer.prompt(f"This removes the legacy path of {source}"
                              + ("" if keep_table else " and DROPS the table") + " for good. Type the table's name")
        if answer.strip() != source:
            console.print("Not contracted.")
            raise typer.Exit(1)
    engine = make_engine(url, pool_size=1)
    try:
        move = legacy_move.contract(engine, source, keep_table=keep_table)
    finally:
        engine.dispose()
    console.print(f"{source}: contracted at {str(move['contracted_at'])[:19]}"
                  + ("; the table stays." if keep_table else "; the table is gone."), highlight=False)
