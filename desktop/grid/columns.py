"""The grid's columns: what each shows, how it sorts (indexed columns only), how it exports."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from desktop import display
from services.service_layer.customers import CustomerRow


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    text: Callable[[CustomerRow], str]
    value: Callable[[CustomerRow], Any]          # the raw value, for export
    sort: str | None = None                       # a key of services.service_layer.customers.SORTABLE
    badge: Callable[[CustomerRow], Any] | None = None   # the code whose colours the cell wears
    numeric: bool = False
    width: int = 110
    visible: bool = True
    tooltip: str = ""


def _attr(name: str) -> Callable[[CustomerRow], Any]:
    return lambda row: getattr(row, name)


def _sla_text(row: CustomerRow) -> str:
    if row.sla_badge is None:
        return ""
    return f"{display.human(row.sla_badge)} · {display.day(row.sla_due)}"


def _number(value: Any) -> Any:
    return float(value) if value is not None else None


def build(regions: Mapping[str, str]) -> tuple[Column, ...]:
    # The hot fields and the SLA come first: they are what a person works the list by.
    columns = (
        Column("name", "Customer", _attr("name"), _attr("name"), sort="name", width=195),
        Column("city", "City", lambda r: r.city or "", _attr("city"), sort="city", width=95),
        Column("owner", "Owner", lambda r: r.owner_name or "", _attr("owner_name"), width=108),
        Column("sample_status", "Sample", lambda r: display.short(r.sample_status), _attr("sample_status"),
               badge=_attr("sample_status"), width=105, tooltip="Status of the latest sample request"),
        Column("roi_bucket", "ROI", lambda r: display.human(r.roi_bucket), _attr("roi_bucket"),
               badge=_attr("roi_bucket"), width=58, tooltip="ROI potential bucket"),
        Column("roi_value", "ROI €/month", lambda r: display.money(r.roi_value), lambda r: _number(r.roi_value),
               sort="roi_value", numeric=True, width=104),
        Column("renewal_date", "Renewal", lambda r: display.day(r.renewal_date), _attr("renewal_date"),
               sort="renewal_date", width=88, tooltip="Renewal date of the current supplier contract"),
        Column("sla", "SLA", _sla_text, lambda r: r.sla_badge, badge=_attr("sla_badge"), width=160,
               tooltip="The customer's most urgent open SLA and its due date"),
        Column("region", "Region", lambda r: regions.get(r.region, r.region), _attr("region"), width=70),
        Column("decision_maker_count", "Decision makers",
               lambda r: "" if r.decision_maker_count is None else str(r.decision_maker_count),
               _attr("decision_maker_count"), sort="decision_maker_count", numeric=True, width=70),
        Column("has_exec_alignment", "Exec aligned", lambda r: display.yes_no(r.has_exec_alignment),
               _attr("has_exec_alignment"), width=80, visible=False),
        Column("season_start", "Season start", lambda r: display.day(r.season_start), _attr("season_start"),
               sort="season_start", width=92),
        Column("season_end", "Season end", lambda r: display.day(r.season_end), _attr("season_end"), width=92),
        Column("exclusivity", "Exclusive", lambda r: display.yes_no(r.exclusivity), _attr("exclusivity"), width=70),
        Column("chain", "Chain", lambda r: r.chain_name or "", _attr("chain_name"), width=150,
               tooltip="The chain a location belongs to (a chain shows its own name)"),
        Column("sample_last_event_at", "Last sample event", lambda r: display.moment(r.sample_last_event_at),
               _attr("sample_last_event_at"), sort="sample_last_event_at", width=130, visible=False),
    )
    return columns


DEFAULT_VISIBLE = tuple(c.key for c in build({}) if c.visible)
