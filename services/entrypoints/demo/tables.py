"""The demo plan as binary COPY data, table by table, in chunks of rows.

Columns are listed fixed-width first (cheapest to lay out, see binary_copy).
Every table's rows come in the order of their ascending ids, and per-customer
tables in customer order, so a customer's rows share pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from services.entrypoints.demo import activities as A
from services.entrypoints.demo import binary_copy as bc
from services.entrypoints.demo import fields as F
from services.entrypoints.demo import samples as S
from services.entrypoints.demo import words
from services.entrypoints.demo.accounts import CONTACT_ROLES, CONTACTABILITY, REGIONS, Accounts, cities
from services.entrypoints.demo.clock import Clock
from services.entrypoints.demo.contacts import Contacts, names
from services.entrypoints.demo.text import cat, ints, quoted, true_false, uuid_text, vocab, when

CHUNK = 50_000


@dataclass(frozen=True)
class Plan:
    clock: Clock
    people: np.ndarray          # (p, 16) user ids
    accounts: Accounts
    contacts: Contacts
    fields: F.Fields
    samples: S.Samples
    activities: A.Activities
    scenarios: A.Scenarios
    slas: A.Slas
    kit_ids: tuple[str, ...]
    skus: tuple[str, ...]
    last_touch: np.ndarray      # per customer: working time of its latest event


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: Callable[[Plan], int]
    encode: Callable[[Plan, int, int], list[bc.Fixed | bc.Var]]
    # What chunks are cut from: the table's own rows, or (for field values, built per customer) the customers.
    units: Callable[[Plan], int] | None = None

    def chunks(self, plan: Plan, size: int = CHUNK) -> Iterator[tuple[int, bytes]]:
        """(rows in the chunk, its COPY data)."""
        total = (self.units or self.rows)(plan)
        for lo in range(0, total, size):
            columns = self.encode(plan, lo, min(total, lo + size))
            yield len(columns[0]), bc.encode(columns)


def _ts(plan: Plan, t: np.ndarray, null=None) -> bc.Cells:
    return bc.timestamptz(plan.clock.utc_micros(np.where(null, 0, t) if null is not None else t), null)


def _ref(ids: np.ndarray, index: np.ndarray) -> bc.Cells:
    """A uuid column pointing at `ids[index]`; index -1 is NULL."""
    return bc.uuid(ids[np.maximum(index, 0)], null=index < 0)


def _accounts(p: Plan, lo: int, hi: int) -> list[bc.Cells]:
    a, r = p.accounts, slice(lo, hi)
    has_fields = np.ones(hi - lo, np.int64)  # every customer has at least its kitchen type
    contactability = a.contactability[r]
    return [bc.uuid(a.ids[r]), bc.uuid(p.people[a.owner[r]]), bc.boolean(a.is_chain[r]),
            bc.boolean(contactability == CONTACTABILITY.index("HARD_BOUNCE")), bc.int8(has_fields),
            _ts(p, a.created_t[r]), _ts(p, p.fields.t[r]), _ref(a.ids, a.parent[r]),
            bc.text(a.name[r]), bc.text(cities().name[a.city[r]]), bc.text(vocab(REGIONS)[a.region[r]]),
            bc.text(np.where(a.shared[r], b"CHAIN_SHARED", b"OWNER_ONLY")),
            bc.text(vocab(CONTACTABILITY)[contactability])]


def _contacts(p: Plan, lo: int, hi: int) -> list[bc.Cells]:
    c, r = p.contacts, slice(lo, hi)
    first, last, _, _ = names()
    account = c.account[r]
    touched = p.last_touch[account]
    created = _ts(p, p.accounts.created_t[account])
    return [bc.uuid(c.ids[r]), created,
            bc.text(cat(first[c.first[r]], b" ", last[c.last[r]])), bc.text(c.email[r], null=~c.has_email[r]),
            bc.text(c.phone[r], null=~c.has_phone[r]), _ts(p, touched, null=touched == np.iinfo(np.int64).min),
            created]


def _contact_roles(p: Plan, lo: int, hi: int) -> list[bc.Cells]:
    c, r = p.contacts, slice(lo, hi)
    return [bc.uuid(c.ids[c.role_contact[r]]), bc.uuid(p.accounts.ids[c.role_account[r]]),
            bc.text(vocab(CONTACT_ROLES)[c.role_role[r]])]


def _field_values(p: Plan, lo: int, hi: int) -> list[bc.Cells]:
    customer, key, value = F.values(p.fields, p.accounts, p.contacts, p.clock, lo, hi)
    return [bc.uuid(p.accounts.ids[customer]), _ts(p, p.fields.t[customer]), bc.text(vocab(F.KEYS)[key]), value]


def _samples(p: Plan, lo: int, hi: int) -> list[bc.Cells]:
    s, r = p.samples, slice(lo, hi)
    customer = s.customer[r]
    c = cities()
    street = (customer * 7919) % len(words.STREETS)  # one address per customer
    address = cat(vocab(words.STREETS)[street], b" ", ints(1 + customer % 97), b", ", c.postcode[p.accounts.city[customer]],
                  b" ", c.name[p.accounts.city[customer]])
    main = p.contacts.main[customer]
    kit = s.kit[r]
    return [bc.uuid(s.ids[r]), bc.uuid(p.accounts.ids[customer]), bc.uuid(p.people[p.accounts.owner[customer]]),
            _ts(p, s.created_t[r]), _ts(p, s.last_t[r]), _ts(p, s.last_t[r]), bc.date(p.clock.pg_date(s.delivery_day[r])),
            bc.text(vocab(p.kit_ids)[np.maximum(kit, 0)], null=kit < 0), bc.text(address),
            bc.text(p.contacts.email[main], null=~p.contacts.has_email[main]),
            bc.text(vocab(words.SAMPLE_NOTES)[np.maximum(s.note[r], 0)], null=s.note[r] < 0),
            bc.text(vocab(S.STATUSES)[s.status[r]])]


def _sample_items(p: Plan, lo: int, hi: int) -> list[bc.Cells]:
    s, r = p.samples, slice(lo, hi)
    return [bc.uuid(s.item_ids[r]), bc.uuid(s.ids[s.item_sample[r]]), bc.int4(s.item_quantity[r]),
            bc.text(vocab(p.skus)[s.item_sku[r]])]


def _history_rows(p: Plan) -> int:
    return int(p.samples.n_steps.sum())


def _history(p: Plan, lo: int, hi: int) -> list[bc.Cells]:
    s = p.samples
    steps = np.arange(5)[None, :] < s.n_steps[:, None]
    sample, step = np.nonzero(steps)          # row-major: by sample, then step
    sample, step = sample[lo:hi], step[lo:hi]
    status = vocab(S.STATUSES)
    t = s.times[sample, step]
    old = s.steps[sample, np.maximum(step - 1, 0)]
    return [bc.int8(np.arange(lo + 1, hi + 1)), bc.uuid(s.ids[sample]), _ts(p, t), _ts(p, t),
            bc.uuid(p.people[p.accounts.owner[s.customer[sample]]]),
            bc.text(status[np.maximum(old, 0)], null=step == 0), bc.text(status[s.steps[sample, step]])]


def _scenarios(p: Plan, lo: int, hi: int) -> list[bc.Cells]:
    x, r = p.scenarios, slice(lo, hi)
    version = cat(b"v", ints(x.version[r]))
    assumptions = cat(b'{"covers_per_day":', ints(x.covers[r]), b',"days_per_month":', ints(x.days_per_month[r]),
                      b',"minutes_saved_per_cover":', ints(x.minutes_saved[r]), b',"labour_cost_per_hour":',
                      ints(x.labour_cost[r]), b"}")
    name = cat(vocab(words.ROI_SCENARIO_NAMES)[x.name[r]], b" ", ints(x.covers[r]), b" Essen/Tag")
    return [bc.uuid(x.ids[r]), bc.uuid(p.accounts.ids[x.customer[r]]),
            bc.uuid(p.people[p.accounts.owner[x.customer[r]]]), _ts(p, x.t[r]), _ts(p, x.t[r]),
            bc.numeric_2(x.savings[r]), bc.text(name), bc.text(version), bc.jsonb(assumptions)]


def _activities(p: Plan, lo: int, hi: int) -> list[bc.Cells]:
    a, r = p.activities, slice(lo, hi)
    customer = a.customer[r]
    notes = vocab(words.ACTIVITY_NOTES)
    return [bc.uuid(a.ids[r]), bc.uuid(p.accounts.ids[customer]), _ts(p, a.t[r]), _ts(p, a.t[r]),
            bc.uuid(p.people[p.accounts.owner[customer]]), _ref(p.samples.ids, a.sample[r]),
            _ref(p.scenarios.ids, a.scenario[r]), bc.text(vocab(A.KINDS)[a.kind[r]]),
            bc.text(vocab(A.OUTCOMES)[a.outcome[r]]), bc.text(notes[np.maximum(a.note[r], 0)], null=a.note[r] < 0),
            activity_data(p, lo, hi)]


def activity_data(p: Plan, lo: int, hi: int) -> bc.Var:
    """Each activity's own fields as binary jsonb, by its kind's schema in the pack."""
    kind = p.activities.kind[lo:hi]
    parts, rows = [], []
    for k in range(len(A.KINDS)):
        mine = np.flatnonzero(kind == k)
        if len(mine):
            parts.append(bc.jsonb(_data_of_kind(p, k, mine + lo)))
            rows.append(mine)
    return bc.Var.concat(parts).take(np.argsort(np.concatenate(rows), kind="stable"))


def _data_of_kind(p: Plan, kind: int, rows: np.ndarray) -> np.ndarray:
    a = p.activities
    if kind == A.FEEDBACK:
        sensory = vocab(words.SENSORY_NOTES)[np.maximum(a.sensory[rows], 0)]
        return cat(b'{"sample_id":"', uuid_text(p.samples.ids[a.sample[rows]]), b'","rating":', ints(a.rating[rows]),
                   b',"menu_fit":', true_false(a.menu_fit[rows]),
                   when(a.sensory[rows] >= 0, cat(b',"sensory_notes":"', sensory, b'"')), b"}")
    if kind == A.ROI:
        x = p.scenarios
        scenario = a.scenario[rows]
        return cat(b'{"roi_scenario_id":"', uuid_text(x.ids[scenario]), b'","assumptions_version":"v',
                   ints(x.version[scenario]), b'","savings_per_month":', ints(x.savings[scenario]),
                   b',"commitment_level":"', vocab(A.COMMITMENTS)[a.commitment[rows]], b'"}')
    if kind == A.MENU:
        windows = F.season_windows(p.clock)
        season = a.season[rows]
        dishes, listed = vocab(words.DISHES), a.dishes[rows]
        planned = quoted(dishes[listed[:, 0]])
        for slot in range(1, listed.shape[1]):
            planned = cat(planned, when(listed[:, slot] >= 0, cat(b",", quoted(dishes[np.maximum(listed[:, slot], 0)]))))
        labels = vocab(label for label, *_ in words.SEASONS)
        return cat(b'{"season":"', labels[windows.label[season]], b'","planned_dishes":[', planned,
                   b'],"rollout_from":"', p.clock.iso(windows.start[season]), b'","rollout_to":"',
                   p.clock.iso(windows.end[season]), b'"}')
    roles = quoted(vocab(["HEAD_CHEF", "MANAGING_DIRECTOR", "PURCHASING"]))
    mask = a.roles[rows]
    listed = cat(*(when(mask & (1 << bit), roles[bit] + b",") for bit in range(3)))
    listed = np.strings.rstrip(listed, b",")
    return cat(b'{"roles":[', listed, b'],"alignment_score":', ints(a.score[rows]), b"}")


def _slas(p: Plan, lo: int, hi: int) -> list[bc.Cells]:
    x, r = p.slas, slice(lo, hi)
    is_open = x.status[r] == A.OPEN
    return [bc.uuid(x.ids[r]), bc.uuid(p.accounts.ids[x.customer[r]]), _ts(p, x.opened_t[r]),
            bc.date(p.clock.pg_date(x.due_day[r])), _ref(p.samples.ids, x.sample[r]),
            _ref(p.activities.ids, x.opened_by[r]), _ref(p.activities.ids, x.met_by[r]),
            _ts(p, x.closed_t[r], null=is_open), bc.text(vocab(A.KINDS)[x.kind[r]]),
            bc.text(vocab(A.RULES)[x.rule[r]]), bc.text(vocab(A.SLA_STATUSES)[x.status[r]])]


# In load order: every table after the ones it refers to.
TABLES = (
    Table("accounts", ("id", "owner_id", "is_chain", "alternate_channel_required", "fields_version", "created_at",
                       "updated_at", "parent_account_id", "name", "city", "region", "coverage_policy",
                       "contactability_status"), lambda p: p.accounts.n, _accounts),
    Table("contacts", ("id", "created_at", "full_name", "email", "phone", "last_activity_at", "updated_at"),
          lambda p: p.contacts.n, _contacts),
    Table("contact_roles", ("contact_id", "account_id", "role"), lambda p: len(p.contacts.role_contact), _contact_roles),
    Table("field_values", ("customer_id", "updated_at", "field_key", "value"), lambda p: F.count(p.fields),
          _field_values, units=lambda p: p.accounts.n),
    Table("sample_request", ("id", "customer_id", "created_by", "created_at", "last_event_at", "updated_at",
                             "delivery_date", "kit_id", "delivery_address", "contact_email", "notes", "status"),
          lambda p: p.samples.n, _samples),
    Table("sample_item", ("id", "sample_id", "quantity", "sku"), lambda p: len(p.samples.item_ids), _sample_items),
    Table("sample_status_history", ("id", "sample_id", "event_at", "recorded_at", "changed_by", "old_status",
                                    "new_status"), _history_rows, _history),
    Table("roi_scenarios", ("id", "customer_id", "created_by", "created_at", "updated_at", "savings_per_month",
                            "name", "assumptions_version", "assumptions"), lambda p: len(p.scenarios.ids), _scenarios),
    Table("activities", ("id", "customer_id", "occurred_at", "created_at", "created_by", "sample_id",
                         "roi_scenario_id", "kind", "outcome", "note", "data"), lambda p: len(p.activities.ids),
          _activities),
    Table("slas", ("id", "customer_id", "opened_at", "due_date", "sample_id", "opened_by_activity_id",
                   "met_by_activity_id", "closed_at", "kind", "rule", "status"), lambda p: len(p.slas.ids), _slas),
)
