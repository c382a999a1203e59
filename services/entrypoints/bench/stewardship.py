"""Stewardship at size: a bulk edit of 10,000 customers (two fields) and its undo, the
preview of a bulk edit over 100,000, a paste of 500 cells. Each beside the same values
written one customer at a time through fields.patch, measured in the same run (timed on
a sample and scaled: the loop itself would take minutes).
"""

from __future__ import annotations

import random
import time

import services
from services.entrypoints.bench.timing import Row, compared, sample

BULK = 10_000
PREVIEW = 100_000
PASTE = 500


def measure(svc: services.Steward, customers: list, *, seed: int) -> list[Row]:
    """`svc` is an admin's session; `customers` ids it may write (at least PREVIEW of them)."""
    picked = random.Random(seed).sample(customers, min(PREVIEW, len(customers)))
    bulk_ids = picked[:BULK]
    value = random.Random(seed).randint(1, 99_000)
    changes = {"covers_per_day": value, "kitchen_notes": f"bench {value}"}

    started = time.perf_counter()
    preview = svc.bulk.preview(changes, customer_ids=picked)
    preview_seconds = time.perf_counter() - started

    started = time.perf_counter()
    edited = svc.bulk.apply(changes, customer_ids=bulk_ids, description="bench: bulk edit")
    edit_seconds = time.perf_counter() - started
    started = time.perf_counter()
    undone = svc.change_sets.undo(edited.id)
    undo_seconds = time.perf_counter() - started

    one_by_one = sample(lambda it=iter(bulk_ids): svc.fields.patch(next(it), {"covers_per_day": value + 1,
                                                                              "kitchen_notes": "one by one"}),
                        n=100, warmup=3)
    loop = Row("stewardship", f"fields.patch per customer, {BULK:,} customers (100 timed, scaled)", "admin",
               seconds=one_by_one.p50 * BULK / 1000, is_baseline=True)
    edit = Row("stewardship", f"bulk edit of {BULK:,} customers, two fields (one change set)", "admin",
               seconds=edit_seconds, rate=None,
               note=f"{edited.changed:,} values, {BULK / edit_seconds:,.0f} customers/s, state {edited.state}")
    undo = Row("stewardship", "undo of that bulk edit", "admin", seconds=undo_seconds,
               note=f"{undone.changed:,} values restored, {len(undone.refused_values)} refused, "
                    f"{BULK / undo_seconds:,.0f} customers/s")
    rows = [compared(edit, loop), compared(undo, loop), loop,
            Row("stewardship", f"preview of a bulk edit over {len(picked):,} customers", "admin",
                seconds=preview_seconds, note=f"{preview.values_changing:,} values would change")]

    rounds = iter(range(1, 1000))

    def paste_once() -> None:
        step = next(rounds)
        svc.bulk.paste([(cid, "covers_per_day", value + 1000 * step + n) for n, cid in enumerate(bulk_ids[:PASTE])])

    paste = sample(paste_once, n=5, warmup=1, at_least=3)
    rows.append(Row("stewardship", f"paste of {PASTE} cells (one change set)", "admin", timing=paste))
    return rows
