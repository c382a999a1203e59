"""The built-in consumers, by the names admins use in `steward events` commands."""

from __future__ import annotations

from services.service_layer.events.consumers.base import Delivery, InboundConsumer, OutboxConsumer, TransportDown
from services.service_layer.events.options import DaemonOptions

OUTBOX_CONSUMERS = ("projection_check", "kpis", "logistics", "bus")
INBOUND_CONSUMERS = ("contactability", "leads")
CONSUMER_NAMES = ("projection_check", "kpis", "logistics", "contactability", "leads", "bus")


def outbox_consumers(options: DaemonOptions) -> list[OutboxConsumer]:
    from services.service_layer.events.consumers.bus import NatsBus
    from services.service_layer.events.consumers.kpis import KpiAggregates
    from services.service_layer.events.consumers.logistics import LogisticsDelivery
    from services.service_layer.events.consumers.projections import ProjectionRepair

    built = [ProjectionRepair(), KpiAggregates(), LogisticsDelivery(options), NatsBus(options)]
    return [c for c in built if options.only is None or c.name in options.only]


def inbound_consumers(options: DaemonOptions) -> list[InboundConsumer]:
    """Every inbound consumer is returned even when `only` leaves it out: the inbox must
    know all the types it accepts, or it would dead-letter the others' events."""
    from services.service_layer.events.consumers.contactability import ContactabilityFromBounces
    from services.service_layer.events.consumers.leads import SamplesFromLeads

    return [ContactabilityFromBounces(), SamplesFromLeads()]


__all__ = ["CONSUMER_NAMES", "OUTBOX_CONSUMERS", "INBOUND_CONSUMERS", "Delivery", "InboundConsumer",
           "OutboxConsumer", "TransportDown", "outbox_consumers", "inbound_consumers"]
