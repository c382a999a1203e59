"""`steward duplicates`: find the same customer twice, say a pair is none, merge customers."""

from __future__ import annotations

import csv
import io
import json

import typer
from rich import box
from rich.table import Table

from services import formats
from services.entrypoints.cli.common import connect, console, count, progress_bar
from services.errors import ValidationError
from services.rules import duplicates as rules

FORMATS = ("table", "csv", "json")

app = typer.Typer(help="Duplicate customers: scan with combinable rules, dismiss a pair, merge (undo: "
                       "the merge's change set). Only the customers you may read are scanned, and you "
                       "merge only those you may change.")


@app.command("scan")
def scan(
    ctx: typer.Context,
    rule_names: str = typer.Option(",".join(rules.DEFAULT_RULES), "--rules",
                                   help=f"Comma-separated, any of: {', '.join(rules.RULES)}."),
    threshold: float = typer.Option(rules.DEFAULT_THRESHOLD, "--threshold",
                                    help="Fuzzy name similarity, 50–100."),
    region: str | None = typer.Option(None, "--region", help="Only customers of this region (code)."),
    owner: str | None = typer.Option(None, "--owner", help="Only customers of this owner (login or id)."),
    output: str = typer.Option("table", "--format", "-f", help="table, csv (one line per pair) or json."),
) -> None:
    """Candidate duplicates, by score, grouped, with the rules that matched each pair."""
    if output not in FORMATS:
        raise typer.BadParameter(f"must be one of {', '.join(FORMATS)}", param_hint="--format")
    with connect(ctx.obj) as svc:
        with progress_bar(transient=True) as bar:
            task = bar.add_task("Reading customers", total=None)
            result = svc.duplicates.scan(rules=rule_names, threshold=threshold,
                                         region=region.upper() if region else None, owner=owner,
                                         progress=lambda done, total: bar.update(task, completed=done, total=total))
    names = {c.id: c for g in result.groups for c in g.customers}
    if output == "json":
        document = {"scanned": result.scanned, "rules": list(result.rules), "threshold": result.threshold,
                    "groups": [{"score": g.score, "reasons": list(g.reasons),
                                "customers": [{"id": str(c.id), "name": c.name, "city": c.city, "region": c.region,
                                               "owner": c.owner_name} for c in g.customers],
                                "pairs": [{"a": str(p.a), "b": str(p.b), "score": p.score, "reasons": p.reasons}
                                          for p in g.pairs]} for g in result.groups]}
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
    elif output == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["group", "score", "reasons", "a", "a_name", "a_city", "b", "b_name", "b_city"])
        for n, g in enumerate(result.groups, 1):
            for p in g.pairs:
                a, b = names[p.a], names[p.b]
                writer.writerow([n, p.score, " ".join(p.reasons), p.a, _cell(a.name), _cell(a.city), p.b,
                                 _cell(b.name), _cell(b.city)])
        typer.echo(out.getvalue(), nl=False)
    else:
        table = Table(box=box.SIMPLE_HEAD, title=f"{count(len(result.groups), 'group')} among "
                                                 f"{count(result.scanned, 'customer')} ({', '.join(result.rules)})")
        for column in ("#", "score", "why", "customer", "city", "owner", "id"):
            table.add_column(column, justify="right" if column in ("#", "score") else "left")
        fmt = formats.current()
        for n, g in enumerate(result.groups, 1):
            for i, c in enumerate(g.customers):
                table.add_row(str(n) if i == 0 else "", fmt.number(g.score, 2) if i == 0 else "",
                              ", ".join(g.reasons) if i == 0 else "", c.name, c.city or "", c.owner_name or "",
                              str(c.id), end_section=i == len(g.customers) - 1)
        console.print(table)


@app.command("dismiss")
def dismiss(ctx: typer.Context, a: str = typer.Argument(..., help="A customer id."),
            b: str = typer.Argument(..., help="The other customer's id.")) -> None:
    """Remember that two customers are not the same: no scan offers the pair again."""
    with connect(ctx.obj) as svc:
        svc.duplicates.dismiss(a, b)
    console.print("Dismissed: the scan will not offer this pair again.")


@app.command("merge")
def merge(
    ctx: typer.Context,
    survivor: str = typer.Argument(..., help="The customer that stays (its id)."),
    others: list[str] = typer.Argument(..., help="The customers merged into it (ids)."),
    pick: list[str] = typer.Option([], "--pick", help="KEY=ID: the value of this field (name, city, "
                                                      "external_ref or a field key) comes from customer ID."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what would move and change; write nothing."),
) -> None:
    """Merge customers into a survivor: every sample, activity, SLA, ROI scenario and contact link
    moves to it; the others stay as tombstones pointing to it. Undo takes it back."""
    choice = {}
    for item in pick:
        key, sep, cid = item.partition("=")
        if not sep or not key or not cid:
            raise ValidationError(f"--pick {item!r}: give KEY=ID.", errors={"pick": "KEY=ID"})
        choice[key.strip()] = cid.strip()
    with connect(ctx.obj) as svc:
        result = svc.duplicates.merge(survivor, others, pick=choice, dry_run=dry_run)
    fmt = formats.current()
    console.print(("Dry run — nothing was written. " if result.dry_run else "Merged. ")
                  + f"{count(len(result.others), 'customer')} into {result.survivor}:")
    for table, n in result.moved.items():
        console.print(f"  {table}: {fmt.number(n)} moved" + (f" (e.g. {', '.join(result.samples.get(table, ())[:3])})"
                                                           if result.samples.get(table) else ""))
    if result.kept_links:
        console.print(f"  contact links the survivor has already: {fmt.number(result.kept_links)} (stay on the merged)")
    for change in (*result.master, *result.fields):
        console.print(f"  {change['key']}: {json.dumps(change['before'], ensure_ascii=False)} → "
                      f"{json.dumps(change['after'], ensure_ascii=False)}")
    if result.change_set is not None:
        console.print(f"Change set {result.change_set.id} (undo it in the desktop's history of changes).")


def _cell(value: str | None) -> str:
    """A text cell a spreadsheet shows as text: a leading =, +, - or @ would be read as a formula."""
    value = value or ""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
