"""The daemon's log: one line per batch, error and scheduled job, in words, with key=value facts.

    2026-03-02T03:00:04+01:00 INFO  projections: passed 2,000 events ... consumer=projections events=2000

`--log-format json` writes one JSON object per line instead, for log shippers.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime
from typing import Any

LOG = logging.getLogger("steward.daemon")


def facts(**fields: Any) -> dict[str, Any]:
    """`extra=` for a log call: the key=value part of the line."""
    return {"fields": fields}


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="seconds")
        line = f"{moment} {record.levelname:<5} {record.getMessage()}"
        fields = getattr(record, "fields", None) or {}
        if fields:
            line += " | " + " ".join(f"{k}={_kv(v)}" for k, v in fields.items())
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds"),
                 "level": record.levelname.lower(), "message": record.getMessage(),
                 **(getattr(record, "fields", None) or {})}
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure(fmt: str = "text", level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else KeyValueFormatter())
    LOG.handlers[:] = [handler]
    LOG.setLevel(level)
    LOG.propagate = False


def _kv(value: Any) -> str:
    text = f"{value:.3f}" if isinstance(value, float) else str(value)
    return f'"{text}"' if (" " in text or not text) else text
