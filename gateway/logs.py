"""JSON-lines logging for the gateway.

Log calls pass ids through ``extra`` (``conversation_id``, ``agent_id``, ``handoff_id``,
``delivery_id``, ``event``). Message text, names, phone numbers and email addresses are never
passed to a logger.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys

logger = logging.getLogger(__name__)

EXTRA_FIELDS = (
    "conversation_id",
    "agent_id",
    "handoff_id",
    "ticket_id",
    "delivery_id",
    "event",
    "status",
    "attempt",
    "length",
    "error",
    "reason",
    "duration_ms",
)


class JsonLineFormatter(logging.Formatter):
    """Formats each record as one JSON object with the time, level, logger, message and ids."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a JSON line."""
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in EXTRA_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: int = logging.INFO) -> None:
    """Send all log records to stderr as JSON lines, including Sanic's own loggers."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLineFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("sanic.root", "sanic.error", "sanic.access", "sanic.server"):
        named = logging.getLogger(name)
        named.handlers[:] = []
        named.propagate = True
    # engineio and socketio log message contents at INFO, so keep them at WARNING.
    logging.getLogger("engineio").setLevel(logging.WARNING)
    logging.getLogger("socketio").setLevel(logging.WARNING)
