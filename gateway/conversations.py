"""Conversations and their messages: creation, token lookup, storage and serialisation."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import uuid
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.clock import iso_utc, utcnow
from gateway.models import STATE_BOT, STATE_CLOSED, Agent, Conversation, Message

logger = logging.getLogger(__name__)


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest stored in place of a session token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_conversation(session: Session) -> tuple[Conversation, str]:
    """Create a conversation in state ``bot`` and its session token.

    Returns:
        The new conversation and the token to give the resident; only its hash is stored.
    """
    token = secrets.token_urlsafe(32)
    conversation = Conversation(id=uuid.uuid4().hex, token_hash=hash_token(token), state=STATE_BOT, offered_buttons=[])
    session.add(conversation)
    session.flush()
    return conversation, token


def find_resumable(session: Session, token: Optional[str], idle_hours: float) -> Optional[Conversation]:
    """Find the conversation a resident's token belongs to, if it can be resumed.

    A closed conversation, or one left with the bot for longer than ``idle_hours``, is not resumed.
    A queued or agent-held conversation is always resumed, so a reconnect never ends a handoff.
    """
    if not token or not isinstance(token, str) or len(token) > 200:
        return None
    conversation = session.execute(
        select(Conversation).where(Conversation.token_hash == hash_token(token))
    ).scalar_one_or_none()
    if conversation is None or conversation.state == STATE_CLOSED:
        return None
    idle_limit = utcnow() - dt.timedelta(hours=idle_hours)
    if conversation.state == STATE_BOT and conversation.last_activity_at < idle_limit:
        return None
    return conversation


def add_message(
    session: Session,
    conversation: Conversation,
    sender: str,
    text: Optional[str],
    *,
    kind: str = "text",
    payload: Optional[str] = None,
    buttons: Optional[list[dict[str, str]]] = None,
    links: Optional[list[dict[str, str]]] = None,
    custom: Optional[dict[str, Any]] = None,
    agent: Optional[Agent] = None,
    length: Optional[int] = None,
) -> Message:
    """Store one message and mark the conversation as active."""
    message = Message(
        conversation_id=conversation.id,
        sender=sender,
        kind=kind,
        text=text,
        payload=payload,
        buttons=buttons or [],
        links=links or [],
        custom=custom,
        agent_id=agent.id if agent else None,
        length=length,
        created_at=utcnow(),
    )
    session.add(message)
    conversation.last_activity_at = message.created_at
    session.flush()
    if agent is not None:
        message.agent = agent
    return message


def messages_after(session: Session, conversation_id: str, after_id: int = 0) -> list[Message]:
    """Return the conversation's messages with an id above ``after_id``, oldest first."""
    return list(
        session.execute(
            select(Message)
            .where(Message.conversation_id == conversation_id, Message.id > after_id)
            .order_by(Message.id)
        ).scalars()
    )


def resident_view(message: Message) -> dict[str, Any]:
    """Serialise a message for the resident's ``message`` and ``history`` events.

    Agents appear by first name and role only.
    """
    agent = None
    if message.sender == "agent" and message.agent is not None:
        agent = {"first_name": message.agent.first_name, "role": message.agent.role}
    return {
        "id": message.id,
        "sender": message.sender,
        "text": message.text or "",
        "buttons": message.buttons or [],
        "links": message.links or [],
        "agent": agent,
        "time": iso_utc(message.created_at),
    }


def history_for_resident(session: Session, conversation_id: str) -> list[dict[str, Any]]:
    """Return the messages sent to a resident again after reconnecting.

    Rejected messages have no text, so they are left out.
    """
    return [resident_view(m) for m in messages_after(session, conversation_id) if m.kind != "rejected"]


def record_offered_buttons(conversation: Conversation, buttons: list[dict[str, str]]) -> None:
    """Remember the payloads of the buttons most recently shown, to check button clicks against."""
    conversation.offered_buttons = [b["payload"] for b in buttons if b.get("payload")]
