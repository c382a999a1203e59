"""The domain pack: what the generic core learns from resources/ about this business.

A pack is a folder with `pack.toml` (regions, the field catalog with its hot
columns, contact roles, the sample workflow, the activity kinds, the cockpit's
KPIs) and `rules.sql` (what data cannot express). Which pack: the setting
STEWARD_PACK, a pack's name under resources/ or the path of a pack folder;
"b2b_food" when unset. Pure: reading the pack needs no database.
"""

from __future__ import annotations

import csv
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from services import paths
from services.pack.words import Words, schema_titles

DEFAULT_PACK = "b2b_food"
PACK_SETTING = "STEWARD_PACK"

# The SQL types a hot column may have, and the filter operators.
COLUMN_TYPES = re.compile(r"^(text|integer|boolean|date|timestamptz|numeric\(\d+, ?\d+\))$")
OPERATORS = ("in", "=", "<", "<=", ">=", ">")
DERIVED_SOURCES = ("latest_sample.status", "latest_sample.last_event_at")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


class PackError(ValueError):
    """A pack file that declares something the core cannot take."""


@dataclass(frozen=True)
class Region:
    code: str
    name: str


@dataclass(frozen=True)
class Filter:
    """A filter parameter of the customer list on one hot column."""

    name: str                              # "renewal_before": the parameter of svc.customers.list, HTTP, CLI
    op: str                                # in, =, <, <=, >=, >
    column: str
    type: str                              # the column's SQL type
    label: str
    group: str | None = None               # shown side by side with the filters of the same group
    choices: tuple[str, ...] = ()          # for `in`: the values the field's schema allows
    minimum: int | None = None             # for a number: the least value that makes sense


@dataclass(frozen=True)
class HotColumn:
    """A column of the hot projection, fed by one part of a hot field's value."""

    name: str
    field: str                             # the field key
    type: str
    label: str
    path: str | None = None                # where in the value
    function: str | None = None            # or: a function of the whole value (rules.sql)
    source: str | None = None              # or, for a derived field: latest_sample.<column>
    sortable: bool = False
    hidden: bool = False
    filters: tuple[Filter, ...] = ()
    choices: tuple[str, ...] = ()          # the values the field's schema allows here, if a list

    @property
    def python_type(self) -> str:
        return "numeric" if self.type.startswith("numeric") else self.type


@dataclass(frozen=True)
class FieldDef:
    key: str
    label: str
    schema: dict[str, Any]
    description: str = ""
    hot: bool = False
    restricted: bool = False
    derived: bool = False
    checks: tuple[dict[str, str], ...] = ()
    columns: tuple[HotColumn, ...] = ()


@dataclass(frozen=True)
class ActivityKind:
    kind: str
    label: str
    outcomes: tuple[str, ...]
    fields_schema: dict[str, Any]
    sla: dict[str, Any] | None = None
    checks: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    category: str
    unit: str


@dataclass(frozen=True)
class Kit:
    id: str
    name: str
    is_default: bool
    items: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Workflow:
    """The sample workflow: statuses in their order, and which may follow which."""

    statuses: tuple[str, ...]
    next: dict[str, tuple[str, ...]]

    def allowed_next(self, status: str) -> tuple[str, ...]:
        return self.next.get(status, ())


@dataclass(frozen=True)
class Kpis:
    """What the cockpit counts (pack.toml, [kpi])."""

    success: str                           # the sample status of a successful feedback
    neutral: str
    fail: str
    commitment_level: str                  # the activity field that holds a commitment level
    commitment_amount: str                 # and the one with its savings per month
    pipeline_bucket: str                   # hot columns: a customer's ROI bucket and value
    pipeline_value: str


@dataclass(frozen=True)
class Pack:
    name: str
    folder: Path
    regions: tuple[Region, ...]
    contact_roles: dict[str, str]
    fields: tuple[FieldDef, ...]
    activity_kinds: tuple[ActivityKind, ...]
    sample_workflow: Workflow
    kpis: Kpis
    hot_columns: tuple[HotColumn, ...] = field(default=())
    words: Words = field(default_factory=Words)

    @property
    def filters(self) -> tuple[Filter, ...]:
        return tuple(f for column in self.hot_columns for f in column.filters)

    def texts(self) -> set[str]:
        """Every English text of the pack that people read (what [translations.<language>] must cover)."""
        found = {*self.contact_roles.values(), *self.words.codes.values(),
                 *(w for words in self.words.contexts.values() for w in words.values())}
        for f in self.fields:
            found |= {f.label, f.description or "", *schema_titles(f.schema)}
        for c in self.hot_columns:
            found |= {c.label, *(x.label for x in c.filters), *(x.group for x in c.filters if x.group)}
        for k in self.activity_kinds:
            found |= {k.label, *schema_titles(k.fields_schema)}
            if k.sla and k.sla.get("label"):
                found.add(k.sla["label"])
        found |= {self.words.label(code) for code in self.sample_workflow.statuses}
        found |= {self.words.label(o) for k in self.activity_kinds for o in k.outcomes}
        return {t for t in found if t}


def pack_folder() -> Path:
    """The pack's folder, as configured (STEWARD_PACK: a name under resources/, or a path)."""
    setting = os.environ.get(PACK_SETTING) or DEFAULT_PACK
    folder = Path(setting) if ("/" in setting or os.sep in setting) else paths.resources_dir() / setting
    if not (folder / "pack.toml").is_file():
        raise PackError(f"No domain pack at {folder} ({PACK_SETTING}={setting!r}): pack.toml is missing.")
    return folder


@cache
def load_pack() -> Pack:
    folder = pack_folder()
    with open(folder / "pack.toml", "rb") as f:
        data = tomllib.load(f)
    workflow = data["sample_workflow"]
    statuses = tuple(workflow["statuses"])
    fields = tuple(_field(f, statuses) for f in data["field"])
    kpi = data["kpi"]
    pack = Pack(
        name=data["name"],
        folder=folder,
        regions=tuple(Region(r["code"], r["name"]) for r in data["region"]),
        contact_roles=dict(data["contact_roles"]),
        fields=fields,
        activity_kinds=tuple(
            ActivityKind(kind=k["kind"], label=k["label"], outcomes=tuple(k["outcomes"]),
                         fields_schema=k["fields"], sla=k.get("sla"), checks=tuple(k.get("checks", ())))
            for k in data["activity_kind"]
        ),
        sample_workflow=Workflow(statuses, {status: tuple(nxt) for status, nxt in workflow.get("next", {}).items()}),
        kpis=kpis_from(kpi),
        hot_columns=tuple(c for f in fields for c in f.columns),
        words=Words(dict(data.get("codes", {})), {k: dict(v) for k, v in data.get("codes_in", {}).items()},
                    {k: dict(v) for k, v in data.get("translations", {}).items()}),
    )
    _check(pack)
    return pack


def kpis_from(kpi: dict[str, Any]) -> Kpis:
    """The [kpi] declaration (as pack.toml writes it, and as the database keeps it)."""
    outcomes = kpi["outcomes"]
    return Kpis(outcomes["success"], outcomes["neutral"], outcomes["fail"], kpi["commitment"]["level"],
                kpi["commitment"]["amount"], kpi["pipeline"]["bucket"], kpi["pipeline"]["value"])


def kpis_declaration(kpis: Kpis) -> dict[str, Any]:
    return {"outcomes": {"success": kpis.success, "neutral": kpis.neutral, "fail": kpis.fail},
            "commitment": {"level": kpis.commitment_level, "amount": kpis.commitment_amount},
            "pipeline": {"bucket": kpis.pipeline_bucket, "value": kpis.pipeline_value}}


def column_declaration(column: HotColumn) -> dict[str, Any]:
    """A hot column as pack.toml declares it (what the database's catalog keeps)."""
    declared: dict[str, Any] = {"name": column.name, "type": column.type, "label": column.label,
                                "sortable": column.sortable, "hidden": column.hidden}
    for key in ("path", "function", "source"):
        if getattr(column, key):
            declared[key] = getattr(column, key)
    declared["filters"] = [{"name": f.name, "op": f.op, "label": f.label, **({"group": f.group} if f.group else {}),
                            **({"minimum": f.minimum} if f.minimum is not None else {})}
                           for f in column.filters]
    return declared


def hot_column(key: str, schema: dict[str, Any], declared: dict[str, Any]) -> HotColumn:
    """A hot column of the field `key` from its declaration."""
    return _column(key, schema, declared)


def in_written_order(schema: Any, written: Any) -> Any:
    """`schema` with its properties in the order of `written` (the same schema as the pack's author wrote it).

    The database keeps schemas as jsonb, which orders object keys by length; a form
    showing "Season end" above "Season start" reads wrong. Properties `written` does
    not know keep their place after the known ones.
    """
    if not isinstance(schema, dict):
        return schema
    written = written if isinstance(written, dict) else {}
    result = dict(schema)
    if isinstance(schema.get("properties"), dict):
        order = list(written.get("properties", {}))
        props = schema["properties"]
        keys = sorted(props, key=lambda k: (order.index(k) if k in order else len(order), k))
        result["properties"] = {k: in_written_order(props[k], written.get("properties", {}).get(k)) for k in keys}
    if isinstance(schema.get("oneOf"), list):
        branches = written.get("oneOf") or []
        result["oneOf"] = [in_written_order(b, branches[n] if n < len(branches) else None)
                           for n, b in enumerate(schema["oneOf"])]
    if isinstance(schema.get("items"), dict):
        result["items"] = in_written_order(schema["items"], written.get("items"))
    return result


def sql_values(pack: Pack) -> dict[str, str]:
    """What the definitions and queries may name of the pack, as SQL: {{kpi.success}} in a
    .sql file becomes 'FEEDBACK_SUCCESS'. Identifiers are checked names; texts are quoted."""
    k = pack.kpis
    def text(value: str) -> str:
        return "'" + value.replace("'", "''") + "'"
    workflow = pack.sample_workflow
    # The workflow's first status (a request), and the one a feedback follows (delivered).
    requested = workflow.statuses[0]
    delivered = next((s for s in workflow.statuses if k.success in workflow.allowed_next(s)), requested)
    return {"kpi.success": text(k.success), "kpi.neutral": text(k.neutral), "kpi.fail": text(k.fail),
            "kpi.commitment_level": text(k.commitment_level), "kpi.commitment_amount": text(k.commitment_amount),
            "kpi.pipeline_bucket": k.pipeline_bucket, "kpi.pipeline_value": k.pipeline_value,
            "sample.requested": text(requested), "sample.delivered": text(delivered)}


def render(sql: str, pack: Pack | None = None) -> str:
    """A .sql text with the pack's markers ({{kpi.success}}) replaced (see sql_values)."""
    if "{{" not in sql:
        return sql
    values = sql_values(pack or load_pack())

    def value(match: re.Match) -> str:
        if match.group(1) not in values:
            raise PackError(f"{match.group(0)} is nothing the pack fills in (known: {', '.join(values)}).")
        return values[match.group(1)]

    return re.sub(r"\{\{\s*([a-z_.]+)\s*\}\}", value, sql)


def _field(f: dict[str, Any], statuses: tuple[str, ...]) -> FieldDef:
    schema = dict(f["schema"])
    if schema.pop("enum_from", None) == "sample_workflow":
        schema["enum"] = list(statuses)
    columns = tuple(_column(f["key"], schema, c) for c in f.get("column", ()))
    return FieldDef(key=f["key"], label=f["label"], schema=schema, description=f.get("description", ""),
                    hot=f.get("hot", False), restricted=f.get("restricted", False), derived=f.get("derived", False),
                    checks=tuple(f.get("checks", ())), columns=columns)


def _column(key: str, schema: dict[str, Any], c: dict[str, Any]) -> HotColumn:
    choices = tuple(_enum_at(schema, c.get("path")) or ()) if c.get("path") or c.get("source") else ()
    filters = tuple(Filter(name=x["name"], op=x["op"], column=c["name"], type=c["type"],
                           label=x.get("label", x["name"]), group=x.get("group"), choices=choices,
                           minimum=x.get("minimum"))
                    for x in c.get("filters", ()))
    return HotColumn(name=c["name"], field=key, type=c["type"], label=c.get("label", c["name"]), path=c.get("path"),
                     function=c.get("function"), source=c.get("source"), sortable=c.get("sortable", False),
                     hidden=c.get("hidden", False), filters=filters, choices=choices)


def _enum_at(schema: dict[str, Any], path: str | None) -> list[str] | None:
    """The enum of the schema at `path` ("a.b"), if it has one."""
    node: Any = schema
    for part in (path.split(".") if path else ()):
        node = (node.get("properties") or {}).get(part) if isinstance(node, dict) else None
    return node.get("enum") if isinstance(node, dict) else None


def _check(pack: Pack) -> None:
    """Refuse a declaration the core cannot take, naming it, before anything reaches SQL."""
    names: set[str] = set()
    filters: set[str] = set()
    for column in pack.hot_columns:
        where = f"field {column.field}, column {column.name}"
        if not _NAME.match(column.name) or column.name in names or column.name in CORE_COLUMNS:
            raise PackError(f"{where}: the name must be new, lower case letters, digits and _.")
        names.add(column.name)
        if not COLUMN_TYPES.match(column.type):
            raise PackError(f"{where}: type {column.type!r} is not one of text, integer, numeric(p, s), "
                            "boolean, date, timestamptz.")
        sources = [s for s in (column.path, column.function, column.source) if s]
        if len(sources) != 1:
            raise PackError(f"{where}: give exactly one of path, function, source.")
        if column.path and not re.match(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$", column.path):
            raise PackError(f"{where}: path {column.path!r} is not a dotted name.")
        if column.function and not re.match(r"^steward_pack\.[a-z_][a-z0-9_]*$", column.function):
            raise PackError(f"{where}: a function is one of the pack's, steward_pack.<name>.")
        if column.source and column.source not in DERIVED_SOURCES:
            raise PackError(f"{where}: source must be one of {', '.join(DERIVED_SOURCES)}.")
        for f in column.filters:
            if f.op not in OPERATORS or not _NAME.match(f.name) or f.name in filters or f.name in CORE_FILTERS:
                raise PackError(f"{where}: filter {f.name!r} needs a new name and an op of {', '.join(OPERATORS)}.")
            filters.add(f.name)
    for name in (pack.kpis.pipeline_bucket, pack.kpis.pipeline_value):
        if name not in names:
            raise PackError(f"[kpi] pipeline names {name!r}, which no hot column is.")


# The projection's own columns (sql/migrations/0002) and the list's own filters: a pack
# may not take their names.
CORE_COLUMNS = frozenset({"customer_id", "name", "city", "region", "owner_id", "chain_id", "chain_name", "is_chain",
                          "shared", "sla_due", "search", "updated_at"})
CORE_FILTERS = frozenset({"q", "region", "owner", "chain_id", "customer_ids", "sort", "limit", "cursor"})


@cache
def load_catalog_files() -> tuple[tuple[Product, ...], tuple[Kit, ...]]:
    catalog = paths.resources_dir() / "catalog"
    with open(catalog / "products.csv", encoding="utf-8", newline="") as f:
        products = tuple(Product(r["sku"], r["name"], r["category"], r["unit"]) for r in csv.DictReader(f))
    with open(catalog / "kits.toml", "rb") as f:
        kits = tuple(
            Kit(id=k["id"], name=k["name"], is_default=k.get("default", False),
                items=tuple((i["sku"], int(i["quantity"])) for i in k["items"]))
            for k in tomllib.load(f)["kit"]
        )
    return products, kits


def rules_file() -> Path:
    """The pack's SQL rules (rules.sql in its folder), applied with the definitions."""
    return load_pack().folder / "rules.sql"


def reference_files() -> tuple[Path, ...]:
    """The files reference data is synced from."""
    resources = paths.resources_dir()
    return (load_pack().folder / "pack.toml", resources / "catalog" / "products.csv", resources / "catalog" / "kits.toml")
