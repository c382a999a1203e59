"""Import customer lists (CSV, XLSX) as one change set that undo takes back.

    table = svc.imports.read("messe.csv")                       # checked: size, encoding, rows, formulas
    mapping = svc.imports.suggest_mapping(table)                 # the saved one of this file shape, or a guess
    preview = svc.imports.preview(table, mapping, mode="upsert", match="external_ref")
    preview.rows                                                 # per row: create / update (old → new) / errors
    run = svc.imports.run(table, mapping, mode="upsert", match="external_ref", preview=preview)
    svc.change_sets.undo(run.id)                                 # created customers deleted, values restored

Reading the file and mapping its rows is services/service_layer/mapping.py (the same
module the legacy move uses); deciding and writing is the database's
(sql/definitions/50_imports.sql: import_preview, import_batch, undo_import). Modes:
create, update, upsert; match keys: external_ref, email and phone (of the row's first
contact, normalised), name_city (name and city).

Bad input refuses the whole import, naming row and column: a file too big, empty, in
an unknown encoding, a cell that is a formula (=HYPERLINK(…), @SUM(…)), a mapped column
the file lacks. Row errors (a value the field's schema refuses, the same match key twice
in the file, a customer that is not the importer's) refuse the import too, unless
`on_error="skip"`: then those rows are left out and reported.

The run goes in batches, each one transaction that records the file's row numbers it
did under the change set: a run killed midway and started again with the same change
set (`change_set=`, or `unfinished()` to find it) continues where it stopped, and
nothing doubles.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import time
import uuid
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from collections.abc import Callable, Iterable, Mapping as MappingABC
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.adapters.database import Json
from services.errors import Conflict, ValidationError
from services.service_layer import mapping as mappings
from services.service_layer.change_sets import ChangeSet, ChangeSetService, change_set
from services.service_layer.coerce import as_uuid
from services.service_layer.context import Context
from services.service_layer.mapping import Mapping, RowError, Table

MODES = ("create", "update", "upsert")
MATCHES = ("external_ref", "email", "phone", "name_city")
MAX_BYTES = 200 * 1024 * 1024        # a file larger than this is refused before it is read
BATCH = 1000                         # rows per database call: progress moves, cancel answers
WORKERS = 2                          # batches in flight at once (the database works on two while Python waits)
MOST_ERRORS = 1000                   # errors a refusal lists (the count says how many in all)

Progress = Callable[[int, int], None]     # (rows done, rows in all)

# A cell a spreadsheet program would run as a formula: =…, @…, +…/-… followed by a name or a call.
_FORMULA = re.compile(r"^\s*(?:[=@]|[+\-]\s*[A-Za-z_(]|[\t\r])")

# Headings that name Steward's targets (compared as column names: lower case, umlauts spelt out).
_HEADINGS: dict[str, tuple[str, ...]] = {
    "customer.name": ("name", "firma", "firmenname", "kunde", "kundenname", "company", "restaurant", "betrieb",
                      "customer", "customer_name"),
    "customer.city": ("city", "ort", "stadt", "town"),
    "customer.region": ("region", "gebiet", "vertriebsgebiet", "area"),
    "customer.owner": ("owner", "betreuer", "vertreter", "aussendienst", "login"),
    "customer.external_ref": ("external_ref", "externe_referenz", "kundennr", "kunden_nr", "kundennummer", "ref",
                              "referenz", "customer_id", "customer_no", "id", "nr"),
    "contact.full_name": ("ansprechpartner", "kontakt", "contact", "contact_name", "full_name", "kontaktperson"),
    "contact.email": ("email", "e_mail", "mail", "email_adresse", "e_mail_adresse"),
    "contact.phone": ("phone", "telefon", "tel", "telefonnummer", "phone_number", "mobil"),
}
MATCH_LABELS = {"external_ref": "external reference", "email": "e-mail address", "phone": "phone number",
                "name_city": "name and city"}
_MATCH_TARGET = {"external_ref": "customer.external_ref", "email": "contact.0.email", "phone": "contact.0.phone",
                 "name_city": "customer.name"}


@dataclass(frozen=True)
class Change:
    """A value a row changes: master data or a field, old → new."""

    target: str          # "master" or "field"
    key: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RowPlan:
    """What one row of the file would do."""

    row: int
    action: str                               # create, update, unchanged, error
    customer_id: uuid.UUID | None             # the customer it matches (an update)
    changes: tuple[Change, ...] = ()
    contacts: int = 0                         # contacts it adds
    errors: tuple[RowError, ...] = ()
    name: str | None = None                   # the customer's name in the file


@dataclass(frozen=True)
class ImportPreview:
    file: str
    mode: str
    match: str
    rows: tuple[RowPlan, ...]
    warnings: tuple[RowError, ...]            # cells left out (invalid = "drop"), contacts without a name
    ignored_columns: tuple[str, ...]          # columns of the file the mapping does not read
    seconds: float = 0.0
    prepared: Any = field(default=None, repr=False, compare=False)   # the mapped rows, for run(preview=…)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def errors(self) -> tuple[RowError, ...]:
        return tuple(e for r in self.rows for e in r.errors)

    @property
    def ok(self) -> bool:
        return not any(r.errors for r in self.rows)


@dataclass(frozen=True)
class ImportRun(ChangeSet):
    """The change set an import wrote (kind import), with what it did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0                          # rows a run before this one had done (a resumed import)
    row_errors: tuple[RowError, ...] = ()     # rows left out (on_error="skip")
    seconds: float = 0.0
    finished: bool = True                     # False: cancelled half-way (partial; undo takes it back)


@dataclass
class _Prepared:
    table: Table
    mapping: Mapping
    rows: list[dict[str, Any]]                # {"row", "customer", "contacts", "fields"} of rows without local errors
    errors: dict[int, list[RowError]]         # by row number
    warnings: list[RowError] = field(default_factory=list)


class ImportService:
    def __init__(self, ctx: Context):
        self._ctx = ctx

    # ------------------------------------------------------------------ the file

    def read(self, source: str | Path | Table, *, max_bytes: int = MAX_BYTES, encoding: str | None = None,
             separator: str | None = None) -> Table:
        """The file as a table, refused (ValidationError naming row and column) when it is too
        big, not text in a known encoding, without rows, or holds a formula."""
        if isinstance(source, Table):
            table = source
        else:
            path = Path(source)
            if not path.is_file():
                raise ValidationError(f"There is no file {path}.", errors={"file": "not found"})
            size = path.stat().st_size
            if size > max_bytes:
                raise ValidationError(f"{path.name} is {size / 1e6:,.0f} MB; an import reads at most "
                                      f"{max_bytes / 1e6:,.0f} MB. Split the file.", errors={"file": "too big"})
            if path.suffix.lower() not in (".xlsx", ".xlsm"):
                _check_text(path, encoding)
            table = mappings.read_table(path, encoding=encoding, separator=separator)
        if not table.rows:
            raise ValidationError(f"{table.name or 'The file'} has no rows below its headings; nothing to import.",
                                  errors={"row 2": "no rows"})
        problems = {}
        for number, row in table.numbered():
            for column, text in row.items():
                if text is None:
                    continue
                if "\ufffd" in text:
                    problems[f"row {number}, column {column}"] = "unreadable characters: the file is in an unknown encoding"
                elif _FORMULA.match(text):
                    problems[f"row {number}, column {column}"] = \
                        f"'{text[:40]}' is a formula; a spreadsheet would run it (remove the leading {text.lstrip()[0]!r})"
                if len(problems) >= MOST_ERRORS:
                    break
        if problems:
            first, reason = next(iter(problems.items()))
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise ValidationError(f"{table.name}: {first}: {reason}{more}; nothing was imported.", errors=problems)
        return table

    # ------------------------------------------------------------------ mappings

    def suggest_mapping(self, source: str | Path | Table) -> dict[str, Any]:
        """A mapping declaration for this file: the one saved for files of its shape (the
        same column names), else one guessed from the headings."""
        table = source if isinstance(source, Table) else self.read(source)
        saved = self._ctx.call("import_saved_mapping", columns=list(table.columns))
        if saved:
            return saved
        return suggest_from_headings(table.columns, self._ctx.catalog, region=self._ctx.actor.region)

    def save_mapping(self, source: str | Path | Table, mapping: Any) -> None:
        """Keep this mapping for files of this shape (the next one maps itself)."""
        table = source if isinstance(source, Table) else self.read(source)
        self._ctx.call("import_save_mapping", columns=list(table.columns),
                       mapping=Json(_mapping(mapping).to_json()))

    # ------------------------------------------------------------------ preview

    def preview(self, source: str | Path | Table, mapping: Any, *, mode: str = "upsert", match: str = "external_ref",
                progress: Progress | None = None) -> ImportPreview:
        """What run() would do, row by row, writing nothing."""
        started = time.perf_counter()
        mode, match = _choice(mode, MODES, "mode"), _choice(match, MATCHES, "match")
        planned: dict[int, RowPlan] = {}
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            sent: list[tuple[int, Any]] = []

            def send(chunk: list[dict[str, Any]]) -> None:
                sent.append((len(chunk), pool.submit(self._ctx.call, "import_preview", mode=mode, match=match,
                                                     rows=Json(chunk))))

            prepared = self._prepare(source, mapping, mode, match, chunked=send)
            total = len(prepared.table)
            done = len(prepared.errors)
            for size, future in sent:
                for p in future.result():
                    planned[p["row"]] = _plan(p, prepared.mapping, match)
                done += size
                if progress:
                    progress(min(done, total), total)
        rows = []
        names = {r["row"]: r["customer"].get("name") for r in prepared.rows}
        name_spec = prepared.mapping.customer.get("name")
        for number, row in prepared.table.numbered():
            if number in prepared.errors:
                name = (row.get(name_spec.column) or "").strip() if name_spec and name_spec.column else ""
                rows.append(RowPlan(number, "error", None, errors=tuple(prepared.errors[number]), name=name or None))
            else:
                rows.append(dataclasses.replace(planned[number], name=names.get(number)))
        if progress:
            progress(total, total)
        read = set(prepared.mapping.columns())
        return ImportPreview(prepared.table.name, mode, match, tuple(rows), tuple(prepared.warnings),
                             tuple(c for c in prepared.table.columns if c not in read), time.perf_counter() - started,
                             prepared)

    # ------------------------------------------------------------------ run

    def run(self, source: str | Path | Table, mapping: Any, *, mode: str = "upsert", match: str = "external_ref",
            on_error: str = "refuse", change_set: Any = None, preview: ImportPreview | None = None,
            description: str | None = None, progress: Progress | None = None,
            cancelled: Callable[[], bool] | None = None, batch: int = BATCH, workers: int = WORKERS) -> ImportRun:
        """Import the file as one change set (kind import). on_error="refuse" (the default)
        writes nothing when any row has an error (checked first, by a preview unless one is
        given); "skip" leaves those rows out. change_set: continue that unfinished import
        (its rows done are skipped). `cancelled()` is asked between batches: what ran stays,
        as a partial change set. `workers` batches are in flight at once."""
        started = time.perf_counter()
        mode, match = _choice(mode, MODES, "mode"), _choice(match, MATCHES, "match")
        on_error = _choice(on_error, ("refuse", "skip"), "on_error")
        if not 1 <= batch <= 5000:
            raise ValidationError("A batch is 1 to 5,000 rows.", errors={"batch": "must be 1 to 5000"})
        # The rows the preview mapped, when it was of this very table, mapping, mode and match key.
        reusable = (preview is not None and preview.prepared is not None and preview.prepared.table is source
                    and (preview.mode, preview.match) == (mode, match)
                    and dataclasses.replace(_mapping(mapping), key=None) == preview.prepared.mapping)
        prepared = preview.prepared if reusable else self._prepare(source, mapping, mode, match)
        if on_error == "refuse":
            checked = preview or self.preview(prepared.table, prepared.mapping, mode=mode, match=match)
            if not checked.ok:
                raise refusal(prepared.table.name, checked.errors)
        local_errors = [e for errors in prepared.errors.values() for e in errors]

        digest = _digest(prepared.table)
        if change_set is not None:
            cs = self._resumable(change_set, mode, match)
            done = set(self._ctx.call("import_done_rows", change_set=cs) or ())
        else:
            selection = {"file": prepared.table.name, "sha256": digest, "mode": mode, "match": match,
                         "rows": len(prepared.table), "on_error": on_error}
            text = description or f"Import {prepared.table.name} ({len(prepared.table):,} rows, {mode} by {match})"
            cs = uuid.UUID(self._ctx.call("begin_change_set", kind="import", description=text[:500],
                                          selection=Json(selection))["id"])
            done = set()
        self.save_mapping(prepared.table, prepared.mapping)

        todo = [r for r in prepared.rows if r["row"] not in done]
        total = len(prepared.table)
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        refused: list[RowError] = list(local_errors)
        finished_rows = total - len(todo)
        skipped = len(done)
        stopped = False
        chunks = iter([todo[start:start + batch] for start in range(0, len(todo), batch)])

        def write(chunk: list[dict[str, Any]]) -> dict[str, Any]:
            return self._ctx.call("import_batch", change_set=cs, mode=mode, match=match, rows=Json(chunk),
                                  skip_errors=on_error == "skip")

        try:
            with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
                running: dict[Any, int] = {}

                def submit() -> None:
                    chunk = next(chunks, None)
                    if chunk is not None:
                        running[pool.submit(write, chunk)] = len(chunk)

                try:
                    for _ in range(max(1, workers)):
                        submit()
                    while running:
                        finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
                        for future in finished:
                            rows_in = running.pop(future)
                            answer = future.result()
                            for key in counts:
                                counts[key] += answer[key]
                            skipped += answer["skipped"]
                            refused += [_row_error(r, prepared.mapping, match) for r in answer["refused"]]
                            finished_rows += rows_in
                            if progress:
                                progress(min(finished_rows, total), total)
                            if not stopped and cancelled is not None and cancelled():
                                stopped = True
                            if not stopped:
                                submit()
                finally:
                    for future in running:
                        future.cancel()       # not started yet: never sent; those in flight end
        except BaseException:
            # A refusal half-way: what ran stays, as a partial change set that undo takes back.
            self._ctx.call("finish_change_set", change_set=cs, cancelled=True)
            raise
        stopped = stopped or finished_rows < total
        closed = change_set_of(self._ctx.call("finish_change_set", change_set=cs, cancelled=stopped))
        return ImportRun(**{f.name: getattr(closed, f.name) for f in dataclasses.fields(ChangeSet)},
                         created=counts["created"], updated=counts["updated"], unchanged=counts["unchanged"],
                         skipped=skipped, row_errors=tuple(sorted(refused, key=lambda e: (e.row or 0, e.column or ""))),
                         seconds=time.perf_counter() - started, finished=not stopped)

    def unfinished(self) -> list[ChangeSet]:
        """Your imports that stopped half-way (a crash, a kill): run() with change_set= continues one."""
        return [c for c in self._ctx_change_sets() if c.kind == "import" and c.state == "open"]

    def find_unfinished(self, source: str | Path | Table, *, mode: str, match: str) -> ChangeSet | None:
        """The unfinished import of this very file (same content, mode and match key), if any."""
        table = source if isinstance(source, Table) else self.read(source)
        digest = _digest(table)
        return next((c for c in self.unfinished() if c.selection.get("sha256") == digest
                     and c.selection.get("mode") == mode and c.selection.get("match") == match), None)

    # ------------------------------------------------------------------ helpers

    def _ctx_change_sets(self) -> list[ChangeSet]:
        return ChangeSetService(self._ctx).list(limit=200)

    def _resumable(self, change_set: Any, mode: str, match: str) -> uuid.UUID:
        cid = as_uuid(change_set, "change_set")
        cs = ChangeSetService(self._ctx).get(cid)
        if cs.kind != "import" or cs.state != "open":
            raise Conflict(f"Change set {cid} is no unfinished import ({cs.kind}, {cs.state}).")
        if cs.selection.get("mode") != mode or cs.selection.get("match") != match:
            raise ValidationError("Continue an import with the mode and match key it began with "
                                  f"({cs.selection.get('mode')} by {cs.selection.get('match')}).",
                                  errors={"mode": str(cs.selection.get("mode")), "match": str(cs.selection.get("match"))})
        return cid

    def _prepare(self, source: str | Path | Table, mapping: Any, mode: str, match: str,
                 chunked: Callable[[list[dict[str, Any]]], None] | None = None) -> _Prepared:
        """The file read and checked, its rows mapped; `chunked` gets each BATCH of good rows as soon
        as they are mapped (the preview sends them to the database while the next are mapped)."""
        table = self.read(source)
        declared = dataclasses.replace(_mapping(mapping), key=None)
        catalog = mappings.catalog_view(self._ctx.catalog)
        problems = [p for p in mappings.check(declared, table.columns, catalog) if not p.startswith("source.key")]
        if mode == "update":
            problems = [p for p in problems if "every customer needs" not in p]
        target = _MATCH_TARGET[match]
        if target.startswith("contact."):
            if not declared.contacts or target.rsplit(".", 1)[1] not in declared.contacts[0].specs:
                problems.append(f"{target}: matching by {match} needs the first contact's {match} mapped")
        elif target.split(".", 1)[1] not in declared.customer:
            problems.append(f"{target}: matching by {match} needs {target} mapped")
        if problems:
            errors = {}
            for p in problems:
                where, _, reason = p.partition(":")
                column = _missing_column(reason)
                errors[f"row 1, column {column}" if column else where] = reason.strip()
            first = next(iter(errors.items()))
            raise ValidationError(f"The mapping does not fit {table.name}: {first[0]}: {first[1]}"
                                  + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""), errors=errors)
        rows: list[dict[str, Any]] = []
        errors: dict[int, list[RowError]] = {}
        warnings: list[RowError] = []
        seen: dict[str, int] = {}
        match_column = _column_of(declared, target)
        for number, row in table.numbered():
            mapped = mappings.rules.apply(declared, row, number, catalog)
            warnings += mapped.warnings
            problems_here = list(mapped.errors)
            key = _match_value(match, mapped)
            if key is not None:
                if key in seen:
                    problems_here.append(RowError(number, match_column, f"the same {MATCH_LABELS[match]} as row "
                                                                        f"{seen[key]}", "match"))
                else:
                    seen[key] = number
            if problems_here:
                errors[number] = problems_here
            else:
                rows.append({"row": number, "customer": {k: str(v) for k, v in mapped.customer.items()},
                             "contacts": mapped.contacts, "fields": mapped.fields})
                if chunked is not None and len(rows) % BATCH == 0:
                    chunked(rows[-BATCH:])
        if chunked is not None and len(rows) % BATCH:
            chunked(rows[-(len(rows) % BATCH):])
        return _Prepared(table, declared, rows, errors, warnings)


def change_set_of(answer: dict[str, Any]) -> ChangeSet:
    return change_set(answer)


# ------------------------------------------------------------------ suggestions

def suggest_from_headings(columns: Iterable[str], catalog: Any, *, region: str | None = None) -> dict[str, Any]:
    """A mapping declaration guessed from column names: master data and contact details by
    their usual headings (German and English), fields by their key or label."""
    columns = list(columns)
    taken: set[str] = set()
    chosen: dict[str, str] = {}

    def find(target: str) -> str | None:
        for word in _HEADINGS[target]:
            for column in columns:
                if column not in taken and (column == word or column.startswith(word + "_")
                                            or column.endswith("_" + word)):
                    taken.add(column)
                    return column
        return None

    for target in ("customer.external_ref", "contact.email", "contact.phone", "contact.full_name", "customer.name",
                   "customer.city", "customer.region", "customer.owner"):
        column = find(target)
        if column is not None:
            chosen[column] = target
    if "contact.full_name" not in chosen.values():      # details without a name are nobody's
        chosen = {c: t for c, t in chosen.items() if not t.startswith("contact.")}
    for key, f in catalog.fields.items():
        if f.derived:
            continue
        names = {mappings.normalise_column(key), mappings.normalise_column(f.label)}
        for column in columns:
            if column in taken:
                continue
            if column in names:
                chosen[column] = f"fields.{key}"
                taken.add(column)
            else:
                for part in (f.schema.get("properties") or {}):
                    if column in {f"{n}_{mappings.normalise_column(part)}" for n in names}:
                        chosen[column] = f"fields.{key}.{part}"
                        taken.add(column)
    return declaration_for(chosen, catalog, region=region or next(iter(catalog.regions), None))


@dataclass(frozen=True)
class Target:
    """Something a column can feed: "customer.name", "contact.email", "fields.roi_potential.bucket"."""

    target: str
    label: str
    type: str = "text"


def mapping_targets(catalog: Any) -> list[Target]:
    """Every target a column of an import can feed, with its label, in the order a person picks from."""
    found = [Target("customer.name", "Customer name"), Target("customer.city", "City"),
             Target("customer.region", "Region"), Target("customer.owner", "Owner (login)"),
             Target("customer.external_ref", "External reference"), Target("contact.full_name", "Contact name"),
             Target("contact.email", "Contact e-mail", "email"), Target("contact.phone", "Contact phone", "phone")]
    for key, f in sorted(catalog.fields.items(), key=lambda kv: kv[1].label):
        if f.derived:
            continue
        parts = f.schema.get("properties") or {}
        if parts:
            for part, node in parts.items():
                found.append(Target(f"fields.{key}.{part}", f"{f.label} → {node.get('title') or part}",
                                    _field_type(node)))
        else:
            found.append(Target(f"fields.{key}", f.label, _field_type(f.schema)))
    return found


def columns_of(declaration: MappingABC[str, Any]) -> dict[str, str]:
    """{column: target} of a mapping declaration (the inverse of `declaration_for`)."""
    chosen: dict[str, str] = {}

    def column(spec: Any) -> str | None:
        return spec if isinstance(spec, str) else (spec or {}).get("column")

    for name, spec in (declaration.get("customer") or {}).items():
        if column(spec):
            chosen[mappings.normalise_column(column(spec))] = f"customer.{name}"
    contacts = declaration.get("contact", declaration.get("contacts")) or []
    for name, spec in ((contacts[0] if isinstance(contacts, list) and contacts else contacts) or {}).items():
        if name != "roles" and column(spec):
            chosen[mappings.normalise_column(column(spec))] = f"contact.{name}"
    for key, spec in (declaration.get("fields") or {}).items():
        if column(spec):
            chosen[mappings.normalise_column(column(spec))] = f"fields.{key}"
    return chosen


def declaration_for(chosen: MappingABC[str, str], catalog: Any, *, region: str | None = None) -> dict[str, Any]:
    """A mapping declaration from {column: target} (the desktop's mapping page): regions read by
    code or name, contact details typed, fields by their schema's type; rows without a region
    column get `region`."""
    types = {t.target: t.type for t in mapping_targets(catalog)}
    customer: dict[str, Any] = {}
    contact: dict[str, Any] = {}
    fields: dict[str, Any] = {}
    for column, target in chosen.items():
        kind, _, name = target.partition(".")
        if kind == "customer":
            customer[name] = column
        elif kind == "contact":
            contact[name] = {"column": column, "type": types.get(target, "text")} if name in ("email", "phone") \
                else column
        elif kind == "fields":
            fields[name] = {"column": column, "type": types.get(target, "text")}
    if "region" in customer:
        customer["region"] = {"column": customer["region"],
                              "map": {**{code: code for code in catalog.regions},
                                      **{label: code for code, label in catalog.regions.items()}}}
    elif region:
        customer["region"] = {"default": region}
    declaration: dict[str, Any] = {"customer": customer}
    if contact:
        roles = list(catalog.contact_roles)
        contact["roles"] = ["HEAD_CHEF"] if "HEAD_CHEF" in roles else roles[:1]
        declaration["contact"] = [contact]
    if fields:
        declaration["fields"] = fields
    return declaration


def _field_type(schema: MappingABC[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "integer":
        return "integer"
    if kind == "number":
        return "number"
    if kind == "boolean":
        return "boolean"
    if kind == "string" and schema.get("format") == "date":
        return "date"
    return "text"


# ------------------------------------------------------------------ helpers

def _mapping(mapping: Any) -> Mapping:
    if isinstance(mapping, Mapping):
        return mapping
    if isinstance(mapping, (str, Path)):
        return mappings.load_mapping(mapping)
    if isinstance(mapping, MappingABC):
        return mappings.parse_mapping(dict(mapping))
    raise ValidationError("Give the mapping as a file, a declaration (dict) or a Mapping.",
                          errors={"mapping": "not a mapping"})


def _choice(value: str, allowed: tuple[str, ...], name: str) -> str:
    if value not in allowed:
        raise ValidationError(f"{name} must be one of {', '.join(allowed)}.", errors={name: f"one of {', '.join(allowed)}"})
    return value


def _check_text(path: Path, encoding: str | None) -> None:
    """A text file in an encoding read_table knows: UTF-8 (with or without BOM), UTF-16 with
    its BOM, or Windows-1252 (whose five unused bytes, and NUL bytes, betray another one)."""
    with path.open("rb") as f:
        head = f.read(1 << 20)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or encoding:
        return
    if b"\x00" in head:
        line = head[:head.index(b"\x00")].count(b"\n") + 1
        raise ValidationError(f"{path.name} is no text in a known encoding (a NUL byte in line {line}); "
                              "save it as CSV UTF-8 or as .xlsx.", errors={f"row {line}": "unknown encoding"})


def _digest(table: Table) -> str:
    h = hashlib.sha256()
    h.update("\x1f".join(table.columns).encode())
    for number, row in table.numbered():
        h.update(f"\x1e{number}".encode())
        for c in table.columns:
            h.update(b"\x1f" + (row.get(c) or "").encode())
    return h.hexdigest()


def _column_of(mapping: Mapping, target: str) -> str | None:
    if target.startswith("contact."):
        _, index, name = target.split(".")
        specs = mapping.contacts[int(index)].specs if len(mapping.contacts) > int(index) else {}
        spec = specs.get(name)
        return spec.column if spec else None
    if target.startswith("customer."):
        spec = mapping.customer.get(target.split(".", 1)[1])
        return spec.column if spec else None
    if target.startswith("fields."):
        path = target.split(".", 1)[1]
        spec = mappings.rules._spec_for(mapping, path)
        return spec.column if spec else None
    return None


def _match_value(match: str, mapped: Any) -> str | None:
    """The row's match key, normalised as the database compares it (for repeats in the file)."""
    if match == "external_ref":
        value = str(mapped.customer.get("external_ref") or "").strip()
    elif match in ("email", "phone"):
        first = mapped.contacts[0] if mapped.contacts else {}
        value = str(first.get(match) or "").strip().casefold()
        if match == "phone":
            value = re.sub(r"\D", "", value)
    else:
        name = " ".join(str(mapped.customer.get("name") or "").split()).casefold()
        value = f"{name}|{' '.join(str(mapped.customer.get('city') or '').split()).casefold()}" if name else ""
    return value or None


def _row_error(answer: MappingABC[str, Any], mapping: Mapping, match: str) -> RowError:
    target = answer.get("target") or ""
    column = _column_of(mapping, _MATCH_TARGET[match] if target == "match" else target)
    return RowError(answer.get("row"), column, answer.get("reason") or "refused", target)


def _plan(p: MappingABC[str, Any], mapping: Mapping, match: str) -> RowPlan:
    changes = [Change("master", k, v.get("old"), v.get("new")) for k, v in sorted((p.get("master") or {}).items())]
    changes += [Change("field", k, v.get("old"), v.get("new")) for k, v in sorted((p.get("fields") or {}).items())]
    errors = tuple(_row_error({**e, "row": p["row"]}, mapping, match) for e in p.get("errors") or ())
    customer = p.get("customer_id")
    return RowPlan(p["row"], p["action"], uuid.UUID(customer) if customer else None, tuple(changes),
                   len(p.get("contacts") or ()), errors)


def refusal(name: str, errors: Iterable[RowError]) -> ValidationError:
    errors = list(errors)
    listed = {}
    for e in errors[:MOST_ERRORS]:
        listed.setdefault(f"row {e.row}, column {e.column or e.target}", e.reason)
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return ValidationError(f"{name}: row {first.row}, column {first.column or first.target}: {first.reason}{more}; "
                           "nothing was imported.", errors=listed)


def _missing_column(reason: str) -> str | None:
    m = re.search(r"has no column '([^']+)'", reason)
    return m[1] if m else None
