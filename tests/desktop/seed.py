"""Known customers for the desktop tests, written through the service layer."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

REGIONS = ("NORTH", "SOUTH", "EAST", "WEST", "CENTRAL")
BUCKETS = ("LOW", "MID", "HIGH")


def customers(svc, n: int, *, prefix: str = "Kantine") -> list[uuid.UUID]:
    """`n` customers; customer i is in REGIONS[i % 5], ROI bucket BUCKETS[i % 3] with value 100*i,
    renewal 30*i days after 2027-01-01, and i % 4 decision makers."""
    ids = []
    for i in range(n):
        c = svc.customers.create(name=f"{prefix} {i:03d}", region=REGIONS[i % 5], city=("Hamburg", "Köln")[i % 2])
        svc.fields.patch(c.id, {
            "roi_potential": {"bucket": BUCKETS[i % 3], "value": 100 * i},
            "current_supplier_contracts": {"renewal_date": (date(2027, 1, 1) + timedelta(days=30 * i)).isoformat(),
                                           "exclusivity": i % 2 == 0},
            "decision_makers": {"count": i % 4, "has_exec_alignment": i % 4 == 3},
        })
        ids.append(c.id)
    return ids
