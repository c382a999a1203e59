"""The customer list's filters and sort keys: the list's own (text, region, owner, chain,
given customers) and every filter and sortable column the pack declares on its hot
fields (pack.toml, [[field.column]]). The HTTP API and saved views take the same names."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from services.errors import ValidationError
from services.pack import Filter
from services.service_layer import paging
from services.service_layer.coerce import as_bool, as_date, as_int, as_moment, as_uuid, many_of, one_of
from services.service_layer.context import Catalog
from services.service_layer.customers.rows import shape
from services.adapters.tables import users

# The list's own filters; the pack's come from its hot columns.
OWN_FILTERS = ("q", "region", "owner", "chain_id", "customer_ids", "feedbacks")
# Sort keys that are not hot columns; a name is never empty, so it needs no second phase.
OWN_SORTS = ("name", "city")
NOT_NULL_SORTS = frozenset({"name"})

_WORD = re.compile(r"\w+", re.UNICODE)
_OPS = {"=": "__eq__", "<": "__lt__", "<=": "__le__", ">": "__gt__", ">=": "__ge__"}


def filter_names(catalog: Catalog) -> tuple[str, ...]:
    """Every filter parameter of the customer list."""
    return (*catalog.filters, *OWN_FILTERS)


def sort_keys(catalog: Catalog) -> tuple[str, ...]:
    """The columns the grid sorts by: each has an index (column, customer_id) for keyset pages."""
    return (*OWN_SORTS, *(c.name for c in catalog.hot_columns if c.sortable))


def parse_sort(catalog: Catalog, sort: Any) -> tuple[str, bool]:
    if not isinstance(sort, str):
        raise ValidationError("The sort order must be a column name.", errors={"sort": "must be text"})
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    one_of(key, "sort", sort_keys(catalog))
    return key, descending


def sort_value(catalog: Catalog, key: str, raw: Any) -> Any:
    """A cursor's sort value back in the column's type."""
    kind = catalog.column[key].python_type if key in catalog.column else "text"
    try:
        if kind == "date":
            return date.fromisoformat(raw)
        if kind == "timestamptz":
            return datetime.fromisoformat(raw)
        if kind == "numeric":
            return Decimal(raw)
        if kind == "integer":
            return int(raw)
        if not isinstance(raw, str):
            raise ValueError
        return raw
    except (TypeError, ValueError, ArithmeticError):
        raise ValidationError("The page cursor is malformed.", errors={"cursor": "not a cursor of this list"}) from None


def looks_like_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
        return True
    except ValueError:
        return False


@dataclass(frozen=True)
class Filters:
    """The grid's filters as SQL clauses on the projection, and a canonical description for cursors."""

    clauses: tuple[Any, ...]
    describe: dict[str, Any]
    search: str | None = None    # the words of `q`, for the word walk (customers/words.py)

    @classmethod
    def build(cls, catalog: Catalog, **filters: Any) -> "Filters":
        """Unknown names are refused; None means "not filtered"."""
        table = shape(catalog).table
        p = table.c
        unknown = sorted(name for name in filters if name not in catalog.filters and name not in OWN_FILTERS)
        if unknown:
            raise ValidationError(f"The customer list has no filter {', '.join(map(repr, unknown))}.",
                                  errors={name: f"unknown filter (known: {', '.join(filter_names(catalog))})"
                                          for name in unknown})
        clauses: list[Any] = []
        described: dict[str, Any] = {}
        search = None
        for name, value in filters.items():
            if value is None or name not in catalog.filters:
                continue
            clause, canonical = _pack_filter(p, catalog.filters[name], value)
            clauses.append(clause)
            described[name] = canonical
        if filters.get("feedbacks") is not None:
            clause, canonical = _feedbacks(catalog, filters["feedbacks"])
            clauses.append(p.customer_id.in_(clause))
            described["feedbacks"] = canonical
        q, region, owner = filters.get("q"), filters.get("region"), filters.get("owner")
        chain_id, customer_ids = filters.get("chain_id"), filters.get("customer_ids")
        if q is not None:
            if not isinstance(q, str):
                raise ValidationError("The search text must be text.", errors={"q": "must be text"})
            words = _WORD.findall(q.lower())[:8]
            if words:
                # Word-prefix search over name and city ("kant ham" finds "Kantine Nord, Hamburg"),
                # folded as the stored words are ("cafe" finds "Café": migration 0022).
                query = " & ".join(f"{w}:*" for w in words)
                # Parsed once per statement (a generic plan would otherwise parse it per row).
                tsquery = sa.select(sa.func.to_tsquery(sa.literal_column("'simple'"),
                                                       sa.func.search_fold(query))).scalar_subquery()
                clauses.append(p.search.bool_op("@@")(tsquery))
                described["q"] = query
                search = " ".join(words)
        if region is not None:
            regions = many_of(region, "region", catalog.regions)
            clauses.append(p.region.in_(regions))
            described["region"] = sorted(regions)
        if owner is not None:
            if isinstance(owner, uuid.UUID) or (isinstance(owner, str) and looks_like_uuid(owner)):
                clauses.append(p.owner_id == as_uuid(owner, "owner"))
            elif isinstance(owner, str) and owner:
                clauses.append(p.owner_id == sa.select(users.c.id).where(users.c.login == owner).scalar_subquery())
            else:
                raise ValidationError("The owner must be a user id or login.", errors={"owner": "must be a user id or login"})
            described["owner"] = str(owner)
        if chain_id is not None:
            cid = as_uuid(chain_id, "chain_id")
            clauses.append(p.chain_id == cid)
            described["chain_id"] = str(cid)
        if customer_ids is not None:
            # The customers behind a cockpit chart's point (svc.kpis.grid_filter).
            if isinstance(customer_ids, (str, bytes)) or not hasattr(customer_ids, "__iter__"):
                raise ValidationError("customer_ids must be a list of ids.", errors={"customer_ids": "must be a list"})
            ids = sorted({as_uuid(v, "customer_ids") for v in customer_ids})
            clauses.append(p.customer_id == sa.any_(sa.literal(ids, type_=postgresql.ARRAY(postgresql.UUID(as_uuid=True)))))
            described["customer_ids"] = paging.fingerprint({"ids": [str(i) for i in ids]})
        return cls(tuple(clauses), dict(sorted(described.items())), search)


def _feedbacks(catalog: Catalog, value: Any) -> tuple[Any, dict[str, Any]]:
    """`feedbacks={"from": day, "to": day, "outcome": status or None}`: the customers whose sample
    feedbacks the cockpit's success rate counted on those days (kpi_facts, the charts' own
    source), with that outcome or any. What a click on a point of the chart shows."""
    if not isinstance(value, dict) or not {"from", "to"} <= set(value) or set(value) - {"from", "to", "outcome"}:
        raise ValidationError("feedbacks takes {\"from\": day, \"to\": day} and, if wanted, an \"outcome\".",
                              errors={"feedbacks": "must be {from, to, outcome}"})
    first, last = as_date(value["from"], "feedbacks.from"), as_date(value["to"], "feedbacks.to")
    if last < first:
        raise ValidationError("The feedbacks' period ends before it starts.", errors={"feedbacks": "to before from"})
    k = catalog.kpis
    outcome = value.get("outcome")
    if outcome is not None:
        one_of(outcome, "feedbacks.outcome", (k.success, k.neutral, k.fail))
    facts = sa.func.kpi_facts(first, last).table_valued("fact", "customer_id", "key").alias("facts")
    chosen = sa.select(facts.c.customer_id).where(facts.c.fact == "outcome")
    if outcome is not None:
        chosen = chosen.where(facts.c.key == outcome)
    return chosen, {"from": first.isoformat(), "to": last.isoformat(), "outcome": outcome}


def _pack_filter(p, f: Filter, value: Any) -> tuple[Any, Any]:
    """A pack filter's clause on its column and the value's canonical form."""
    column = p[f.column]
    if f.op == "in":
        values = many_of(value, f.name, f.choices) if f.choices else _texts(value, f.name)
        return column.in_(values), sorted(values)
    typed = _typed(f, value)
    canonical = typed.isoformat() if isinstance(typed, (date, datetime)) else (
        str(typed) if isinstance(typed, Decimal) else typed)
    if f.op == "=" and isinstance(typed, bool):
        return column.is_(typed), canonical
    return getattr(column, _OPS[f.op])(typed), canonical


def _typed(f: Filter, value: Any) -> Any:
    kind = "numeric" if f.type.startswith("numeric") else f.type
    if kind == "date":
        return as_date(value, f.name)
    if kind == "timestamptz":
        return as_moment(value, f.name)
    if kind == "boolean":
        return as_bool(value, f.name)
    if kind == "integer":
        return as_int(value, f.name, minimum=f.minimum)
    if kind == "numeric":
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
            raise ValidationError(f"'{f.name}' must be a number.", errors={f.name: "must be a number"})
        try:
            return Decimal(str(value))
        except ArithmeticError:
            raise ValidationError(f"'{f.name}' must be a number.", errors={f.name: "must be a number"}) from None
    if not isinstance(value, str):
        raise ValidationError(f"'{f.name}' must be text.", errors={f.name: "must be text"})
    return value


def _texts(value: Any, field: str) -> list[str]:
    values = [value] if isinstance(value, str) else list(value) if isinstance(value, (list, tuple, set)) else None
    if not values or not all(isinstance(v, str) for v in values):
        raise ValidationError(f"'{field}' must be a value or a list of values.", errors={field: "must be a value or a list"})
    return values
