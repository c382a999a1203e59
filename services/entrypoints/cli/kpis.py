"""`steward kpis`: the cockpit's numbers without a window, and the aggregates behind them."""

from __future__ import annotations

import json
import statistics
import time

import typer
from rich import box
from rich.table import Table

from services import formats
from services.entrypoints.cli.common import connect, console, progress_bar
from services.adapters.database import make_engine, translated_errors
from services.errors import Forbidden
from services.service_layer.facade import owner_url
from services.service_layer.kpis import aggregates
from services.service_layer.kpis.period import PERIOD_HELP, parse_period
from services.rules import calendar

FORMATS = ("table", "csv", "json")
_SOURCE_NAMES = {"slices": "daily aggregates", "regions": "daily aggregates (region totals)", "base": "base tables"}

app = typer.Typer(
    help="KPIs of the cockpit: sample success rate, ROI pipeline, commitment levels, SLA adherence.\n\n"
         "Counts only the customers you may read. Examples: `steward kpis --period 2026-Q4 --by owner`, "
         "`steward kpis --period last-30d --format csv > kpis.csv`.",
    invoke_without_command=True,
)


@app.callback()
def show(
    ctx: typer.Context,
    period: str = typer.Option("last-90d", "--period", "-p", help=PERIOD_HELP),
    by: str = typer.Option("region", "--by", help="Lines of the success rate: region, owner or chain."),
    grain: str = typer.Option("month", "--grain", help="Points of the success rate: week or month."),
    top: int = typer.Option(12, "--top", min=0, help="Lines of the success rate: the groups with the most "
                                                    "feedbacks (0: all)."),
    output: str = typer.Option("table", "--format", "-f", help="table, csv (one table, a column `report` "
                                                                 "says which) or json."),
    region: str | None = typer.Option(None, "--region", help="Only this region (code, e.g. NORTH)."),
    owner: str | None = typer.Option(None, "--owner", help="Only this owner (login or id)."),
    chain: str | None = typer.Option(None, "--chain", help="Only this chain (id)."),
    source: str = typer.Option("auto", "--source", help="auto (the aggregates when current), aggregates, slices, "
                                                        "regions or base."),
) -> None:
    """Print the KPIs for a period."""
    if ctx.invoked_subcommand is not None:
        return
    if output not in FORMATS:
        raise typer.BadParameter(f"must be one of {', '.join(FORMATS)}", param_hint="--format")
    span = parse_period(period, today=calendar.today())
    filters = {"region": region.upper() if region else None, "owner": owner, "chain_id": chain, "source": source}
    with connect(ctx.obj) as svc:
        success = svc.kpis.sample_success(span.first, span.last, grain=grain, by=by, top=top or None, **filters)
        pipeline = svc.kpis.roi_pipeline(span.first, span.last, **filters)
        slas = svc.kpis.sla_adherence(span.first, span.last, **filters)
    frames = {
        "sample_success": success.to_frame(),
        "roi_pipeline": pipeline.to_frame(),
        "commitment_levels": pipeline.commitments_frame(),
        "sla_adherence": slas.to_frame(),
    }
    if output == "csv":
        import pandas as pd

        # object columns keep counts as integers where another report leaves the cell empty
        tables = [frame.astype(object).assign(report=name)[["report", *frame.columns]] for name, frame in frames.items()]
        typer.echo(pd.concat(tables, ignore_index=True).to_csv(index=False), nl=False)
    elif output == "json":
        document = {"period": {"from": span.first.isoformat(), "to": span.last.isoformat()}, "by": by,
                    "grain": grain, "groups": success.groups, "source": success.source,
                    "as_of": formats.machine_time(success.as_of),
                    **{name: frame.astype(object).to_dict(orient="records") for name, frame in frames.items()}}
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False, default=formats.json_value))
    else:
        _print_tables(span, success, pipeline, slas, words=lambda code: svc.catalog.label(code, language="en"))


@app.command()
def rebuild(ctx: typer.Context) -> None:
    """Recompute the KPI aggregates from the base tables (admins: on the embedded database; on a
    shared server the database owner's or the daemon's login)."""
    settings = ctx.obj
    with connect(settings, admins_only="rebuild the KPI aggregates") as svc:
        person = svc.actor.type == "user"
    if person and not settings.embedded:
        # The aggregates are written set-based around the write API; on a shared server only
        # the logins that own or maintain them do that.
        raise Forbidden("On a shared server the KPI aggregates are rebuilt with the database owner's login or "
                        "the daemon's: `steward --database-url postgresql://OWNER@HOST/DB kpis rebuild`.")
    with progress_bar() as bar:
        task = bar.add_task("Rebuilding KPI aggregates", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        if person:   # the embedded database: its owner is this machine's user
            engine = make_engine(owner_url(settings), pool_size=1, application_name="steward-cli")
            try:
                with translated_errors():
                    report = aggregates.rebuild_all(engine, progress)
            finally:
                engine.dispose()
        else:
            with connect(settings) as svc:
                report = svc.kpis.rebuild(progress=progress)
    console.print(f"Rebuilt the KPI aggregates in {report.customer_batches} batches and {report.seconds:.1f} s "
                  f"({formats.current().number(report.rows_written)} rows written).")


@app.command()
def status(ctx: typer.Context) -> None:
    """Whether the KPI aggregates are built and how far behind the events they are."""
    with connect(ctx.obj) as svc:
        state = svc.kpis.status()
    if not state.present:
        console.print("The KPI aggregates are not built: reports read the base tables. "
                      "Run `steward kpis rebuild` as the database owner.")
        raise typer.Exit(1)
    behind = f"behind since {_clock(state.pending_since)}" if state.pending_since else "current"
    console.print(f"Built {_clock(state.built_at)}; last brought up to date {_clock(state.applied_at)}; {behind}.")


@app.command()
def timings(
    ctx: typer.Context,
    period: str = typer.Option("last-90d", "--period", "-p", help=PERIOD_HELP),
    repeat: int = typer.Option(7, "--repeat", min=1, max=100, help="Calls per report; the median and the slowest are shown."),
    source: str = typer.Option("auto", "--source", help="auto, aggregates, slices, regions or base."),
) -> None:
    """Time every KPI report and focus list as you (wall time of the service call, in ms)."""
    span = parse_period(period, today=calendar.today())
    with connect(ctx.obj) as svc:
        k = svc.kpis
        calls = {
            **{f"sample_success {grain} by {by}": (lambda g=grain, b=by: k.sample_success(
                span.first, span.last, grain=g, by=b, source=source)) for grain in ("week", "month")
               for by in ("region", "owner", "chain")},
            "roi_pipeline + commitments": lambda: k.roi_pipeline(span.first, span.last, source=source),
            "sla_adherence": lambda: k.sla_adherence(span.first, span.last, source=source),
            "focus_overdue_slas": k.focus_overdue_slas,
            "focus_due_soon_slas": k.focus_due_soon_slas,
            "focus_delivered_without_feedback": k.focus_delivered_without_feedback,
            "focus_renewals": k.focus_renewals,
            "focus_season_openings": k.focus_season_openings,
        }
        table = _table("report", "median ms", "max ms", "source", title=f"KPI timings as {svc.actor.login}, {span}")
        for name, call in calls.items():
            seconds = []
            for _ in range(repeat):
                started = time.perf_counter()
                result = call()
                seconds.append(time.perf_counter() - started)
            table.add_row(name, f"{statistics.median(seconds) * 1000:.1f}", f"{max(seconds) * 1000:.1f}",
                          getattr(result, "source", "projection"))
    console.print(table)


def _print_tables(span, success, pipeline, slas, words) -> None:
    f = formats.current()
    console.print(f"KPIs for {f.day(span.first)} – {f.day(span.last)} "
                  f"(from the {_SOURCE_NAMES[success.source]} as of {_clock(success.as_of)})", highlight=False)
    shown = len({p.key for p in success.points})
    lines = f"; the {shown} of {success.groups} with the most feedbacks" if shown < success.groups else ""
    table = _table(success.grain, success.by, "n", "rate", "95 % band", "success", "neutral", "fail",
                   title=f"Sample success rate per {success.grain} (n: feedbacks{lines})")
    # A name may wrap at its spaces where the terminal is narrow, but no word of it is cut.
    table.columns[1].justify = "left"
    table.columns[1].min_width = max([len(w) for p in success.points for w in p.label.split()] or [1])
    for column in table.columns[2:5]:
        column.no_wrap = True
    for p in success.points:
        band = f"{f.percent(p.low)}–{f.percent(p.high)}" if p.low is not None else ""
        table.add_row(f.period(p.period, success.grain), p.label, f.number(p.n), f.percent(p.rate), band, f.number(p.success),
                      f.number(p.neutral), f.number(p.fail))
    console.print(table)
    table = _table("bucket", "customers", "per month", title="ROI pipeline (now)")
    for b in pipeline.buckets:
        table.add_row(words(b.bucket), f.number(b.customers), f.money(b.value_per_month))
    console.print(table)
    table = _table("commitment", "consultations", "savings per month", title="Commitment levels of ROI consultations")
    for c in pipeline.commitments:
        table.add_row(words(c.level), f.number(c.consultations), f.money(c.savings_per_month))
    console.print(table)
    table = _table("activity kind", "met on time", "met late", "open", "overdue", "on time",
                  title="SLA adherence (by due date)")
    for k in slas.kinds:
        table.add_row(k.label, f.number(k.on_time), f.number(k.late), f.number(k.open), f.number(k.overdue),
                      f.percent(k.rate))
    console.print(table)


def _table(*columns: str, title: str) -> Table:
    table = Table(*columns, title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    table.columns[0].no_wrap = True   # a date or a bucket: never cut short
    for column in table.columns:
        column.min_width = len(str(column.header))   # headers are never cut either
    for column in table.columns[1:]:
        column.justify = "right"
    return table


def _clock(moment) -> str:
    return formats.current().moment(moment) if moment else "never"
