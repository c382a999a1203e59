"""The people at the customers: a main contact everywhere, often a second one, and the
chain's purchasing contact, who holds that role at every location of the chain too."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from services.entrypoints.demo import words
from services.entrypoints.demo.accounts import (CANTEEN, CATERING, FOOD_AND_BEVERAGE, HEAD_CHEF, HOTEL, MANAGING_DIRECTOR,
                                    OWNER, PURCHASING, RESTAURANT, SYSTEM, Accounts, cities)
from services.entrypoints.demo.text import cat, ints, new_uuids, slug, vocab

# Role of the main contact by kitchen type.
_MAIN_ROLE = {
    RESTAURANT: ((OWNER, HEAD_CHEF), (0.4, 0.6)),
    CANTEEN: ((HEAD_CHEF, FOOD_AND_BEVERAGE, PURCHASING), (0.6, 0.2, 0.2)),
    HOTEL: ((FOOD_AND_BEVERAGE, HEAD_CHEF), (0.5, 0.5)),
    CATERING: ((OWNER, HEAD_CHEF), (0.5, 0.5)),
    SYSTEM: ((MANAGING_DIRECTOR, HEAD_CHEF), (0.4, 0.6)),
}
_SECOND_ROLES = np.array([MANAGING_DIRECTOR, PURCHASING, HEAD_CHEF, FOOD_AND_BEVERAGE])


@dataclass(frozen=True)
class Contacts:
    ids: np.ndarray        # (m, 16), ascending
    account: np.ndarray    # the account each contact was met at, ascending
    first: np.ndarray      # index into words.FIRST_NAMES
    last: np.ndarray       # index into words.LAST_NAMES
    role: np.ndarray       # role at that account
    email: np.ndarray      # S
    has_email: np.ndarray
    phone: np.ndarray      # S
    has_phone: np.ndarray
    main: np.ndarray       # per account: its main contact
    second: np.ndarray     # per account: its second contact or -1
    role_contact: np.ndarray   # contact_roles, in primary-key order
    role_account: np.ndarray
    role_role: np.ndarray

    @property
    def n(self) -> int:
        return len(self.ids)


@cache
def names() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """First and last names, and their e-mail spellings."""
    return (vocab(words.FIRST_NAMES), vocab(words.LAST_NAMES),
            vocab(slug(w) for w in words.FIRST_NAMES), vocab(slug(w) for w in words.LAST_NAMES))


def plan(rng: np.random.Generator, accounts: Accounts) -> Contacts:
    n = accounts.n
    main_role = np.full(n, PURCHASING, np.int64)
    for kitchen, (roles, p) in _MAIN_ROLE.items():
        rows = np.flatnonzero((accounts.kitchen == kitchen) & ~accounts.is_chain)
        main_role[rows] = rng.choice(roles, size=len(rows), p=p)
    has_second = accounts.is_chain | (rng.random(n) < 0.35)
    second_role = _SECOND_ROLES[rng.integers(0, 4, size=n)]
    second_role = np.where(second_role == main_role, HEAD_CHEF, second_role)
    second_role = np.where(second_role == main_role, MANAGING_DIRECTOR, second_role)
    second_role[accounts.is_chain] = MANAGING_DIRECTOR

    per_account = 1 + has_second.astype(np.int64)
    start = np.concatenate([[0], np.cumsum(per_account)[:-1]])
    m = int(per_account.sum())
    account = np.repeat(np.arange(n), per_account)
    is_second = np.arange(m) != start[account]
    role = np.where(is_second, second_role[account], main_role[account])
    second = np.where(has_second, start + 1, -1)

    first = rng.integers(0, len(words.FIRST_NAMES), size=m)
    last = rng.integers(0, len(words.LAST_NAMES), size=m)
    _, _, first_slug, last_slug = names()
    email = cat(first_slug[first], b".", last_slug[last], b"@", accounts.domain[account])
    c = cities()
    phone = cat(b"+49 ", c.area_code[accounts.city[account]], b" ", ints(rng.integers(100_000, 99_999_999, size=m)))

    # Contact roles: each contact's own, plus the chain's purchasing contact at every location.
    locations = np.flatnonzero(accounts.parent >= 0)
    role_contact = np.concatenate([np.arange(m), start[accounts.parent[locations]]])
    role_account = np.concatenate([account, locations])
    role_role = np.concatenate([role, np.full(len(locations), PURCHASING)])
    order = np.lexsort((role_role, role_account, role_contact))

    return Contacts(
        ids=new_uuids(rng, m), account=account, first=first, last=last, role=role, email=email,
        has_email=rng.random(m) < 0.92, phone=phone, has_phone=rng.random(m) < 0.9, main=start, second=second,
        role_contact=role_contact[order], role_account=role_account[order], role_role=role_role[order],
    )
