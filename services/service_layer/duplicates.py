"""Duplicates: find the same customer twice, dismiss a pair, merge customers into one.

`scan` reads the customers the person may read (row-level security) in keyset batches
of one statement each (their contacts' e-mails and phones in a second statement per
batch, a range of the contact links' index), then pairs them in memory by the rules of
services/rules/duplicates.py. `merge` is one call of steward_api.merge_customers
(sql/definitions/51_duplicates.sql): one change set that undo takes back.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from services.errors import NotFound, ValidationError
from services.rules import duplicates as matching
from services.service_layer.change_sets import ChangeSet, change_set
from services.service_layer.coerce import as_uuid
from services.service_layer.context import Context
from services.adapters.database import Json

BATCH = 20_000                               # customers a read: one statement, a fraction of a second
MASTER_KEYS = ("name", "city", "external_ref")

Progress = Callable[[int, int], None]        # (customers read, customers in all)


@dataclass(frozen=True)
class ScannedCustomer:
    id: uuid.UUID
    name: str
    city: str | None
    region: str
    owner_id: uuid.UUID | None
    owner_name: str | None


@dataclass(frozen=True)
class DuplicatePair:
    a: uuid.UUID
    b: uuid.UUID
    score: float                             # 0–1, the rules' evidence combined
    reasons: dict[str, float]                # rule → its score


@dataclass(frozen=True)
class DuplicateGroup:
    customers: tuple[ScannedCustomer, ...]
    pairs: tuple[DuplicatePair, ...]

    @property
    def score(self) -> float:
        return max(p.score for p in self.pairs)

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(sorted({r for p in self.pairs for r in p.reasons}))


@dataclass(frozen=True)
class DuplicateScan:
    groups: tuple[DuplicateGroup, ...]       # by score, highest first
    scanned: int                             # customers read
    rules: tuple[str, ...]
    threshold: float

    @property
    def pairs(self) -> tuple[DuplicatePair, ...]:
        return tuple(p for g in self.groups for p in g.pairs)


@dataclass(frozen=True)
class MergeResult:
    survivor: uuid.UUID
    others: tuple[uuid.UUID, ...]
    dry_run: bool
    moved: dict[str, int]                    # table → rows moved to the survivor
    samples: dict[str, tuple[str, ...]]      # table → some of the ids moved
    kept_links: int                          # contact links the survivor had already (left on the merged)
    master: tuple[dict[str, Any], ...]       # {"key", "before", "after", "from"}
    fields: tuple[dict[str, Any], ...]       # {"key", "before", "after"}
    change_set: ChangeSet | None = None      # None on a dry run
    refused_values: tuple[dict[str, Any], ...] = field(default=())


_ACCOUNTS = sa.text("""
    SELECT a.id, a.name, a.city, a.external_ref, CASE WHEN a.is_chain THEN a.id ELSE a.parent_account_id END AS chain_id
      FROM accounts a
     WHERE a.merged_into IS NULL AND a.id > :after
       AND (CAST(:region AS text) IS NULL OR a.region = :region)
       AND (CAST(:owner AS uuid) IS NULL OR a.owner_id = :owner)
     ORDER BY a.id
     LIMIT :n""")

# The e-mails and phones of contacts linked to this customer alone: a contact linked to several
# (a chain's area manager, its head office) is a link between them, not a sign they are one.
_CONTACTS = sa.text("""
    SELECT r.account_id, array_agg(DISTINCT c.email) FILTER (WHERE c.email IS NOT NULL) AS emails,
           array_agg(DISTINCT c.phone) FILTER (WHERE c.phone IS NOT NULL) AS phones
      FROM contact_roles r JOIN contacts c ON c.id = r.contact_id
     WHERE r.account_id BETWEEN :lo AND :hi
       AND NOT EXISTS (SELECT 1 FROM contact_roles o WHERE o.contact_id = r.contact_id AND o.account_id <> r.account_id)
     GROUP BY r.account_id""")

_COUNT = sa.text("""
    SELECT count(*) FROM accounts a
     WHERE a.merged_into IS NULL
       AND (CAST(:region AS text) IS NULL OR a.region = :region)
       AND (CAST(:owner AS uuid) IS NULL OR a.owner_id = :owner)""")

_DETAILS = sa.text("""
    SELECT a.id, a.name, a.city, a.region, a.owner_id, u.display_name AS owner_name
      FROM accounts a LEFT JOIN users u ON u.id = a.owner_id
     WHERE a.id = ANY (:ids)""")


# The customer a merged one's id stands for now: its survivor (a survivor merged on later
# followed too), or the id itself where it was never merged.
_SURVIVOR = sa.text("""
    WITH RECURSIVE up (id, merged_into, depth) AS (
        SELECT a.id, a.merged_into, 0 FROM accounts a WHERE a.id = :id
        UNION ALL
        SELECT a.id, a.merged_into, up.depth + 1 FROM accounts a JOIN up ON a.id = up.merged_into WHERE up.depth < 50
    )
    SELECT id FROM up WHERE merged_into IS NULL LIMIT 1""")


def survivor_of(conn: Any, customer_id: uuid.UUID) -> uuid.UUID:
    """Where an id points now: inbound events naming a merged customer reach its survivor."""
    return conn.execute(_SURVIVOR, {"id": customer_id}).scalar() or customer_id


class DuplicateService:
    def __init__(self, ctx: Context):
        self._ctx = ctx

    def scan(self, *, rules: Iterable[str] | None = None, threshold: float = matching.DEFAULT_THRESHOLD,
             region: str | None = None, owner: Any = None, progress: Progress | None = None) -> DuplicateScan:
        """Candidate duplicates among the customers the person reads (of a region, of an owner),
        grouped, with the rules that matched each pair; pairs dismissed before are left out.
        Reads the whole scope once (batches of 20,000); writes nothing."""
        chosen = _rules(rules)
        threshold = _threshold(threshold)
        if region is not None and region not in self._ctx.catalog.regions:
            raise ValidationError(f"There is no region '{region}'.", errors={"region": "unknown region"})
        progress = progress or (lambda done, total: None)
        ids: list[uuid.UUID] = []
        keys: list[matching.Folded] = []
        with self._ctx.read() as conn:
            params = {"region": region, "owner": _owner_id(conn, owner) if owner is not None else None}
            total = conn.execute(_COUNT, params).scalar_one()
            progress(0, total)
            after = uuid.UUID(int=0)
            while True:
                batch = conn.execute(_ACCOUNTS, {**params, "after": after, "n": BATCH}).all()
                if not batch:
                    break
                contacts = {r[0]: r for r in conn.execute(_CONTACTS, {"lo": batch[0][0], "hi": batch[-1][0]}).all()}
                for cid, name, city, external_ref, chain_id in batch:
                    c = contacts.get(cid)
                    keys.append(matching.keys_of(len(ids), name, city, external_ref, chain_id,
                                                 *((c[1], c[2]) if c else ())))
                    ids.append(cid)
                after = batch[-1][0]
                progress(len(ids), max(total, len(ids)))
            dismissed = {(r.customer_a, r.customer_b) for r in conn.execute(sa.text(
                "SELECT customer_a, customer_b FROM duplicate_dismissals"))}
            found = matching.candidate_pairs(keys, chosen, threshold)
            del keys
            pairs = {}
            for (x, y), reasons in found.items():
                a, b = sorted((ids[x], ids[y]))
                if (a, b) not in dismissed:
                    pairs[(x, y)] = DuplicatePair(a, b, matching.combined(reasons), dict(sorted(reasons.items())))
            members = sorted({i for pair in pairs for i in pair})
            details = {r.id: ScannedCustomer(**r._mapping)
                       for r in conn.execute(_DETAILS, {"ids": [ids[i] for i in members]})}
        groups = []
        found_groups = matching.groups(pairs)
        group_of = {i: n for n, group in enumerate(found_groups) for i in group}
        pairs_of: dict[int, list[DuplicatePair]] = {}
        for (x, _y), pair in pairs.items():
            pairs_of.setdefault(group_of[x], []).append(pair)
        for n, group in enumerate(found_groups):
            group_pairs = sorted(pairs_of[n], key=lambda p: -p.score)
            groups.append(DuplicateGroup(tuple(details[ids[i]] for i in group), tuple(group_pairs)))
        groups.sort(key=lambda g: (-g.score, g.customers[0].name))
        return DuplicateScan(tuple(groups), len(ids), tuple(chosen), threshold)

    def dismiss(self, a: Any, b: Any) -> None:
        """Remember that `a` and `b` are not the same customer; no scan offers the pair again. Commits."""
        self._ctx.call("dismiss_duplicate", a=as_uuid(a, "a"), b=as_uuid(b, "b"))

    def merge(self, survivor: Any, others: Any, *, pick: Mapping[str, Any] | None = None,
              dry_run: bool = False) -> MergeResult:
        """Merge `others` into `survivor`: per key of `pick` (name, city, external_ref or a field
        key) the value of the customer it names, every child row (samples, activities, SLAs, ROI
        scenarios, contact links) to the survivor, the others kept as tombstones pointing to it.
        One change set (kind merge) that `svc.change_sets.undo` takes back. With `dry_run`,
        says what would move and change, and writes nothing. One call; commits unless a dry run."""
        sid = as_uuid(survivor, "survivor")
        if isinstance(others, (str, uuid.UUID)):
            others = [others]
        other_ids = [as_uuid(o, "others") for o in (others or ())]
        if not isinstance(pick or {}, Mapping):
            raise ValidationError("pick maps a field to the customer whose value survives.", errors={"pick": "a mapping"})
        choice = {str(k): str(as_uuid(v, f"pick.{k}")) for k, v in (pick or {}).items()}
        with self._ctx.write() as uow:
            answer = uow.call("merge_customers", survivor=sid, others=other_ids, pick=Json(choice), dry_run=bool(dry_run))
        return MergeResult(
            survivor=sid, others=tuple(other_ids), dry_run=bool(answer.get("dry_run")),
            moved=dict(answer.get("moved") or {}),
            samples={t: tuple(v) for t, v in (answer.get("samples") or {}).items()},
            kept_links=int(answer.get("kept_links") or 0),
            master=tuple(answer.get("master") or ()), fields=tuple(answer.get("fields") or ()),
            change_set=None if answer.get("dry_run") else change_set(answer),
            refused_values=tuple(answer.get("refused_values") or ()))


def _owner_id(conn: sa.Connection, owner: Any) -> uuid.UUID:
    """An owner given by id or by login."""
    try:
        return as_uuid(owner, "owner")
    except ValidationError:
        found = conn.execute(sa.text("SELECT id FROM users WHERE login = :l"), {"l": str(owner)}).scalar()
        if found is None:
            raise NotFound(f"There is no user '{owner}'.", errors={"owner": "unknown user"}) from None
        return found


def _rules(chosen: Iterable[str] | None) -> list[str]:
    if chosen is None:
        return list(matching.DEFAULT_RULES)
    if isinstance(chosen, str):
        chosen = [r for r in chosen.split(",") if r.strip()]
    chosen = [str(r).strip() for r in chosen]
    unknown = [r for r in chosen if r not in matching.RULES]
    if unknown or not chosen:
        raise ValidationError(f"Rules are some of {', '.join(matching.RULES)}.",
                              errors={"rules": f"unknown: {', '.join(unknown)}" if unknown else "give at least one"})
    return chosen


def _threshold(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 50 <= value <= 100:
        raise ValidationError("The similarity threshold is a number from 50 to 100.", errors={"threshold": "50–100"})
    return float(value)
