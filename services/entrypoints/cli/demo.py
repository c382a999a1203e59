"""`steward demo`: load realistic demo data, fast, and say what was loaded."""

from __future__ import annotations

import typer
from rich.table import Table

from services import formats
from services.adapters import schema
from services.adapters.database import make_engine, translated_errors
from services.entrypoints import demo
from services.entrypoints.cli.common import console, progress_bar
from services.pack import load_pack
from services.service_layer import people
from services.service_layer.facade import owner_url

PHASES = {
    "people": "Sales team", "plan": "Planning", "accounts": "Customers", "contacts": "Contacts",
    "contact_roles": "Contact roles", "field_values": "Field values", "sample_request": "Samples",
    "sample_item": "Sample items", "sample_status_history": "Sample histories", "roi_scenarios": "ROI scenarios",
    "activities": "Activities", "slas": "SLAs", "projection": "Hot projection", "indexes": "Indexes and keys",
    "analyze": "Vacuum and analyze", "search words": "Search words", "cockpit aggregates": "Cockpit aggregates",
}

SLA_LABELS = {"open": "open", "overdue": "  of these overdue", "met_on_time": "met on time", "met_late": "met late",
              "closed": "closed (dropped)"}


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo_command(
        ctx: typer.Context,
        customers: int = typer.Option(10_000, "--customers", "-n", help="How many customers (chains, locations and single sites)."),
        seed: int = typer.Option(42, "--seed", help="The same seed gives the same data (on the same day)."),
        replace: bool = typer.Option(False, "--replace", help="Empty the customer data first (people and reference data stay)."),
    ) -> None:
        """Load demo customers with samples, activities and SLAs (bulk COPY, no customer events)."""
        settings = ctx.obj
        url = owner_url(settings)
        engine = make_engine(url, pool_size=2, application_name="steward-demo")
        try:
            with translated_errors():
                schema.ensure_current(engine, url, may_upgrade=settings.embedded or schema.can_migrate(engine))
                if settings.embedded:
                    people.ensure_demo_people(engine)
                with progress_bar() as bar:
                    tasks: dict[str, int] = {}

                    def progress(phase: str, done: int, total: int) -> None:
                        if phase not in tasks:
                            tasks[phase] = bar.add_task(PHASES.get(phase, phase), total=max(total, 1))
                        bar.update(tasks[phase], completed=done)

                    summary = demo.load(engine, customers, seed, replace=replace, progress=progress)
        finally:
            engine.dispose()
        _print(summary)


def _print(s: demo.DemoSummary) -> None:
    f = formats.current()
    console.print(f"Loaded {f.number(s.customers)} customers in {s.seconds:.1f} s: {f.number(s.chains)} chains with "
                  f"{f.number(s.locations)} locations and {f.number(s.single_sites)} single sites; "
                  f"{f.number(s.contacts)} contacts, {f.number(s.field_values)} field values, "
                  f"{f.number(s.roi_scenarios)} ROI scenarios.", highlight=False)
    pack = load_pack()
    kinds = {k.kind: k.label for k in pack.activity_kinds}
    # The CLI speaks English; the words are the pack's (never its codes).
    words = {"People": pack.words.label, "Samples": pack.words.label, "Activities": lambda c: kinds.get(c, c),
             "SLAs": lambda c: SLA_LABELS.get(c, c)}
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    for title, counts in (("People", s.people), ("Samples", s.samples), ("Activities", s.activities),
                          ("SLAs", s.slas)):
        table.add_row(f"[bold]{title}[/bold]", f.number(sum(counts.values())) if title != "SLAs" else "")
        for name, n in counts.items():
            table.add_row(f"  {words[title](name)}", f.number(n))
    console.print(table)
    console.print(s.note)
