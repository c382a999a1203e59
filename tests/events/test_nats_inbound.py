"""Inbound envelopes over NATS JetStream: the same door as ingest and POST /events (inbox.receive)."""

from __future__ import annotations

import asyncio
import json
import secrets
import uuid
from dataclasses import replace

import pytest

from services.service_layer.events import drain_all
from services.service_layer.events.nats_inbound import NatsInbound
from tests.events.conftest import envelope

nats = pytest.importorskip("nats")
NATS_URL = "nats://127.0.0.1:4222"


async def _publish(subject_prefix: str, stream: str, messages: list[tuple[str, bytes]]) -> None:
    nc = await nats.connect(NATS_URL, connect_timeout=2, allow_reconnect=False)
    try:
        js = nc.jetstream()
        try:
            await js.add_stream(name=stream, subjects=[f"{subject_prefix}.>"])
        except Exception:  # noqa: BLE001 - exists already
            pass
        for suffix, data in messages:
            await js.publish(f"{subject_prefix}.{suffix}", data)
    finally:
        await nc.close()


async def _delete(stream: str) -> None:
    nc = await nats.connect(NATS_URL, connect_timeout=2, allow_reconnect=False)
    try:
        await nc.jetstream().delete_stream(stream)
    finally:
        await nc.close()


@pytest.fixture
def inbound(options):
    prefix, stream = f"steward_test_in_{secrets.token_hex(4)}", f"TEST_IN_{secrets.token_hex(4).upper()}"
    try:
        asyncio.run(_publish(prefix, stream, []))
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"no NATS JetStream at {NATS_URL}: {exc}")
    yield replace(options, nats_url=NATS_URL, nats_inbound_subject=prefix, nats_inbound_stream=stream), prefix, stream
    asyncio.run(_delete(stream))


def test_envelopes_from_nats_are_received_once_and_bad_ones_are_dead_letters(inbound, daemon_engine, customers,
                                                                             query):
    options, prefix, stream = inbound
    (c,) = customers(1)
    bounce = envelope("email.bounce", {"customerId": str(c), "bounceType": "HARD"})
    unknown = envelope("email.bounce", {"customerId": str(uuid.uuid4()), "bounceType": "HARD"})
    asyncio.run(_publish(prefix, stream, [
        ("email.bounce", json.dumps(bounce).encode()),
        ("email.bounce", json.dumps(bounce).encode()),        # a resend: received once
        ("email.bounce", json.dumps(unknown).encode()),
        ("lead.converted", b"{not json"),
        ("email.bounce", json.dumps({**bounce, "id": str(uuid.uuid4()), "version": "9.0"}).encode()),
    ]))
    pulled = NatsInbound(daemon_engine, options).pull_once()
    assert (pulled.messages, pulled.accepted, pulled.duplicates, pulled.dead) == (5, 2, 1, 2)
    assert query("SELECT count(*) FROM event_inbox WHERE event_id = :id", id=bounce["id"]) == 1
    assert query("SELECT count(*) FROM event_dead_letters WHERE origin LIKE :o", o=f"nats:{prefix}.%") == 2
    # Acknowledged: nothing comes again.
    assert NatsInbound(daemon_engine, options).pull_once().messages == 0

    drain_all(daemon_engine, options=replace(options, nats_url=None))
    assert query("SELECT contactability_status FROM accounts WHERE id = :c", c=c) == "HARD_BOUNCE"
    assert query("SELECT count(*) FROM event_dead_letters WHERE event_id = :id AND reason LIKE 'refers to nothing%'",
                 id=unknown["id"]) == 1
