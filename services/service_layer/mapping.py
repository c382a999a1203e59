"""Column mappings for tables from elsewhere: read a table, declare a mapping, map its rows.

One module for everything that brings rows of a foreign table into Steward: the legacy
move (services/service_layer/legacy.py) and `steward import`. The pure rules (reading
cells, checking a mapping, mapping a row) are services/rules/mapping.py; this adds the
input and output:

    table = read_table("kunden.csv")                      # or .xlsx, or a database table
    mapping = load_mapping("kunden.mapping.toml")         # TOML or JSON
    catalog = catalog_view(svc.catalog)
    problems = check(mapping, table.columns, catalog)     # [] when the mapping is sound
    for mapped in map_rows(mapping, table, catalog):      # services.rules.mapping.Mapped
        mapped.customer, mapped.contacts, mapped.fields   # or mapped.errors: (row, column, reason)

`read_table` detects a CSV's encoding (UTF-8, with or without BOM, else Windows-1252)
and separator (; , tab |), reads every cell as text (numbers and dates are the
mapping's to read, in German or ISO forms), and turns headings into column names
("Kunden-Nr." → kunden_nr). Row numbers are those a person sees in the file (the
heading is row 1) or, for a database table, the position in key order.

A mapping declaration (see resources/legacy/kunden.mapping.toml for a complete one):

    [source]
    table = "legacy.kunden"        # or: file = "kunden.csv"
    key = "kundennr"

    [customer]
    name = "firma"
    region = { column = "gebiet", map = { "Nord" = "NORTH", "Süd" = "SOUTH" } }
    external_ref = { column = "kundennr", template = "legacy:{}" }

    [[contact]]
    full_name = "ansprechpartner"
    email = { column = "email", type = "email", invalid = "drop" }
    roles = ["HEAD_CHEF"]

    [fields]
    "roi_potential.bucket" = { column = "roi_klasse", map = { A = "HIGH", B = "MID", C = "LOW" } }
    "roi_potential.value" = { column = "roi_eur_monat", type = "number" }
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from services.errors import ValidationError
from services.rules import mapping as rules
from services.rules.mapping import (CatalogView, Mapped, Mapping, MappingError, RowError, apply, check,
                                    merge_duplicates, normalise_column)

__all__ = ["Table", "read_table", "read_csv", "read_xlsx", "read_database_table", "load_mapping", "parse_mapping",
           "catalog_view", "check", "map_rows", "Mapping", "Mapped", "RowError", "CatalogView", "MappingError",
           "group_by_key", "merge_duplicates"]

_SEPARATORS = ";,\t|"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SAMPLE = 64 * 1024


@dataclass
class Table:
    """A source table: its column names, and its rows as {column: text or None}."""

    columns: list[str]
    rows: list[dict[str, str | None]]
    row_numbers: list[int] = field(default_factory=list)
    name: str = ""
    encoding: str | None = None
    separator: str | None = None
    headings: list[str] = field(default_factory=list)   # as the file wrote them

    def __len__(self) -> int:
        return len(self.rows)

    def numbered(self) -> Iterator[tuple[int, dict[str, str | None]]]:
        numbers = self.row_numbers or range(2, len(self.rows) + 2)
        return zip(numbers, self.rows)


# ------------------------------------------------------------------ reading tables

def read_table(source: str | Path, *, conn: Any = None, sheet: str | int | None = None,
               encoding: str | None = None, separator: str | None = None) -> Table:
    """A table from a CSV or XLSX file, or from a database table ("schema.table", with `conn`)."""
    text = str(source)
    path = Path(text)
    if conn is not None and not path.is_file():
        return read_database_table(conn, text)
    if not path.is_file():
        raise ValidationError(f"There is no file {path}.", errors={"file": "not found"})
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet=sheet)
    if suffix in (".csv", ".txt", ".tsv", ""):
        return read_csv(path, encoding=encoding, separator=separator)
    raise ValidationError(f"Cannot read '{path.suffix}' files; give a .csv or .xlsx file.",
                          errors={"file": "must be .csv or .xlsx"})


def detect_encoding(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of a sample is still UTF-8.
        if exc.start >= len(data) - 3 and len(data) >= _SAMPLE:
            return "utf-8"
        return "cp1252"


def detect_separator(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=_SEPARATORS).delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        return max(_SEPARATORS, key=first.count) if first else ";"


def read_csv(path: str | Path, *, encoding: str | None = None, separator: str | None = None) -> Table:
    path = Path(path)
    data = path.read_bytes()
    encoding = encoding or detect_encoding(data[:_SAMPLE] if len(data) > _SAMPLE else data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        encoding = "cp1252"
        text = data.decode(encoding, errors="replace")
    separator = separator or detect_separator(text[:_SAMPLE])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        headings = next(reader)
    except StopIteration:
        raise ValidationError(f"{path.name} is empty.", errors={"file": "empty"}) from None
    columns = _column_names(headings)
    rows, numbers = [], []
    line = 1
    for cells in reader:
        line += 1
        if not any(c.strip() for c in cells):
            continue
        rows.append({c: (cells[i] if i < len(cells) and cells[i] != "" else None) for i, c in enumerate(columns)})
        numbers.append(line)
    return Table(columns, rows, numbers, path.name, encoding, separator, headings)


def read_xlsx(path: str | Path, *, sheet: str | int | None = None) -> Table:
    from openpyxl import load_workbook

    path = Path(path)
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = book[sheet] if isinstance(sheet, str) else book.worksheets[sheet or 0]
        values = ws.iter_rows(values_only=True)
        try:
            headings = [str(h) if h is not None else "" for h in next(values)]
        except StopIteration:
            raise ValidationError(f"{path.name} is empty.", errors={"file": "empty"}) from None
        columns = _column_names(headings)
        rows, numbers = [], []
        for n, cells in enumerate(values, start=2):
            if not any(c not in (None, "") for c in cells):
                continue
            rows.append({c: _cell_text(cells[i]) if i < len(cells) else None for i, c in enumerate(columns)})
            numbers.append(n)
    finally:
        book.close()
    return Table(columns, rows, numbers, path.name, None, None, headings)


def _cell_text(value: Any) -> str | None:
    """An Excel cell as the text a person sees (dates as dd.mm.yyyy, numbers plainly)."""
    if value is None or value == "":
        return None
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_database_table(conn: Any, name: str, *, key: str | None = None) -> Table:
    """All rows of a table or view ("schema.table") as text, in key order when a key is given."""
    parts = name.split(".")
    if not 1 <= len(parts) <= 2 or not all(_IDENTIFIER.match(p) for p in parts) or (key and not _IDENTIFIER.match(key)):
        raise ValidationError(f"'{name}' is not a table name.", errors={"table": "not a table name"})
    quoted = ".".join(f'"{p}"' for p in parts)
    order = f' ORDER BY "{key}"::text COLLATE "C"' if key else ""
    result = conn.execute(sa.text(f"SELECT * FROM {quoted}{order}"))
    columns = list(result.keys())
    rows = [{c: (None if v is None else str(v)) for c, v in zip(columns, r)} for r in result]
    return Table(columns, rows, list(range(1, len(rows) + 1)), name, None, None, columns)


def _column_names(headings: Sequence[str]) -> list[str]:
    names: list[str] = []
    for heading in headings:
        name = normalise_column(heading)
        base, n = name, 2
        while name in names:
            name, n = f"{base}_{n}", n + 1
        names.append(name)
    return names


# ------------------------------------------------------------------ mappings

def load_mapping(path: str | Path) -> Mapping:
    """A mapping declared in a TOML or JSON file; ValidationError listing what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError(f"There is no mapping file {path}.", errors={"mapping": "not found"})
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.suffix.lower() == ".json" \
            else tomllib.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError(f"{path.name} is not valid {'JSON' if path.suffix == '.json' else 'TOML'}: {exc}",
                              errors={"mapping": "unreadable"}) from None
    return parse_mapping(data)


def parse_mapping(data: dict[str, Any]) -> Mapping:
    try:
        return Mapping.from_dict(data)
    except MappingError as exc:
        raise ValidationError("The mapping is not valid.",
                              errors={p.split(":", 1)[0]: p.split(":", 1)[-1].strip() for p in exc.problems}) from None


def catalog_view(catalog: Any) -> CatalogView:
    """The parts of the service layer's catalog (services.service_layer.context.Catalog) a
    mapping is checked against."""
    return CatalogView(
        fields={k: (f.schema, tuple(f.checks), f.derived) for k, f in catalog.fields.items()},
        regions=tuple(catalog.regions),
        contact_roles=tuple(catalog.contact_roles))


def require_sound(mapping: Mapping, columns: Iterable[str], catalog: CatalogView) -> None:
    problems = check(mapping, columns, catalog)
    if problems:
        raise ValidationError("The mapping does not fit the source or the catalog.",
                              errors={p.split(":", 1)[0]: p.split(":", 1)[-1].strip() for p in problems})


def map_rows(mapping: Mapping, table: Table, catalog: CatalogView | None = None, *,
             validate_fields: bool = True) -> Iterator[Mapped]:
    """Each row as services.rules.mapping.Mapped (customer, contacts, fields, or errors)."""
    for number, row in table.numbered():
        yield apply(mapping, row, number, catalog, validate_fields=validate_fields)


def group_by_key(mapping: Mapping, rows: Iterable[tuple[int | None, dict[str, Any]]]
                 ) -> dict[str, list[tuple[int | None, dict[str, Any]]]]:
    """Rows by their key (text, stripped), in the order they come."""
    groups: dict[str, list[tuple[int | None, dict[str, Any]]]] = {}
    for number, row in rows:
        value = row.get(mapping.key) if mapping.key else None
        key = "" if value is None else str(value).strip()
        groups.setdefault(key, []).append((number, row))
    return groups


@dataclass(frozen=True)
class PlanLine:
    target: str
    column: str | None
    reads: str
    sample: str


def plan_lines(mapping: Mapping, table: Table | None = None) -> list[PlanLine]:
    """What the mapping does, one line per target, with a sample of the column's texts."""
    lines = []
    for spec in mapping.specs():
        reads = spec.type
        if spec.map:
            reads += f", {len(spec.map)} mapped value(s)"
        if spec.template:
            reads += f", as {spec.template}"
        if spec.default is not None:
            reads += f", default {spec.default!r}"
        if spec.invalid == "drop":
            reads += ", a bad cell is dropped"
        sample = ""
        if table is not None and spec.column:
            seen: list[str] = []
            for row in table.rows:
                v = row.get(spec.column)
                if v and v not in seen:
                    seen.append(v)
                if len(seen) == 3:
                    break
            sample = ", ".join(seen)
        lines.append(PlanLine(spec.target, spec.column, reads, sample))
    for i, contact in enumerate(mapping.contacts):
        lines.append(PlanLine(f"contact.{i}.roles", None, ", ".join(contact.roles), ""))
    return lines


# Re-exported for callers that only import this module.
normalise = rules.normalise_word
