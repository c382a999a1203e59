"""Events: the headless daemon that drains the outbox to its consumers and processes the inbox.

    from services.service_layer.events import drain_all
    stats = drain_all(engine)          # what `steward daemon --once` does, as a function
    print(f"{stats.events_per_second:,.0f} events/s")

See docs/DAEMON.md for running it, and checkpoints.py for why no event is skipped.
"""

from services.service_layer.events.consumers import CONSUMER_NAMES
from services.service_layer.events.drain import DrainStats, drain_all
from services.service_layer.events.options import DaemonOptions

__all__ = ["CONSUMER_NAMES", "DaemonOptions", "DrainStats", "drain_all"]
