"""Fixtures for operations: a small world of customers with personal data, a search of
every text and JSON column of every table, backdating, and the daemon's fixtures."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import sql

from tests.events.conftest import daemon_engine, daemon_process, options  # noqa: F401 - fixtures used here too


def find_anywhere(conn: psycopg.Connection, values: list[str]) -> dict[str, int]:
    """Every text, varchar, char, json and jsonb column of every table in every non-system
    schema, searched (case-insensitively) for each value: {"schema.table.column": rows}."""
    columns = conn.execute(
        "SELECT n.nspname, c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped "
        "  AND a.atttypid IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype, 'json'::regtype, 'jsonb'::regtype) "
        "  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg\\_%'"
    ).fetchall()
    found: dict[str, int] = {}
    for schema, table, column in columns:
        for value in values:
            n = conn.execute(sql.SQL("SELECT count(*) FROM {}.{} WHERE strpos(lower({}::text), lower(%s)) > 0").format(
                sql.Identifier(schema), sql.Identifier(table), sql.Identifier(column)), [value]).fetchone()[0]
            if n:
                key = f"{schema}.{table}.{column}"
                found[key] = found.get(key, 0) + n
    return found


@dataclass
class World:
    customers: list[uuid.UUID] = field(default_factory=list)
    contacts: list[uuid.UUID] = field(default_factory=list)
    samples: list[uuid.UUID] = field(default_factory=list)
    # The personal values of the first contact, everywhere they travel in this world.
    name: str = "Hildegard Übermuth"
    email: str = "h.uebermuth@kantine-nord.example"
    phone: str = "+49 40 7654321"
    old_email: str = "hilde.old@kantine-nord.example"

    @property
    def values(self) -> list[str]:
        return [self.name, self.email, self.phone, self.old_email]


def seed(svc, n: int = 3) -> World:
    """n customers, each with a contact, fields, a sample through its workflow and activities;
    the first contact's values also in an activity note, a field value, a sample request, the
    inbox and a dead letter."""
    w = World()
    for i in range(n):
        c = svc.customers.create(name=f"Kantine {i}", region="NORTH", city="Hamburg")
        w.customers.append(c.id)
        if i == 0:
            contact = svc.customers.add_contact(c.id, w.name, ["HEAD_CHEF"], email=w.email, phone=w.phone)
        else:
            contact = svc.customers.add_contact(c.id, f"Koch {i} Beispiel", ["HEAD_CHEF"], email=f"koch{i}@x.example")
        w.contacts.append(contact.id)
        svc.fields.patch(c.id, {"roi_potential": {"bucket": "HIGH", "value": 1000 + i},
                                "decision_makers": [{"name": w.name if i == 0 else f"Chef {i}", "is_exec": True}],
                                "kitchen_notes": f"Call {w.name} before noon" if i == 0 else "combi steamer"})
        s = svc.samples.request(c.id, contact_email=w.email if i == 0 else None)
        for status in ("PACKED", "SHIPPED", "DELIVERED"):
            svc.samples.set_status(s.id, status)
        w.samples.append(s.id)
        svc.activities.create(c.id, kind="PRODUCTTEST_FEEDBACK", outcome="SUCCESS", sample_id=s.id, rating=5,
                              note=f"{w.name} liked it" if i == 0 else "liked it")
        svc.activities.create(c.id, kind="ROI_CONSULTATION", outcome="QUALIFIED", commitment_level="HIGH",
                              savings_per_month=500)
    # The e-mail changed once: the outbox carries the earlier address too.
    svc.customers.update_contact(w.contacts[0], email=w.old_email)
    svc.customers.update_contact(w.contacts[0], email=w.email)
    return w


def backdate(owner_engine, customers: list[uuid.UUID], days: int) -> None:
    """Everything about these customers happened `days` ago."""
    with owner_engine.begin() as conn:
        params = {"ids": customers, "d": f"{days} days"}
        conn.execute(sa.text("ALTER TABLE accounts DISABLE TRIGGER USER"))
        conn.execute(sa.text("UPDATE accounts SET created_at = created_at - CAST(:d AS interval), "
                             "updated_at = updated_at - CAST(:d AS interval) WHERE id = ANY (:ids)"), params)
        conn.execute(sa.text("ALTER TABLE accounts ENABLE TRIGGER USER"))
        conn.execute(sa.text("UPDATE contacts SET created_at = created_at - CAST(:d AS interval), "
                             "updated_at = updated_at - CAST(:d AS interval) "
                             "WHERE id IN (SELECT contact_id FROM contact_roles WHERE account_id = ANY (:ids))"), params)
        conn.execute(sa.text("UPDATE activities SET occurred_at = occurred_at - CAST(:d AS interval), "
                             "created_at = created_at - CAST(:d AS interval) WHERE customer_id = ANY (:ids)"), params)
        conn.execute(sa.text("ALTER TABLE sample_request DISABLE TRIGGER USER"))
        conn.execute(sa.text("UPDATE sample_request SET created_at = created_at - CAST(:d AS interval), "
                             "updated_at = updated_at - CAST(:d AS interval), "
                             "last_event_at = last_event_at - CAST(:d AS interval) WHERE customer_id = ANY (:ids)"),
                     params)
        conn.execute(sa.text("ALTER TABLE sample_request ENABLE TRIGGER USER"))
        conn.execute(sa.text("UPDATE sample_status_history SET event_at = event_at - CAST(:d AS interval), "
                             "recorded_at = recorded_at - CAST(:d AS interval) "
                             "WHERE sample_id IN (SELECT id FROM sample_request WHERE customer_id = ANY (:ids))"), params)
        conn.execute(sa.text("UPDATE slas SET opened_at = opened_at - CAST(:d AS interval), "
                             "due_date = due_date - CAST(:d AS interval), "
                             "closed_at = closed_at - CAST(:d AS interval) WHERE customer_id = ANY (:ids)"), params)
        conn.execute(sa.text("UPDATE cm_customer_hot_proj p SET sample_last_event_at = s.last_event_at "
                             "FROM (SELECT DISTINCT ON (customer_id) customer_id, last_event_at FROM sample_request "
                             "      ORDER BY customer_id, created_at DESC, id DESC) s "
                             "WHERE s.customer_id = p.customer_id AND p.customer_id = ANY (:ids)"), params)


def spread(owner_engine, w: World) -> None:
    """The first contact's e-mail in the inbox (a bounce) and in a dead letter, as other
    modules send it; and a saved view searching for the name."""
    with owner_engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO event_inbox (envelope, state) VALUES (jsonb_build_object('type', 'email.bounce', 'id', "
            "gen_random_uuid(), 'data', jsonb_build_object('email', CAST(:e AS text), 'bounceType', 'HARD')), 'done')"),
            {"e": w.email.upper()})
        conn.execute(sa.text(
            "INSERT INTO event_dead_letters (consumer, direction, raw, reason) "
            "VALUES ('contactability', 'inbound', CAST(:raw AS text), 'test')"),
            {"raw": f'{{"data": {{"email": "{w.email}", "name": "{w.name}"}}}}'})
