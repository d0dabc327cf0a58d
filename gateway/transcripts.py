"""Transcripts for the desk, exports and deliveries, in JSON form and as plain text."""

from __future__ import annotations

import logging
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.clock import iso_utc
from gateway.conversations import messages_after
from gateway.models import Conversation, Handoff, Message, Note, Ticket

logger = logging.getLogger(__name__)


def message_record(message: Message) -> dict[str, Any]:
    """Return everything the desk shows about one message."""
    return {
        "id": message.id,
        "time": iso_utc(message.created_at),
        "sender": message.sender,
        "kind": message.kind,
        "text": message.text,
        "payload": message.payload,
        "length": message.length,
        "buttons": message.buttons or [],
        "links": message.links or [],
        "custom_kind": (message.custom or {}).get("kind") if message.custom else None,
        "custom": message.custom,
        "intent": message.intent,
        "confidence": message.confidence,
        "agent": (
            {"id": message.agent.id, "first_name": message.agent.first_name, "role": message.agent.role}
            if message.agent is not None
            else None
        ),
    }


def handoff_record(handoff: Handoff) -> dict[str, Any]:
    """Return a handoff's reason, status and times."""
    return {
        "id": handoff.id,
        "reason": handoff.reason,
        "urgent": handoff.urgent,
        "service_key": handoff.service_key,
        "status": handoff.status,
        "agent": handoff.agent.first_name if handoff.agent is not None else None,
        "requested_at": iso_utc(handoff.requested_at),
        "claimed_at": iso_utc(handoff.claimed_at),
        "ended_at": iso_utc(handoff.ended_at),
    }


def ticket_record(ticket: Ticket) -> dict[str, Any]:
    """Return a ticket's contact details, message and consent."""
    return {
        "id": ticket.id,
        "name": ticket.name,
        "phone": ticket.phone,
        "email": ticket.email,
        "message": ticket.message,
        "consent_text": ticket.consent_text,
        "status": ticket.status,
        "created_at": iso_utc(ticket.created_at),
    }


def build_transcript(session: Session, conversation: Conversation, include_notes: bool = False) -> dict[str, Any]:
    """Return the conversation with every message and handoff, and internal notes if asked."""
    handoffs = session.execute(
        select(Handoff).where(Handoff.conversation_id == conversation.id).order_by(Handoff.id)
    ).scalars()
    transcript: dict[str, Any] = {
        "conversation_id": conversation.id,
        "state": conversation.state,
        "started_at": iso_utc(conversation.created_at),
        "handoffs": [handoff_record(h) for h in handoffs],
        "messages": [message_record(m) for m in messages_after(session, conversation.id)],
    }
    if include_notes:
        notes = session.execute(
            select(Note).where(Note.conversation_id == conversation.id).order_by(Note.id)
        ).scalars()
        transcript["internal_notes"] = [
            {"time": iso_utc(n.created_at), "agent": n.agent.first_name, "text": n.text} for n in notes
        ]
    return transcript


def _sender_label(message: dict[str, Any]) -> str:
    if message["sender"] == "agent" and message["agent"]:
        return "Agent (%s)" % message["agent"]["first_name"]
    return message["sender"].capitalize()


def transcript_text(transcript: dict[str, Any], ticket: Optional[dict[str, Any]] = None) -> str:
    """Format a transcript from :func:`build_transcript` as plain text; times are UTC."""
    lines = [
        "Conversation %s" % transcript["conversation_id"],
        "Started: %s UTC" % transcript["started_at"],
        "State: %s" % transcript["state"],
    ]
    for handoff in transcript["handoffs"]:
        lines.append(
            "Handoff %s: reason %s%s, service %s, status %s"
            % (
                handoff["id"],
                handoff["reason"],
                " (urgent)" if handoff["urgent"] else "",
                handoff["service_key"] or "none",
                handoff["status"],
            )
        )
    if ticket:
        lines += [
            "",
            "Message left out of hours",
            "Name: %s" % ticket["name"],
            "Phone: %s" % (ticket["phone"] or "not given"),
            "Email: %s" % (ticket["email"] or "not given"),
            "Consent: %s" % ticket["consent_text"],
            "Message: %s" % ticket["message"],
        ]
    lines.append("")
    for message in transcript["messages"]:
        if message["kind"] == "rejected":
            body = "[message rejected, %s characters]" % message["length"]
        else:
            body = message["text"] or ""
        line = "[%s] %s: %s" % (message["time"], _sender_label(message), body)
        if message["intent"]:
            line += "  (intent %s, confidence %.2f)" % (message["intent"], message["confidence"] or 0.0)
        lines.append(line)
        if message["buttons"]:
            lines.append("    buttons: " + ", ".join(b.get("title", "") for b in message["buttons"]))
    for note in transcript.get("internal_notes", []):
        lines.append("[%s] Internal note (%s): %s" % (note["time"], note["agent"], note["text"]))
    return "\n".join(lines) + "\n"
