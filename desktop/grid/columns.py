"""The grid's columns: the account's own (name, city, owner, SLA, region, chain) and one per hot
column the pack declares (svc.catalog.hot_columns), shown by its type. What each shows, how it
sorts (the list's sort keys only: each has an index), how it exports: each column gives one or
more `Export` parts, a title, a value as a person reads it (labels, not codes) and its kind, which
desktop/export.py writes as Excel and CSV want it (numbers as numbers, dates as dates)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from desktop import display
from desktop.i18n import translate
from services.pack import HotColumn
from services.service_layer.customers import CustomerRow


# What kind of value an export part holds (desktop/export.py writes each as its kind).
TEXT, INTEGER, NUMBER, MONEY, DATE, MOMENT = "text", "integer", "number", "money", "date", "moment"


@dataclass(frozen=True)
class Export:
    """One column of an export: its title, its value for a row (labels, not codes), and its kind."""

    title: str
    value: Callable[[CustomerRow], Any]
    kind: str = TEXT


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    text: Callable[[CustomerRow], str]
    value: Callable[[CustomerRow], Any]          # the raw value (a code, a Decimal, a date)
    sort: str | None = None                       # a key of svc.customers.sort_keys()
    badge: Callable[[CustomerRow], Any] | None = None   # the code whose colours the cell wears
    numeric: bool = False
    width: int = 110
    visible: bool = True
    tooltip: str = ""
    fit: int = 0            # > 0: as wide as its widest text in the rows loaded, up to this many pixels
    essential: bool = False  # always shown at first (what tells customers apart); the rest as room allows
    exports: tuple[Export, ...] = ()             # what an export writes for it (default: its text)

    def export_parts(self) -> tuple[Export, ...]:
        return self.exports or (Export(self.title, self.text),)


# How wide a hot column starts, by its type; a title that needs more gets more (desktop/grid/view.py).
_WIDTHS = {"date": 86, "timestamptz": 140, "boolean": 60, "integer": 64, "numeric": 92, "choice": 84, "text": 120}


def _attr(name: str) -> Callable[[CustomerRow], Any]:
    return lambda row: getattr(row, name)


def _sla_text(row: CustomerRow) -> str:
    if row.sla_badge is None:
        return ""
    return f"{display.human(row.sla_badge)} · {display.day(row.sla_due)}"


def _region_name(regions: Mapping[str, str]) -> Callable[[CustomerRow], str]:
    return lambda row: regions.get(row.region, row.region)


def _whole_or_not(value: Any) -> Any:
    # Excel takes floats; a Decimal would be written as text, and 2.0 should read 2.
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def hot(column: HotColumn, sortable: Collection[str], about: str = "") -> Column:
    """The grid column of a hot column: its text by type (dates, moments, numbers with thousands
    separators, yes/no; a list's codes as words in the badge colours they have)."""
    kind, name = column.python_type, column.name
    get = _attr(name)
    text: Callable[[Any], str]
    badge = None
    title = column.label
    if kind == "date":
        text = display.day
    elif kind == "timestamptz":
        # The cells without the zone, the header with it: one label for a column of times.
        text = lambda value: display.moment(value, zone=False)   # noqa: E731
        title = f"{column.label} ({display.zone_name()})"
    elif kind == "boolean":
        text = display.yes_no
    elif kind in ("integer", "numeric"):
        text = display.number
    elif column.choices:
        kind, text, badge = "choice", display.short, get
    else:
        text = lambda value: "" if value is None else str(value)   # noqa: E731
    return Column(name, title, lambda row: text(get(row)), get, sort=name if name in sortable else None,
                  badge=badge, numeric=kind in ("integer", "numeric"), width=_WIDTHS[kind], visible=not column.hidden,
                  tooltip=about, fit=160 if kind in ("text", "choice") else 0, exports=(_export(column, kind, get),))


def _export(column: HotColumn, kind: str, get: Callable[[CustomerRow], Any]) -> Export:
    """A hot column's export: numbers and dates as such, money with the € format ("€" in its label: the
    business counts in euros only), yes/no and list codes as words."""
    if kind == "date":
        return Export(column.label, get, DATE)
    if kind == "timestamptz":
        return Export(column.label, get, MOMENT)
    if kind == "boolean":
        return Export(column.label, lambda row: display.yes_no(get(row)))
    if kind == "integer":
        return Export(column.label, get, INTEGER)
    if kind == "numeric":
        return Export(column.label, lambda row: _whole_or_not(get(row)), MONEY if "€" in column.label else NUMBER)
    if kind == "choice":
        return Export(column.label, lambda row: display.human(get(row)))
    return Export(column.label, lambda row: "" if get(row) is None else str(get(row)))


def build(hot_columns: tuple[HotColumn, ...], sort_keys: Collection[str], regions: Mapping[str, str],
          about: Mapping[str, str] | None = None) -> tuple[Column, ...]:
    """The account's columns around the pack's: name, city, owner and the SLA first, then the hot fields
    (what a person works the list by, in the pack's order), region and chain last. `about`: a tooltip per
    hot field."""
    about = about or {}
    sortable = set(sort_keys)
    return (
        # A name is cut in its middle if it must be (desktop/grid/view.py): branches keep their ends.
        Column(
            "name",
            translate("grid.columns", "Customer"),
            _attr("name"),
            _attr("name"),
            sort="name" if "name" in sortable else None,
            width=220,
            fit=340,
            essential=True,
        ),
        Column(
            "city",
            translate("grid.columns", "City"),
            lambda r: r.city or "",
            _attr("city"),
            sort="city" if "city" in sortable else None,
            width=95,
            fit=150,
            essential=True,
        ),
        Column(
            "owner",
            translate("grid.columns", "Owner"),
            lambda r: r.owner_name or "",
            _attr("owner_name"),
            width=108,
            fit=220,
            essential=True,
        ),
        Column(
            "sla",
            "SLA",
            _sla_text,
            lambda r: r.sla_badge,
            badge=_attr("sla_badge"),
            width=160,
            fit=230,
            essential=True,
            tooltip=translate("grid.columns", "The customer's most urgent open SLA and its due date"),
            exports=(
                Export("SLA", lambda r: display.human(r.sla_badge)),
                Export(translate("grid.columns", "SLA due"), _attr("sla_due"), DATE),
            ),
        ),
        *(hot(c, sortable, about.get(c.field, "")) for c in hot_columns),
        Column(
            "chain",
            translate("grid.columns", "Chain"),
            lambda r: r.chain_name or "",
            _attr("chain_name"),
            width=150,
            fit=260,
            tooltip=translate("grid.columns", "The chain a location belongs to (a chain shows its own name)"),
        ),
        # One region (a team lead's, a rep's): the column would say the same in every row.
        Column(
            "region",
            translate("grid.columns", "Region"),
            _region_name(regions),
            _attr("region"),
            width=70,
            fit=120,
            visible=len(regions) > 1,
        ),
    )
