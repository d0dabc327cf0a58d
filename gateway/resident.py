"""socket.io events from residents: sessions, messages, cancelling, leaving a message, feedback."""

from __future__ import annotations

import logging
from typing import Any, Optional

import socketio

from gateway import texts
from gateway.bot_turn import run_bot_turn
from gateway.conversations import (
    add_message,
    create_conversation,
    find_resumable,
    history_for_resident,
)
from gateway.delivery import enqueue
from gateway.feedback import store_feedback
from gateway.handoff_flow import begin_handoff, cancel_handoff, current_state, out_of_hours_state
from gateway.models import STATE_BOT, STATE_CLOSED, STATE_OUT_OF_HOURS, STATE_QUEUED, STATE_WITH_AGENT, Conversation
from gateway.runtime import Gateway, Outbox
from gateway.tickets import check_ticket_form, create_ticket, open_offer
from gateway.transcripts import build_transcript, handoff_record, ticket_record
from gateway.validation import ValidationError, check_message_text

logger = logging.getLogger(__name__)


def error_event(error: ValidationError) -> dict[str, Any]:
    """Return the ``error`` event body for a rejected input."""
    body: dict[str, Any] = {"code": error.code, "message": error.message}
    if error.field:
        body["field"] = error.field
    return body


def no_session() -> ValidationError:
    """Return the error for an event sent before ``session_request``."""
    return ValidationError("no_session", "Your chat session was not found. Please reload the page.")


# The widget's "Talk to a person" control is on screen at all times, so its payload is always
# accepted, whichever buttons the bot last sent.
ALWAYS_OFFERED_PAYLOADS = frozenset({"/request_human"})


def resolve_input(data: Any, offered: list[str]) -> tuple[str, str, Optional[str]]:
    """Split a ``user_message`` event into stored text, Rasa text and button payload.

    Returns:
        The text to store, the text to send to Rasa, and the button payload when the resident
        clicked a button the gateway last offered. Typed text has any leading "/" removed, so only
        offered button payloads reach Rasa as intents. An unknown payload counts as typed text.
    """
    if not isinstance(data, dict):
        raise ValidationError("invalid_message", "The message could not be read. Please try again.")
    payload = data.get("payload")
    if isinstance(payload, str) and (payload in offered or payload in ALWAYS_OFFERED_PAYLOADS):
        title = data.get("title") if isinstance(data.get("title"), str) else payload
        return title, payload, payload
    raw = data.get("text")
    if raw is None and isinstance(payload, str):
        raw = data.get("title") if isinstance(data.get("title"), str) else payload
    return raw, raw, None  # type: ignore[return-value]


def register(sio: socketio.AsyncServer, gateway: Gateway) -> None:
    """Attach the resident event handlers to ``sio``."""

    @sio.event
    async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        return None

    @sio.event
    async def disconnect(sid: str) -> None:
        conversation_id = gateway.hub.unbind(sid)
        if conversation_id is not None and not gateway.hub.is_connected(conversation_id):
            gateway.forget_lock(conversation_id)

    @sio.event
    async def session_request(sid: str, data: Any) -> None:
        token = data.get("session_token") if isinstance(data, dict) else None
        with gateway.database.session() as session:
            conversation = find_resumable(session, token, gateway.settings.resident_session_idle_hours)
            resumed = conversation is not None
            if conversation is None:
                conversation, token = create_conversation(session)
            confirm = {"session_token": token, "conversation_id": conversation.id, "state": conversation.state}
            history = history_for_resident(session, conversation.id) if resumed else []
            state = current_state(gateway, session, conversation) if resumed else None
            conversation_id = conversation.id
        await gateway.hub.bind(sid, conversation_id)
        await gateway.hub.emit_to(sid, "session_confirm", confirm)
        if resumed:
            await gateway.hub.emit_to(sid, "history", {"messages": history})
            if state and state["state"] != STATE_BOT:
                await gateway.hub.emit_to(sid, "handoff_state", state)
        logger.info(
            "resident session resumed" if resumed else "resident session started",
            extra={"conversation_id": conversation_id},
        )

    @sio.event
    async def user_message(sid: str, data: Any) -> None:
        conversation_id = gateway.hub.conversation_of(sid)
        if conversation_id is None:
            await gateway.hub.emit_to(sid, "error", error_event(no_session()))
            return
        async with gateway.lock(conversation_id):
            await handle_user_message(gateway, sid, conversation_id, data)

    @sio.on("cancel_handoff")
    async def on_cancel_handoff(sid: str, data: Any = None) -> None:
        conversation_id = gateway.hub.conversation_of(sid)
        if conversation_id is None:
            await gateway.hub.emit_to(sid, "error", error_event(no_session()))
            return
        async with gateway.lock(conversation_id):
            if not await cancel_handoff(gateway, conversation_id):
                await gateway.hub.emit_to(
                    sid,
                    "error",
                    {"code": "not_queued", "message": "You're not in the queue, so there is nothing to cancel."},
                )

    @sio.event
    async def leave_message(sid: str, data: Any) -> None:
        conversation_id = gateway.hub.conversation_of(sid)
        if conversation_id is None:
            await gateway.hub.emit_to(sid, "error", error_event(no_session()))
            return
        async with gateway.lock(conversation_id):
            await handle_leave_message(gateway, sid, conversation_id, data)

    @sio.event
    async def feedback(sid: str, data: Any) -> None:
        conversation_id = gateway.hub.conversation_of(sid)
        if conversation_id is None:
            await gateway.hub.emit_to(sid, "error", error_event(no_session()))
            return
        outbox = Outbox()
        try:
            with gateway.database.session() as session:
                stored = store_feedback(session, conversation_id, data if isinstance(data, dict) else {})
                conversation = session.get(Conversation, conversation_id)
                outbox.system_message(session, conversation, texts.FEEDBACK_THANKS)
                del stored
        except ValidationError as error:
            await gateway.hub.emit_to(sid, "error", error_event(error))
            return
        logger.info("feedback stored", extra={"conversation_id": conversation_id, "event": "feedback"})
        await outbox.send(gateway)


async def handle_user_message(gateway: Gateway, sid: str, conversation_id: str, data: Any) -> None:
    """Store a resident message and route it to Rasa or to the agent, by conversation state."""
    rejection: Optional[ValidationError] = None
    with gateway.database.session() as session:
        conversation = session.get(Conversation, conversation_id)
        payload: Optional[str] = None
        raw: Any = None
        try:
            if conversation is None:
                raise no_session()
            raw, rasa_text, payload = resolve_input(data, list(conversation.offered_buttons or []))
            stored_text = raw
            if payload is None:
                stored_text = check_message_text(raw, gateway.settings.max_message_chars)
                rasa_text = stored_text.lstrip("/").strip()
                if not rasa_text:
                    raise ValidationError("empty_message", "Please type a message before sending.")
        except ValidationError as error:
            rejection = error
            length = len(raw) if isinstance(raw, str) else None
            if error.code == "message_too_long" and conversation is not None:
                # Only the length of a rejected message is kept.
                add_message(session, conversation, "resident", None, kind="rejected", length=length)
            logger.info(
                "resident message rejected",
                extra={"conversation_id": conversation_id, "reason": error.code, "length": length},
            )
        else:
            message = add_message(
                session, conversation, "resident", stored_text, kind="button" if payload else "text", payload=payload
            )
            message_id = message.id
            state = conversation.state
            if state in (STATE_OUT_OF_HOURS, STATE_CLOSED) and not (payload or "").startswith("gateway:"):
                # Typing after an out-of-hours offer or a closed chat carries on with the bot.
                conversation.state = state = STATE_BOT
    # Events are sent only after the transaction has committed, never while it is open.
    if rejection is not None:
        await gateway.hub.emit_to(sid, "error", error_event(rejection))
        return

    if payload and payload.startswith("gateway:"):
        await handle_gateway_button(gateway, sid, conversation_id, payload)
        return
    if state in (STATE_QUEUED, STATE_WITH_AGENT):
        # An agent handles the conversation, so the desk shows the message and Rasa never receives it.
        return
    await run_bot_turn(gateway, conversation_id, message_id, rasa_text)


async def handle_gateway_button(gateway: Gateway, sid: str, conversation_id: str, payload: str) -> None:
    """Act on a button the gateway itself offered."""
    if payload == texts.PAYLOAD_HANDOFF:
        await begin_handoff(gateway, conversation_id, "assistant_unavailable", False, None)
    elif payload == texts.PAYLOAD_CANCEL:
        await cancel_handoff(gateway, conversation_id)
    elif payload == texts.PAYLOAD_LEAVE_MESSAGE:
        # The widget shows the form; resending the state lets it do so after a reconnect too.
        await gateway.hub.emit_to(sid, "handoff_state", out_of_hours_state(gateway))


async def handle_leave_message(gateway: Gateway, sid: str, conversation_id: str, data: Any) -> None:
    """Check and store a message left out of hours, then return the conversation to the bot."""
    outbox = Outbox()
    try:
        fields = check_ticket_form(data if isinstance(data, dict) else {}, gateway.settings.max_message_chars)
    except ValidationError as error:
        await gateway.hub.emit_to(sid, "error", error_event(error))
        return
    with gateway.database.session() as session:
        conversation = session.get(Conversation, conversation_id)
        handoff = open_offer(session, conversation_id)
        if handoff is not None:
            ticket = create_ticket(session, conversation, handoff, fields, gateway.settings.consent_text)
            conversation.state = STATE_BOT
            outbox.system_message(session, conversation, texts.TICKET_STORED)
            outbox.add(conversation_id, "handoff_state", {"state": STATE_BOT})
            enqueue(
                session,
                gateway.settings,
                "ticket",
                conversation_id,
                {
                    "event": "ticket",
                    "conversation_id": conversation_id,
                    "ticket": ticket_record(ticket),
                    "handoff": handoff_record(handoff),
                    "transcript": build_transcript(session, conversation),
                },
            )
            ticket_id = ticket.id
    if handoff is None:
        await gateway.hub.emit_to(
            sid,
            "error",
            {"code": "no_offer", "message": "You can only leave a message when our advisers are not available."},
        )
        return
    logger.info("ticket stored", extra={"conversation_id": conversation_id, "ticket_id": ticket_id})
    await outbox.send(gateway)
    gateway.deliveries.wake()

