"""Duplicates at size: a full scan of every customer with all rules (seconds, and the memory it
takes: the process's peak resident size grows by, and Python's own peak heap by tracemalloc in a
second run where the base is small enough), and merges of two customers with a pick, each timed,
each undone afterwards (undo timed too), so the base stays as it was.
"""

from __future__ import annotations

import resource
import time
import tracemalloc

import sqlalchemy as sa
from sqlalchemy.engine import Engine

import services
from services.entrypoints.bench.timing import Row, sample

MERGES = 20
TRACED_UP_TO = 200_000       # tracemalloc slows the scan about twice: a second, traced run only below this


def measure(owner: Engine, svc: services.Steward, *, customers: int, seed: int) -> list[Row]:
    """`svc` is an admin's session."""
    rows = []
    rss_before = _max_rss_mb()
    started = time.perf_counter()
    scan = svc.duplicates.scan()
    seconds = time.perf_counter() - started
    grown = _max_rss_mb() - rss_before
    note = (f"{scan.scanned:,} customers, {len(scan.pairs):,} pairs in {len(scan.groups):,} groups; "
            f"peak resident size grew {grown:,.0f} MB")
    if customers <= TRACED_UP_TO:
        tracemalloc.start()
        svc.duplicates.scan()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        note += f", Python heap peak {peak / 2**20:,.0f} MB (tracemalloc)"
    rows.append(Row("duplicates", "full duplicate scan, all rules", "admin", seconds=seconds, note=note,
                    extra={"peak_rss_growth_mb": round(grown, 1), "pairs": len(scan.pairs)}))

    pairs = iter(_pairs(owner, MERGES + 2, seed))
    merged = []

    def merge_one() -> None:
        survivor, other = next(pairs)
        result = svc.duplicates.merge(survivor, [other], pick={"name": other, "covers_per_day": other})
        merged.append(result.change_set.id)

    timing = sample(merge_one, n=MERGES, warmup=2, at_least=5)
    rows.append(Row("duplicates", "merge of two customers (a name and a field picked, children moved)", "admin",
                    timing=timing, note="one change set each; target ≤ 200 ms at 1,000,000 customers"))
    undos = iter(list(merged))
    rows.append(Row("duplicates", "undo of such a merge", "admin",
                    timing=sample(lambda: svc.change_sets.undo(next(undos)), n=len(merged), warmup=0,
                                  at_least=len(merged))))
    return rows


def _pairs(owner: Engine, n: int, seed: int) -> list[tuple]:
    """`n` pairs of single-site customers (no chain, no locations, not merged)."""
    with owner.connect() as conn:
        conn.execute(sa.text("SELECT setseed(:s)"), {"s": (seed % 1000) / 1000})
        ids = conn.execute(sa.text(
            "SELECT id FROM accounts a WHERE NOT is_chain AND merged_into IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM accounts l WHERE l.parent_account_id = a.id) "
            "ORDER BY random() LIMIT :n"), {"n": 2 * n}).scalars().all()
    return list(zip(ids[0::2], ids[1::2]))


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024     # kilobytes on Linux
