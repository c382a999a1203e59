"""The cockpit's KPI queries and focus lists, as an admin and as a team lead (row-level security on)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import services
from services.entrypoints.bench.timing import Row, compared, sample, stopwatch

QUERIES: dict[str, Callable[[Any], Any]] = {
    "sample success by week": lambda k: k.sample_success(),
    "sample success by owner": lambda k: k.sample_success(by="owner"),
    "ROI pipeline": lambda k: k.roi_pipeline(),
    "SLA adherence": lambda k: k.sla_adherence(),
    "focus: overdue SLAs": lambda k: k.focus_overdue_slas(),
    "focus: due-soon SLAs": lambda k: k.focus_due_soon_slas(),
    "focus: delivered without feedback": lambda k: k.focus_delivered_without_feedback(),
    "focus: renewals in 90 days": lambda k: k.focus_renewals(),
    "focus: season openings": lambda k: k.focus_season_openings(),
}


def ensure_aggregates(owner_svc: services.Steward) -> Row | None:
    """The reports read daily aggregates once built; a fresh demo database has none yet."""
    if owner_svc.kpis.status().present:
        return None
    seconds, report = stopwatch(owner_svc.kpis.rebuild)
    # Freshly filled tables have no statistics until autovacuum comes by; without them
    # the daemon's `kpis` consumer reads its whole ledger per batch (seq scan, 150 ms).
    with owner_svc.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE kpi_customer_facts, kpi_customer_slices")
    return Row("kpis", "KPI aggregates rebuild (once, before measuring)", "admin", seconds=seconds, unit="s",
               note=f"{report.rows_written:,} rows written")


# The charts read daily aggregates; the baseline computes the same numbers from the base tables.
FROM_BASE_TABLES: dict[str, Callable[[Any], Any]] = {
    "sample success by week": lambda k: k.sample_success(source="base"),
    "ROI pipeline": lambda k: k.roi_pipeline(source="base"),
    "SLA adherence": lambda k: k.sla_adherence(source="base"),
}


def measure(sessions: dict[str, services.Steward], *, n: int) -> list[Row]:
    rows = []
    for who, svc in sessions.items():
        measured = {name: Row("kpis", name, who, sample(lambda q=query, k=svc.kpis: q(k), n=n))
                    for name, query in QUERIES.items()}
        if who == "admin":
            for name, query in FROM_BASE_TABLES.items():
                base = Row("kpis", f"{name} · from the base tables", who, is_baseline=True,
                           timing=sample(lambda q=query, k=svc.kpis: q(k), n=n, budget_seconds=10, at_least=5, warmup=1))
                measured[name] = compared(measured[name], base)
                measured[base.name] = base
        rows += measured.values()
    return rows
