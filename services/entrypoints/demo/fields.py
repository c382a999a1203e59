"""Field values of the demo customers: all five hot fields and some of the others,
as JSON that the field catalog's schemas accept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from services.entrypoints.demo import binary_copy as bc
from services.entrypoints.demo import words
from services.entrypoints.demo.accounts import CONTACT_ROLES, MANAGING_DIRECTOR, OWNER, Accounts
from services.entrypoints.demo.clock import WORKDAY, Clock
from services.entrypoints.demo.contacts import Contacts, names
from services.entrypoints.demo.text import cat, ints, quoted, true_false, vocab, when

# In primary-key order (customer_id, field_key): COPY then only appends to the index.
KEYS = ("covers_per_day", "current_supplier_contracts", "decision_makers", "kitchen_notes", "kitchen_type",
        "preferred_channel", "price_agreement", "roi_potential", "seasonal_menu_cycle")
BUCKETS = ("LOW", "MID", "HIGH")
PRICE_LISTS = ("STANDARD", "CHAIN", "KEY_ACCOUNT")
CHANNELS = ("PHONE", "EMAIL", "VISIT")
COVERS = ((40, 250), (150, 2500), (80, 600), (100, 3000), (150, 900))  # per kitchen type


@dataclass(frozen=True)
class SeasonWindows:
    start: np.ndarray   # day numbers, ascending
    end: np.ndarray
    label: np.ndarray   # index into words.SEASONS


def season_windows(clock: Clock) -> SeasonWindows:
    rows = sorted(
        (clock.day_number(date(year, sm, sd)), clock.day_number(date(year, em, ed)), k)
        for year in range(clock.today.year - 3, clock.today.year + 4)
        for k, (_, sm, sd, em, ed) in enumerate(words.SEASONS))
    start, end, label = (np.array(c) for c in zip(*rows))
    return SeasonWindows(start, end, label)


@dataclass(frozen=True)
class Contracts:
    has: np.ndarray
    renewal_day: np.ndarray
    exclusive: np.ndarray
    supplier: np.ndarray    # index into words.SUPPLIERS, -1 for none


def contracts(rng: np.random.Generator, n: int) -> Contracts:
    """Renewal dates over the next two years, a few just passed."""
    return Contracts(rng.random(n) < 0.7, rng.integers(-45, 731, size=n), rng.random(n) < 0.3,
                     np.where(rng.random(n) < 0.85, rng.integers(0, len(words.SUPPLIERS), size=n), -1))


@dataclass(frozen=True)
class Fields:
    contracts: Contracts
    t: np.ndarray                 # when the values were entered (working time)
    roi_has: np.ndarray
    roi_value: np.ndarray         # -1: bucket only
    dm_has: np.ndarray
    dm_list: np.ndarray           # a list of people instead of a count
    dm_count: np.ndarray
    dm_exec: np.ndarray
    dm_extra: np.ndarray          # (n, 2, 2) first and last name indexes of extra people, -1 for none
    season_has: np.ndarray
    season_start: np.ndarray
    season_end: np.ndarray
    price_has: np.ndarray
    price_list: np.ndarray
    discount_halves: np.ndarray   # discount in half percent steps, -1 for none
    covers_has: np.ndarray
    covers: np.ndarray
    channel_has: np.ndarray
    channel: np.ndarray
    notes_has: np.ndarray
    notes: np.ndarray


def bucket(value: np.ndarray) -> np.ndarray:
    return np.searchsorted([600, 1500], value, side="right")


def plan(rng: np.random.Generator, accounts: Accounts, contract: Contracts, roi_customer: np.ndarray,
         roi_savings: np.ndarray, clock: Clock) -> Fields:
    """`roi_customer`/`roi_savings`: consultations, whose savings become the ROI potential."""
    n = accounts.n
    roi_has = rng.random(n) < 0.7
    roi_value = np.clip(np.exp(rng.normal(6.8, 0.7, size=n)), 50, 20000).astype(np.int64)
    roi_value[rng.random(n) < 0.06] = -1
    roi_has[roi_customer] = True
    roi_value[roi_customer] = roi_savings

    windows = season_windows(clock)
    upcoming = np.searchsorted(windows.end, -20) + rng.integers(0, 3, size=n)
    season_start = windows.start[upcoming] + rng.integers(-10, 11, size=n)
    season_end = np.maximum(windows.end[upcoming] + rng.integers(-10, 11, size=n), season_start + 14)

    chained = accounts.is_chain | (accounts.parent >= 0)
    price_list = np.where(chained, np.where(accounts.big_chain, 2, 1), 0)
    discount = np.where(chained, rng.integers(4, 25, size=n), rng.integers(0, 11, size=n))
    covers_range = np.array(COVERS)[accounts.kitchen]
    extra = rng.integers(0, [len(words.FIRST_NAMES), len(words.LAST_NAMES)], size=(n, 2, 2))
    extra[np.arange(2)[None, :] >= rng.integers(0, 3, size=n)[:, None]] = -1
    return Fields(
        contracts=contract,
        t=accounts.created_t + rng.integers(0, 60 * WORKDAY, size=n),
        roi_has=roi_has, roi_value=roi_value,
        dm_has=rng.random(n) < 0.65, dm_list=rng.random(n) < 0.3,
        dm_count=rng.choice(np.arange(1, 7), size=n, p=[0.15, 0.3, 0.25, 0.15, 0.1, 0.05]),
        dm_exec=rng.random(n) < 0.55, dm_extra=extra,
        season_has=rng.random(n) < 0.6, season_start=season_start, season_end=season_end,
        price_has=np.where(chained, rng.random(n) < 0.85, rng.random(n) < 0.25), price_list=price_list,
        discount_halves=np.where(chained | (rng.random(n) < 0.5), discount, -1),
        covers_has=rng.random(n) < 0.6, covers=rng.integers(covers_range[:, 0], covers_range[:, 1]),
        channel_has=rng.random(n) < 0.5, channel=rng.choice(3, size=n, p=[0.45, 0.35, 0.2]),
        notes_has=rng.random(n) < 0.08, notes=rng.integers(0, len(words.KITCHEN_NOTES), size=n),
    )


def values(f: Fields, accounts: Accounts, contacts: Contacts, clock: Clock, lo: int, hi: int):
    """(customer, key index, JSON as binary jsonb cells) of customers lo..hi-1, in primary-key order."""
    customers, keys, cells = [], [], []
    for k, key in enumerate(KEYS):
        rows = np.flatnonzero(_present(f, key)[lo:hi]) + lo
        if len(rows):
            customers.append(rows)
            keys.append(np.full(len(rows), k))
            # Each key keeps its own width: padding every value to the longest list would cost 20×.
            cells.append(bc.jsonb(_json(key, f, accounts, contacts, clock, rows)))
    customer = np.concatenate(customers)
    order = np.argsort(customer, kind="stable")
    return customer[order], np.concatenate(keys)[order], bc.Var.concat(cells).take(order)


def count(f: Fields) -> int:
    return int(sum(_present(f, key).sum() for key in KEYS))


def _present(f: Fields, key: str) -> np.ndarray:
    return {"covers_per_day": f.covers_has, "current_supplier_contracts": f.contracts.has,
            "decision_makers": f.dm_has, "kitchen_notes": f.notes_has, "kitchen_type": np.ones_like(f.roi_has),
            "preferred_channel": f.channel_has, "price_agreement": f.price_has, "roi_potential": f.roi_has,
            "seasonal_menu_cycle": f.season_has}[key]


def _json(key: str, f: Fields, accounts: Accounts, contacts: Contacts, clock: Clock, r: np.ndarray) -> np.ndarray:
    if key == "covers_per_day":
        return ints(f.covers[r])
    if key == "kitchen_type":
        return quoted(vocab(words.KITCHEN_TYPES)[accounts.kitchen[r]])
    if key == "preferred_channel":
        return quoted(vocab(CHANNELS)[f.channel[r]])
    if key == "kitchen_notes":
        return quoted(vocab(words.KITCHEN_NOTES)[f.notes[r]])
    if key == "roi_potential":
        value = f.roi_value[r]
        return cat(b'{"bucket":"', vocab(BUCKETS)[bucket(np.maximum(value, 0))], b'"',
                   when(value >= 0, cat(b',"value":', ints(value))), b"}")
    if key == "seasonal_menu_cycle":
        return cat(b'{"season_start":"', clock.iso(f.season_start[r]), b'","season_end":"',
                   clock.iso(f.season_end[r]), b'"}')
    if key == "current_supplier_contracts":
        c = f.contracts
        supplier = vocab(words.SUPPLIERS)[np.maximum(c.supplier[r], 0)]
        return cat(b'{"renewal_date":"', clock.iso(c.renewal_day[r]), b'","exclusivity":', true_false(c.exclusive[r]),
                   when(c.supplier[r] >= 0, cat(b',"supplier":"', supplier, b'"')), b"}")
    if key == "price_agreement":
        halves = f.discount_halves[r]
        discount = cat(ints(halves // 2), when(halves % 2 == 1, b".5"))
        return cat(b'{"price_list":"', vocab(PRICE_LISTS)[f.price_list[r]], b'"',
                   when(halves >= 0, cat(b',"discount_pct":', discount)), b"}")
    if key == "decision_makers":
        return when(f.dm_list[r], _people(f, contacts, r),
                    cat(b'{"count":', ints(f.dm_count[r]), b',"has_exec_alignment":', true_false(f.dm_exec[r]), b"}"))
    raise KeyError(key)


def _people(f: Fields, contacts: Contacts, r: np.ndarray) -> np.ndarray:
    """The decision makers as a list: the customer's contacts and some people without contact data."""
    first, last, _, _ = names()
    roles = vocab(CONTACT_ROLES)

    def person(first_i, last_i, role_i):
        is_exec = (role_i == OWNER) | (role_i == MANAGING_DIRECTOR)
        return cat(b'{"name":"', first[first_i], b" ", last[last_i], b'","role":"', roles[role_i],
                   b'","is_exec":', true_false(is_exec), b"}")

    main, second = contacts.main[r], contacts.second[r]
    s = np.maximum(second, 0)
    out = cat(b"[", person(contacts.first[main], contacts.last[main], contacts.role[main]),
              when(second >= 0, cat(b",", person(contacts.first[s], contacts.last[s], contacts.role[s]))))
    for slot in range(2):
        extra = f.dm_extra[r, slot]
        role = np.full(len(r), CONTACT_ROLES.index("PURCHASING"))
        out = cat(out, when(extra[:, 0] >= 0, cat(b",", person(np.maximum(extra[:, 0], 0),
                                                              np.maximum(extra[:, 1], 0), role))))
    return cat(out, b"]")
