"""The grid's columns: the account's own (name, city, owner, SLA, region, chain) and one per hot
column the pack declares (svc.catalog.hot_columns), shown by its type. What each shows, how it
sorts (the list's sort keys only: each has an index), how it exports."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from desktop import display
from services.pack import HotColumn
from services.service_layer.customers import CustomerRow


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    text: Callable[[CustomerRow], str]
    value: Callable[[CustomerRow], Any]          # the raw value, for export
    sort: str | None = None                       # a key of svc.customers.sort_keys()
    badge: Callable[[CustomerRow], Any] | None = None   # the code whose colours the cell wears
    numeric: bool = False
    width: int = 110
    visible: bool = True
    tooltip: str = ""


# How wide a hot column starts, by its type; a title that needs more gets more (desktop/grid/view.py).
_WIDTHS = {"date": 92, "timestamptz": 130, "boolean": 70, "integer": 70, "numeric": 104, "choice": 105, "text": 120}


def _attr(name: str) -> Callable[[CustomerRow], Any]:
    return lambda row: getattr(row, name)


def _sla_text(row: CustomerRow) -> str:
    if row.sla_badge is None:
        return ""
    return f"{display.human(row.sla_badge)} · {display.day(row.sla_due)}"


def _export_number(value: Any) -> Any:
    # Excel and pandas take floats; Decimal would be written as text.
    return float(value) if isinstance(value, Decimal) else value


def hot(column: HotColumn, sortable: Collection[str], about: str = "") -> Column:
    """The grid column of a hot column: its text by type (dates, moments, numbers with thousands
    separators, yes/no; a list's codes as words in the badge colours they have)."""
    kind, name = column.python_type, column.name
    get = _attr(name)
    text: Callable[[Any], str]
    badge = None
    if kind == "date":
        text = display.day
    elif kind == "timestamptz":
        text = display.moment
    elif kind == "boolean":
        text = display.yes_no
    elif kind in ("integer", "numeric"):
        text = display.number
    elif column.choices:
        kind, text, badge = "choice", display.short, get
    else:
        text = lambda value: "" if value is None else str(value)   # noqa: E731
    value = (lambda row: _export_number(get(row))) if kind == "numeric" else get
    return Column(name, column.label, lambda row: text(get(row)), value, sort=name if name in sortable else None,
                  badge=badge, numeric=kind in ("integer", "numeric"), width=_WIDTHS[kind], visible=not column.hidden,
                  tooltip=about)


def build(hot_columns: tuple[HotColumn, ...], sort_keys: Collection[str], regions: Mapping[str, str],
          about: Mapping[str, str] | None = None) -> tuple[Column, ...]:
    """The account's columns around the pack's: name, city, owner and the SLA first, then the hot fields
    (what a person works the list by, in the pack's order), region and chain last. `about`: a tooltip per
    hot field."""
    about = about or {}
    sortable = set(sort_keys)
    return (
        Column("name", "Customer", _attr("name"), _attr("name"), sort="name" if "name" in sortable else None,
               width=195),
        Column("city", "City", lambda r: r.city or "", _attr("city"), sort="city" if "city" in sortable else None,
               width=95),
        Column("owner", "Owner", lambda r: r.owner_name or "", _attr("owner_name"), width=108),
        Column("sla", "SLA", _sla_text, lambda r: r.sla_badge, badge=_attr("sla_badge"), width=160,
               tooltip="The customer's most urgent open SLA and its due date"),
        *(hot(c, sortable, about.get(c.field, "")) for c in hot_columns),
        Column("region", "Region", lambda r: regions.get(r.region, r.region), _attr("region"), width=70),
        Column("chain", "Chain", lambda r: r.chain_name or "", _attr("chain_name"), width=150,
               tooltip="The chain a location belongs to (a chain shows its own name)"),
    )
