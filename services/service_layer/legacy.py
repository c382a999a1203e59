"""The move of a legacy customer table into Steward, expand–migrate–contract (issue 16).

    plan        the mapping against the source's columns and the catalog, what maps where
    load        a CSV/XLSX export into legacy.<name> (when the table does not live here)
    backfill    resumable batches: keys in byte order, one transaction per batch, the
                place kept in the database (kill it, start again: it continues, nothing
                doubles); rows it cannot take are recorded with row, column and reason
    validate    rows read, written, refused (with reasons), pending, and per target how
                many moved rows differ between the legacy row and Steward
    dual_write  every write through Steward also updates the legacy row, same transaction
    read_switch readers of legacy.<name>_current get Steward's values, the row as fallback
    contract    the legacy path removed, by the owner, after a clean validation
    reset       undo the back-fill (before contract)

The mapping is services/service_layer/mapping.py's (the one `steward import` uses); the
database side is sql/definitions/43_legacy.sql. docs/OPERATIONS.md walks through it.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from services.adapters.database import Json, translated_errors
from services.errors import ValidationError
from services.rules.mapping import Mapped, Mapping, apply, merge_duplicates
from services.service_layer import mapping as mappings
from services.service_layer.context import Context

Progress = Callable[[int, int], None]   # (keys done, keys in all)
DEFAULT_BATCH = 5000
LOAD_BATCH = 10000


@dataclass(frozen=True)
class BackfillReport:
    source: str
    keys: int              # keys passed in this run
    rows_read: int
    written: int
    refused: int
    duplicates: int
    skipped: int           # keys that had moved before (a resumed run)
    warnings: int
    seconds: float
    done: bool             # the whole source has been passed

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class ValidationReport:
    source: str
    rows_read: int
    keys: int
    duplicates: int
    written: int
    refused: int
    pending: int                              # keys neither moved nor refused
    differences: dict[str, int]               # target → moved keys whose values differ
    refusals: list[dict[str, Any]] = field(default_factory=list)   # a few, with their reasons
    seconds: float = 0.0

    @property
    def clean(self) -> bool:
        return self.pending == 0 and not any(self.differences.values())

    def to_json(self) -> dict[str, Any]:
        """As the database keeps it for contract: counts only, never a value."""
        return {"rows_read": self.rows_read, "keys": self.keys, "duplicates": self.duplicates,
                "written": self.written, "refused": self.refused, "pending": self.pending,
                "differences": self.differences, "clean": self.clean}


def source_of(mapping: Mapping, source: str | None = None) -> str:
    name = source or mapping.source.get("table")
    if not name:
        raise ValidationError("Name the legacy table: [source] table = \"legacy.<name>\" in the mapping, or --table.",
                              errors={"source": "required"})
    return str(name)


class LegacyService:
    def __init__(self, ctx: Context):
        self._ctx = ctx

    # ------------------------------------------------------------------ plan

    def catalog(self) -> mappings.CatalogView:
        return mappings.catalog_view(self._ctx.catalog)

    def columns(self, source: str) -> list[str]:
        """The columns of a legacy table (as the caller may see them in the catalog)."""
        schema, _, table = source.partition(".")
        with self._ctx.read() as conn:
            return list(conn.execute(sa.text(
                "SELECT a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :s AND c.relname = :t "
                "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"), {"s": schema, "t": table}).scalars())

    def plan(self, mapping: Mapping, *, source: str | None = None, table: mappings.Table | None = None
             ) -> tuple[list[str], list[mappings.PlanLine]]:
        """(problems, lines): the mapping checked against the source's columns and the catalog."""
        columns = table.columns if table is not None else self.columns(source_of(mapping, source))
        if not columns:
            return [f"source: there is no table {source_of(mapping, source)} (load the export first)"], []
        return mappings.check(mapping, columns, self.catalog()), mappings.plan_lines(mapping, table)

    # ------------------------------------------------------------------ load

    def load(self, table: mappings.Table, target: str, *, progress: Progress | None = None) -> int:
        """Rows of a file into legacy.<name>: a new table of text columns, or appended."""
        done = 0
        for start in range(0, max(len(table.rows), 1), LOAD_BATCH):
            chunk = table.rows[start:start + LOAD_BATCH]
            if not chunk and start:
                break
            done += self._ctx.call("legacy_load_rows", table=target, columns=table.columns, rows=Json(chunk))
            if progress:
                progress(done, len(table.rows))
        return done

    # ------------------------------------------------------------------ back-fill

    def register(self, mapping: Mapping, source: str | None = None) -> dict[str, Any]:
        source = source_of(mapping, source)
        mappings.require_sound(mapping, self.columns(source) or [mapping.key or ""], self.catalog())
        return self._ctx.call("legacy_register", source=source, key=mapping.key, mapping=Json(mapping.to_json()))

    def status(self, source: str) -> dict[str, Any]:
        return self._ctx.call("legacy_status", source=source)

    def backfill(self, mapping: Mapping, *, source: str | None = None, batch: int = DEFAULT_BATCH,
                 progress: Progress | None = None, stop: Callable[[], bool] = lambda: False) -> BackfillReport:
        """Move every key not moved yet, batch by batch; returns what this run did."""
        source = source_of(mapping, source)
        if not 1 <= batch <= 20000:
            raise ValidationError("A batch is 1 to 20,000 keys.", errors={"batch": "must be 1 to 20000"})
        self.register(mapping, source)
        state = self.status(source)
        total_keys = state.get("source_keys") or 0
        done_keys = (state.get("linked") or 0) + (state.get("refused") or 0)
        started = time.perf_counter()
        totals = {"keys": 0, "rows": 0, "written": 0, "refused": 0, "duplicates": 0, "skipped": 0, "warnings": 0}
        # The next batch is read and mapped (Python's work) while the database writes this one.
        batches = _Prefetch(lambda after: self._rows(source, after, batch), state.get("last_key"),
                            lambda rows: _prepare(mapping, rows))
        finished = False
        try:
            for prepared in batches:
                if prepared is None:
                    finished = True
                    break
                with translated_errors():
                    result = self._ctx.call(
                        "legacy_backfill_batch", source=source, rows=Json(prepared.rows),
                        refused=Json(prepared.refused), last_key=prepared.last_key, read=prepared.rows_read,
                        duplicates=prepared.duplicates)
                totals["keys"] += prepared.keys
                totals["rows"] += prepared.rows_read
                totals["written"] += result["written"]
                totals["skipped"] += result["skipped"]
                totals["refused"] += len(prepared.refused) + len(result["refused"])
                totals["duplicates"] += prepared.duplicates
                totals["warnings"] += prepared.warnings
                done_keys += result["written"] + len(prepared.refused) + len(result["refused"])
                if progress:
                    progress(min(done_keys, total_keys), total_keys)
                if stop():
                    break
        finally:
            batches.close()
        if finished:
            self._ctx.call("legacy_backfill_done", source=source)
        return BackfillReport(source, totals["keys"], totals["rows"], totals["written"], totals["refused"],
                              totals["duplicates"], totals["skipped"], totals["warnings"],
                              time.perf_counter() - started, finished)

    def _rows(self, source: str, after: str | None, keys: int) -> list[dict[str, Any]]:
        return self._ctx.call("legacy_rows", source=source, after=after, keys=keys)

    def refusals(self, source: str, limit: int = 20) -> list[dict[str, Any]]:
        with self._ctx.read() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.text(
                "SELECT legacy_key, row_number, errors FROM legacy_refusals WHERE source = :s "
                "ORDER BY legacy_key LIMIT :n"), {"s": source, "n": limit})]

    # ------------------------------------------------------------------ validate

    def validate(self, mapping: Mapping, *, source: str | None = None, progress: Progress | None = None,
                 record: bool = True) -> ValidationReport:
        """Compare every legacy row, mapped, with what Steward holds for its key now."""
        source = source_of(mapping, source)
        started = time.perf_counter()
        state = self.status(source)
        total = state.get("source_keys") or 0
        steward = self._steward_values(source)
        refused_keys = self._refused_keys(source)
        rows_read = keys = duplicates = pending = 0
        differences = {target: 0 for target in _targets(mapping)}
        after: str | None = None
        while True:
            rows = self._rows(source, after, DEFAULT_BATCH)
            if not rows:
                break
            after = rows[-1]["key"]
            for key, group in _grouped(rows):
                keys += 1
                rows_read += len(group)
                merged, repeats, _ = merge_duplicates(mapping, [(None, r) for r in group])
                duplicates += repeats
                if key not in steward:
                    if key not in refused_keys:
                        pending += 1
                    continue
                if merged is None:
                    continue
                expected = apply(mapping, merged[1], None, validate_fields=False)
                for target in _differing(mapping, expected, steward[key]):
                    differences[target] += 1
            if progress:
                progress(min(keys, total), total)
        report = ValidationReport(source, rows_read, keys, duplicates, len(steward), len(refused_keys), pending,
                                  {t: n for t, n in differences.items()}, self.refusals(source, 10),
                                  time.perf_counter() - started)
        if record:
            self._ctx.call("legacy_record_validation", source=source, report=Json(report.to_json()))
        return report

    def _refused_keys(self, source: str) -> set[str]:
        with self._ctx.read() as conn:
            return set(conn.execute(sa.text("SELECT legacy_key FROM legacy_refusals WHERE source = :s"),
                                    {"s": source}).scalars())

    def _steward_values(self, source: str) -> dict[str, dict[str, Any]]:
        """For every moved key: the customer's master data, its legacy contact and its fields."""
        with self._ctx.read() as conn:
            result = conn.execute(sa.text(
                "SELECT k.legacy_key, a.name, a.city, a.region, u.login AS owner, a.external_ref, "
                "       c.full_name, c.email, c.phone, "
                "       (SELECT jsonb_object_agg(fv.field_key, fv.value) FROM field_values fv "
                "         WHERE fv.customer_id = a.id) AS fields "
                "  FROM legacy_links k JOIN accounts a ON a.id = k.customer_id "
                "  LEFT JOIN users u ON u.id = a.owner_id LEFT JOIN contacts c ON c.id = k.contact_id "
                " WHERE k.source = :s"), {"s": source})
            return {r.legacy_key: {
                "customer": {"name": r.name, "city": r.city, "region": r.region, "owner": r.owner,
                             "external_ref": r.external_ref},
                "contact": {"full_name": r.full_name, "email": r.email, "phone": r.phone} if r.full_name else None,
                "fields": r.fields or {}} for r in result}

    # ------------------------------------------------------------------ switches

    def switch(self, source: str, which: str, on: bool) -> dict[str, Any]:
        """which: 'dual_write' or 'read_switch'."""
        return self._ctx.call("legacy_switch", source=source, switch=which, on=on)

    def reset(self, source: str) -> dict[str, Any]:
        return self._ctx.call("legacy_reset", source=source)

    def read(self, source: str, key: str) -> list[dict[str, Any]]:
        """The rows of one key as legacy readers see them (legacy.<name>_current)."""
        schema, _, name = source.partition(".")
        if schema != "legacy" or not name.replace("_", "").isalnum():
            raise ValidationError("The source is legacy.<name>.", errors={"source": "must be legacy.<name>"})
        key_column = self.status(source)["key_column"]
        with self._ctx.read() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.text(
                f'SELECT * FROM legacy."{name}_current" WHERE "{key_column}"::text = :k'), {"k": key})]


# ------------------------------------------------------------------ contract (owner)

def contract(owner_engine: Engine, source: str, *, keep_table: bool = False) -> dict[str, Any]:
    """Remove the legacy path (the owner's login; after a clean, recent validation)."""
    with translated_errors(), owner_engine.begin() as conn:
        return conn.execute(sa.text("SELECT steward_internal.legacy_contract(:s, :k)"),
                            {"s": source, "k": keep_table}).scalar_one()


# ------------------------------------------------------------------ batches

@dataclass
class _Prepared:
    rows: list[dict[str, Any]]
    refused: list[dict[str, Any]]
    last_key: str | None
    rows_read: int
    keys: int
    duplicates: int
    warnings: int


def _grouped(rows: list[dict[str, Any]]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """legacy_rows' answer ({key, row}, in key order) by key."""
    current: str | None = None
    group: list[dict[str, Any]] = []
    for item in rows:
        if item["key"] != current:
            if group:
                yield current, group  # type: ignore[misc]
            current, group = item["key"], []
        group.append({k: (None if v is None else str(v)) for k, v in item["row"].items()})
    if group:
        yield current, group  # type: ignore[misc]


def _prepare(mapping: Mapping, rows: list[dict[str, Any]]) -> _Prepared:
    """Map one batch: each key once; repeats that agree are duplicates, disagreeing ones refused."""
    out, refused = [], []
    duplicates = warnings = keys = 0
    for key, group in _grouped(rows):
        keys += 1
        merged, repeats, differing = merge_duplicates(mapping, [(None, r) for r in group])
        if merged is None:
            refused.append({"key": key, "row": None, "errors": [
                {"column": ", ".join(differing), "target": "source.key",
                 "reason": f"the key appears {len(group)} times with different values"}]})
            continue
        duplicates += repeats
        mapped = apply(mapping, merged[1], None, validate_fields=False)
        warnings += len(mapped.warnings)
        if mapped.errors:
            refused.append({"key": key, "row": None, "errors": [e.to_json() for e in mapped.errors]})
        else:
            out.append(mapped.to_json())
    return _Prepared(out, refused, rows[-1]["key"] if rows else None, len(rows), keys, duplicates, warnings)


class _Prefetch:
    """Reads and maps the next batch while the database writes this one (the mapping is
    Python's work, the writing PostgreSQL's: on two cores they overlap). Yields the
    prepared batches in key order, then None at the end of the source."""

    def __init__(self, fetch: Callable[[str | None], list[dict[str, Any]]], after: str | None,
                 prepare: Callable[[list[dict[str, Any]]], Any]):
        self._fetch = fetch
        self._prepare = prepare
        self._queue: queue.Queue = queue.Queue(maxsize=2)
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(after,), daemon=True)
        self._thread.start()

    def _run(self, after: str | None) -> None:
        try:
            while not self._closed.is_set():
                rows = self._fetch(after)
                if not rows:
                    self._put(None)
                    return
                self._put(self._prepare(rows))
                after = rows[-1]["key"]
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            self._put(exc)

    def _put(self, item: Any) -> None:
        while not self._closed.is_set():
            try:
                self._queue.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def __iter__(self) -> Iterator[Any]:
        while True:
            item = self._queue.get()
            if isinstance(item, BaseException):
                raise item
            yield item
            if item is None:
                return

    def close(self) -> None:
        self._closed.set()
        self._thread.join(timeout=5)


# ------------------------------------------------------------------ comparing

def _targets(mapping: Mapping) -> list[str]:
    targets = [f"customer.{t}" for t in mapping.customer]
    if mapping.contacts:
        targets += [f"contact.{t}" for t in mapping.contacts[0].specs]
    return targets + [f"fields.{t}" for t in mapping.fields]


def _differing(mapping: Mapping, expected: Mapped, actual: dict[str, Any]) -> list[str]:
    found = []
    for target in mapping.customer:
        if not _same(expected.customer.get(target), actual["customer"].get(target)):
            found.append(f"customer.{target}")
    if mapping.contacts:
        wanted = expected.contacts[0] if expected.contacts else None
        have = actual["contact"]
        for target in mapping.contacts[0].specs:
            if not _same((wanted or {}).get(target), (have or {}).get(target)):
                found.append(f"contact.{target}")
    for target in mapping.fields:
        key, _, path = target.partition(".")
        want = expected.fields.get(key)
        have = actual["fields"].get(key)
        for part in path.split(".") if path else ():
            want = want.get(part) if isinstance(want, dict) else None
            have = have.get(part) if isinstance(have, dict) else None
        if not _same(want, have):
            found.append(f"fields.{target}")
    return found


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(float(a) - float(b)) < 1e-9
    return (a if a not in ("",) else None) == (b if b not in ("",) else None)
