"""Opening hours: whether advisers are available now, and when they are next available."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Optional
from zoneinfo import ZoneInfo

from gateway.config import OpeningHours

logger = logging.getLogger(__name__)

# Looking further ahead than this means the configuration has no opening times at all.
MAX_LOOKAHEAD_DAYS = 60


class OpeningTimes:
    """Answers opening-hours questions for one ``OpeningHours`` configuration."""

    def __init__(self, config: OpeningHours) -> None:
        """Store the configuration and load its time zone."""
        self.config = config
        self.zone = ZoneInfo(config.timezone)

    def now(self) -> dt.datetime:
        """Return the current local time, or the fixed time set for tests."""
        if self.config.fixed_now is not None:
            fixed = self.config.fixed_now
            return fixed.astimezone(self.zone) if fixed.tzinfo else fixed.replace(tzinfo=self.zone)
        return dt.datetime.now(self.zone)

    def _span(self, day: dt.date) -> Optional[tuple[dt.datetime, dt.datetime]]:
        if day in self.config.closed_dates:
            return None
        hours = self.config.weekly.get(day.weekday())
        if hours is None:
            return None
        opens = dt.datetime.combine(day, hours[0], tzinfo=self.zone)
        closes = dt.datetime.combine(day, hours[1], tzinfo=self.zone)
        return opens, closes

    def is_open(self, at: Optional[dt.datetime] = None) -> bool:
        """Return True when advisers are available at ``at`` (default: now)."""
        moment = at or self.now()
        span = self._span(moment.date())
        return span is not None and span[0] <= moment < span[1]

    def next_open(self, at: Optional[dt.datetime] = None) -> Optional[dt.datetime]:
        """Return the next local time advisers are available after ``at``, or None if never."""
        moment = at or self.now()
        for offset in range(MAX_LOOKAHEAD_DAYS):
            day = moment.date() + dt.timedelta(days=offset)
            span = self._span(day)
            if span is None:
                continue
            if moment < span[0]:
                return span[0]
            if moment < span[1]:
                return moment
        return None

    def describe_next_open(self, at: Optional[dt.datetime] = None) -> str:
        """Describe the next opening time in plain UK English, such as "Monday at 9am"."""
        moment = at or self.now()
        opens = self.next_open(moment)
        if opens is None:
            return "as soon as possible"
        clock = format_clock(opens)
        if opens.date() == moment.date():
            return "today at %s" % clock
        if opens.date() == moment.date() + dt.timedelta(days=1):
            return "tomorrow at %s" % clock
        if (opens.date() - moment.date()).days < 7:
            return "%s at %s" % (opens.strftime("%A"), clock)
        return "%s %d %s at %s" % (opens.strftime("%A"), opens.day, opens.strftime("%B"), clock)


def format_clock(moment: dt.datetime) -> str:
    """Format a time as "9am" or "2:30pm", the GOV.UK style."""
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    if moment.minute:
        return "%d:%02d%s" % (hour, moment.minute, suffix)
    return "%d%s" % (hour, suffix)
