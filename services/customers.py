"""Customers (accounts): chains, their locations and single sites; the filtered grid list."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from services import paging
from services.access import ADMIN, SALES_REP, TEAM_LEAD
from services.coerce import as_bool, as_date, as_int, as_text, as_uuid, many_of, one_of
from services.context import Context
from services.errors import Forbidden, NotFound, ValidationError
from services.guards import lock_customer
from services.paging import Page
from services.rules import calendar, sla
from services.rules.workflow import STATUSES
from services.tables import accounts, hot_proj, users

COVERAGE_POLICIES = ("OWNER_ONLY", "CHAIN_SHARED")
CONTACTABILITY = ("OK", "SOFT_BOUNCE", "HARD_BOUNCE", "DO_NOT_CONTACT")
ROI_BUCKETS = ("LOW", "MID", "HIGH")


@dataclass(frozen=True)
class Customer:
    id: uuid.UUID
    name: str
    city: str | None
    region: str
    owner_id: uuid.UUID | None
    owner_name: str | None
    is_chain: bool
    parent_account_id: uuid.UUID | None
    chain_name: str | None
    coverage_policy: str
    contactability_status: str
    alternate_channel_required: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class CustomerRow:
    """One line of the customer grid: account columns and the hot fields."""

    id: uuid.UUID
    name: str
    city: str | None
    region: str
    owner_id: uuid.UUID | None
    owner_name: str | None
    chain_id: uuid.UUID | None
    chain_name: str | None
    is_chain: bool
    sample_status: str | None
    sample_last_event_at: datetime | None
    roi_bucket: str | None
    roi_value: Decimal | None
    decision_maker_count: int | None
    has_exec_alignment: bool | None
    season_start: date | None
    season_end: date | None
    renewal_date: date | None
    exclusivity: bool | None
    sla_due: date | None
    sla_badge: str | None


@dataclass(frozen=True)
class Contact:
    id: uuid.UUID
    full_name: str
    email: str | None
    phone: str | None
    roles: tuple[str, ...]


# Sort keys of the grid; each has an index (column, customer_id) for keyset paging.
SORTABLE = {
    "name": hot_proj.c.name,
    "city": hot_proj.c.city,
    "roi_value": hot_proj.c.roi_value,
    "renewal_date": hot_proj.c.renewal_date,
    "season_start": hot_proj.c.season_start,
    "sample_last_event_at": hot_proj.c.sample_last_event_at,
    "decision_maker_count": hot_proj.c.decision_maker_count,
}
NOT_NULL_SORTS = {"name"}

_WORD = re.compile(r"\w+", re.UNICODE)

_SELECT_CUSTOMER = """
    SELECT a.id, a.name, a.city, a.region, a.owner_id, u.display_name AS owner_name, a.is_chain,
           a.parent_account_id, CASE WHEN a.is_chain THEN a.name ELSE chain.name END AS chain_name,
           a.coverage_policy, a.contactability_status, a.alternate_channel_required, a.created_at, a.updated_at
      FROM accounts a
      LEFT JOIN users u ON u.id = a.owner_id
      LEFT JOIN accounts chain ON chain.id = a.parent_account_id
"""


class CustomerService:
    def __init__(self, ctx: Context):
        self._ctx = ctx

    # ------------------------------------------------------------------ reads

    def get(self, customer_id: Any) -> Customer:
        """One customer the person may read. One query."""
        cid = as_uuid(customer_id, "customer_id")
        with self._ctx.read() as conn:
            row = conn.execute(sa.text(_SELECT_CUSTOMER + " WHERE a.id = :id"), {"id": cid}).first()
        if row is None:
            raise NotFound(f"Customer {cid} does not exist or is not visible to you.")
        return Customer(**row._mapping)

    def list(self, *, sample_status: Any = None, roi_bucket: Any = None, season_from: Any = None,
             season_to: Any = None, renewal_before: Any = None, exclusivity: Any = None,
             decision_maker_count_min: Any = None, q: str | None = None, region: Any = None,
             owner: Any = None, chain_id: Any = None, sort: str = "name", limit: int = 50,
             cursor: str | None = None) -> Page[CustomerRow]:
        """A page of the grid, filtered on the hot projection, in keyset order.

        Reads only cm_customer_hot_proj (plus users for 50 owner names): no
        COUNT, no OFFSET, so page 10,000 costs what page 1 costs. Fetches one
        extra row to know whether there is a next page.
        """
        limit = paging.check_limit(limit)
        filters = self._filters(sample_status=sample_status, roi_bucket=roi_bucket, season_from=season_from,
                                season_to=season_to, renewal_before=renewal_before, exclusivity=exclusivity,
                                decision_maker_count_min=decision_maker_count_min, q=q, region=region,
                                owner=owner, chain_id=chain_id)
        key, descending = self._sort(sort)
        fingerprint = paging.fingerprint({"filters": filters.describe, "sort": sort})
        position = paging.decode(cursor, fingerprint) if cursor is not None else None
        column = SORTABLE[key]

        rows: list[Any] = []
        with self._ctx.read() as conn:
            phase = (position or {}).get("phase", "values")
            if phase == "values":
                stmt = self._page_query(filters, column.isnot(None) if key not in NOT_NULL_SORTS else None)
                if position is not None:
                    last = (self._sort_value(key, position.get("v")), as_uuid(position.get("id"), "cursor"))
                    bound = sa.tuple_(column, hot_proj.c.customer_id)
                    stmt = stmt.where(bound < last if descending else bound > last)
                order = (column.desc(), hot_proj.c.customer_id.desc()) if descending else (column, hot_proj.c.customer_id)
                rows = list(conn.execute(stmt.order_by(*order).limit(limit + 1)))
                if len(rows) <= limit and key not in NOT_NULL_SORTS:
                    # Customers without a value come last, in id order.
                    position, phase = None, "nulls"
            if phase == "nulls" and len(rows) <= limit:
                stmt = self._page_query(filters, column.is_(None))
                if position is not None:
                    last_id = as_uuid(position.get("id"), "cursor")
                    stmt = stmt.where(hot_proj.c.customer_id < last_id if descending else hot_proj.c.customer_id > last_id)
                order = hot_proj.c.customer_id.desc() if descending else hot_proj.c.customer_id
                rows += list(conn.execute(stmt.order_by(order).limit(limit + 1 - len(rows))))

        today = calendar.today()
        items = tuple(self._row(r, today) for r in rows[:limit])
        next_cursor = None
        if len(rows) > limit:
            last = rows[limit - 1]
            value = getattr(last, key)
            position = {"phase": "values" if value is not None else "nulls", "v": _jsonable_key(value), "id": str(last.customer_id)}
            next_cursor = paging.encode(fingerprint, position)
        return Page(items, next_cursor)

    def count(self, **filters: Any) -> int:
        """How many customers match; a full count, so run it off the UI thread on big tables."""
        f = self._filters(**filters)
        with self._ctx.read() as conn:
            stmt = sa.select(sa.func.count()).select_from(hot_proj).where(*f.clauses)
            return int(conn.execute(stmt).scalar_one())

    def contacts(self, customer_id: Any) -> list[Contact]:
        cid = as_uuid(customer_id, "customer_id")
        self.get(cid)
        with self._ctx.read() as conn:
            rows = conn.execute(sa.text(
                "SELECT c.id, c.full_name, c.email, c.phone, array_agg(r.role ORDER BY r.role) AS roles "
                "FROM contact_roles r JOIN contacts c ON c.id = r.contact_id "
                "WHERE r.account_id = :id GROUP BY c.id ORDER BY c.full_name, c.id"), {"id": cid})
            return [Contact(r.id, r.full_name, r.email, r.phone, tuple(r.roles)) for r in rows]

    def regions(self) -> dict[str, str]:
        return dict(self._ctx.catalog.regions)

    def owners(self) -> list[tuple[uuid.UUID, str, str]]:
        """(id, login, name) of the active people who can own customers, for pickers."""
        with self._ctx.read() as conn:
            rows = conn.execute(sa.text(
                "SELECT id, login, display_name FROM users WHERE active ORDER BY display_name"))
            return [(r.id, r.login, r.display_name) for r in rows]

    # ----------------------------------------------------------------- writes

    def create(self, name: str, region: str, city: str | None = None, *, owner: Any = None,
               is_chain: bool = False, parent_account_id: Any = None, chain_id: Any = None,
               coverage_policy: str | None = None, external_ref: str | None = None) -> Customer:
        """Create a customer; a chain with `is_chain=True`, a location with `parent_account_id`.

        A sales rep's new customer is their own unless another owner is named.
        A location takes its chain's coverage policy unless one is given.
        Commits; appends `customer.created`.
        """
        values = {
            "name": as_text(name, "name"),
            "city": as_text(city, "city", required=False),
            "region": one_of(region, "region", self._ctx.catalog.regions),
            "is_chain": as_bool(is_chain, "is_chain"),
            "external_ref": as_text(external_ref, "external_ref", required=False),
        }
        parent = parent_account_id if parent_account_id is not None else chain_id
        parent = as_uuid(parent, "parent_account_id") if parent is not None else None
        if parent is not None and values["is_chain"]:
            raise ValidationError("A chain cannot belong to another chain.", errors={"parent_account_id": "must be empty for a chain"})
        if coverage_policy is not None:
            one_of(coverage_policy, "coverage_policy", COVERAGE_POLICIES)

        with self._ctx.write() as uow:
            owner_id = self._owner_id(uow.conn, owner) if owner is not None else (
                self._ctx.actor.user_id if self._ctx.actor.role == SALES_REP else None)
            if parent is not None:
                chain = uow.execute("SELECT is_chain, coverage_policy FROM accounts WHERE id = :id", {"id": parent}).first()
                if chain is None:
                    raise NotFound(f"Chain {parent} does not exist or is not visible to you.")
                if not chain.is_chain:
                    raise ValidationError("A location's parent must be a chain.",
                                          errors={"parent_account_id": "is not a chain"})
                coverage_policy = coverage_policy or chain.coverage_policy
            new_id = uow.execute(
                "INSERT INTO accounts (name, city, region, owner_id, is_chain, parent_account_id, coverage_policy, external_ref) "
                "VALUES (:name, :city, :region, :owner_id, :is_chain, :parent, :coverage, :external_ref) RETURNING id",
                {**values, "owner_id": owner_id, "parent": parent, "coverage": coverage_policy or "OWNER_ONLY"},
            ).scalar_one()
            customer = self._get_in(uow.conn, new_id)
            uow.emit("customer.created", {
                "customerId": str(new_id), "name": customer.name, "city": customer.city, "region": customer.region,
                "ownerId": _str(customer.owner_id), "isChain": customer.is_chain,
                "parentAccountId": _str(customer.parent_account_id),
            }, customer_id=new_id)
        return customer

    def update(self, customer_id: Any, *, name: Any = None, city: Any = ..., region: Any = None,
               coverage_policy: Any = None) -> Customer:
        """Change master data. A chain's coverage policy applies to all its locations.
        Commits; appends `customer.updated`."""
        cid = as_uuid(customer_id, "customer_id")
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = as_text(name, "name")
        if city is not ...:
            changes["city"] = as_text(city, "city", required=False)
        if region is not None:
            changes["region"] = one_of(region, "region", self._ctx.catalog.regions)
        if coverage_policy is not None:
            changes["coverage_policy"] = one_of(coverage_policy, "coverage_policy", COVERAGE_POLICIES)
        if not changes:
            return self.get(cid)
        with self._ctx.write() as uow:
            before = lock_customer(uow.conn, cid)
            uow.execute(sa.update(accounts).where(accounts.c.id == cid).values(**changes, updated_at=sa.func.now()))
            if "coverage_policy" in changes and before.is_chain:
                # A chain's coverage is its locations' coverage.
                uow.execute(sa.update(accounts)
                            .where(accounts.c.parent_account_id == cid,
                                   accounts.c.coverage_policy != changes["coverage_policy"])
                            .values(coverage_policy=changes["coverage_policy"], updated_at=sa.func.now()))
            customer = self._get_in(uow.conn, cid)
            uow.emit("customer.updated", {"customerId": str(cid), "changes": changes}, customer_id=cid)
        return customer

    def reassign(self, customer_id: Any, owner: Any) -> Customer:
        """Give the customer another owner (team leads within their region, admins anywhere).
        Commits; appends `customer.reassigned`."""
        cid = as_uuid(customer_id, "customer_id")
        with self._ctx.write() as uow:
            if self._ctx.actor.role not in (TEAM_LEAD, ADMIN):
                raise Forbidden("Only team leads and admins may reassign customers.")
            before = lock_customer(uow.conn, cid, "reassign it")
            owner_id = self._owner_id(uow.conn, owner)
            if owner_id == before.owner_id:
                return self._get_in(uow.conn, cid)
            uow.execute("UPDATE accounts SET owner_id = :owner, updated_at = now() WHERE id = :id",
                        {"owner": owner_id, "id": cid})
            customer = self._get_in(uow.conn, cid)
            uow.emit("customer.reassigned", {"customerId": str(cid), "oldOwnerId": _str(before.owner_id),
                                             "newOwnerId": _str(owner_id)}, customer_id=cid)
        return customer

    def set_contactability(self, customer_id: Any, status: str, *, alternate_channel_required: bool | None = None,
                           reason: str | None = None) -> Customer:
        """Record how the customer can be reached. Commits; appends `customer.contactability.changed`
        when something changed."""
        cid = as_uuid(customer_id, "customer_id")
        one_of(status, "status", CONTACTABILITY)
        alternate = status == "HARD_BOUNCE" if alternate_channel_required is None else as_bool(
            alternate_channel_required, "alternate_channel_required")
        with self._ctx.write() as uow:
            before = lock_customer(uow.conn, cid)
            if (before.contactability_status, before.alternate_channel_required) != (status, alternate):
                uow.execute("UPDATE accounts SET contactability_status = :s, alternate_channel_required = :a, "
                            "updated_at = now() WHERE id = :id", {"s": status, "a": alternate, "id": cid})
                uow.emit("customer.contactability.changed", {
                    "customerId": str(cid), "status": status, "previousStatus": before.contactability_status,
                    "alternateChannelRequired": alternate, "reason": reason,
                }, customer_id=cid)
            return self._get_in(uow.conn, cid)

    def add_contact(self, customer_id: Any, full_name: str, roles: Any, *, email: str | None = None,
                    phone: str | None = None) -> Contact:
        """A new contact holding `roles` at the customer. Commits; appends `customer.contact.added`."""
        cid = as_uuid(customer_id, "customer_id")
        name = as_text(full_name, "full_name")
        roles = many_of(roles, "roles", self._contact_roles())
        email = as_text(email, "email", required=False, max_length=320)
        if email and "@" not in email:
            raise ValidationError("The e-mail address is not valid.", errors={"email": "must contain @"})
        phone = as_text(phone, "phone", required=False, max_length=40)
        with self._ctx.write() as uow:
            lock_customer(uow.conn, cid)
            # The id is made here: RETURNING would need the contact to be readable
            # before it holds a role at one of the person's customers.
            contact_id = uuid.uuid4()
            uow.execute("INSERT INTO contacts (id, full_name, email, phone) VALUES (:id, :n, :e, :p)",
                        {"id": contact_id, "n": name, "e": email, "p": phone})
            uow.execute("INSERT INTO contact_roles (contact_id, account_id, role) VALUES (:c, :a, :r)",
                        [{"c": contact_id, "a": cid, "r": role} for role in sorted(set(roles))])
            uow.emit("customer.contact.added", {"customerId": str(cid), "contactId": str(contact_id),
                                                "roles": sorted(set(roles))}, customer_id=cid)
        return Contact(contact_id, name, email, phone, tuple(sorted(set(roles))))

    # ---------------------------------------------------------------- helpers

    def _contact_roles(self) -> tuple[str, ...]:
        from services.pack import load_pack
        return tuple(load_pack().contact_roles)

    def _get_in(self, conn, cid: uuid.UUID) -> Customer:
        row = conn.execute(sa.text(_SELECT_CUSTOMER + " WHERE a.id = :id"), {"id": cid}).first()
        if row is None:
            raise NotFound(f"Customer {cid} does not exist or is not visible to you.")
        return Customer(**row._mapping)

    def _owner_id(self, conn, owner: Any) -> uuid.UUID:
        if isinstance(owner, uuid.UUID) or (isinstance(owner, str) and _looks_like_uuid(owner)):
            row = conn.execute(sa.text("SELECT id, active FROM users WHERE id = :v"), {"v": as_uuid(owner, "owner")}).first()
        elif isinstance(owner, str):
            row = conn.execute(sa.text("SELECT id, active FROM users WHERE login = :v"), {"v": owner}).first()
        else:
            raise ValidationError("The owner must be a user id or login.", errors={"owner": "must be a user id or login"})
        if row is None:
            raise NotFound(f"There is no user '{owner}'.", errors={"owner": "unknown user"})
        if not row.active:
            raise ValidationError(f"User '{owner}' is disabled and cannot own customers.", errors={"owner": "disabled"})
        return row.id

    def _sort(self, sort: str) -> tuple[str, bool]:
        if not isinstance(sort, str):
            raise ValidationError("The sort order must be a column name.", errors={"sort": "must be text"})
        descending = sort.startswith("-")
        key = sort.lstrip("-")
        one_of(key, "sort", SORTABLE)
        return key, descending

    def _sort_value(self, key: str, raw: Any) -> Any:
        try:
            if key in ("renewal_date", "season_start"):
                return date.fromisoformat(raw)
            if key == "sample_last_event_at":
                return datetime.fromisoformat(raw)
            if key == "roi_value":
                return Decimal(raw)
            if key == "decision_maker_count":
                return int(raw)
            if not isinstance(raw, str):
                raise ValueError
            return raw
        except (TypeError, ValueError, ArithmeticError):
            raise ValidationError("The page cursor is malformed.", errors={"cursor": "not a cursor of this list"}) from None

    def _filters(self, **kw: Any) -> "_Filters":
        return _Filters.build(self._ctx, **kw)

    def _page_query(self, filters: "_Filters", extra: Any) -> sa.Select:
        stmt = (
            sa.select(hot_proj, users.c.display_name.label("owner_name"))
            .select_from(hot_proj.outerjoin(users, users.c.id == hot_proj.c.owner_id))
            .where(*filters.clauses)
        )
        return stmt.where(extra) if extra is not None else stmt

    def _row(self, r: Any, today: date) -> CustomerRow:
        return CustomerRow(
            id=r.customer_id, name=r.name, city=r.city, region=r.region, owner_id=r.owner_id,
            owner_name=r.owner_name, chain_id=r.chain_id, chain_name=r.chain_name, is_chain=r.is_chain,
            sample_status=r.sample_status, sample_last_event_at=r.sample_last_event_at, roi_bucket=r.roi_bucket,
            roi_value=r.roi_value, decision_maker_count=r.decision_maker_count,
            has_exec_alignment=r.has_exec_alignment, season_start=r.season_start, season_end=r.season_end,
            renewal_date=r.renewal_date, exclusivity=r.exclusivity, sla_due=r.sla_due,
            sla_badge=sla.badge(r.sla_due, today=today),
        )


@dataclass(frozen=True)
class _Filters:
    clauses: tuple[Any, ...]
    describe: dict[str, Any]

    @classmethod
    def build(cls, ctx: Context, *, sample_status: Any = None, roi_bucket: Any = None, season_from: Any = None,
              season_to: Any = None, renewal_before: Any = None, exclusivity: Any = None,
              decision_maker_count_min: Any = None, q: str | None = None, region: Any = None,
              owner: Any = None, chain_id: Any = None) -> "_Filters":
        p = hot_proj.c
        clauses: list[Any] = []
        described: dict[str, Any] = {}
        if sample_status is not None:
            statuses = many_of(sample_status, "sample_status", STATUSES)
            clauses.append(p.sample_status.in_(statuses))
            described["sample_status"] = sorted(statuses)
        if roi_bucket is not None:
            buckets = many_of(roi_bucket, "roi_bucket", ROI_BUCKETS)
            clauses.append(p.roi_bucket.in_(buckets))
            described["roi_bucket"] = sorted(buckets)
        # A season window matches when it overlaps [season_from, season_to].
        if season_from is not None:
            d = as_date(season_from, "season_from")
            clauses.append(p.season_end >= d)
            described["season_from"] = d.isoformat()
        if season_to is not None:
            d = as_date(season_to, "season_to")
            clauses.append(p.season_start <= d)
            described["season_to"] = d.isoformat()
        if renewal_before is not None:
            d = as_date(renewal_before, "renewal_before")
            clauses.append(p.renewal_date < d)
            described["renewal_before"] = d.isoformat()
        if exclusivity is not None:
            clauses.append(p.exclusivity.is_(as_bool(exclusivity, "exclusivity")))
            described["exclusivity"] = exclusivity
        if decision_maker_count_min is not None:
            n = as_int(decision_maker_count_min, "decision_maker_count_min", minimum=0)
            clauses.append(p.decision_maker_count >= n)
            described["decision_maker_count_min"] = n
        if q is not None:
            if not isinstance(q, str):
                raise ValidationError("The search text must be text.", errors={"q": "must be text"})
            words = _WORD.findall(q.lower())[:8]
            if words:
                # Word-prefix search over name and city ("kant ham" finds "Kantine Nord, Hamburg").
                query = " & ".join(f"{w}:*" for w in words)
                clauses.append(p.search.bool_op("@@")(sa.func.to_tsquery(sa.literal_column("'simple'"), query)))
                described["q"] = query
        if region is not None:
            regions = many_of(region, "region", ctx.catalog.regions)
            clauses.append(p.region.in_(regions))
            described["region"] = sorted(regions)
        if owner is not None:
            if isinstance(owner, uuid.UUID) or (isinstance(owner, str) and _looks_like_uuid(owner)):
                clauses.append(p.owner_id == as_uuid(owner, "owner"))
            elif isinstance(owner, str) and owner:
                clauses.append(p.owner_id == sa.select(users.c.id).where(users.c.login == owner).scalar_subquery())
            else:
                raise ValidationError("The owner must be a user id or login.", errors={"owner": "must be a user id or login"})
            described["owner"] = str(owner)
        if chain_id is not None:
            cid = as_uuid(chain_id, "chain_id")
            clauses.append(p.chain_id == cid)
            described["chain_id"] = str(cid)
        return cls(tuple(clauses), described)


def _looks_like_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
        return True
    except ValueError:
        return False


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _jsonable_key(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
