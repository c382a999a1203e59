"""KPIs and focus lists for the cockpit (docs/PRODUCT.md, "The cockpit").

`KpiService` (svc.kpis) answers the desktop and `steward kpis`; `apply_events`
`rebuild_all` and `build_all` (bulk imports) keep the daily aggregates the reports read.
"""

from services.service_layer.kpis.aggregates import (
    RELEVANT_TYPES,
    AggregateStatus,
    apply_events,
    build_all,
    rebuild_all,
    status,
)
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
from services.service_layer.kpis.focus import FocusRow
from services.service_layer.kpis.period import Period, parse_period
from services.service_layer.kpis.service import KpiService

__all__ = [
    "RELEVANT_TYPES",
    "AggregateStatus",
    "CommitmentLevel",
    "Drill",
    "FocusRow",
    "KpiService",
    "Period",
    "RoiBucket",
    "RoiPipeline",
    "SampleSuccess",
    "SlaAdherence",
    "SlaKind",
    "SuccessPoint",
    "apply_events",
    "build_all",
    "parse_period",
    "rebuild_all",
    "status",
]
