"""The KPI reports: one statement each (sql/queries/kpi_*.sql), from the aggregates or the base tables."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from services import paths
from services.service_layer.context import Catalog
from services.service_layer.kpis.charts import (
    CommitmentLevel,
    Drill,
    RoiBucket,
    RoiPipeline,
    SampleSuccess,
    SlaAdherence,
    SlaKind,
    SuccessPoint,
)
from services.service_layer.kpis.period import Period, bucket_end, wilson

NOBODY = uuid.UUID(int=0)  # kpi_key(): the aggregates' key for "no owner" and "no chain"
GROUPINGS = ("region", "owner", "chain")
# What each chart counts, in kpi_facts (sql/migrations/0005).
_FACTS = {"sample_success": "outcome", "commitments": "commitment", "slas": "sla", "roi": "roi"}


@dataclass(frozen=True)
class Scope:
    """The cockpit's filters; row-level security narrows further to what the person may read."""

    region: str | None = None
    owner_id: uuid.UUID | None = None
    chain_id: uuid.UUID | None = None

    @property
    def params(self) -> dict[str, Any]:
        return {"region": self.region, "owner": self.owner_id, "chain": self.chain_id}

    def drill(self, report: str, period: Period | None, **narrower: Any) -> Drill:
        base = {"region": self.region, "owner_id": self.owner_id, "chain_id": self.chain_id}
        return Drill(report, period, **{**base, **narrower})


def sample_success(conn: Connection, catalog: Catalog, scope: Scope, period: Period, *, grain: str, by: str,
                   top: int | None, source: str, as_of: datetime) -> SampleSuccess:
    rows = conn.execute(sa.text(paths.query("kpi_sample_success")), {
        **scope.params, "period_from": period.first, "period_to": period.last, "grain": grain, "by": by,
        "top": top, "source": source}).all()
    labels = group_labels(conn, catalog, by, {r.key for r in rows})
    points = []
    for r in rows:
        key = None if r.key == str(NOBODY) else r.key
        n = r.success + r.neutral + r.fail
        low, high = wilson(r.success, n) or (None, None)
        first = max(r.period, period.first)
        last = min(bucket_end(r.period, grain), period.last)
        points.append(SuccessPoint(r.period, key, labels[r.key], r.success, r.neutral, r.fail, low, high,
                                   scope.drill("sample_success", Period(first, last), **_narrow(by, r.key))))
    points.sort(key=lambda p: (p.period, p.label))
    return SampleSuccess(period, grain, by, source, as_of, tuple(points), rows[0].groups if rows else 0)


def roi_pipeline(conn: Connection, catalog: Catalog, scope: Scope, period: Period, *, source: str,
                 as_of: datetime) -> RoiPipeline:
    buckets = conn.execute(sa.text(paths.query("kpi_roi_pipeline")), {
        **scope.params, "buckets": list(roi_buckets(catalog)), "source": source}).all()
    levels = conn.execute(sa.text(paths.query("kpi_commitment_levels")), {
        **scope.params, "levels": list(commitment_levels(catalog)), "period_from": period.first,
        "period_to": period.last, "source": source}).all()
    return RoiPipeline(
        period, source, as_of,
        tuple(RoiBucket(r.bucket, r.customers, r.roi_value, scope.drill("roi", None, value=r.bucket))
              for r in buckets),
        tuple(CommitmentLevel(r.level, r.consultations, r.savings_per_month,
                              scope.drill("commitments", period, value=r.level)) for r in levels),
    )


def sla_adherence(conn: Connection, catalog: Catalog, scope: Scope, period: Period, *, today: date, source: str,
                  as_of: datetime) -> SlaAdherence:
    kinds = [k for k in catalog.kinds.values() if k.sla]
    rows = conn.execute(sa.text(paths.query("kpi_sla_adherence")), {
        **scope.params, "kinds": [k.kind for k in kinds], "period_from": period.first, "period_to": period.last,
        "today": today, "source": source}).all()
    label = {k.kind: k.label for k in kinds}
    return SlaAdherence(period, source, as_of, tuple(
        SlaKind(r.kind, label[r.kind], r.on_time, r.late, r.open, r.overdue,
                scope.drill("slas", period, value=r.kind, today=today)) for r in rows))


def customers_behind(conn: Connection, drill: Drill, *, limit: int) -> tuple[uuid.UUID, ...]:
    period = drill.period
    rows = conn.execute(sa.text(paths.query("kpi_customers_behind")), {
        "fact": _FACTS[drill.report], "period_from": period.first if period else None,
        "period_to": period.last if period else None, "value": drill.value, "state": drill.state,
        "today": drill.today, "region": drill.region,
        "owner": drill.owner_id, "chain": drill.chain_id, "limit": limit}).scalars()
    return tuple(rows)


def group_labels(conn: Connection, catalog: Catalog, by: str, keys: set[str]) -> dict[str, str]:
    """What a person calls each group: the region's name, the owner's name, the chain's name."""
    if by == "region":
        return {k: catalog.regions.get(k, k) for k in keys}
    ids = [uuid.UUID(k) for k in keys if k != str(NOBODY)]
    if by == "owner":
        found = dict(conn.execute(sa.text(
            "SELECT CAST(id AS text), display_name FROM users WHERE id = ANY (CAST(:ids AS uuid[]))"), {"ids": ids}).all())
        none = "Unassigned"
    else:
        # A chain's name as the person sees it on their customers (the chain account itself may be hidden).
        found = dict(conn.execute(sa.text(
            "SELECT CAST(c AS text), (SELECT p.chain_name FROM cm_customer_hot_proj p WHERE p.chain_id = c LIMIT 1) "
            "FROM unnest(CAST(:ids AS uuid[])) AS c"), {"ids": ids}).all())
        none = "No chain"
    return {k: none if k == str(NOBODY) else (found.get(k) or k) for k in keys}


def roi_buckets(catalog: Catalog) -> tuple[str, ...]:
    """The buckets the pack's roi_potential field allows, in its order."""
    schema = catalog.fields["roi_potential"].schema
    return tuple(schema["properties"]["bucket"]["enum"])


def commitment_levels(catalog: Catalog) -> tuple[str, ...]:
    """The commitment levels of the activity kinds that record one, in the pack's order."""
    levels: list[str] = []
    for kind in catalog.kinds.values():
        prop = kind.fields_schema.get("properties", {}).get("commitment_level", {})
        levels += [level for level in prop.get("enum", ()) if level not in levels]
    return tuple(levels)


def _narrow(by: str, key: str) -> dict[str, Any]:
    if by == "region":
        return {"region": key}
    return {"owner_id" if by == "owner" else "chain_id": uuid.UUID(key)}
