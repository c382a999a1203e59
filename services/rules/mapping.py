"""Mapping rows of a foreign table onto Steward: the pure part (no files, no database).

A `Mapping` says, for each Steward target, which column of the source feeds it and how
its text is read:

* customer master data: `customer.name`, `city`, `region`, `owner` (a login), `external_ref`;
* contacts: `full_name`, `email`, `phone` and the `roles` they hold (a list of codes);
* field values by field key, or by a path into one (`roi_potential.bucket`,
  `seasonal_menu_cycle.season_start`): the parts of one field are put together into
  its value.

Each target's `Spec`: the `column`, the `type` its text is read as (text, number,
integer, date, boolean, email, phone), a `map` of source texts to values (compared
casefolded, umlauts spelt out, spaces collapsed: "Süd", "SUED", " süd " are one), a
`default` for an empty cell, a `template` ("legacy:{}" with the cell's text), and
whether a bad cell refuses the row (`invalid = "refuse"`, the default) or is dropped
(`"drop"`, reported as a warning). Numbers and dates are read in German as well as ISO
forms ("1.800,50", "01.10.2026", "1.10.26").

`Mapping.from_dict` reads the declaration (TOML or JSON, see
services/service_layer/mapping.py), `check` validates it against the source's columns
and the catalog (field keys, paths, regions, contact roles), and `apply` turns one row
into the customer, contacts and field values it yields, or its errors as (row, column,
reason). Field values are checked against the catalog's JSON schemas with
services.rules.validation.value_errors, in the same words as the database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping as MappingABC, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from services.rules.validation import value_errors

TYPES = ("text", "number", "integer", "date", "boolean", "email", "phone")
CUSTOMER_TARGETS = ("name", "city", "region", "owner", "external_ref")
CONTACT_TARGETS = ("full_name", "email", "phone")
TRUE_WORDS = frozenset({"ja", "j", "yes", "y", "true", "wahr", "x", "1", "on"})
FALSE_WORDS = frozenset({"nein", "n", "no", "false", "falsch", "0", "off", "-"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DATE_DE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_SPACES = re.compile(r"\s+")


class CellError(ValueError):
    """A cell whose text is not what its spec reads."""


# ------------------------------------------------------------------ reading cells

@lru_cache(maxsize=65536)
def normalise_word(text: str) -> str:
    """How map keys and cells are compared: casefolded, umlauts spelt out, one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).casefold().translate(_UMLAUTS)).strip()


def normalise_column(name: str) -> str:
    """A column heading as a column name: lower case, umlauts spelt out, _ between words
    ("Kunden-Nr." → "kunden_nr", "Straße" → "strasse")."""
    name = normalise_word(str(name))
    name = re.sub(r"[^a-z0-9]+", "_", name).strip("_")
    return ("c_" + name if name[:1].isdigit() else name)[:63] or "column"


@lru_cache(maxsize=65536)
def parse_number(text: str) -> int | float:
    """German or English notation: "1.800,50", "1800.5", "1 800", "2.500", "12,5 %", "€ 1.800,-"."""
    t = text.strip().replace("\u00a0", " ").replace("€", "").replace("EUR", "").replace("%", "")
    t = t.replace(" ", "").replace(",-", "").replace("'", "")
    if not t:
        raise CellError("is empty")
    if "," in t and "." in t:
        t = t.replace(".", "").replace(",", ".") if t.rfind(",") > t.rfind(".") else t.replace(",", "")
    elif "," in t:
        t = t.replace(".", "").replace(",", ".") if t.count(",") == 1 else t.replace(",", "")
    elif t.count(".") > 1 or re.fullmatch(r"-?\d{1,3}\.\d{3}", t):
        t = t.replace(".", "")   # "2.500" is two thousand five hundred in a German table
    try:
        number = Decimal(t)
    except InvalidOperation:
        raise CellError(f"'{text.strip()}' is not a number") from None
    if not number.is_finite():
        raise CellError(f"'{text.strip()}' is not a number")
    return int(number) if number == number.to_integral_value() else float(number)


def parse_integer(text: str) -> int:
    number = parse_number(text)
    if isinstance(number, float):
        raise CellError(f"'{text.strip()}' is not a whole number")
    return number


@lru_cache(maxsize=65536)
def parse_date(text: str) -> str:
    """"01.10.2026", "1.10.26", "2026-10-01" → "2026-10-01" (two-digit years: 20xx below 70)."""
    t = text.strip()
    m = _DATE_DE.match(t)
    if m:
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if len(m[3]) == 2:
            year += 2000 if year < 70 else 1900
    else:
        m = _DATE_ISO.match(t.split("T")[0].split(" ")[0])
        if not m:
            raise CellError(f"'{t}' is not a date")
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise CellError(f"'{t}' is not a date") from None


def parse_boolean(text: str, spec: "Spec | None" = None) -> bool:
    word = normalise_word(text)
    if word in TRUE_WORDS or (spec is not None and spec.true_text and word == normalise_word(spec.true_text)):
        return True
    if word in FALSE_WORDS or (spec is not None and spec.false_text and word == normalise_word(spec.false_text)):
        return False
    raise CellError(f"'{text.strip()}' is neither yes nor no")


def parse_email(text: str) -> str:
    t = text.strip()
    if not _EMAIL.match(t) or len(t) > 320:
        raise CellError(f"'{t}' is not an e-mail address")
    return t


@lru_cache(maxsize=65536)
def parse_phone(text: str, country: str = "49") -> str:
    """A German phone number in any of its usual forms as +<country><number> ("040/123 45-6",
    "+49 (40) 123456", "0049 40 123456" → "+4940123456")."""
    t = text.strip()
    digits = re.sub(r"\D", "", t)
    if t.startswith("+"):
        number = "+" + digits
    elif digits.startswith("00"):
        number = "+" + digits[2:]
    elif digits.startswith("0"):
        number = f"+{country}" + digits[1:]
    else:
        number = f"+{country}" + digits
    if len(re.sub(r"\D", "", number)) < 7 or len(number) > 20:
        raise CellError(f"'{t}' is not a phone number")
    return number


# ------------------------------------------------------------------ declarations

@dataclass(frozen=True)
class Spec:
    """How one target is read from a row."""

    target: str
    column: str | None = None
    type: str = "text"
    map: dict[str, Any] = field(default_factory=dict)   # normalised source text → value
    default: Any = None
    template: str | None = None
    required: bool = False
    invalid: str = "refuse"                             # or "drop"
    true_text: str | None = None
    false_text: str | None = None
    write: dict[str, str] = field(default_factory=dict)  # value → source text, for writing back

    def read(self, row: MappingABC[str, Any]) -> Any:
        """The value of this target in `row` (None: nothing); raises CellError."""
        raw = row.get(self.column) if self.column else None
        text = "" if raw is None else str(raw)
        if not text.strip():
            if self.required and self.default is None:
                raise CellError("must not be empty")
            return self.default
        if self.template is not None:
            return self.template.replace("{}", text.strip())
        if self.map:
            word = normalise_word(text)
            if word in self.map:
                return self.map[word]
            if self.type == "text":
                raise CellError(f"'{text.strip()}' is none of the known values")
        return _PARSERS[self.type](text, self)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type}
        for key in ("column", "template", "default", "true_text", "false_text"):
            if getattr(self, key) is not None:
                out[{"true_text": "true", "false_text": "false"}.get(key, key)] = getattr(self, key)
        if self.map:
            out["map"] = self.map
        if self.write:
            out["write"] = self.write
        if self.required:
            out["required"] = True
        if self.invalid != "refuse":
            out["invalid"] = self.invalid
        return out


_PARSERS = {
    "text": lambda t, s: t.strip(),
    "number": lambda t, s: parse_number(t),
    "integer": lambda t, s: parse_integer(t),
    "date": lambda t, s: parse_date(t),
    "boolean": lambda t, s: parse_boolean(t, s),
    "email": lambda t, s: parse_email(t),
    "phone": lambda t, s: parse_phone(t),
}


@dataclass(frozen=True)
class ContactSpec:
    specs: dict[str, Spec]
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Mapping:
    """A declared mapping (see the module's doc)."""

    key: str | None
    customer: dict[str, Spec]
    contacts: tuple[ContactSpec, ...]
    fields: dict[str, Spec]
    source: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: MappingABC[str, Any]) -> "Mapping":
        """Read a declaration; raises MappingError listing every problem of its shape."""
        problems: list[str] = []
        source = dict(data.get("source") or {})
        key = source.get("key") or data.get("key")
        customer = {t: s for t, s in ((t, _spec(f"customer.{t}", v, problems))
                                      for t, v in (data.get("customer") or {}).items()) if s}
        for target in customer:
            if target not in CUSTOMER_TARGETS:
                problems.append(f"customer.{target}: not a customer's master data (one of {', '.join(CUSTOMER_TARGETS)})")
        contacts = []
        declared = data.get("contact", data.get("contacts")) or []
        for i, c in enumerate([declared] if isinstance(declared, MappingABC) else declared):
            if not isinstance(c, MappingABC):
                problems.append(f"contact.{i}: must be a table")
                continue
            specs = {}
            for target, v in c.items():
                if target == "roles":
                    continue
                if target not in CONTACT_TARGETS:
                    problems.append(f"contact.{i}.{target}: not a contact's detail (one of {', '.join(CONTACT_TARGETS)})")
                    continue
                spec = _spec(f"contact.{i}.{target}", v, problems)
                if spec:
                    specs[target] = spec
            roles = c.get("roles") or []
            if isinstance(roles, str):
                roles = [roles]
            contacts.append(ContactSpec(specs, tuple(str(r) for r in roles)))
        fields = {t: s for t, s in ((t, _spec(f"fields.{t}", v, problems))
                                    for t, v in (data.get("fields") or {}).items()) if s}
        if problems:
            raise MappingError(problems)
        return cls(key, customer, tuple(contacts), fields, source)

    def columns(self) -> list[str]:
        """Every source column the mapping reads, the key first."""
        seen = [self.key] if self.key else []
        for spec in self.specs():
            if spec.column and spec.column not in seen:
                seen.append(spec.column)
        return seen

    def specs(self) -> list[Spec]:
        return [*self.customer.values(), *(s for c in self.contacts for s in c.specs.values()), *self.fields.values()]

    def to_json(self) -> dict[str, Any]:
        """The mapping as the database keeps it (sql/definitions/43_legacy.sql)."""
        return {"key": self.key,
                "customer": {t: s.to_json() for t, s in self.customer.items()},
                "contacts": [{**{t: s.to_json() for t, s in c.specs.items()}, "roles": list(c.roles)}
                             for c in self.contacts],
                "fields": {t: s.to_json() for t, s in self.fields.items()}}


class MappingError(ValueError):
    def __init__(self, problems: Sequence[str]):
        super().__init__("; ".join(problems))
        self.problems = list(problems)


def _spec(target: str, declared: Any, problems: list[str]) -> Spec | None:
    if isinstance(declared, str):
        declared = {"column": declared}
    if not isinstance(declared, MappingABC):
        problems.append(f"{target}: give a column name or a table (column, type, map, default, template)")
        return None
    unknown = set(declared) - {"column", "type", "map", "default", "template", "required", "invalid", "true", "false",
                               "write"}
    if unknown:
        problems.append(f"{target}: unknown setting(s) {', '.join(sorted(unknown))}")
    kind = declared.get("type", "text")
    if kind not in TYPES:
        problems.append(f"{target}: type '{kind}' is none of {', '.join(TYPES)}")
        return None
    if not declared.get("column") and declared.get("default") is None:
        problems.append(f"{target}: needs a column or a default")
        return None
    if declared.get("invalid", "refuse") not in ("refuse", "drop"):
        problems.append(f"{target}: invalid is 'refuse' or 'drop'")
    if declared.get("template") is not None and "{}" not in str(declared["template"]):
        problems.append(f"{target}: a template holds {{}} where the cell's text goes")
    mapped = {normalise_word(str(k)): v for k, v in (declared.get("map") or {}).items()}
    # Writing back: each value to the first source text that maps to it, unless declared.
    write: dict[str, str] = {}
    for k, v in (declared.get("map") or {}).items():
        write.setdefault(_json_key(v), str(k))
    write.update({_json_key(k): str(v) for k, v in (declared.get("write") or {}).items()})
    column = declared.get("column")
    return Spec(target=target, column=normalise_column(column) if column else None, type=kind, map=mapped,
                default=declared.get("default"), template=declared.get("template"),
                required=bool(declared.get("required", False)), invalid=declared.get("invalid", "refuse"),
                true_text=declared.get("true"), false_text=declared.get("false"), write=write)


def _json_key(value: Any) -> str:
    """A value as the database's `#>> '{}'` shows it (the key of a write-back map)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# ------------------------------------------------------------------ checking a mapping

@dataclass(frozen=True)
class CatalogView:
    """What a mapping is checked against: the pack's fields (key → (schema, checks,
    derived)), region codes and contact roles, as the database holds them."""

    fields: dict[str, tuple[dict[str, Any], tuple[Any, ...], bool]]
    regions: tuple[str, ...]
    contact_roles: tuple[str, ...]


def check(mapping: Mapping, columns: Iterable[str], catalog: CatalogView) -> list[str]:
    """Every problem of `mapping` against a source with these columns and this catalog."""
    present = set(columns)
    problems = []
    if not mapping.key:
        problems.append("source.key: name the column that identifies a row")
    elif mapping.key not in present:
        problems.append(f"source.key: the source has no column '{mapping.key}'")
    for spec in mapping.specs():
        if spec.column and spec.column not in present:
            problems.append(f"{spec.target}: the source has no column '{spec.column}'")
    if "name" not in mapping.customer:
        problems.append("customer.name: every customer needs a name")
    if "region" not in mapping.customer:
        problems.append("customer.region: every customer needs a region")
    region = mapping.customer.get("region")
    if region:
        for value in [*region.map.values(), *([region.default] if region.default is not None else [])]:
            if value not in catalog.regions:
                problems.append(f"customer.region: '{value}' is no region (one of {', '.join(catalog.regions)})")
    for i, contact in enumerate(mapping.contacts):
        if "full_name" not in contact.specs:
            problems.append(f"contact.{i}.full_name: every contact needs a name")
        if not contact.roles:
            problems.append(f"contact.{i}.roles: give the role(s) the contact holds")
        for role in contact.roles:
            if role not in catalog.contact_roles:
                problems.append(f"contact.{i}.roles: '{role}' is no contact role (one of {', '.join(catalog.contact_roles)})")
    for target, spec in mapping.fields.items():
        key, _, path = target.partition(".")
        known = catalog.fields.get(key)
        if known is None:
            problems.append(f"fields.{target}: the catalog has no field '{key}'")
            continue
        schema, _checks, derived = known
        if derived:
            problems.append(f"fields.{target}: '{key}' is derived and cannot be written")
            continue
        node = _schema_at(schema, path)
        if node is None:
            problems.append(f"fields.{target}: '{key}' has no part '{path}'")
            continue
        expected = _schema_types(node)
        produced = {"text": {"string"}, "email": {"string"}, "phone": {"string"}, "date": {"string"},
                    "number": {"number", "integer"}, "integer": {"integer", "number"}, "boolean": {"boolean"}}
        if expected and not spec.map and not (produced[spec.type] & expected):
            problems.append(f"fields.{target}: reads {spec.type}, but the field wants {'/'.join(sorted(expected))}")
    whole = {t for t in mapping.fields if "." not in t}
    for key in sorted(whole & {t.split(".", 1)[0] for t in mapping.fields if "." in t}):
        problems.append(f"fields.{key}: mapped both whole and by its parts")
    return problems


def _schema_at(schema: MappingABC[str, Any], path: str) -> MappingABC[str, Any] | None:
    node: Any = schema
    for part in path.split(".") if path else ():
        options = [node, *node.get("oneOf", ()), *node.get("anyOf", ())] if isinstance(node, MappingABC) else []
        node = next((o["properties"][part] for o in options if isinstance(o, MappingABC)
                     and part in (o.get("properties") or {})), None)
        if node is None:
            return None
    return node


def _schema_types(schema: MappingABC[str, Any]) -> set[str]:
    declared = schema.get("type")
    if declared is None:
        found: set[str] = set()
        for branch in [*schema.get("oneOf", ()), *schema.get("anyOf", ())]:
            found |= _schema_types(branch)
        if "enum" in schema:
            found |= {"string" if isinstance(v, str) else "number" for v in schema["enum"]}
        return found
    return set(declared) if isinstance(declared, list) else {declared}


# ------------------------------------------------------------------ applying it

@dataclass(frozen=True)
class RowError:
    row: int | None
    column: str | None
    reason: str
    target: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "target": self.target, "reason": self.reason}


@dataclass(frozen=True)
class Mapped:
    """What one row yields, or why it is refused."""

    key: str | None
    row: int | None
    customer: dict[str, Any]
    contacts: list[dict[str, Any]]
    fields: dict[str, Any]
    errors: list[RowError]
    warnings: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        """As the back-fill sends it (sql/definitions/43_legacy.sql legacy_backfill_batch)."""
        return {"key": self.key, "customer": self.customer, "contacts": self.contacts, "fields": self.fields}


def apply(mapping: Mapping, row: MappingABC[str, Any], row_number: int | None,
          catalog: CatalogView | None = None, *, validate_fields: bool = True) -> Mapped:
    """The customer, contacts and field values of one row, checked: each problem as
    (row, column, reason). Field values are checked against the catalog's schemas
    (validate_fields) in the database's words; pass False when the database checks
    them anyway (the back-fill does, set-based)."""
    errors: list[RowError] = []
    warnings: list[RowError] = []

    def read(spec: Spec) -> Any:
        try:
            return spec.read(row)
        except CellError as exc:
            problem = RowError(row_number, spec.column, str(exc), spec.target)
            (warnings if spec.invalid == "drop" else errors).append(problem)
            return None

    key_text = row.get(mapping.key) if mapping.key else None
    key = None if key_text is None or not str(key_text).strip() else str(key_text).strip()
    if mapping.key and key is None:
        errors.append(RowError(row_number, mapping.key, "the key is empty", "source.key"))
    customer = {t: v for t, v in ((t, read(s)) for t, s in mapping.customer.items()) if v is not None}
    if "name" in mapping.customer and not customer.get("name"):
        if not any(e.target == "customer.name" for e in errors):
            errors.append(RowError(row_number, mapping.customer["name"].column, "must not be empty", "customer.name"))
    contacts = []
    for contact in mapping.contacts:
        values = {t: v for t, v in ((t, read(s)) for t, s in contact.specs.items()) if v is not None}
        if not values:
            continue   # no contact in this row
        if not values.get("full_name"):
            # Details without a name are nobody's: the customer moves, the details do not.
            spec = contact.specs.get("full_name")
            warnings.append(RowError(row_number, spec.column if spec else None,
                                     "no contact name: the contact's other details are left out",
                                     spec.target if spec else "contact"))
            continue
        contacts.append({**values, "roles": list(contact.roles)})
    fields = _assemble({t: read(s) for t, s in mapping.fields.items()})
    if validate_fields and catalog is not None:
        unreadable = {e.target.split(".")[1] for e in errors if e.target.startswith("fields.")}
        for key_, value in fields.items():
            known = catalog.fields.get(key_)
            if known is None or key_ in unreadable:
                continue
            for path, message in _field_errors(key_, value, known).items():
                spec = _spec_for(mapping, path)
                errors.append(RowError(row_number, spec.column if spec else None, message,
                                       f"fields.{path}"))
    return Mapped(key, row_number, customer, contacts, fields, errors, warnings)


def _assemble(values: MappingABC[str, Any]) -> dict[str, Any]:
    """{"roi_potential.bucket": "HIGH", "roi_potential.value": 5} → {"roi_potential": {...}}."""
    fields: dict[str, Any] = {}
    for target, value in values.items():
        if value is None:
            continue
        key, _, path = target.partition(".")
        if not path:
            fields[key] = value
            continue
        node = fields.setdefault(key, {})
        parts = path.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return fields


def _field_errors(key: str, value: Any, known: tuple[dict[str, Any], tuple[Any, ...], bool]) -> dict[str, str]:
    schema, checks, _derived = known
    return _cached_errors(key, _frozen(value), _frozen(schema), _frozen(checks))


@lru_cache(maxsize=65536)
def _cached_errors(key: str, value: Any, schema: Any, checks: Any) -> dict[str, str]:
    return value_errors(_thawed(schema), _thawed(checks), _thawed(value), prefix=key)


def _frozen(value: Any) -> Any:
    if isinstance(value, MappingABC):
        return ("__dict__", tuple(sorted((k, _frozen(v)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return ("__list__", tuple(_frozen(v) for v in value))
    return value


def _thawed(value: Any) -> Any:
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "__dict__":
        return {k: _thawed(v) for k, v in value[1]}
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "__list__":
        return [_thawed(v) for v in value[1]]
    return value


def _spec_for(mapping: Mapping, path: str) -> Spec | None:
    """The spec that feeds a field path (or the nearest part of it)."""
    parts = path.split(".")
    for n in range(len(parts), 0, -1):
        spec = mapping.fields.get(".".join(parts[:n]))
        if spec is not None:
            return spec
    key = parts[0]
    return next((s for t, s in mapping.fields.items() if t.split(".", 1)[0] == key), None)


def merge_duplicates(mapping: Mapping, rows: Sequence[tuple[int | None, MappingABC[str, Any]]]
                     ) -> tuple[tuple[int | None, MappingABC[str, Any]] | None, int, list[str]]:
    """The rows of one key: one row when they agree on every column the mapping reads
    (returns it, how many repeats, []), else (None, 0, the columns they disagree on)."""
    first = rows[0]
    columns = mapping.columns()
    differing = sorted({c for _, r in rows[1:] for c in columns
                        if str(r.get(c) or "").strip() != str(first[1].get(c) or "").strip()})
    if differing:
        return None, 0, differing
    return first, len(rows) - 1, []
