"""Imports at size (issue 14): a 100,000-row customer list, its preview, the import that
creates them, an upsert of the same list with changed values (every row an update), and
the undo of each (values restored; the created customers deleted). Leaves the base as it
found it.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import services
from services.entrypoints.bench.timing import Row

ROWS = 100_000
MAPPING = {
    "customer": {"external_ref": "kundennr", "name": "firma", "city": "ort",
                 "region": {"column": "gebiet", "map": {"Nord": "NORTH", "Süd": "SOUTH", "West": "WEST"}}},
    "contact": [{"full_name": "ansprechpartner", "email": {"column": "e_mail", "type": "email"}, "roles": ["HEAD_CHEF"]}],
    "fields": {"covers_per_day": {"column": "gedecke", "type": "integer"},
               "roi_potential.bucket": {"column": "roi", "map": {"A": "HIGH", "B": "MID", "C": "LOW"}}},
}


def write_list(path: Path, rows: int, *, covers: int, tag: str) -> Path:
    regions = ("Nord", "Süd", "West")
    with path.open("w", encoding="utf-8") as f:
        f.write("Kundennr;Firma;Ort;Gebiet;Ansprechpartner;E-Mail;Gedecke;ROI\n")
        for i in range(rows):
            f.write(f"BENCH-{tag}-{i:07d};Gasthaus Bench {i};Stadt {i % 500};{regions[i % 3]};Koch {i};"
                    f"koch{i}@bench.example;{covers + i % 300};{'ABC'[i % 3]}\n")
    return path


def measure(svc: services.Steward, *, rows: int = ROWS, tag: str | None = None) -> list[Row]:
    """`svc`: an admin's session (may create customers in every region)."""
    tag = tag or time.strftime("%H%M%S")
    out: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        first = svc.imports.read(write_list(Path(tmp) / "list.csv", rows, covers=10, tag=tag))
        second = svc.imports.read(write_list(Path(tmp) / "list-again.csv", rows, covers=20, tag=tag))

        started = time.perf_counter()
        preview = svc.imports.preview(first, MAPPING, mode="upsert", match="external_ref")
        preview_seconds = time.perf_counter() - started
        out.append(Row("imports", f"preview of a {rows:,}-row upsert file (all new; the file read before)", "admin", seconds=preview_seconds,
                       note=f"{preview.count('create'):,} to create, {len(preview.errors)} errors, "
                            f"{rows / preview_seconds:,.0f} rows/s"))

        started = time.perf_counter()
        created = svc.imports.run(first, MAPPING, mode="upsert", match="external_ref", preview=preview)
        seconds = time.perf_counter() - started
        out.append(Row("imports", f"import of that file: {created.created:,} customers created", "admin",
                       seconds=seconds, rate=rows / seconds, unit="rows/s",
                       note=f"{rows / seconds:,.0f} rows/s (target ≥ 5,000), preview given"))

        started = time.perf_counter()
        again_preview = svc.imports.preview(second, MAPPING, mode="upsert", match="external_ref")
        preview_seconds = time.perf_counter() - started
        out.append(Row("imports", f"preview of a {rows:,}-row upsert file (all existing, values change)", "admin",
                       seconds=preview_seconds, note=f"{again_preview.count('update'):,} to update (target ≤ 20 s)"))
        started = time.perf_counter()
        updated = svc.imports.run(second, MAPPING, mode="upsert", match="external_ref", preview=again_preview)
        seconds = time.perf_counter() - started
        out.append(Row("imports", f"upsert of that file: {updated.updated:,} customers updated", "admin",
                       seconds=seconds, rate=rows / seconds, unit="rows/s",
                       note=f"{rows / seconds:,.0f} rows/s, {updated.changed:,} values changed"))

        started = time.perf_counter()
        undone = svc.change_sets.undo(updated.id)
        seconds = time.perf_counter() - started
        out.append(Row("imports", "undo of the upsert (values restored)", "admin", seconds=seconds,
                       note=f"{undone.changed:,} values restored, {len(undone.refused_values)} refused (target ≤ 30 s)"))
        started = time.perf_counter()
        undone = svc.change_sets.undo(created.id)
        seconds = time.perf_counter() - started
        out.append(Row("imports", "undo of the import (created customers deleted)", "admin", seconds=seconds,
                       note=f"{undone.changed:,} customers deleted, {len(undone.refused_values)} refused (target ≤ 30 s)"))
    return out
