"""Activities of every kind and the SLAs the domain pack's rules would have opened and met.

Each customer gets at most one thread per kind (product-test feedback comes
from its samples), so the rules of services/pack/b2b_food.py reduce to what is
computed here: feedback meets the sample's feedback SLA; a DRAFT menu opens the
season SLA that MENU_LOCKED meets or DROPPED closes; a PARTIAL or MISALIGNED
alignment opens the renewal SLA that ALIGNED meets; and whatever activity comes
first after a QUALIFIED or NEEDS_DATA consultation meets its follow-up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from services.entrypoints.demo import samples as S
from services.entrypoints.demo import words
from services.entrypoints.demo.accounts import Accounts
from services.entrypoints.demo.clock import WORKDAY, Clock
from services.entrypoints.demo.fields import Contracts, season_windows
from services.entrypoints.demo.text import new_uuids

KINDS = ("PRODUCTTEST_FEEDBACK", "ROI_CONSULTATION", "MENU_INTEGRATION", "DECISION_MAKER_ALIGNMENT")
FEEDBACK, ROI, MENU, ALIGNMENT = range(4)
OUTCOMES = ("SUCCESS", "NEUTRAL", "FAIL", "QUALIFIED", "NEEDS_DATA", "NO_INTEREST", "MENU_LOCKED", "DRAFT",
            "DROPPED", "ALIGNED", "PARTIAL", "MISALIGNED")
(O_SUCCESS, O_NEUTRAL, O_FAIL, QUALIFIED, NEEDS_DATA, NO_INTEREST, MENU_LOCKED, DRAFT, DROPPED, ALIGNED, PARTIAL,
 MISALIGNED) = range(12)
RULES = ("feedback_after_delivery", "follow_up", "inside_season_window", "before_renewal")
SLA_STATUSES = ("OPEN", "MET", "CLOSED")
OPEN, MET, CLOSED = range(3)
COMMITMENTS = ("LOW", "MID", "HIGH")
FOLLOW_UP_DAYS = 7
RENEWAL_DAYS_BEFORE = 30
FEEDBACK_BUSINESS_DAYS = 5


@dataclass(frozen=True)
class Activities:
    ids: np.ndarray
    customer: np.ndarray      # ascending, then by time
    kind: np.ndarray          # index into KINDS
    t: np.ndarray             # working time
    outcome: np.ndarray       # index into OUTCOMES
    note: np.ndarray          # index into words.ACTIVITY_NOTES or -1
    sample: np.ndarray        # feedback: the sample, else -1
    scenario: np.ndarray      # consultation: the ROI scenario, else -1
    rating: np.ndarray        # feedback
    menu_fit: np.ndarray
    sensory: np.ndarray       # index into words.SENSORY_NOTES or -1
    commitment: np.ndarray    # consultation: index into COMMITMENTS
    season: np.ndarray        # menu: index into season_windows
    dishes: np.ndarray        # menu: (a, 4) indexes into words.DISHES, -1 unused
    roles: np.ndarray         # alignment: bit mask of HEAD_CHEF, MANAGING_DIRECTOR, PURCHASING
    score: np.ndarray         # alignment score


@dataclass(frozen=True)
class Scenarios:
    ids: np.ndarray
    customer: np.ndarray
    t: np.ndarray
    savings: np.ndarray
    version: np.ndarray       # 1 or 2
    name: np.ndarray          # index into words.ROI_SCENARIO_NAMES
    covers: np.ndarray
    days_per_month: np.ndarray
    minutes_saved: np.ndarray
    labour_cost: np.ndarray


@dataclass(frozen=True)
class Slas:
    ids: np.ndarray
    customer: np.ndarray
    kind: np.ndarray
    rule: np.ndarray
    sample: np.ndarray        # -1 for none
    opened_by: np.ndarray     # activity, -1 for none
    met_by: np.ndarray        # activity, -1 for none
    opened_t: np.ndarray
    due_day: np.ndarray
    status: np.ndarray
    closed_t: np.ndarray      # valid unless OPEN


def _thread(rng, n: int, p: float, first_days: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Customers with a thread of this kind, and when it started: more of them recently."""
    customers = np.flatnonzero(rng.random(n) < p)
    low, high = first_days[0] * WORKDAY, first_days[1] * WORKDAY
    return customers, -(low + (high - low) * rng.random(len(customers)) ** 2).astype(np.int64)


def _second_step(rng, t1: np.ndarray, wanted: np.ndarray, days: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """A follow-on step some days later, if wanted and still in the past."""
    t2 = t1 + rng.integers(days[0] * WORKDAY, days[1] * WORKDAY, size=len(t1))
    return wanted & (t2 < 0), t2


class _Parts:
    """Activities of one origin each (feedback, consultations, ...), merged by `_merge`."""

    def __init__(self):
        self.parts: list[dict[str, np.ndarray]] = []

    def add(self, customer, t, kind, outcome, **extra) -> None:
        self.parts.append({"customer": customer, "t": t, "kind": np.full(len(customer), kind), "outcome": outcome,
                           "origin": np.full(len(customer), len(self.parts)), "local": np.arange(len(customer)),
                           **extra})


def plan(rng: np.random.Generator, accounts: Accounts, samples: S.Samples, contracts: Contracts,
         clock: Clock) -> tuple[Activities, Scenarios, Slas]:
    parts = _Parts()
    _feedback(rng, samples, parts)
    scenarios, roi_t, roi_out = _consultations(rng, accounts, parts)
    windows = season_windows(clock)
    settled = _menus(rng, accounts.n, windows, clock, parts)
    aligned_later = _alignments(rng, accounts.n, scenarios.customer, roi_t, roi_out, parts)
    activities, position = _merge(rng, parts.parts)
    slas = _slas(rng, activities, position, samples, contracts, windows, clock, settled=settled,
                 aligned_later=aligned_later)
    return activities, scenarios, slas


def _feedback(rng, samples: S.Samples, parts: _Parts) -> None:
    """Product-test feedback: the last step of every sample with a FEEDBACK_* status."""
    fed = np.flatnonzero(np.isin(samples.status, S.FEEDBACK))
    verdict = samples.status[fed] - S.SUCCESS
    parts.add(samples.customer[fed], samples.times[fed, 4], FEEDBACK, O_SUCCESS + verdict, sample=fed,
              rating=np.choose(verdict, [rng.integers(4, 6, len(fed)), rng.integers(2, 5, len(fed)),
                                         rng.integers(1, 3, len(fed))]),
              menu_fit=rng.random(len(fed)) < np.choose(verdict, [0.85, 0.4, 0.05]),
              sensory=np.where(rng.random(len(fed)) < 0.7, rng.integers(0, 8, len(fed)), -1))


def _consultations(rng, accounts: Accounts, parts: _Parts) -> tuple[Scenarios, np.ndarray, np.ndarray]:
    """ROI consultations, each with the scenario it discussed."""
    customers, t = _thread(rng, accounts.n, 0.2, (1, 160))
    k = len(customers)
    outcome = rng.choice([QUALIFIED, NEEDS_DATA, NO_INTEREST], size=k, p=[0.45, 0.35, 0.2])
    commitment = np.empty(k, np.int64)
    for result, p in {QUALIFIED: [0.1, 0.4, 0.5], NEEDS_DATA: [0.4, 0.5, 0.1], NO_INTEREST: [0.8, 0.2, 0.0]}.items():
        rows = np.flatnonzero(outcome == result)
        commitment[rows] = rng.choice(3, size=len(rows), p=p)
    covers = rng.integers(40, 600, size=k)
    minutes = rng.integers(1, 6, size=k)
    labour = rng.integers(28, 39, size=k)
    days_per_month = rng.choice([22, 26, 30], size=k)
    # Kitchen minutes saved per cover, valued at a tenth of the labour cost (the rest is absorbed by the team).
    savings = np.maximum(50, covers * days_per_month * minutes * labour // 600)
    scenario_t = np.maximum(t - rng.integers(0, 3 * WORKDAY, size=k), accounts.created_t[customers] + 1)
    scenarios = Scenarios(new_uuids(rng, k), customers, scenario_t, savings, rng.choice([1, 2], size=k, p=[0.4, 0.6]),
                          rng.integers(0, len(words.ROI_SCENARIO_NAMES), size=k), covers, days_per_month, minutes,
                          labour)
    parts.add(customers, t, ROI, outcome, scenario=np.arange(k), commitment=commitment)
    return scenarios, t, outcome


def _menus(rng, n: int, windows, clock: Clock, parts: _Parts) -> tuple[np.ndarray, np.ndarray]:
    """Menu integration: a first talk, sometimes settled (locked or dropped) later."""
    customers, t = _thread(rng, n, 0.16, (1, 220))
    outcome = rng.choice([DRAFT, MENU_LOCKED, DROPPED], size=len(t), p=[0.55, 0.35, 0.1])
    season = np.searchsorted(windows.start, clock.day_of(t) + 14)
    dishes = rng.random((len(t), len(words.DISHES))).argsort(axis=1)[:, :4]
    dishes[np.arange(4) >= rng.integers(1, 5, size=len(t))[:, None]] = -1
    settled, t2 = _second_step(rng, t, (outcome == DRAFT) & (rng.random(len(t)) < 0.7), (2, 60))
    settled_out = rng.choice([MENU_LOCKED, DROPPED], size=len(t), p=[0.75, 0.25])
    parts.add(customers, t, MENU, outcome, season=season, dishes=dishes)
    parts.add(customers[settled], t2[settled], MENU, settled_out[settled], season=season[settled],
              dishes=dishes[settled])
    return settled, settled_out


def _alignments(rng, n: int, roi_customers, roi_t, roi_out, parts: _Parts) -> np.ndarray:
    """Decision-maker alignment; and for most open consultations an alignment as the follow-up."""
    customers, t = _thread(rng, n, 0.14, (1, 200))
    outcome = rng.choice([PARTIAL, MISALIGNED, ALIGNED], size=len(t), p=[0.4, 0.2, 0.4])
    aligned_later, t2 = _second_step(rng, t, (outcome != ALIGNED) & (rng.random(len(t)) < 0.4), (3, 60))
    has_align = np.zeros(n, bool)
    has_align[customers] = True
    follow = (roi_out != NO_INTEREST) & ~has_align[roi_customers] & (rng.random(len(roi_t)) < 0.75)
    late = rng.random(len(roi_t)) < 0.25
    follow_t = roi_t + np.where(late, rng.integers(8 * WORKDAY, 20 * WORKDAY, size=len(roi_t)),
                                rng.integers(WORKDAY // 5, 6 * WORKDAY, size=len(roi_t)))
    follow &= follow_t < 0
    for who, when, out in ((customers, t, outcome),
                           (customers[aligned_later], t2[aligned_later], np.full(int(aligned_later.sum()), ALIGNED)),
                           (roi_customers[follow], follow_t[follow], np.full(int(follow.sum()), ALIGNED))):
        score = np.select([out == ALIGNED, out == PARTIAL], [rng.integers(70, 101, len(when)),
                                                             rng.integers(35, 76, len(when))],
                          rng.integers(0, 41, len(when)))
        parts.add(who, when, ALIGNMENT, out, roles=rng.integers(1, 8, size=len(when)), score=score)
    return aligned_later


_DEFAULTS = {"sample": -1, "scenario": -1, "rating": 0, "menu_fit": False, "sensory": -1, "commitment": 0,
             "season": 0, "roles": 0, "score": 0}


def _merge(rng, parts: list[dict[str, np.ndarray]]) -> tuple[Activities, list[np.ndarray]]:
    """All activities in (customer, time) order; `position[p][i]` is where part p's row i went."""
    size = sum(len(p["customer"]) for p in parts)
    columns = {}
    for key in ("customer", "t", "kind", "outcome", "origin", "local", *_DEFAULTS):
        columns[key] = np.concatenate([p.get(key, np.full(len(p["customer"]), _DEFAULTS.get(key, 0)))
                                       for p in parts])
    columns["dishes"] = np.concatenate([p.get("dishes", np.full((len(p["customer"]), 4), -1)) for p in parts])
    order = np.lexsort((columns["t"], columns["customer"]))
    sorted_columns = {k: v[order] for k, v in columns.items()}
    position = [np.empty(len(p["customer"]), np.int64) for p in parts]
    for p in range(len(parts)):
        mine = sorted_columns["origin"] == p
        position[p][sorted_columns["local"][mine]] = np.flatnonzero(mine)
    note = np.where(rng.random(size) < 0.3, rng.integers(0, 6, size=size), -1)
    fields = {k: v for k, v in sorted_columns.items() if k not in ("origin", "local")}
    return Activities(ids=new_uuids(rng, size), note=note, **fields), position


def _slas(rng, a: Activities, position, samples: S.Samples, contracts: Contracts, windows, clock: Clock, *,
          settled, aligned_later) -> Slas:
    feedback_pos, roi_pos, menu_pos, menu2_pos, align_pos, align2_pos, _ = position
    parts = []

    def add(customer, kind, rule, opened_t, due_day, status, closed_t, sample=None, opened_by=None, met_by=None):
        k = len(customer)
        parts.append((customer, np.full(k, kind), np.full(k, rule), _or(sample, k), _or(opened_by, k),
                      _or(met_by, k), opened_t, due_day, status, closed_t))

    # Feedback within 5 business days of delivery; the feedback activity meets it.
    delivered = np.flatnonzero(samples.reached(S.DELIVERED))
    delivered_t = samples.times[delivered, 3]
    answered = samples.n_steps[delivered] == 5
    met_by = np.full(len(delivered), -1)
    fed_index = np.searchsorted(np.flatnonzero(np.isin(samples.status, S.FEEDBACK)), delivered[answered])
    met_by[answered] = feedback_pos[fed_index]
    add(samples.customer[delivered], FEEDBACK, 0, delivered_t,
        clock.add_business_days(clock.day_of(delivered_t), FEEDBACK_BUSINESS_DAYS),
        np.where(answered, MET, OPEN), samples.times[delivered, 4], sample=delivered, met_by=met_by)

    # Follow-up within 7 days of a consultation: met by the customer's next activity of any kind.
    opening = np.flatnonzero(np.isin(a.outcome[roi_pos], [QUALIFIED, NEEDS_DATA]))
    at = roi_pos[opening]
    following = np.minimum(at + 1, len(a.customer) - 1)
    answered = (at + 1 < len(a.customer)) & (a.customer[following] == a.customer[at]) & (a.t[following] > a.t[at])
    add(a.customer[at], ROI, 1, a.t[at], clock.day_of(a.t[at]) + FOLLOW_UP_DAYS, np.where(answered, MET, OPEN),
        a.t[following], opened_by=at, met_by=np.where(answered, following, -1))

    # A draft menu must be locked inside its roll-out window; dropping it closes the SLA.
    was_settled, settled_out = settled
    drafts = np.flatnonzero(a.outcome[menu_pos] == DRAFT)
    second = np.full(len(menu_pos), -1)
    second[np.flatnonzero(was_settled)] = menu2_pos
    follow_on = second[drafts]
    locked = (follow_on >= 0) & (settled_out[drafts] == MENU_LOCKED)
    status = np.select([locked, follow_on >= 0], [MET, CLOSED], OPEN)
    add(a.customer[menu_pos[drafts]], MENU, 2, a.t[menu_pos[drafts]], windows.end[a.season[menu_pos[drafts]]],
        status, a.t[np.maximum(follow_on, 0)], opened_by=menu_pos[drafts], met_by=np.where(locked, follow_on, -1))

    # Partial or no alignment must turn into ALIGNED 30 days before the contract's renewal.
    first = align_pos[np.isin(a.outcome[align_pos], [PARTIAL, MISALIGNED])]
    first = first[contracts.has[a.customer[first]]]
    later = np.full(len(align_pos), -1)
    later[np.flatnonzero(aligned_later)] = align2_pos
    by_first = np.full(len(a.customer), -1)
    by_first[align_pos] = later
    then = by_first[first]
    add(a.customer[first], ALIGNMENT, 3, a.t[first], contracts.renewal_day[a.customer[first]] - RENEWAL_DAYS_BEFORE,
        np.where(then >= 0, MET, OPEN), a.t[np.maximum(then, 0)], opened_by=first, met_by=then)

    columns = [np.concatenate(c) for c in zip(*parts)]
    order = np.lexsort((columns[6], columns[0]))
    customer, kind, rule, sample, opened_by, met_by, opened_t, due_day, status, closed_t = (c[order] for c in columns)
    return Slas(new_uuids(rng, len(customer)), customer, kind, rule, sample, opened_by, met_by, opened_t, due_day,
                status, closed_t)


def _or(values, k: int) -> np.ndarray:
    return np.full(k, -1) if values is None else np.asarray(values)
