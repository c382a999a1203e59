"""Rules of the B2B-Food pack that its data file cannot express: SLA due dates,
what meets them, and the cross-field checks of its fields.

Pure functions: they get what they need (open SLAs, the customer's hot fields)
and return effects; the service layer writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Iterable, Mapping

from services.pack import ActivityKind
from services.rules.calendar import add_business_days, local_date
from services.rules.workflow import CANCELED, DELIVERED, FEEDBACK_STATUSES


@dataclass(frozen=True)
class OpenSla:
    id: Any
    kind: str
    rule: str
    sample_id: Any
    opened_at: datetime
    due_date: date


@dataclass(frozen=True)
class Open:
    kind: str
    rule: str
    due_date: date
    sample_id: Any = None


@dataclass(frozen=True)
class Meet:
    sla_id: Any


@dataclass(frozen=True)
class Close:
    sla_id: Any


Effect = Open | Meet | Close


def _kind_with_rule(kinds: Iterable[ActivityKind], rule: str) -> ActivityKind | None:
    return next((k for k in kinds if k.sla and k.sla.get("rule") == rule), None)


def on_sample_status(
    kinds: Iterable[ActivityKind], *, sample_id: Any, new_status: str, event_at: datetime,
    open_slas: Iterable[OpenSla],
) -> list[Effect]:
    """Delivery opens the feedback SLA; feedback meets it; a cancellation closes what is open."""
    kind = _kind_with_rule(kinds, "feedback_after_delivery")
    if kind is None:
        return []
    mine = [s for s in open_slas if s.sample_id == sample_id and s.rule == "feedback_after_delivery"]
    if new_status == DELIVERED and not mine:
        due = add_business_days(local_date(event_at), int(kind.sla["business_days"]))
        return [Open(kind.kind, "feedback_after_delivery", due, sample_id)]
    if new_status in FEEDBACK_STATUSES:
        return [Meet(s.id) for s in mine]
    if new_status == CANCELED:
        return [Close(s.id) for s in mine]
    return []


def on_activity(
    kind: ActivityKind, *, outcome: str, occurred_at: datetime, data: Mapping[str, Any],
    open_slas: Iterable[OpenSla], customer_hot: Mapping[str, Any],
) -> list[Effect]:
    """SLA effects of logging an activity of `kind` for a customer."""
    open_slas = list(open_slas)
    effects: list[Effect] = []
    day = local_date(occurred_at)

    # Any contact after a consultation is its follow-up.
    effects += [Meet(s.id) for s in open_slas if s.rule == "follow_up" and s.opened_at < occurred_at]

    sla = kind.sla or {}
    rule = sla.get("rule")
    same_rule_open = [s for s in open_slas if s.rule == rule and s.kind == kind.kind]
    if rule == "follow_up":
        if outcome in sla.get("opens_on", ()):
            effects.append(Open(kind.kind, rule, day + timedelta(days=int(sla["days"]))))
    elif rule == "inside_season_window":
        if outcome in sla.get("met_by", ()):
            effects += [Meet(s.id) for s in same_rule_open]
        elif outcome in sla.get("closed_by", ()):
            effects += [Close(s.id) for s in same_rule_open]
        elif outcome in sla.get("opens_on", ()) and not same_rule_open:
            effects.append(Open(kind.kind, rule, _season_deadline(day, data, customer_hot, sla)))
    elif rule == "before_renewal":
        if outcome in sla.get("met_by", ()):
            effects += [Meet(s.id) for s in same_rule_open]
        elif outcome in sla.get("opens_on", ()) and not same_rule_open:
            renewal = customer_hot.get("renewal_date")
            if renewal is not None:
                effects.append(Open(kind.kind, rule, renewal - timedelta(days=int(sla["days_before"]))))
    # feedback_after_delivery is driven by the sample's status, see on_sample_status.
    return effects


def _season_deadline(day: date, data: Mapping[str, Any], hot: Mapping[str, Any], sla: Mapping[str, Any]) -> date:
    """The menu appointment must be fixed while the season window is open: by its end."""
    if data.get("rollout_to"):
        return date.fromisoformat(data["rollout_to"])
    season_end = hot.get("season_end")
    if season_end is not None and season_end >= day:
        return season_end
    return day + timedelta(days=int(sla.get("fallback_days", 30)))


def field_errors(key: str, value: Any) -> dict[str, str]:
    """Checks across a field's parts that its JSON schema cannot state."""
    if key == "seasonal_menu_cycle" and isinstance(value, dict):
        start, end = value.get("season_start"), value.get("season_end")
        if isinstance(start, str) and isinstance(end, str) and end < start:
            return {f"{key}.season_end": "must not lie before season_start"}
    return {}


def activity_errors(kind: str, data: Mapping[str, Any]) -> dict[str, str]:
    """Checks across an activity's fields that its JSON schema cannot state."""
    if kind == "MENU_INTEGRATION":
        start, end = data.get("rollout_from"), data.get("rollout_to")
        if isinstance(start, str) and isinstance(end, str) and end < start:
            return {"rollout_to": "must not lie before rollout_from"}
    return {}
