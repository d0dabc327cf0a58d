"""Current time for storage and display; all stored times are naive UTC."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Optional
from zoneinfo import ZoneInfo

logger = logging.getLogger(__name__)

LONDON = ZoneInfo("Europe/London")


def utcnow() -> dt.datetime:
    """Return the current UTC time without tzinfo, the form every stored time uses."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def iso_utc(value: Optional[dt.datetime]) -> Optional[str]:
    """Format a stored naive UTC time as ISO 8601 with a ``Z`` suffix."""
    if value is None:
        return None
    return value.replace(microsecond=(value.microsecond // 1000) * 1000).isoformat(timespec="milliseconds") + "Z"


def to_local(value: dt.datetime, zone: ZoneInfo = LONDON) -> dt.datetime:
    """Convert a stored naive UTC time to an aware time in ``zone``."""
    return value.replace(tzinfo=dt.timezone.utc).astimezone(zone)


def format_local(value: Optional[dt.datetime], zone: ZoneInfo = LONDON) -> str:
    """Format a stored naive UTC time as UK local date and time, for the desk and transcripts."""
    if value is None:
        return ""
    return to_local(value, zone).strftime("%d %b %Y %H:%M:%S")
