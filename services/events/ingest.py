"""`steward events ingest FILE.jsonl`: queue inbound events, one JSON envelope per line.

Each line is checked as the daemon would check it: a good one is queued in the
inbox for the daemon; a bad one goes to the dead letters with its reason (and,
when it is JSON, into the inbox as handled, so that a redrive can queue it
again). Whether a good event refers to an existing customer is the daemon's
to find out. Lines are written in chunks, each one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from services.events import dead_letters, inbox
from services.events.consumers import inbound_consumers
from services.events.envelopes import Rejected, parse_json
from services.events.options import DaemonOptions

CHUNK = 500


@dataclass(frozen=True)
class LineResult:
    line: int
    accepted: bool
    type: str | None
    event_id: str | None
    reason: str | None = None   # why it went to the dead letters


@dataclass(frozen=True)
class IngestReport:
    results: tuple[LineResult, ...]

    @property
    def accepted(self) -> int:
        return sum(r.accepted for r in self.results)

    @property
    def dead(self) -> int:
        return len(self.results) - self.accepted


def ingest(engine: Engine, lines: Iterable[str], source: str, *,
           progress: Callable[[int], None] | None = None) -> IngestReport:
    """Queue the lines (blank ones skipped); `progress(n)` after each chunk of n lines."""
    consumers = inbound_consumers(DaemonOptions())
    results: list[LineResult] = []
    chunk: list[tuple[int, str]] = []
    for number, text in enumerate(lines, 1):
        if text.strip():
            chunk.append((number, text))
        if len(chunk) >= CHUNK:
            results += _write(engine, chunk, source, consumers)
            if progress:
                progress(len(chunk))
            chunk = []
    if chunk:
        results += _write(engine, chunk, source, consumers)
        if progress:
            progress(len(chunk))
    return IngestReport(tuple(results))


def _write(engine: Engine, chunk: list[tuple[int, str]], source: str, consumers) -> list[LineResult]:
    results = []
    with engine.begin() as conn:
        for number, text in chunk:
            origin = f"{source}:{number}"
            try:
                envelope = parse_json(text)
            except Rejected as exc:
                dead_letters.record_inbound(conn, inbox.TRIAGE, exc.reason, raw=text.rstrip("\n")[:100_000], origin=origin)
                results.append(LineResult(number, False, None, None, exc.reason))
                continue
            kind = envelope.get("type") if isinstance(envelope, dict) else None
            event_id = envelope.get("id") if isinstance(envelope, dict) else None
            owner = next((c.name for c in consumers if c.type == kind), inbox.TRIAGE)
            try:
                inbox.validate(envelope, consumers)
            except Rejected as exc:
                inbox.add(conn, envelope, origin, dead_reason=exc.reason, consumer=owner)
                results.append(LineResult(number, False, _short(kind), _short(event_id), exc.reason))
                continue
            inbox.add(conn, envelope, origin)
            results.append(LineResult(number, True, kind, str(event_id)))
    return results


def _short(value) -> str | None:
    return str(value)[:100] if value is not None else None
