"""Who the demo customers are: chains with their locations, single sites, owners, contacts.

Everything is drawn column-wise with numpy from one seeded generator, so a seed
always gives the same customers. Rows are built in a readable logical order
(chain, its locations, next chain, ..., single sites) and then moved to the
order of their (sorted, random) ids, the order in which COPY writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from services.entrypoints.demo import words
from services.entrypoints.demo.clock import WORKDAY
from services.entrypoints.demo.text import cat, new_uuids, slug, trimmed, vocab

REGIONS = tuple(words.CITIES)
CONTACT_ROLES = ("HEAD_CHEF", "MANAGING_DIRECTOR", "PURCHASING", "FOOD_AND_BEVERAGE", "OWNER")
HEAD_CHEF, MANAGING_DIRECTOR, PURCHASING, FOOD_AND_BEVERAGE, OWNER = range(5)
CONTACTABILITY = ("OK", "SOFT_BOUNCE", "HARD_BOUNCE", "DO_NOT_CONTACT")
RESTAURANT, CANTEEN, HOTEL, CATERING, SYSTEM = range(5)


@dataclass(frozen=True)
class Cities:
    name: np.ndarray       # S
    region: np.ndarray     # index into REGIONS
    weight: np.ndarray     # share of all customers
    area_code: np.ndarray  # S, without the leading 0
    postcode: np.ndarray   # S


@cache
def cities() -> Cities:
    rows = [(name, r, pop * words.REGION_SHARE[code] / sum(p for _, p, _, _ in words.CITIES[code]), area, zip_)
            for r, code in enumerate(REGIONS) for name, pop, area, zip_ in words.CITIES[code]]
    weight = np.array([w for _, _, w, _, _ in rows])
    return Cities(vocab(n for n, *_ in rows), np.array([r for _, r, *_ in rows], np.int8), weight / weight.sum(),
                  vocab(a[1:] for *_, a, _ in rows), vocab(z for *_, z in rows))


@dataclass(frozen=True)
class Accounts:
    ids: np.ndarray         # (n, 16) uuid bytes, ascending
    name: np.ndarray        # S
    domain: np.ndarray      # S, for e-mail addresses
    city: np.ndarray        # index into cities()
    region: np.ndarray      # index into REGIONS
    kitchen: np.ndarray     # index into words.KITCHEN_TYPES
    is_chain: np.ndarray
    parent: np.ndarray      # index of the chain account, -1 for chains and single sites
    big_chain: np.ndarray   # chain or location of one of the big chains
    shared: np.ndarray      # coverage CHAIN_SHARED
    owner: np.ndarray       # index into the people
    contactability: np.ndarray
    created_t: np.ndarray   # working time (see clock.py)
    biggest_chains: np.ndarray  # account indexes of the largest chains, largest first

    @property
    def n(self) -> int:
        return len(self.ids)


def _family(names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    return vocab(names), vocab(slug(n) + ".de" for n in names)


@cache
def _single_site_families() -> dict[int, tuple[np.ndarray, np.ndarray]]:
    w = words
    return {
        RESTAURANT: _family([f"{p} {c}" for p in w.RESTAURANT_PREFIXES for c in w.RESTAURANT_CORES]
                            + [f"{p} {c}" for p in w.ITALIAN_PREFIXES for c in w.ITALIAN_CORES]),
        CANTEEN: _family([f"{p} {s} {i}" for p in w.CANTEEN_PREFIXES for s in w.LAST_NAMES for i in w.INDUSTRIES]),
        HOTEL: _family([f"{p} {c}" for p in w.HOTEL_PREFIXES for c in w.HOTEL_CORES]),
        CATERING: _family([f.format(s) for f in w.CATERING_FORMS for s in w.LAST_NAMES]),
        SYSTEM: _family([f"{p} {c}" for p in w.SYSTEM_PREFIXES for c in w.SYSTEM_CORES]),
    }


@cache
def _institutions() -> tuple[np.ndarray, np.ndarray]:
    """Canteens of hospitals, universities, schools: one name per institution and city."""
    names = cities().name
    return _family([f"{i} {c.decode()}" for i in words.INSTITUTION_KITCHENS for c in names])


@cache
def _small_chain_families() -> dict[int, tuple[np.ndarray, np.ndarray]]:
    return {k: _family([f.format(s) for f in words.SMALL_CHAIN_FORMS[t] for s in words.LAST_NAMES])
            for k, t in enumerate(words.KITCHEN_TYPES)}


def _pick_cities(rng: np.random.Generator, region: np.ndarray | None, size: int) -> np.ndarray:
    c = cities()
    if region is None:
        return rng.choice(len(c.weight), size=size, p=c.weight)
    out = np.empty(size, np.int64)
    for r in range(len(REGIONS)):
        rows = np.flatnonzero(region == r)
        members = np.flatnonzero(c.region == r)
        out[rows] = rng.choice(members, size=len(rows), p=c.weight[members] / c.weight[members].sum())
    return out


def plan(rng: np.random.Generator, n: int, reps_by_region: list[np.ndarray]) -> Accounts:
    """`n` customers; `reps_by_region[r]` holds the people (indexes) who may own customers in region r."""
    c = cities()
    big = [(name, short, words.KITCHEN_TYPES.index(kind), max(3, round(share * n)), shared)
           for name, short, kind, share, shared in words.BIG_CHAINS]
    big_accounts = sum(1 + size for *_, size, _ in big)
    # Small regional chains take about a quarter of the customers; sizes 2..40, most small.
    sizes = np.minimum(1 + rng.geometric(0.2, size=max(1, n // 4)), 40)
    fits = np.cumsum(sizes + 1) <= max(0, round(0.25 * n) - big_accounts)
    small_sizes = sizes[fits]
    singles = n - big_accounts - int((small_sizes + 1).sum())
    if singles < 0:
        raise ValueError("too few customers for the demo's chains")

    # ---- chains and their locations, in logical order
    n_small = len(small_sizes)
    small_kitchen = rng.choice(5, size=n_small, p=(0.35, 0.15, 0.2, 0.1, 0.2))
    group_kitchen = np.concatenate([[b[2] for b in big], small_kitchen]).astype(np.int64)
    group_shared = np.concatenate([[b[4] for b in big], rng.random(n_small) < 0.4]).astype(bool)
    group_big = np.arange(len(big) + n_small) < len(big)
    group_size = np.array([size for *_, size, _ in big] + small_sizes.tolist(), np.int64)
    groups = len(group_size)
    chain_rows = group_size + 1
    chain_start = np.concatenate([[0], np.cumsum(chain_rows)[:-1]])
    in_chains = int(chain_rows.sum())

    group_of = np.repeat(np.arange(groups), chain_rows)
    is_chain = np.zeros(n, bool)
    is_chain[chain_start] = True
    parent = np.full(n, -1, np.int64)
    parent[:in_chains] = np.where(is_chain[:in_chains], -1, chain_start[group_of])
    kitchen = np.empty(n, np.int64)
    kitchen[:in_chains] = group_kitchen[group_of]
    kitchen[in_chains:] = rng.choice(5, size=singles, p=words.KITCHEN_SHARE)
    shared = np.zeros(n, bool)
    shared[:in_chains] = group_shared[group_of]
    big_chain = np.zeros(n, bool)
    big_chain[:in_chains] = group_big[group_of]

    # Big chains are nationwide; a small chain stays in its home region, mostly its home city.
    home_city = _pick_cities(rng, None, groups)
    city = _pick_cities(rng, None, n)
    small_rows = np.flatnonzero(~big_chain[:in_chains])
    home = home_city[group_of[small_rows]]
    elsewhere = _pick_cities(rng, c.region[home], len(small_rows))
    city[small_rows] = np.where(rng.random(len(small_rows)) < 0.6, home, elsewhere)
    city[chain_start] = home_city
    region = c.region[city].astype(np.int64)

    # ---- names (wide enough for the longest combination; trimmed at the end)
    name = np.zeros(n, "S200")
    domain = np.zeros(n, "S100")
    chain_name = np.zeros(groups, "S200")
    chain_domain = np.zeros(groups, "S100")
    short = np.zeros(groups, "S200")
    chain_name[:len(big)] = vocab(b[0] for b in big)
    short[:len(big)] = vocab(b[1] for b in big)
    chain_domain[:len(big)] = vocab(slug(b[1]) + ".de" for b in big)
    for k in range(5):
        small = np.flatnonzero(small_kitchen == k) + len(big)
        names, domains = _small_chain_families()[k]
        pick = rng.integers(0, len(names), size=len(small))
        chain_name[small], chain_domain[small], short[small] = names[pick], domains[pick], names[pick]
    sites = vocab(words.LOCATION_SITES)
    locations = np.flatnonzero(parent >= 0)
    name[chain_start] = chain_name
    name[locations] = cat(short[group_of[locations]], b" ", c.name[city[locations]], b" ",
                          sites[rng.integers(0, len(sites), size=len(locations))])
    domain[:in_chains] = chain_domain[group_of]

    single = np.arange(in_chains, n)
    for k, (names, domains) in _single_site_families().items():
        rows = single[kitchen[single] == k]
        pick = rng.integers(0, len(names), size=len(rows))
        name[rows], domain[rows] = names[pick], domains[pick]
    canteens = single[kitchen[single] == CANTEEN]
    institution = canteens[rng.random(len(canteens)) < 0.25]
    inst_names, inst_domains = _institutions()
    pick = rng.integers(0, len(words.INSTITUTION_KITCHENS), size=len(institution)) * len(c.name) + city[institution]
    name[institution], domain[institution] = inst_names[pick], inst_domains[pick]

    # ---- owners: a rep of the customer's region; most small chains have one rep for all locations
    owner = np.empty(n, np.int64)
    for r in range(len(REGIONS)):
        rows = np.flatnonzero(region == r)
        owner[rows] = reps_by_region[r][rng.integers(0, len(reps_by_region[r]), size=len(rows))]
    one_rep = np.zeros(n, bool)
    one_rep[:in_chains] = (rng.random(groups) < 0.7)[group_of] & ~big_chain[:in_chains]
    same_region = region[np.maximum(parent, 0)] == region
    follow = (parent >= 0) & one_rep & same_region
    owner[follow] = owner[parent[follow]]

    contactability = rng.choice(4, size=n, p=(0.93, 0.04, 0.02, 0.01))
    created_t = -rng.integers(700 * WORKDAY, 2500 * WORKDAY, size=n)

    # ---- into id order
    ids = new_uuids(rng, n)
    rank = rng.permutation(n)
    def placed(values):
        out = np.empty_like(values)
        out[rank] = values
        return out
    parent_placed = placed(np.where(parent >= 0, rank[np.maximum(parent, 0)], -1))
    biggest = rank[chain_start[np.argsort(-group_size, kind="stable")[:len(big)]]]
    return Accounts(
        ids=ids, name=placed(trimmed(name)), domain=placed(trimmed(domain)), city=placed(city),
        region=placed(region), kitchen=placed(kitchen), is_chain=placed(is_chain), parent=parent_placed,
        big_chain=placed(big_chain), shared=placed(shared), owner=placed(owner),
        contactability=placed(contactability), created_t=placed(created_t), biggest_chains=biggest,
    )
