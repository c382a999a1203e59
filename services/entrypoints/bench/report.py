"""The run's result: every row, the target table judged from them, as a rich table and as JSON."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from services.entrypoints.bench.machine import Machine
from services.entrypoints.bench.timing import Row


@dataclass(frozen=True)
class Target:
    what: str
    target: str
    measured: str
    versus: str
    met: bool | None           # None: not measured in this run
    detail: str = ""


@dataclass(frozen=True)
class Report:
    command: str
    customers: int
    machine: Machine
    rows: tuple[Row, ...]
    seconds: float
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def targets(self) -> list[Target]:
        return judge(list(self.rows))

    def section(self, name: str) -> list[Row]:
        return [r for r in self.rows if r.section == name]

    def as_json(self) -> dict[str, Any]:
        sections: dict[str, list] = {}
        for row in self.rows:
            sections.setdefault(row.section, []).append(row.as_json())
        return {"command": self.command, "customers": self.customers, "machine": self.machine.as_json(),
                "seconds": self.seconds, "sections": sections, "notes": list(self.notes),
                "targets": [t.__dict__ for t in self.targets]}

    def write_json(self, path: Path) -> None:
        path.write_text(json.dumps(self.as_json(), indent=2, default=str), encoding="utf-8")


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _ratio(row: Row) -> str:
    if row.ratio is None or row.versus is None:
        return ""
    pairs = [(row.versus, row.ratio), *((name, r) for name, r in row.extra.get("ratios", {}).items() if r)]
    return "; ".join(f"{r:,.1f}× vs {name}" if r >= 1 else f"{1 / r:,.1f}× slower than {name}" for name, r in pairs)


def _worst(rows: list[Row]) -> Row | None:
    measured = [r for r in rows if r.headline is not None]
    return max(measured, key=lambda r: r.headline) if measured else None


def _page(row: Row) -> int:
    found = re.search(r"page ([\d,]+)", row.name)
    return int(found.group(1).replace(",", "")) if found else 0


def judge(rows: list[Row]) -> list[Target]:
    """The issue's target table, from the rows of one run."""
    def where(section: str, test=lambda r: True, baseline: bool = False) -> list[Row]:
        return [r for r in rows if r.section == section and r.is_baseline == baseline and test(r)]

    targets: list[Target] = []
    first = _worst(where("list", lambda r: r.name.startswith("first page")))
    floor = next(iter(where("list", lambda r: r.name.startswith("primary-key"), baseline=True)), None)
    targets.append(_timed("customers.list, first page of 50, any filter, any role", 20, first,
                          f"floor (pk lookup) P95 {_ms(floor.headline)} ms" if floor else ""))
    keyset = where("list", lambda r: r.name.startswith("keyset") and _page(r) > 1)
    next_page = _worst(keyset)
    deepest = [r for r in keyset if _page(r) == max((_page(k) for k in keyset), default=0)]
    flat = ""
    if next_page is not None:
        firsts = {(r.who, r.name.split("·")[-1]): r for r in where("list", lambda r: _page(r) == 1 and
                                                                    r.name.startswith("keyset"))}
        growth = [r.headline / firsts[(r.who, r.name.split("·")[-1])].headline for r in deepest
                  if (r.who, r.name.split("·")[-1]) in firsts]
        flat = f"; deepest page / page 1: {max(growth):.2f}×" if growth else ""
    targets.append(_timed("the next page at any depth (keyset)", 20, next_page,
                          (_ratio(deepest[0]) if deepest else "") + flat))
    patch = _worst(where("write", lambda r: r.name.startswith("fields.patch")))
    maintenance = next(iter(where("write", lambda r: r.ratio is not None)), None)
    targets.append(_timed("fields.patch of three hot fields", 10, patch,
                          f"projection maintenance alone: {_ratio(maintenance)}" if maintenance else ""))
    drain = next(iter(where("drain")), None)
    targets.append(Target("outbox drain, one daemon, all consumers", "≥ 5,000 events/s",
                          f"{drain.rate:,.0f} events/s" if drain else "not run", _ratio(drain) if drain else "",
                          drain.rate >= 5000 if drain else None, drain.note if drain else ""))
    rebuild = next(iter(where("rebuild")), None)
    targets.append(_seconds("full projection rebuild", 60, rebuild))
    demo = next(iter(where("demo")), None)
    targets.append(_seconds("steward demo --customers N", 180, demo))
    backfill = next(iter(where("ops", lambda r: r.rate is not None)), None)
    targets.append(Target("legacy back-fill (steward migrate legacy backfill)", "≥ 10,000 rows/s",
                          f"{backfill.rate:,.0f} rows/s" if backfill else "not run",
                          _ratio(backfill) if backfill else "", backfill.rate >= 10_000 if backfill else None,
                          backfill.note if backfill else ""))
    scan = next(iter(where("duplicates", lambda r: r.name.startswith("full duplicate scan"))), None)
    targets.append(_seconds("full duplicate scan (peak memory in its note)", 120, scan))
    merge = next(iter(where("duplicates", lambda r: r.name.startswith("merge of two"))), None)
    targets.append(_timed("a merge of two customers", 200, merge, ""))
    kpi = _worst(where("kpis", lambda r: r.timing is not None))
    kpi_versus = [r for r in where("kpis") if r.ratio is not None]
    targets.append(_timed("a KPI query for the cockpit", 50, kpi,
                          f"aggregates vs base tables: {min(r.ratio for r in kpi_versus):,.0f}–"
                          f"{max(r.ratio for r in kpi_versus):,.0f}×" if kpi_versus else ""))
    return targets


def _timed(what: str, limit_ms: float, row: Row | None, versus: str) -> Target:
    if row is None or row.timing is None:
        return Target(what, f"P95 ≤ {limit_ms:g} ms", "not run", versus, None)
    return Target(what, f"P95 ≤ {limit_ms:g} ms", f"P95 {_ms(row.timing.p95)} ms", versus,
                  row.timing.p95 <= limit_ms, f"worst: {row.name} ({row.who})")


def _seconds(what: str, limit: float, row: Row | None) -> Target:
    if row is None or row.seconds is None:
        return Target(what, f"≤ {limit:g} s", "not measured" if row else "not run", "", None,
                      row.note if row else "")
    return Target(what, f"≤ {limit:g} s", f"{row.seconds:,.1f} s", _ratio(row), row.seconds <= limit, row.note)


def render(report: Report, console: Console) -> None:
    if not console.is_terminal:
        # A file or a pipe: the table as wide as it needs, not folded into 80 columns.
        console = Console(width=200, file=console.file, highlight=False)
    console.print(f"[bold]steward bench[/bold] at {report.customers:,} customers in {report.seconds:,.0f} s — "
                  f"{report.machine.describe()}", highlight=False)
    detail = Table(show_header=True, header_style="bold", pad_edge=False)
    for name, justify in (("section", "left"), ("what", "left"), ("as", "left"), ("P50", "right"),
                          ("P95", "right"), ("max", "right"), ("n", "right"), ("value", "right"),
                          ("ratio", "left")):
        detail.add_column(name, justify=justify)
    for row in report.rows:
        t = row.timing
        value = (f"{row.seconds:,.1f} s" if row.seconds is not None else
                 f"{row.rate:,.0f}/s" if row.rate is not None else "")
        style = "dim" if row.is_baseline else None
        detail.add_row(row.section, row.name + (f" [dim]({row.note})[/dim]" if row.note else ""), row.who,
                       _ms(t.p50) if t else "", _ms(t.p95) if t else "", _ms(t.max) if t else "",
                       str(t.n) if t else "", value, _ratio(row), style=style)
    console.print(detail)
    summary = Table(title="Targets", show_header=True, header_style="bold", pad_edge=False)
    for name in ("what", "target", "measured", "baseline ratio", "met"):
        summary.add_column(name)
    for t in report.targets:
        met = "–" if t.met is None else "[green]yes[/green]" if t.met else "[red]no[/red]"
        summary.add_row(t.what, t.target, t.measured + (f"\n[dim]{t.detail}[/dim]" if t.detail else ""), t.versus, met)
    console.print(summary)
    for note in report.notes:
        console.print(f"[dim]{note}[/dim]", highlight=False)
