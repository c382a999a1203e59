"""Sample requests in every status, with histories that the workflow would have written.

Each sample's path is drawn backwards from its last transition: in-flight
samples moved in the last days, finished ones any time in the past year,
a customer's older samples before its newer ones. Steps are whole working
hours apart, so the times of a history strictly increase.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from services.entrypoints.demo.accounts import Accounts
from services.entrypoints.demo.clock import HOUR, WORKDAY
from services.entrypoints.demo.text import new_uuids
from services.rules import workflow

STATUSES = workflow.STATUSES
REQUESTED, PACKED, SHIPPED, DELIVERED, SUCCESS, NEUTRAL, FAIL, CANCELED = (STATUSES.index(s) for s in (
    workflow.REQUESTED, workflow.PACKED, workflow.SHIPPED, workflow.DELIVERED, workflow.FEEDBACK_SUCCESS,
    workflow.FEEDBACK_NEUTRAL, workflow.FEEDBACK_FAIL, workflow.CANCELED))
FEEDBACK = np.array([SUCCESS, NEUTRAL, FAIL])
# Status of a customer's latest sample; older ones are all finished.
LATEST_SHARE = {REQUESTED: 0.07, PACKED: 0.05, SHIPPED: 0.06, DELIVERED: 0.10, SUCCESS: 0.30, NEUTRAL: 0.16,
                FAIL: 0.13, CANCELED: 0.13}
OLDER_SHARE = {SUCCESS: 0.4, NEUTRAL: 0.25, FAIL: 0.2, CANCELED: 0.15}
# Working hours from one step to the next: into PACKED, SHIPPED, DELIVERED, FEEDBACK_*.
# Up to 110 h (9 days) to feedback, so some miss the 5-business-day SLA.
STEP_HOURS = ((1, 24), (1, 18), (6, 36), (4, 110))
CANCEL_HOURS = (1, 30)


@dataclass(frozen=True)
class Samples:
    ids: np.ndarray           # (s, 16), ascending
    customer: np.ndarray      # ascending
    status: np.ndarray        # index into STATUSES
    steps: np.ndarray         # (s, 5) status of each transition, -1 after the last
    times: np.ndarray         # (s, 5) working time of each transition
    n_steps: np.ndarray
    kit: np.ndarray           # index into the kit ids, -1 for hand-picked items
    delivery_day: np.ndarray  # requested delivery date (day number)
    note: np.ndarray          # index into words.SAMPLE_NOTES, -1 for none
    item_ids: np.ndarray      # sample_item, in sample order
    item_sample: np.ndarray
    item_sku: np.ndarray      # index into the SKUs
    item_quantity: np.ndarray

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def created_t(self) -> np.ndarray:
        return self.times[:, 0]

    @property
    def last_t(self) -> np.ndarray:
        return self.times[np.arange(self.n), self.n_steps - 1]

    def reached(self, status: int) -> np.ndarray:
        return (self.steps == status).any(axis=1)


def _share(rng, shares: dict[int, float], size: int) -> np.ndarray:
    return rng.choice(list(shares), size=size, p=list(shares.values()))


def _hours(rng, low_high: tuple[int, int], size) -> np.ndarray:
    low, high = low_high
    return rng.integers(low * HOUR, high * HOUR, size=size)


def plan(rng: np.random.Generator, accounts: Accounts, kits: list[tuple[str, list[tuple[int, int]]]],
         skus: int) -> Samples:
    """`kits`: (id, [(sku index, quantity)]) with the default kit first; `skus`: how many SKUs exist."""
    n = accounts.n
    count = np.where(rng.random(n) < np.where(accounts.is_chain, 0.25, 0.40),
                     rng.choice([1, 2, 3], size=n, p=[0.8, 0.15, 0.05]), 0)
    customer = np.repeat(np.arange(n), count)
    s = len(customer)
    first = np.concatenate([[0], np.cumsum(count)[:-1]])
    behind_latest = count[customer] - 1 - (np.arange(s) - first[customer])
    status = np.where(behind_latest == 0, _share(rng, LATEST_SHARE, s), _share(rng, OLDER_SHARE, s))

    steps = np.tile(np.array([REQUESTED, PACKED, SHIPPED, DELIVERED, -1]), (s, 1))
    n_steps = np.select([status == REQUESTED, status == PACKED, status == SHIPPED, status == DELIVERED],
                        [1, 2, 3, 4], 5)
    steps[:, 4] = np.where(n_steps == 5, status, -1)
    canceled = status == CANCELED
    n_steps = np.where(canceled, rng.choice([2, 3, 4], size=s, p=[0.5, 0.3, 0.2]), n_steps)
    rows = np.arange(s)
    steps[rows[canceled], n_steps[canceled] - 1] = CANCELED
    steps[np.arange(5) >= n_steps[:, None]] = -1

    gaps = np.stack([_hours(rng, h, s) for h in STEP_HOURS], axis=1)
    gaps[rows[canceled], n_steps[canceled] - 2] = _hours(rng, CANCEL_HOURS, int(canceled.sum()))
    gaps[np.arange(1, 5) >= n_steps[:, None]] = 0
    offsets = np.concatenate([np.zeros((s, 1), np.int64), np.cumsum(gaps, axis=1)], axis=1)

    # How long ago the last transition was, by status (working time, negative = past).
    ago = np.select(
        [status == REQUESTED, (status == PACKED) | (status == SHIPPED), status == DELIVERED],
        [rng.integers(HOUR // 2, 4 * WORKDAY, size=s), rng.integers(HOUR // 2, 5 * WORKDAY, size=s),
         rng.integers(HOUR // 2, 9 * WORKDAY, size=s)],
        rng.integers(WORKDAY, 330 * WORKDAY, size=s))
    last = -ago
    start = last - offsets[rows, n_steps - 1]
    # Older samples end before the next one was requested: walk back from the latest.
    for behind in (1, 2):
        older = np.flatnonzero(behind_latest == behind)
        last[older] = start[older + 1] - rng.integers(10 * WORKDAY, 150 * WORKDAY, size=len(older))
        start[older] = last[older] - offsets[older, n_steps[older] - 1]
    times = start[:, None] + offsets
    times[np.arange(5) >= n_steps[:, None]] = 0

    # Items: most samples are the default kit, some another kit, a few hand-picked.
    kit_share = [0.75] + [0.17 / max(1, len(kits) - 1)] * (len(kits) - 1)
    kit = rng.choice(len(kits) + 1, size=s, p=kit_share + [1 - sum(kit_share)])
    kit[kit == len(kits)] = -1
    item_sample, item_sku, item_quantity = [], [], []
    for k, (_, lines) in enumerate(kits):
        rows_k = np.flatnonzero(kit == k)
        item_sample.append(np.repeat(rows_k, len(lines)))
        item_sku.append(np.tile([sku for sku, _ in lines], len(rows_k)))
        item_quantity.append(np.tile([qty for _, qty in lines], len(rows_k)))
    picked = np.flatnonzero(kit == -1)
    how_many = rng.integers(1, min(4, skus) + 1, size=len(picked))
    choice = rng.random((len(picked), skus)).argsort(axis=1)[:, :4]
    take = np.arange(choice.shape[1]) < how_many[:, None]
    item_sample.append(np.repeat(picked, how_many))
    item_sku.append(choice[take])
    item_quantity.append(rng.integers(1, 4, size=int(how_many.sum())))
    item_sample = np.concatenate(item_sample)
    order = np.argsort(item_sample, kind="stable")

    request_day = np.floor_divide(start, WORKDAY)
    return Samples(
        ids=new_uuids(rng, s), customer=customer, status=status, steps=steps, times=times, n_steps=n_steps,
        kit=kit, delivery_day=request_day + rng.integers(2, 8, size=s),
        note=np.where(rng.random(s) < 0.1, rng.integers(0, 5, size=s), -1),
        item_ids=new_uuids(rng, len(order)), item_sample=item_sample[order],
        item_sku=np.concatenate(item_sku)[order], item_quantity=np.concatenate(item_quantity)[order],
    )
