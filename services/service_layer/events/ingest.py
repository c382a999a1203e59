"""`steward events ingest FILE.jsonl`: queue inbound events, one JSON envelope per line.

Each line goes through inbox.receive(), the one door for envelopes (POST /events will
use it too): a good one is queued for the daemon, one whose id was already received is
skipped, and anything else goes to the dead letters with its reason and line number,
whatever bytes the line holds. Each line has its own savepoint, so none takes its
neighbours down with it; lines are written in chunks, each one transaction. Whether a
good event refers to an existing customer is the daemon's to find out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy.engine import Engine

from services.service_layer.events import inbox
from services.service_layer.events.consumers import inbound_consumers
from services.service_layer.events.envelopes import MAX_BYTES
from services.service_layer.events.options import DaemonOptions

CHUNK = 500


@dataclass(frozen=True)
class LineResult:
    line: int
    outcome: str                # inbox.ACCEPTED, DUPLICATE or DEAD
    type: str | None
    event_id: str | None
    reason: str | None = None   # why it went to the dead letters


@dataclass(frozen=True)
class IngestReport:
    results: tuple[LineResult, ...]

    @property
    def accepted(self) -> int:
        return self._count(inbox.ACCEPTED)

    @property
    def dead(self) -> int:
        return self._count(inbox.DEAD)

    @property
    def duplicates(self) -> int:
        return self._count(inbox.DUPLICATE)

    def _count(self, outcome: str) -> int:
        return sum(r.outcome == outcome for r in self.results)


def read_lines(stream: BinaryIO) -> Iterator[bytes]:
    """The lines of a file opened as bytes (split at \\n only, as JSON Lines are), without their
    line ends. A line longer than an envelope may be comes cut short after MAX_BYTES + 1 bytes,
    which receive() refuses, so no line, however long, is held in memory whole."""
    while line := stream.readline(MAX_BYTES + 1):
        if not line.endswith(b"\n") and len(line) > MAX_BYTES:
            rest = line
            while rest and not rest.endswith(b"\n"):
                rest = stream.readline(MAX_BYTES)
        yield line.removesuffix(b"\n").removesuffix(b"\r")


def ingest(engine: Engine, lines: Iterable[bytes | str], source: str, *,
           progress: Callable[[int], None] | None = None) -> IngestReport:
    """Receive the lines (blank ones skipped); `progress(n)` after each chunk, n lines read."""
    consumers = inbound_consumers(DaemonOptions())
    results: list[LineResult] = []
    chunk: list[tuple[int, bytes | str]] = []
    read = 0
    for number, raw in enumerate(lines, 1):
        read += 1
        if raw.strip():
            chunk.append((number, raw))
        if len(chunk) >= CHUNK:
            results += _write(engine, chunk, source, consumers)
            chunk = []
            if progress:
                progress(read)
            read = 0
    if chunk:
        results += _write(engine, chunk, source, consumers)
    if progress and read:
        progress(read)
    return IngestReport(tuple(results))


def _write(engine: Engine, chunk: list[tuple[int, bytes | str]], source: str, consumers) -> list[LineResult]:
    results = []
    with engine.begin() as conn:
        for number, raw in chunk:
            received = inbox.receive(conn, raw, f"{source}:{number}", consumers=consumers)
            results.append(LineResult(number, received.outcome, received.type, received.event_id, received.reason))
    return results
