"""The HTTP API's JSON: the source's contracts (camelCase), as models, and the parts made from the pack.

Request and response bodies with a fixed shape are pydantic models; what the pack declares
(the activity kinds' fields, the field catalog's values, the hot columns of a list line)
is made from the catalog when the app starts, so a kind or field the pack adds appears
in the API and its OpenAPI document without an edit here.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import fields as dataclass_fields
from dataclasses import is_dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from services.service_layer.context import Catalog

PROBLEM_MEDIA_TYPE = "application/problem+json"


class Api(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class Problem(BaseModel):
    """RFC 7807 problem details, with the errors per field."""

    model_config = ConfigDict(extra="allow")
    type: str
    title: str
    status: int
    detail: str
    errors: Optional[dict[str, str]] = None


# ------------------------------------------------------------------ samples

class SampleItemIn(Api):
    sku: str = Field(min_length=1, max_length=100, description="SKU from the product catalog")
    quantity: int = Field(ge=1, le=100_000)


class SampleRequestIn(Api):
    """POST /samples. Without items (and without kitId) the default kit is sent."""

    customer_id: uuid.UUID
    kit_id: Optional[str] = Field(None, max_length=100, description="Optional kit; its items unless items are given")
    items: Optional[list[SampleItemIn]] = Field(None, min_length=1, max_length=200)
    delivery_date: Optional[date] = None
    delivery_address: Optional[str] = Field(None, max_length=1000)
    contact_email: Optional[str] = Field(None, max_length=320)
    notes: Optional[str] = Field(None, max_length=4000)


class SampleItemOut(Api):
    sku: str
    quantity: int
    name: str


class SampleOut(Api):
    id: uuid.UUID
    customer_id: uuid.UUID
    status: str
    kit_id: Optional[str]
    delivery_date: Optional[date]
    delivery_address: Optional[str]
    contact_email: Optional[str]
    notes: Optional[str]
    items: list[SampleItemOut]
    created_at: datetime
    last_event_at: datetime
    allowed_next: list[str] = Field(description="The statuses the workflow allows next")


class SampleList(Api):
    items: list[SampleOut]


def status_change_model(catalog: Catalog) -> type[BaseModel]:
    targets = tuple(s for s in catalog.sample_statuses if s != "REQUESTED") or ("PACKED",)

    class SampleStatusIn(Api):
        """PATCH /samples/{id}/status."""

        new_status: Literal[targets]  # type: ignore[valid-type]
        event_at: Optional[datetime] = Field(None, description="When it happened (default: now); not before the "
                                                               "previous transition")

    return SampleStatusIn


# --------------------------------------------------------------- activities

def api_name(key: str, schema: dict[str, Any] | None = None) -> str:
    """A pack field's name in the API: its `x-api-name`, else the camelCase of its key."""
    return (schema or {}).get("x-api-name") or to_camel(key)


def activity_names(catalog: Catalog) -> dict[str, dict[str, str]]:
    """Per kind: API name → the pack's field key."""
    return {kind.kind: {api_name(k, s): k for k, s in (kind.fields_schema.get("properties") or {}).items()}
            for kind in catalog.kinds.values()}


def _public(schema: dict[str, Any]) -> dict[str, Any]:
    """A pack schema as the OpenAPI document shows it (the pack's own keywords left out)."""
    if isinstance(schema, dict):
        return {k: _public(v) for k, v in schema.items() if not k.startswith("x-")}
    if isinstance(schema, list):
        return [_public(v) for v in schema]
    return schema


def activity_components(catalog: Catalog) -> dict[str, Any]:
    """OpenAPI components: ActivityKind, ActivityBase, one schema per kind and ActivityIn (oneOf)."""
    kinds = list(catalog.kinds.values())
    components: dict[str, Any] = {
        "ActivityKind": {"type": "string", "enum": [k.kind for k in kinds]},
        "ActivityBase": {
            "type": "object",
            "required": ["customerId", "kind"],
            "properties": {
                "customerId": {"type": "string", "format": "uuid"},
                "kind": {"$ref": "#/components/schemas/ActivityKind"},
                "occurredAt": {"type": "string", "format": "date-time"},
                "note": {"type": "string", "maxLength": 4000},
            },
        },
    }
    for kind in kinds:
        props = kind.fields_schema.get("properties") or {}
        own = {api_name(k, s): _public(s) for k, s in props.items()}
        own["kind"] = {"const": kind.kind}
        own["outcome"] = {"type": "string", "enum": list(kind.outcomes)}
        components[_component(kind.kind)] = {
            "title": kind.label,
            "allOf": [
                {"$ref": "#/components/schemas/ActivityBase"},
                {"type": "object",
                 "required": [api_name(k, props.get(k)) for k in kind.fields_schema.get("required") or ()],
                 "properties": own},
            ],
        }
    components["ActivityIn"] = {
        "oneOf": [{"$ref": f"#/components/schemas/{_component(k.kind)}"} for k in kinds],
        "discriminator": {"propertyName": "kind",
                          "mapping": {k.kind: f"#/components/schemas/{_component(k.kind)}" for k in kinds}},
    }
    return components


def _component(kind: str) -> str:
    return "".join(part.capitalize() for part in kind.split("_"))


class ActivityOut(Api):
    """An activity: the common fields, and the kind's own fields by their API names."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")
    id: uuid.UUID
    customer_id: uuid.UUID
    kind: str
    occurred_at: datetime
    outcome: Optional[str]
    note: Optional[str]
    created_by_name: Optional[str]
    created_at: datetime
    sla_due: Optional[date] = None
    sla_status: Optional[str] = None
    sla_badge: Optional[str] = None


class ActivityPage(Api):
    items: list[ActivityOut]
    next_cursor: Optional[str]


# ----------------------------------------------------------------- fields

class FieldsOut(Api):
    customer_id: uuid.UUID
    version: int
    etag: str
    fields: dict[str, Any] = Field(description="Every field of the customer by its key, the derived ones included")


def fields_patch_schema(catalog: Catalog) -> dict[str, Any]:
    """PATCH /customers/{id}/fields: the catalog's writable fields; null removes one."""
    return {
        "type": "object",
        "description": "Fields by key (JSON merge patch: null removes a field). The database checks each value "
                       "against the field catalog.",
        "minProperties": 1,
        "additionalProperties": True,
        "properties": {key: ({"anyOf": [_public(f.schema), {"type": "null"}], "title": f.label} if not f.derived else
                             {"title": f.label, "readOnly": True,
                              "description": "Derived (from the customer's samples): read it, it is refused here"})
                       for key, f in catalog.fields.items()},
    }


# -------------------------------------------------------------- customers

_COLUMN_TYPES = {"date": {"type": "string", "format": "date"},
                 "timestamptz": {"type": "string", "format": "date-time"},
                 "boolean": {"type": "boolean"}, "integer": {"type": "integer"}}


def hot_schema(catalog: Catalog) -> dict[str, Any]:
    """The hot columns of a list line, by the pack's column names."""
    props = {}
    for c in catalog.hot_columns:
        kind = "numeric" if c.type.startswith("numeric") else c.type
        typed = _COLUMN_TYPES.get(kind, {"type": "number"} if kind == "numeric" else {"type": "string"})
        props[c.name] = {"anyOf": [typed, {"type": "null"}], "title": c.label}
    return {"type": "object", "properties": props, "additionalProperties": True}


class CustomerItem(Api):
    id: uuid.UUID
    name: str
    city: Optional[str]
    region: str
    owner_id: Optional[uuid.UUID]
    owner_name: Optional[str]
    chain_id: Optional[uuid.UUID]
    chain_name: Optional[str]
    is_chain: bool
    sla_due: Optional[date]
    sla_badge: Optional[str]
    hot: dict[str, Any] = Field(description="The pack's hot columns (sample_status, roi_bucket, ...)")


class CustomerPage(Api):
    items: list[CustomerItem]
    next_cursor: Optional[str]


# ---------------------------------------------------------------- cockpit

class SuccessPointOut(Api):
    period: date
    key: Optional[str]
    label: str
    success: int
    neutral: int
    fail: int
    n: int
    low: Optional[float]
    high: Optional[float]


class RoiBucketOut(Api):
    bucket: str
    customers: int
    value_per_month: float


class CommitmentOut(Api):
    level: str
    consultations: int
    savings_per_month: float


class SlaKindOut(Api):
    kind: str
    label: str
    on_time: int
    late: int
    open: int
    overdue: int


class PeriodOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    from_: date = Field(alias="from")
    to: date


class CockpitSummary(Api):
    period: PeriodOut
    by: str
    grain: str
    source: str
    as_of: datetime
    groups: int
    sample_success: list[SuccessPointOut]
    roi_pipeline: list[RoiBucketOut]
    commitment_levels: list[CommitmentOut]
    sla_adherence: list[SlaKindOut]


# ----------------------------------------------------------------- events

class ReplayIn(Api):
    """POST /events/replay: a consumer, and a position or a time to read again from."""

    consumer: str = Field(min_length=1, max_length=100)
    position: Optional[int] = Field(None, ge=0, le=2**62)
    time: Optional[datetime] = None


class CheckpointOut(Api):
    txid: int
    position: int


class ReplayOut(Api):
    consumer: str
    previous: Optional[CheckpointOut]
    checkpoint: Optional[CheckpointOut]
    events: int


class EventReceived(Api):
    status: Literal["accepted", "already received"]
    event_id: Optional[str]
    type: Optional[str]


class Health(BaseModel):
    status: str
    database: str
    schema_: str = Field(alias="schema")
    detail: Optional[str] = None


# ---------------------------------------------------------------- helpers

_CAMEL_CACHE: dict[str, str] = {}


def camel(name: str) -> str:
    found = _CAMEL_CACHE.get(name)
    if found is None:
        found = _CAMEL_CACHE[name] = to_camel(name)
    return found


def jsonable(value: Any) -> Any:
    """Values as JSON carries them: ids and times as text, amounts as numbers."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (uuid.UUID,)):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if is_dataclass(value):
        return {camel(f.name): jsonable(getattr(value, f.name)) for f in dataclass_fields(value)}
    return str(value)


_SNAKE = re.compile(r"(?<!^)(?=[A-Z])")


def snake(name: str) -> str:
    return _SNAKE.sub("_", name).lower()
