"""Resident notifications as a handoff starts, moves and ends, and the queue timeout task."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Optional

from sqlalchemy.orm import Session

from gateway import handoffs, texts
from gateway.delivery import enqueue
from gateway.models import (
    HANDOFF_CANCELLED,
    HANDOFF_TIMED_OUT,
    STATE_BOT,
    STATE_OUT_OF_HOURS,
    STATE_QUEUED,
    STATE_WITH_AGENT,
    Agent,
    Conversation,
    Handoff,
)
from gateway.runtime import Gateway, Outbox
from gateway.transcripts import build_transcript, handoff_record

logger = logging.getLogger(__name__)

HANDOFF_REASONS = ("resident_request", "fallback", "repeated_fallback", "safety", "assistant_unavailable")


def agent_view(agent: Agent) -> dict[str, str]:
    """Return the only agent details sent to a resident: first name and role."""
    return {"first_name": agent.first_name, "role": agent.role}


def queued_state(gateway: Gateway, session: Session, handoff: Handoff) -> dict[str, Any]:
    """Return the ``handoff_state`` event for a queued handoff, with its place and wait estimate."""
    position = handoffs.queue_position(session, handoff)
    wait = handoffs.estimate_wait_minutes(
        session, position, gateway.settings.estimate_sample_size, gateway.settings.default_handling_minutes
    )
    return {"state": STATE_QUEUED, "queue_position": position, "estimated_wait_minutes": wait}


def out_of_hours_state(gateway: Gateway) -> dict[str, Any]:
    """Return the ``handoff_state`` event for an out-of-hours offer."""
    next_open = gateway.hours.next_open()
    return {
        "state": STATE_OUT_OF_HOURS,
        "next_open": next_open.isoformat() if next_open else None,
        "next_open_text": gateway.hours.describe_next_open(),
        "consent_text": gateway.settings.consent_text,
        "phone": gateway.settings.contact_phone,
        "email": gateway.settings.contact_email,
    }


def current_state(gateway: Gateway, session: Session, conversation: Conversation) -> dict[str, Any]:
    """Return the ``handoff_state`` event that describes a conversation now, for a reconnect."""
    if conversation.state == STATE_QUEUED:
        handoff = handoffs.open_handoff(session, conversation.id)
        if handoff is not None:
            return queued_state(gateway, session, handoff)
    if conversation.state == STATE_WITH_AGENT:
        handoff = handoffs.open_handoff(session, conversation.id)
        if handoff is not None and handoff.agent is not None:
            return {"state": STATE_WITH_AGENT, "agent": agent_view(handoff.agent)}
    if conversation.state == STATE_OUT_OF_HOURS:
        return out_of_hours_state(gateway)
    return {"state": conversation.state}


def handoff_payload(session: Session, conversation: Conversation, handoff: Handoff, event: str) -> dict[str, Any]:
    """Return the JSON body sent to the webhook and used for the email."""
    return {
        "event": event,
        "conversation_id": conversation.id,
        "handoff": handoff_record(handoff),
        "transcript": build_transcript(session, conversation),
    }


async def begin_handoff(
    gateway: Gateway, conversation_id: str, reason: str, urgent: bool, service_key: Optional[str]
) -> None:
    """Start a handoff: join the queue in opening hours, otherwise offer to leave a message.

    Urgent handoffs show the emergency routes first, whatever the hour.
    """
    if reason not in HANDOFF_REASONS:
        reason = "resident_request"
    outbox = Outbox()
    queued = False
    with gateway.database.session() as session:
        conversation = session.get(Conversation, conversation_id)
        if conversation is None or handoffs.open_handoff(session, conversation_id) is not None:
            return
        in_hours = gateway.hours.is_open()
        handoff = handoffs.start_handoff(
            session, conversation, reason=reason, urgent=urgent, service_key=service_key, in_hours=in_hours
        )
        if urgent:
            outbox.system_message(session, conversation, texts.EMERGENCY_TEXT)
        if in_hours:
            state = queued_state(gateway, session, handoff)
            outbox.system_message(
                session,
                conversation,
                texts.queue_joined(state["queue_position"], state["estimated_wait_minutes"]),
                buttons=[{"title": "Leave the queue", "payload": texts.PAYLOAD_CANCEL}],
            )
            enqueue(session, gateway.settings, "handoff", conversation.id, handoff_payload(session, conversation, handoff, "handoff"))
            queued = True
        else:
            state = out_of_hours_state(gateway)
            outbox.system_message(
                session,
                conversation,
                texts.out_of_hours(state["next_open_text"], gateway.settings),
                buttons=[{"title": "Leave a message", "payload": texts.PAYLOAD_LEAVE_MESSAGE}],
            )
        outbox.add(conversation.id, "handoff_state", state)
        handoff_id = handoff.id
    logger.info(
        "handoff started",
        extra={
            "conversation_id": conversation_id,
            "handoff_id": handoff_id,
            "reason": reason,
            "status": "queued" if queued else "out_of_hours",
        },
    )
    await outbox.send(gateway)
    if queued:
        gateway.deliveries.wake()
        await broadcast_queue_positions(gateway, skip=conversation_id)


async def cancel_handoff(gateway: Gateway, conversation_id: str) -> bool:
    """Take a queued resident out of the queue and back to the bot; False if not queued."""
    outbox = Outbox()
    with gateway.database.session() as session:
        conversation = session.get(Conversation, conversation_id)
        handoff = handoffs.open_handoff(session, conversation_id)
        if conversation is None or handoff is None or not handoffs.end_queued(session, handoff, HANDOFF_CANCELLED):
            return False
        outbox.system_message(session, conversation, texts.CANCELLED)
        outbox.add(conversation_id, "handoff_state", {"state": STATE_BOT})
        handoff_id = handoff.id
    logger.info("handoff cancelled by resident", extra={"conversation_id": conversation_id, "handoff_id": handoff_id})
    await outbox.send(gateway)
    await broadcast_queue_positions(gateway)
    return True


async def broadcast_queue_positions(gateway: Gateway, skip: Optional[str] = None) -> None:
    """Send every connected, queued resident their current place and wait estimate."""
    with gateway.database.session() as session:
        updates = [
            (handoff.conversation_id, queued_state(gateway, session, handoff))
            for handoff in handoffs.queued_handoffs(session)
            if handoff.conversation_id != skip and gateway.hub.is_connected(handoff.conversation_id)
        ]
    for conversation_id, state in updates:
        await gateway.hub.emit(conversation_id, "handoff_state", state)


async def time_out_overdue(gateway: Gateway) -> int:
    """End queued handoffs that waited too long, telling the resident; returns how many ended."""
    ended = 0
    with gateway.database.session() as session:
        overdue = [(h.id, h.conversation_id) for h in handoffs.overdue_queued(session, gateway.settings.queue_timeout_minutes)]
    for handoff_id, conversation_id in overdue:
        outbox = Outbox()
        async with gateway.lock(conversation_id):
            with gateway.database.session() as session:
                handoff = session.get(Handoff, handoff_id)
                conversation = session.get(Conversation, conversation_id)
                if not handoffs.end_queued(session, handoff, HANDOFF_TIMED_OUT):
                    continue
                outbox.system_message(
                    session, conversation, texts.queue_timed_out(gateway.settings), custom={"kind": "queue_timeout"}
                )
                outbox.add(conversation_id, "handoff_state", {"state": STATE_BOT})
            await outbox.send(gateway)
        ended += 1
        logger.warning("queued handoff timed out", extra={"conversation_id": conversation_id, "handoff_id": handoff_id})
    if ended:
        await broadcast_queue_positions(gateway)
    return ended


async def run_queue_timeouts(gateway: Gateway) -> None:
    """Check for overdue queued handoffs every ``timeout_check_seconds`` until cancelled."""
    while True:
        try:
            await time_out_overdue(gateway)
        except Exception:  # noqa: BLE001 - keep the task alive; the error is logged
            logger.exception("queue timeout check failed")
        await asyncio.sleep(gateway.settings.timeout_check_seconds)


async def notify_claimed(gateway: Gateway, conversation_id: str, agent: Agent, taken_over: bool = False) -> None:
    """Tell the resident which agent now has their conversation."""
    outbox = Outbox()
    with gateway.database.session() as session:
        conversation = session.get(Conversation, conversation_id)
        wording = texts.took_over if taken_over else texts.agent_joined
        outbox.system_message(session, conversation, wording(agent.first_name, agent.role))
        outbox.add(conversation_id, "handoff_state", {"state": STATE_WITH_AGENT, "agent": agent_view(agent)})
    await outbox.send(gateway)
    if not taken_over:
        await broadcast_queue_positions(gateway)


async def notify_ended(gateway: Gateway, conversation_id: str, closed: bool) -> None:
    """Tell the resident the agent handed them back to the bot, or closed the conversation."""
    outbox = Outbox()
    with gateway.database.session() as session:
        conversation = session.get(Conversation, conversation_id)
        if closed:
            outbox.system_message(session, conversation, texts.CLOSED)
            outbox.add(conversation_id, "handoff_state", {"state": "closed"})
            outbox.add(conversation_id, "feedback_request", {})
        else:
            outbox.system_message(session, conversation, texts.HANDED_BACK)
            outbox.add(conversation_id, "handoff_state", {"state": STATE_BOT})
    await outbox.send(gateway)

