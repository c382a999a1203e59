"""`steward import FILE`: a customer list (CSV or XLSX) as one change set, previewed first.

    steward import messe.csv --mapping messe.mapping.toml --mode upsert --match external_ref [--dry-run]

The report is the preview's: how many rows create, update or leave a customer unchanged,
the values that change (old → new) and every error with row, column and reason. An
import with errors writes nothing unless --skip-errors. A run that was killed continues
where it stopped when started again with the same file (or --resume ID).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import typer

from services.entrypoints.cli.common import connect, console, count, progress_bar

SHOWN = 20    # rows of changes and errors the report lists (--show for more)


def register(app: typer.Typer) -> None:
    @app.command(name="import")
    def import_(ctx: typer.Context,
                file: Path = typer.Argument(..., help="The customer list: .csv (any separator, UTF-8 or Windows-1252) "
                                                      "or .xlsx."),
                mapping: Optional[Path] = typer.Option(None, "--mapping", help="The mapping (TOML or JSON; see "
                                                       "resources/legacy/kunden.mapping.toml). Default: the one saved "
                                                       "for files of this shape, else one suggested from the headings."),
                mode: str = typer.Option("upsert", "--mode", help="create, update or upsert."),
                match: str = typer.Option("external_ref", "--match", help="external_ref, email, phone or name_city."),
                dry_run: bool = typer.Option(False, "--dry-run", help="Show the report; write nothing."),
                skip_errors: bool = typer.Option(False, "--skip-errors", help="Import the good rows; leave out rows "
                                                 "with errors (default: any error refuses the import)."),
                resume: Optional[str] = typer.Option(None, "--resume", help="Continue this unfinished import "
                                                     "(default: the unfinished import of the same file, if any)."),
                show: int = typer.Option(SHOWN, "--show", min=0, help="Rows of changes and errors to list."),
                as_json: bool = typer.Option(False, "--json", help="The report as one JSON document.")) -> None:
        """Import customers from a spreadsheet: preview (rows to create, to update with old → new,
        errors with row and column), then write it as one change set that undo takes back."""
        with connect(ctx.obj) as svc:
            table = svc.imports.read(file)
            declared: Any = mapping
            if mapping is None:
                declared = svc.imports.suggest_mapping(table)
                if not as_json:
                    console.print(f"Mapping: the one saved for files of this shape, or suggested from the headings "
                                  f"({_targets(declared)}).", highlight=False)
            with progress_bar(transient=True) as bar:
                task = bar.add_task("Checking", total=len(table))
                preview = svc.imports.preview(table, declared, mode=mode, match=match,
                                              progress=lambda done, total: bar.update(task, completed=done))
            if as_json and dry_run:
                typer.echo(json.dumps(_preview_json(preview), indent=2, default=str))
                return
            if not as_json:
                show_preview(preview, show)
            if dry_run:
                console.print("Dry run: nothing was written.")
                return
            if not preview.ok and not skip_errors:
                from services.service_layer.imports import refusal

                raise refusal(preview.file, preview.errors)
            unfinished = resume or svc.imports.find_unfinished(table, mode=mode, match=match)
            if unfinished is not None and not as_json:
                console.print(f"Continuing the unfinished import {getattr(unfinished, 'id', unfinished)}.")
            with progress_bar() as bar:
                task = bar.add_task("Importing", total=len(table))
                run = svc.imports.run(table, declared, mode=mode, match=match,
                                      on_error="skip" if skip_errors else "refuse", preview=preview,
                                      change_set=getattr(unfinished, "id", unfinished),
                                      progress=lambda done, total: bar.update(task, completed=done))
            if as_json:
                typer.echo(json.dumps({"preview": _preview_json(preview), "change_set": str(run.id),
                                       "created": run.created, "updated": run.updated, "unchanged": run.unchanged,
                                       "skipped": run.skipped, "refused": len(run.row_errors),
                                       "seconds": round(run.seconds, 2)}, indent=2))
                return
            console.print(f"Imported {preview.file}: {count(run.created, 'customer')} created, {run.updated:,} updated, "
                          f"{run.unchanged:,} unchanged"
                          + (f", {count(len(run.row_errors), 'row')} left out" if run.row_errors else "")
                          + (f", {run.skipped:,} done before" if run.skipped else "")
                          + f" in {run.seconds:.1f} s. Change set {run.id} (undo: the desktop's history).",
                          highlight=False)


def show_preview(preview, show: int = SHOWN) -> None:
    """The report: counts, changes (old → new), errors with row and column."""
    console.print(f"{preview.file}: {count(len(preview.rows), 'row')}: {preview.count('create'):,} to create, "
                  f"{preview.count('update'):,} to update, {preview.count('unchanged'):,} unchanged, "
                  f"{preview.count('error'):,} with errors ({preview.mode} by {preview.match}).", highlight=False)
    if preview.ignored_columns:
        console.print(f"Columns not imported: {', '.join(preview.ignored_columns)}.", highlight=False)
    listed = 0
    for row in preview.rows:
        if row.action not in ("update", "create") or listed >= show:
            continue
        listed += 1
        if row.action == "create":
            console.print(f"  row {row.row}: new customer {row.name}" + (f", {count(row.contacts, 'contact')}" if row.contacts else ""),
                          highlight=False)
            continue
        changes = "; ".join(f"{c.key}: {_text(c.old)} → {_text(c.new)}" for c in row.changes)
        extra = f"; {count(row.contacts, 'new contact')}" if row.contacts else ""
        console.print(f"  row {row.row}: update {row.name} ({row.customer_id}): {changes or 'new contacts'}{extra}", highlight=False)
    errors = preview.errors
    for e in errors[:show]:
        console.print(f"  [red]row {e.row}, column {e.column or e.target}:[/red] {e.reason}", highlight=False)
    if len(errors) > show:
        console.print(f"  … and {len(errors) - show:,} more errors (--show N lists more).")
    for w in preview.warnings[:show]:
        console.print(f"  [yellow]row {w.row}, column {w.column or w.target}:[/yellow] {w.reason} (left out)",
                      highlight=False)


def _text(value: Any) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _targets(declared: dict) -> str:
    customer = ", ".join(f"{k} ← {v if isinstance(v, str) else v.get('column') or v.get('default')}"
                         for k, v in (declared.get("customer") or {}).items())
    fields = ", ".join(declared.get("fields") or {})
    return customer + (f"; fields {fields}" if fields else "")


def _preview_json(preview) -> dict:
    return {"file": preview.file, "mode": preview.mode, "match": preview.match,
            "counts": {a: preview.count(a) for a in ("create", "update", "unchanged", "error")},
            "rows": [{"row": r.row, "action": r.action, "customer_id": str(r.customer_id) if r.customer_id else None,
                      "changes": [{"target": c.target, "key": c.key, "old": c.old, "new": c.new} for c in r.changes],
                      "contacts": r.contacts,
                      "errors": [{"column": e.column, "target": e.target, "reason": e.reason} for e in r.errors]}
                     for r in preview.rows]}
