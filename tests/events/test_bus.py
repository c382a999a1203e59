"""The bus consumer against the NATS JetStream server of this machine."""

from __future__ import annotations

import asyncio
import json
import secrets
from datetime import datetime
from dataclasses import replace

import pytest

from services.service_layer.events import drain_all
from services.service_layer.events.replay import replay

nats = pytest.importorskip("nats")
NATS_URL = "nats://127.0.0.1:4222"


async def _stream(action: str, name: str, prefix: str):
    nc = await nats.connect(NATS_URL, connect_timeout=2, allow_reconnect=False)
    try:
        js = nc.jetstream()
        if action == "add":
            await js.add_stream(name=name, subjects=[f"{prefix}.>"])
        elif action == "count":
            return (await js.stream_info(name)).state.messages
        elif action == "ids":
            sub = await js.pull_subscribe(f"{prefix}.>", stream=name)
            messages = await sub.fetch(1000, timeout=2)
            return [(m.subject, m.headers.get("Nats-Msg-Id"), json.loads(m.data)) for m in messages]
        else:
            await js.delete_stream(name)
    finally:
        await nc.close()


@pytest.fixture
def stream():
    name, prefix = f"TEST_{secrets.token_hex(4).upper()}", f"steward_test_{secrets.token_hex(4)}"
    try:
        asyncio.run(_stream("add", name, prefix))
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"no NATS JetStream at {NATS_URL}: {exc}")
    yield name, prefix
    asyncio.run(_stream("delete", name, prefix))


def test_every_event_is_published_once_with_its_id_as_message_id(
        stream, daemon_engine, customers, outbox_events, options, query):
    name, prefix = stream
    ids = customers(5)
    outbox_events(ids, per_customer=2, type_="customer.fields.changed")
    outbox_events(ids[:2], type_="shipment.requested")
    with_bus = replace(options, nats_url=NATS_URL, nats_subject=prefix, nats_stream=name)
    stats = drain_all(daemon_engine, options=with_bus)
    assert stats.passed["bus"] == 12
    assert asyncio.run(_stream("count", name, prefix)) == 12

    published = asyncio.run(_stream("ids", name, prefix))
    event_ids = {str(i) for i in query("SELECT array_agg(id) FROM event_outbox")}
    assert {msg_id for _, msg_id, _ in published} == event_ids
    assert sum(subject == f"{prefix}.shipment.requested" for subject, _, _ in published) == 2
    for subject, msg_id, envelope in published:  # the envelope of docs/EVENTS.md
        assert envelope["id"] == msg_id and subject == f"{prefix}.{envelope['type']}"
        assert envelope["version"] == "1.0" and envelope["source"] == "crm.customer-management"
        assert envelope["actor"] == {"type": "system", "id": "test"} and "customerId" in envelope["data"]
        assert datetime.fromisoformat(envelope["time"]).tzinfo is not None

    # A replay publishes again; JetStream drops the repeats by their message id.
    with daemon_engine.begin() as conn:
        replay(conn, "bus", 1)
    assert drain_all(daemon_engine, options=with_bus).passed["bus"] == 12
    assert asyncio.run(_stream("count", name, prefix)) == 12


def test_an_unreachable_server_makes_only_the_bus_wait(daemon_engine, customers, outbox_events, options, query):
    outbox_events(customers(2))
    stats = drain_all(daemon_engine, options=replace(options, nats_url="nats://127.0.0.1:1"))
    assert stats.waiting == ("bus",)
    assert query("SELECT events_seen FROM consumer_checkpoints WHERE consumer = 'bus'") == 0
    assert query("SELECT events_seen FROM consumer_checkpoints WHERE consumer = 'projection_check'") == 2
