"""`steward events`: status, replay, redrive, dead letters and ingest of inbound events (for admins)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer
from rich.markup import escape

from services import formats
from services.entrypoints.cli.common import connect, console, progress_bar
from services.adapters.database import translated_errors
from services.rules.inputs import shown

app = typer.Typer(help="The event outbox and inbox: consumers, dead letters, replay, ingest.", no_args_is_help=True)


@app.command()
def status(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="One JSON object, for scripts.")) -> None:
    """Per consumer: checkpoint, lag in events and seconds, dead letters, repairs."""
    from services.service_layer.events import status as events_status

    with connect(ctx.obj, admins_only="see the event consumers") as svc, translated_errors(), svc.engine.connect() as conn:
        report = events_status.read(conn)
    if as_json:
        typer.echo(json.dumps(asdict(report), default=formats.json_value, indent=2))
        return
    # Plain lines, not a table: names and numbers must survive a narrow terminal or a log file.
    console.print("Consumers (checkpoint: the last event passed, in commit order):", highlight=False)
    for c in report.consumers:
        console.print(f"  {c.name:<15} {_state(c.state)} · {_checkpoint(c)} · lag {c.lag_events:,} events "
                      f"({_duration(c.lag_seconds)}) · dead letters {_count(c.dead_letters)} · passed {c.events_seen:,}"
                      + (f" · repaired {c.repairs:,}" if c.name == "projection_check" else ""), highlight=False)
    console.print(f"Inbox: {report.inbox_pending:,} pending"
                  + (f", oldest waiting {_duration(report.inbox_oldest_seconds)}" if report.inbox_pending else "")
                  + f". Dead letters waiting for a person: {report.dead_letters:,}"
                  + (" (see `steward events dead-letters`, then `steward events redrive`)." if report.dead_letters else "."))
    if report.holding_back:
        console.print(f"[yellow]Held back:[/yellow] {report.holding_back}.")


@app.command()
def replay(ctx: typer.Context,
           consumer: str = typer.Option(..., "--consumer", help="projections, kpis, logistics, contactability, leads, bus"),
           from_: str = typer.Option(..., "--from", help="A position, or an ISO time like 2026-03-01T08:00.")) -> None:
    """Let a consumer read again from a position or a time (it resumes when the daemon runs)."""
    from services.service_layer.events.replay import parse_point, replay as do_replay

    point = parse_point(from_)
    with connect(ctx.obj, admins_only="replay events") as svc, translated_errors(), svc.engine.begin() as conn:
        result = do_replay(conn, consumer, point)
    if result.checkpoint is None:
        console.print(f"{consumer}: {result.events:,} inbound event(s) from {from_} are pending again.")
        return
    was = f"position {result.previous[1]:,} / txid {result.previous[0]}" if result.previous else "not started"
    console.print(f"{consumer}: checkpoint moved from {was} to just before position {result.checkpoint[1] + 1:,} "
                  f"(txid {result.checkpoint[0]}); {result.events:,} event(s) will be consumed again.")


@app.command()
def redrive(ctx: typer.Context,
            consumer: str = typer.Option(None, "--consumer", help="Only this consumer's dead letters."),
            letter: list[int] = typer.Option(None, "--id", help="Only these dead letters (repeatable).")) -> None:
    """Put dead letters back: outbound ones to their consumer, inbound ones into the inbox."""
    from services.service_layer.events import dead_letters

    with connect(ctx.obj, admins_only="redrive dead letters") as svc, translated_errors(), svc.engine.begin() as conn:
        report = dead_letters.redrive(conn, consumer=consumer, ids=letter or None)
    console.print(f"Redriven: {report.outbound:,} outbound dead letter(s) go back to their consumer, "
                  f"{report.inbound:,} inbound event(s) back into the inbox.")
    if report.not_redrivable:
        console.print(f"{report.not_redrivable:,} line(s) were not JSON and cannot be redriven: fix them and "
                      f"run `steward events ingest` again, then `steward events discard --id ...` the old letters.")
    if report.already_received:
        ids = " ".join(f"--id {letter_id}" for letter_id in report.already_received)
        console.print(f"{len(report.already_received):,} inbound dead letter(s) stay: their event id is in the "
                      f"inbox again (received anew since), and it must not run twice. Close them with "
                      f"`steward events discard {ids}`.")


@app.command()
def discard(ctx: typer.Context,
            letter: list[int] = typer.Option(..., "--id", help="A dead letter to close (repeatable).")) -> None:
    """Give up on dead letters for good (they stay on record, closed)."""
    from services.service_layer.events import dead_letters

    with connect(ctx.obj, admins_only="discard dead letters") as svc, translated_errors(), svc.engine.begin() as conn:
        closed = dead_letters.discard(conn, letter)
    console.print(f"Discarded {closed} of {len(letter)} dead letter(s); the others were not waiting.")


@app.command("dead-letters")
def dead_letters_(ctx: typer.Context,
                  closed: bool = typer.Option(False, "--all", help="Include redriven and delivered ones."),
                  limit: int = typer.Option(200, "--limit", min=1, max=10_000)) -> None:
    """List dead letters with their reasons, newest first."""
    from services.service_layer.events import dead_letters

    with connect(ctx.obj, admins_only="read dead letters") as svc, translated_errors(), svc.engine.connect() as conn:
        letters = dead_letters.listing(conn, include_closed=closed, limit=limit)
    if not letters:
        console.print("No dead letters.")
    for d in letters:
        console.print(f"#{d.id} {d.consumer} ({d.direction}) {_printable(d.event_type or 'no type')} "
                      f"{d.event_id or ''} from {_printable(d.origin or 'the outbox')} · {d.state} · "
                      f"{d.attempts} attempt(s) · {formats.current().moment(d.failed_at)} · {_printable(d.reason)}",
                      markup=False, highlight=False)


@app.command()
def ingest(ctx: typer.Context, file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                                                             help="One JSON envelope per line."),
           only_problems: bool = typer.Option(False, "--only-problems",
                                              help="List only the lines that went to dead letters.")) -> None:
    """Queue inbound events (email.bounce, lead.converted) from a JSON Lines file."""
    from services.service_layer.events.inbox import ACCEPTED, DEAD
    from services.service_layer.events.ingest import ingest as do_ingest, read_lines

    name = _printable(file.name)
    # Read as bytes: whatever a line holds, receive() judges it, no decoding error escapes.
    with connect(ctx.obj, admins_only="ingest inbound events") as svc, translated_errors(), progress_bar() as bar, file.open("rb") as stream:
        task = bar.add_task(f"Ingesting {escape(name)}", total=_count_lines(file))
        report = do_ingest(svc.engine, read_lines(stream), name, progress=lambda n: bar.advance(task, n))
    for r in report.results:
        if r.outcome == DEAD:
            console.print(f"line {r.line}: [red]dead letter[/red] — {escape(_printable(r.reason or ''))}",
                          highlight=False)
        elif only_problems:
            continue
        elif r.outcome == ACCEPTED:
            again = f" ({r.reason})" if r.reason else ""
            console.print(f"line {r.line}: accepted {r.type} {r.event_id}{again}", markup=False, highlight=False)
        else:
            console.print(f"line {r.line}: already received, skipped — {_printable(r.type or 'no type')} "
                          f"{r.event_id}", markup=False, highlight=False)
    lines = len(report.results)
    console.print(f"{name}: {lines:,} {'line' if lines == 1 else 'lines'} — {report.accepted:,} accepted, "
                  f"{report.dead:,} dead-lettered, {report.duplicates:,} already received.",
                  markup=False, highlight=False)


def _count_lines(file: Path) -> int:
    """For the progress bar, without holding the file (or one of its lines) in memory."""
    lines, last = 0, b"\n"
    with file.open("rb") as stream:
        while block := stream.read(1 << 20):
            lines, last = lines + block.count(b"\n"), block[-1:]
    return lines + (last != b"\n")


def _printable(text: str) -> str:
    """Text from outside (file names, event types in reasons) as the terminal should show it:
    control characters such as ESC escaped, not obeyed; nothing the terminal cannot encode."""
    text = shown(text)
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def _state(state: str) -> str:
    return "[green]active[/green]" if state == "active" else f"[yellow]{state}[/yellow]"


def _checkpoint(c) -> str:
    if c.position is None:
        return "no checkpoint yet"
    if c.stream == "inbox":
        return f"last inbox row {c.position:,}"
    when = f", event time {formats.current().moment(c.last_event_time)}" if c.last_event_time else ""
    return f"checkpoint position {c.position:,} (txid {c.txid}{when})"


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _count(n: int) -> str:
    return f"[red]{n:,}[/red]" if n else "0"
