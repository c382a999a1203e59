"""What the cockpit's charts show: frozen results, each number with the way to the customers behind it."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from services.service_layer.kpis.period import Period


@dataclass(frozen=True)
class Drill:
    """Which customers stand behind a number. KpiService.grid_filter(drill) gives the
    customer grid's filter for them, KpiService.customers_behind(drill) their ids."""

    report: str                      # sample_success, roi, commitments, slas
    period: Period | None            # None for the ROI pipeline, which is the present
    region: str | None = None
    owner_id: uuid.UUID | None = None
    chain_id: uuid.UUID | None = None
    value: str | None = None         # the outcome, bucket, commitment level or activity kind
    state: str | None = None         # SLAs: ON_TIME, LATE, OPEN or OVERDUE (None: all)
    today: date | None = None        # SLAs: the day that tells OPEN from OVERDUE


@dataclass(frozen=True)
class SuccessPoint:
    period: date                     # first day of the week or month
    key: str | None                  # region code, owner id or chain id; None: no owner, no chain
    label: str
    success: int
    neutral: int
    fail: int
    low: float | None                # 95 % Wilson interval of the rate
    high: float | None
    drill: Drill

    @property
    def n(self) -> int:
        """The feedbacks behind the point: 1 of 1 is not 40 of 40."""
        return self.success + self.neutral + self.fail

    @property
    def rate(self) -> float | None:
        return self.success / self.n if self.n else None


@dataclass(frozen=True)
class SampleSuccess:
    period: Period
    grain: str
    by: str
    source: str                      # slices, regions (the aggregates) or base (see KpiService)
    as_of: datetime
    points: tuple[SuccessPoint, ...]  # of the groups with the most feedbacks (see KpiService.sample_success)
    groups: int                      # groups with feedbacks in the period, shown or not

    def series(self) -> dict[str, tuple[SuccessPoint, ...]]:
        """The points per group, one line each, in time order."""
        lines: dict[str, list[SuccessPoint]] = {}
        for point in self.points:
            lines.setdefault(point.label, []).append(point)
        return {label: tuple(points) for label, points in sorted(lines.items())}

    def to_frame(self):
        return _frame([{
            "period": p.period, "group": p.label, "key": p.key, "feedbacks": p.n, "success": p.success,
            "neutral": p.neutral, "fail": p.fail, "rate": p.rate, "rate_low": p.low, "rate_high": p.high,
        } for p in self.points], ["period", "group", "key", "feedbacks", "success", "neutral", "fail", "rate",
                                  "rate_low", "rate_high"])


@dataclass(frozen=True)
class RoiBucket:
    bucket: str
    customers: int
    value_per_month: Decimal         # € per month, the sum of roi_value
    drill: Drill


@dataclass(frozen=True)
class CommitmentLevel:
    level: str
    consultations: int
    savings_per_month: Decimal       # € per month the consultations discussed
    drill: Drill


@dataclass(frozen=True)
class RoiPipeline:
    period: Period                   # of the consultations; the buckets are the present
    source: str
    as_of: datetime
    buckets: tuple[RoiBucket, ...]
    commitments: tuple[CommitmentLevel, ...]

    def to_frame(self):
        return _frame([{"bucket": b.bucket, "customers": b.customers, "eur_per_month": b.value_per_month}
                       for b in self.buckets], ["bucket", "customers", "eur_per_month"])

    def commitments_frame(self):
        return _frame([{"commitment_level": c.level, "consultations": c.consultations,
                        "savings_eur_per_month": c.savings_per_month} for c in self.commitments],
                      ["commitment_level", "consultations", "savings_eur_per_month"])


@dataclass(frozen=True)
class SlaKind:
    kind: str
    label: str
    on_time: int
    late: int
    open: int                        # not yet due
    overdue: int
    drill: Drill

    @property
    def due(self) -> int:
        """SLAs whose due day has come: met on time, met late or overdue."""
        return self.on_time + self.late + self.overdue

    @property
    def rate(self) -> float | None:
        """The share met on time, of those whose due day has come."""
        return self.on_time / self.due if self.due else None

    def drill_state(self, state: str) -> Drill:
        return dataclasses.replace(self.drill, state=state)


@dataclass(frozen=True)
class SlaAdherence:
    period: Period                   # of the due dates
    source: str
    as_of: datetime
    kinds: tuple[SlaKind, ...]

    def to_frame(self):
        return _frame([{"kind": k.kind, "label": k.label, "on_time": k.on_time, "late": k.late, "open": k.open,
                        "overdue": k.overdue, "on_time_rate": k.rate} for k in self.kinds],
                      ["kind", "label", "on_time", "late", "open", "overdue", "on_time_rate"])


def _frame(records: list[dict[str, Any]], columns: list[str]):
    import pandas as pd  # only callers that chart or export pay for pandas

    return pd.DataFrame.from_records(records, columns=columns)
