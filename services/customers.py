"""Customers (accounts): chains, their locations and single sites; the filtered grid list."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from services import customer_grid
from services.access import ADMIN, SALES_REP, TEAM_LEAD
from services.coerce import as_bool, as_text, as_uuid, many_of, one_of
from services.context import Context
from services.customer_grid import ROI_BUCKETS, SORTABLE, CustomerRow, Filters, looks_like_uuid  # noqa: F401  (re-exported for callers)
from services.errors import Forbidden, NotFound, ValidationError
from services.guards import lock_customer
from services.paging import Page
from services.tables import accounts

COVERAGE_POLICIES = ("OWNER_ONLY", "CHAIN_SHARED")
CONTACTABILITY = ("OK", "SOFT_BOUNCE", "HARD_BOUNCE", "DO_NOT_CONTACT")



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
class Contact:
    id: uuid.UUID
    full_name: str
    email: str | None
    phone: str | None
    roles: tuple[str, ...]


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
             owner: Any = None, chain_id: Any = None, customer_ids: Any = None, sort: str = "name", limit: int = 50,
             cursor: str | None = None) -> Page[CustomerRow]:
        """A page of the grid, filtered on the hot projection, in keyset order (`sort`: a
        key of SORTABLE, "-key" descending). No COUNT, no OFFSET: page 10,000 costs what
        page 1 costs. Season filters match windows that overlap [season_from, season_to]."""
        filters = Filters.build(self._ctx, sample_status=sample_status, roi_bucket=roi_bucket, season_from=season_from,
                                season_to=season_to, renewal_before=renewal_before, exclusivity=exclusivity,
                                decision_maker_count_min=decision_maker_count_min, q=q, region=region,
                                owner=owner, chain_id=chain_id, customer_ids=customer_ids)
        return customer_grid.page(self._ctx, filters, sort=sort, limit=limit, cursor=cursor)

    def count(self, **filters: Any) -> int:
        """How many customers match; a full count, so run it off the UI thread on big tables."""
        return customer_grid.count(self._ctx, Filters.build(self._ctx, **filters))

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
        if isinstance(owner, uuid.UUID) or (isinstance(owner, str) and looks_like_uuid(owner)):
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


def _str(value: Any) -> str | None:
    return None if value is None else str(value)
