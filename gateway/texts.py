"""Resident-facing messages the gateway itself sends, in plain UK English."""

from __future__ import annotations

import logging

from gateway.config import Settings

logger = logging.getLogger(__name__)

# Payloads of buttons the gateway adds itself. They never reach Rasa.
PAYLOAD_HANDOFF = "gateway:handoff"
PAYLOAD_CANCEL = "gateway:cancel_handoff"
PAYLOAD_LEAVE_MESSAGE = "gateway:leave_message"

EMERGENCY_TEXT = (
    "If you or someone else is in immediate danger, call 999. "
    "You can talk to Samaritans at any time, day or night, on 116 123 (free)."
)


def contact_routes(settings: Settings) -> str:
    """Return the council's phone and email routes as one sentence."""
    return "You can call us on %s or email %s." % (settings.contact_phone, settings.contact_email)


def queue_joined(position: int, wait_minutes: int) -> str:
    """Return the message for a resident joining the queue."""
    place = "You're next in the queue." if position == 1 else "You're number %d in the queue." % position
    minutes = "minute" if wait_minutes == 1 else "minutes"
    return (
        "You're joining the queue to talk to a member of our team. %s "
        "The wait is about %d %s. You can keep typing while you wait, and the adviser will see it."
        % (place, wait_minutes, minutes)
    )


def agent_joined(first_name: str, role: str) -> str:
    """Return the message shown when an agent takes the conversation."""
    return "You're now talking to %s, %s." % (first_name, role)


def out_of_hours(next_open_text: str, settings: Settings) -> str:
    """Return the out-of-hours offer."""
    return (
        "Our advisers are not available right now. They're next available %s. "
        "You can leave a message and we'll call or email you back. %s"
        % (next_open_text, contact_routes(settings))
    )


def assistant_unavailable(settings: Settings) -> str:
    """Return the message sent when Rasa or the action server fails or gives no reply."""
    return "Sorry, the assistant isn't working right now. %s" % contact_routes(settings)


CANCELLED = "You've left the queue. You're talking to the council's assistant again."
HANDED_BACK = "The adviser has passed you back to the council's assistant. You can ask another question."
CLOSED = "The adviser has ended this chat. Thank you for contacting Shropshire Council."
FEEDBACK_THANKS = "Thank you for your feedback."
TICKET_STORED = "Thank you. We've got your message and will contact you when we're open."


def queue_timed_out(settings: Settings) -> str:
    """Return the message sent when no adviser claimed the conversation in time."""
    return (
        "Sorry, no adviser was free to take your chat. You're talking to the council's assistant again. %s"
        % contact_routes(settings)
    )


def took_over(first_name: str, role: str) -> str:
    """Return the message shown when another agent takes over the conversation."""
    return "You're now talking to %s, %s, who is taking over this chat." % (first_name, role)
