"""Customers (accounts): chains, their locations and single sites, their contacts; the grid list."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from services.service_layer.customers import choices, grid
from services.service_layer.coerce import as_bool, as_uuid, jsonable, maybe_text
from services.service_layer.context import Context
from services.service_layer.customers.filters import Filters, filter_names, sort_keys
from services.service_layer.customers.rows import CustomerRow
from services.adapters.database import Json
from services.errors import NotFound, PreconditionFailed, ValidationError
from services.service_layer.fields import make_etag, parse_etag
from services.service_layer.paging import Page
from services.service_layer.records import record
from services.service_layer.change_sets import ChangeSet, change_set

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
    contactability_reason: str | None = None
    external_ref: str | None = None
    version: int = 0
    merged_into: uuid.UUID | None = None     # a tombstone: merged into this customer (svc.duplicates.merge)

    @property
    def etag(self) -> str:
        """The ETag of the master data, for `update(if_match=...)`."""
        return make_etag(self.version)


@dataclass(frozen=True)
class Contact:
    id: uuid.UUID
    full_name: str
    email: str | None
    phone: str | None
    roles: tuple[str, ...]
    do_not_contact: bool = False


_SELECT_CUSTOMER = """
    SELECT a.id, a.name, a.city, a.region, a.owner_id, u.display_name AS owner_name, a.is_chain,
           a.parent_account_id, CASE WHEN a.is_chain THEN a.name ELSE chain.name END AS chain_name,
           a.coverage_policy, a.contactability_status, a.alternate_channel_required, a.created_at, a.updated_at,
           a.contactability_reason, a.external_ref, a.master_version AS version, a.merged_into
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

    def list(self, *, sort: str = "name", limit: int = 50, cursor: str | None = None,
             **filters: Any) -> Page[CustomerRow]:
        """A page of the grid, filtered on the hot projection, in keyset order (`sort`: a
        sort key, "-key" descending). No COUNT, no OFFSET: page 10,000 costs what page 1
        costs. The filters are the pack's (`roi_bucket`, `renewal_before`, ...: the
        catalog's `filters`) and the list's own: q (words of the name or city), region,
        owner, chain_id, customer_ids."""
        return grid.page(self._ctx, Filters.build(self._ctx.catalog, **filters), sort=sort, limit=limit, cursor=cursor)

    def count(self, **filters: Any) -> int:
        """How many customers match; a full count, so run it off the UI thread on big tables."""
        return grid.count(self._ctx, Filters.build(self._ctx.catalog, **filters))

    def filters(self) -> tuple[str, ...]:
        """The names of every filter `list` takes."""
        return filter_names(self._ctx.catalog)

    def sort_keys(self) -> tuple[str, ...]:
        """The columns `list` sorts by."""
        return sort_keys(self._ctx.catalog)

    def contacts(self, customer_id: Any) -> list[Contact]:
        cid = as_uuid(customer_id, "customer_id")
        self.get(cid)
        with self._ctx.read() as conn:
            rows = conn.execute(sa.text(
                "SELECT c.id, c.full_name, c.email, c.phone, array_agg(r.role ORDER BY r.role) AS roles, "
                "       c.do_not_contact "
                "FROM contact_roles r JOIN contacts c ON c.id = r.contact_id "
                "WHERE r.account_id = :id GROUP BY c.id ORDER BY c.full_name, c.id"), {"id": cid})
            return [Contact(r.id, r.full_name, r.email, r.phone, tuple(r.roles), r.do_not_contact) for r in rows]

    def regions(self) -> dict[str, str]:
        """The regions (code → name, in the pack's order) the person reads customers in, for pickers
        and labels: every region for an admin, their own for a team lead, where their customers
        are for the others. A choice that can only return nothing is not offered."""
        return choices.regions(self._ctx)

    def owners(self) -> list[tuple[uuid.UUID, str, str]]:
        """(id, login, name) of the active people who own customers this person reads, by name, for pickers."""
        return choices.owners(self._ctx)

    # ----------------------------------------------------------------- writes
    # Each is one call of the database's write API (sql/definitions/07_customers.sql),
    # which enforces who may do what and appends the events; one round trip each.

    def create(self, name: str, region: str, city: str | None = None, *, owner: Any = None,
               is_chain: bool = False, parent_account_id: Any = None, chain_id: Any = None,
               coverage_policy: str | None = None, external_ref: str | None = None) -> Customer:
        """Create a customer; a chain with `is_chain=True`, a location with `parent_account_id`.

        A sales rep's new customer is their own. A location takes its chain's
        coverage policy unless one is given. Commits; appends `customer.created`.
        """
        parent = parent_account_id if parent_account_id is not None else chain_id
        answer = self._ctx.call(
            "create_customer", name=maybe_text(name, "name"), region=maybe_text(region, "region"),
            city=maybe_text(city, "city"), owner=_user_ref(owner), is_chain=as_bool(is_chain, "is_chain"),
            parent_account_id=as_uuid(parent, "parent_account_id") if parent is not None else None,
            coverage_policy=maybe_text(coverage_policy, "coverage_policy"), external_ref=maybe_text(external_ref, "external_ref"))
        return record(Customer, answer)

    def update(self, customer_id: Any, *, if_match: Any = None, **changes: Any) -> Customer:
        """Change master data: name, city, region, coverage_policy, parent_account_id (the
        chain), external_ref. With `if_match` (the customer's ETag) a stale one is refused.
        A chain's coverage policy applies to all its locations. Commits; appends `customer.updated`."""
        cid = as_uuid(customer_id, "customer_id")
        expected = None
        if if_match is not None:
            expected = parse_etag(if_match)
            if expected is None:
                raise PreconditionFailed(f"'{if_match}' is not an ETag of this customer; reload and try again.")
        # `city=None` clears the city; a value left out (or `...`) stays as it is.
        values = {key: jsonable(value) for key, value in changes.items() if value is not ...}
        if not values:
            return self.get(cid)
        answer = self._ctx.call("update_customer", customer=cid, changes=Json(values), if_match=expected)
        return record(Customer, answer)

    def reassign(self, customer_id: Any, owner: Any) -> Customer | ChangeSet:
        """Give a customer another owner: team leads within their region, admins anywhere.
        Given a list of customers (the grid's selection), all of them, as one change set
        that undo takes back, which is returned. Commits; appends `customer.reassigned` per
        customer that changed."""
        if owner is None:
            raise ValidationError("Name the new owner.", errors={"owner": "required"})
        if not isinstance(customer_id, (list, tuple, set, frozenset)):
            answer = self._ctx.call("reassign_customers", customers=[as_uuid(customer_id, "customer_id")],
                                    owner=_user_ref(owner))
            return record(Customer, answer[0])
        ids = sorted({as_uuid(c, "customer_id") for c in customer_id})
        with self._ctx.write() as uow:   # one transaction: all of them or none
            opened = uow.call("begin_change_set", kind="reassign", description=f"Reassign {len(ids):,} customers",
                              selection=Json({"customer_ids": [str(i) for i in ids]}))
            uow.call("reassign_customers", customers=ids, owner=_user_ref(owner), change_set=uuid.UUID(opened["id"]))
            return change_set(uow.call("finish_change_set", change_set=uuid.UUID(opened["id"])))

    def set_contactability(self, customer_id: Any, status: str, *, alternate_channel_required: bool | None = None,
                           reason: str | None = None) -> Customer:
        """Record how the customer can be reached, and why. Commits; appends
        `customer.contactability.changed` when something changed."""
        answer = self._ctx.call(
            "set_contactability", customer=as_uuid(customer_id, "customer_id"), status=maybe_text(status, "status"),
            alternate_channel_required=(as_bool(alternate_channel_required, "alternate_channel_required")
                                        if alternate_channel_required is not None else None),
            reason=maybe_text(reason, "reason"))
        return record(Customer, answer)

    def add_contact(self, customer_id: Any, full_name: str, roles: Any, *, email: str | None = None,
                    phone: str | None = None) -> Contact:
        """A new contact holding `roles` at the customer. Commits; appends `customer.contact.added`."""
        answer = self._ctx.call(
            "add_contact", customer=as_uuid(customer_id, "customer_id"), full_name=maybe_text(full_name, "full_name"),
            roles=_roles(roles), email=maybe_text(email, "email"), phone=maybe_text(phone, "phone"))
        return record(Contact, answer)

    def link_contact(self, contact_id: Any, customer_id: Any, roles: Any) -> Contact:
        """An existing contact takes `roles` at another customer too. Commits; appends
        `customer.contact.linked` when a role is new."""
        answer = self._ctx.call("link_contact", contact=as_uuid(contact_id, "contact_id"),
                                customer=as_uuid(customer_id, "customer_id"), roles=_roles(roles))
        return record(Contact, answer)

    def update_contact(self, contact_id: Any, **changes: Any) -> Contact:
        """Change a contact's full_name, email, phone or do_not_contact. Commits; appends
        `customer.contact.updated` for each customer the contact holds a role at."""
        if not changes:
            raise ValidationError("Nothing to change: give at least one value.", errors={"changes": "must not be empty"})
        answer = self._ctx.call("update_contact", contact=as_uuid(contact_id, "contact_id"),
                                changes=Json({key: jsonable(value) for key, value in changes.items()}))
        return record(Contact, answer)

    def unlink_contact(self, contact_id: Any, customer_id: Any, role: str | None = None) -> None:
        """The contact no longer holds `role` (or any role) at the customer. Commits; appends
        `customer.contact.unlinked`."""
        self._ctx.call("unlink_contact", contact=as_uuid(contact_id, "contact_id"),
                       customer=as_uuid(customer_id, "customer_id"), role=maybe_text(role, "role"))


def _user_ref(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, str) and value:
        return value
    raise ValidationError("The owner must be a user id or login.", errors={"owner": "must be a user id or login"})


def _roles(value: Any) -> list[str]:
    roles = [value] if isinstance(value, str) else list(value) if isinstance(value, (list, tuple, set, frozenset)) else None
    if not roles or not all(isinstance(r, str) for r in roles):
        raise ValidationError("Give the contact at least one role.", errors={"roles": "must be a role or a list of roles"})
    return roles


def _str(value: Any) -> str | None:
    return None if value is None else str(value)
