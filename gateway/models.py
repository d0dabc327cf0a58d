"""SQLAlchemy models for everything the gateway stores. All times are naive UTC."""

from __future__ import annotations

import logging

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import declarative_base, relationship

from gateway.clock import utcnow

logger = logging.getLogger(__name__)

Base = declarative_base()

# Conversation states, as in docs/gateway-protocol.md.
STATE_BOT = "bot"
STATE_QUEUED = "queued"
STATE_WITH_AGENT = "with_agent"
STATE_OUT_OF_HOURS = "out_of_hours"
STATE_CLOSED = "closed"

# Handoff statuses. A handoff that is still open is "queued" or "with_agent".
HANDOFF_QUEUED = "queued"
HANDOFF_WITH_AGENT = "with_agent"
HANDOFF_HANDED_BACK = "handed_back"
HANDOFF_CLOSED = "closed"
HANDOFF_CANCELLED = "cancelled"
HANDOFF_TIMED_OUT = "timed_out"
HANDOFF_OUT_OF_HOURS = "out_of_hours"
OPEN_HANDOFF_STATUSES = (HANDOFF_QUEUED, HANDOFF_WITH_AGENT)


class Conversation(Base):
    """One resident's conversation, bound to a secret session token."""

    __tablename__ = "conversations"

    id = Column(String(32), primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    state = Column(String(16), nullable=False, default=STATE_BOT)
    offered_buttons = Column(JSON, nullable=False, default=list)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    last_activity_at = Column(DateTime, nullable=False, default=utcnow)

    messages = relationship("Message", back_populates="conversation", order_by="Message.id")
    handoffs = relationship("Handoff", back_populates="conversation", order_by="Handoff.id")


class Message(Base):
    """A resident, bot, agent or system message; a rejected resident message keeps only its length."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation_id_id", "conversation_id", "id"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(32), ForeignKey("conversations.id"), nullable=False)
    sender = Column(String(16), nullable=False)
    kind = Column(String(16), nullable=False, default="text")
    text = Column(Text, nullable=True)
    payload = Column(String(500), nullable=True)
    buttons = Column(JSON, nullable=False, default=list)
    links = Column(JSON, nullable=False, default=list)
    custom = Column(JSON, nullable=True)
    intent = Column(String(200), nullable=True)
    confidence = Column(Float, nullable=True)
    length = Column(Integer, nullable=True)
    agent_id = Column(Integer, ForeignKey("agents.id"), nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)

    conversation = relationship("Conversation", back_populates="messages")
    agent = relationship("Agent")


class Handoff(Base):
    """A request for a person, from queue or out-of-hours offer to its end."""

    __tablename__ = "handoffs"
    __table_args__ = (Index("ix_handoffs_status_requested_at", "status", "requested_at"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(32), ForeignKey("conversations.id"), nullable=False, index=True)
    reason = Column(String(32), nullable=False)
    urgent = Column(Boolean, nullable=False, default=False)
    service_key = Column(String(100), nullable=True)
    status = Column(String(16), nullable=False)
    agent_id = Column(Integer, ForeignKey("agents.id"), nullable=True)
    requested_at = Column(DateTime, nullable=False, default=utcnow)
    claimed_at = Column(DateTime, nullable=True)
    ended_at = Column(DateTime, nullable=True)
    last_agent_reply_at = Column(DateTime, nullable=True)

    conversation = relationship("Conversation", back_populates="handoffs")
    agent = relationship("Agent")


class Agent(Base):
    """A desk account. ``role`` is the job title shown to residents."""

    __tablename__ = "agents"

    id = Column(Integer, primary_key=True, autoincrement=True)
    username = Column(String(100), nullable=False, unique=True)
    first_name = Column(String(100), nullable=False)
    role = Column(String(100), nullable=False)
    is_manager = Column(Boolean, nullable=False, default=False)
    password_hash = Column(String(300), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class AgentSession(Base):
    """A signed-in desk session. The cookie contains the token, and the table only its SHA-256."""

    __tablename__ = "agent_sessions"

    id = Column(Integer, primary_key=True, autoincrement=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    agent_id = Column(Integer, ForeignKey("agents.id"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    last_seen_at = Column(DateTime, nullable=False, default=utcnow)

    agent = relationship("Agent")


class SignInAttempt(Base):
    """One sign-in attempt, kept for rate limiting by username and by client address."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (
        Index("ix_sign_in_attempts_username_created_at", "username", "created_at"),
        Index("ix_sign_in_attempts_address_created_at", "address", "created_at"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    username = Column(String(100), nullable=False)
    address = Column(String(64), nullable=False)
    succeeded = Column(Boolean, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class Note(Base):
    """An agent's internal note on a conversation; never sent to the resident."""

    __tablename__ = "notes"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(32), ForeignKey("conversations.id"), nullable=False, index=True)
    agent_id = Column(Integer, ForeignKey("agents.id"), nullable=False)
    text = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)

    agent = relationship("Agent")


class Ticket(Base):
    """A message left out of hours, asking for a call or email back."""

    __tablename__ = "tickets"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(32), ForeignKey("conversations.id"), nullable=False, index=True)
    handoff_id = Column(Integer, ForeignKey("handoffs.id"), nullable=True)
    name = Column(String(100), nullable=False)
    phone = Column(String(20), nullable=True)
    email = Column(String(254), nullable=True)
    message = Column(Text, nullable=False)
    consent_text = Column(Text, nullable=False)
    status = Column(String(16), nullable=False, default="open")
    created_at = Column(DateTime, nullable=False, default=utcnow)
    done_at = Column(DateTime, nullable=True)
    done_by = Column(Integer, ForeignKey("agents.id"), nullable=True)

    conversation = relationship("Conversation")


class Feedback(Base):
    """A resident's rating after an agent closed the conversation."""

    __tablename__ = "feedback"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(32), ForeignKey("conversations.id"), nullable=False, index=True)
    handoff_id = Column(Integer, ForeignKey("handoffs.id"), nullable=True)
    rating = Column(String(8), nullable=False)
    comment = Column(Text, nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class Delivery(Base):
    """A handoff or ticket to send to a webhook or the team mailbox, with its retry state."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_status_next_attempt_at", "status", "next_attempt_at"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    channel = Column(String(16), nullable=False)
    event = Column(String(16), nullable=False)
    conversation_id = Column(String(32), ForeignKey("conversations.id"), nullable=False)
    payload = Column(JSON, nullable=False)
    status = Column(String(16), nullable=False, default="pending")
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime, nullable=False, default=utcnow)
    last_error = Column(String(500), nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    sent_at = Column(DateTime, nullable=True)


class AuditEvent(Base):
    """An agent action that must be traceable, such as taking over another agent's conversation."""

    __tablename__ = "audit_events"

    id = Column(Integer, primary_key=True, autoincrement=True)
    agent_id = Column(Integer, ForeignKey("agents.id"), nullable=False)
    action = Column(String(32), nullable=False)
    conversation_id = Column(String(32), ForeignKey("conversations.id"), nullable=True)
    detail = Column(JSON, nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)

    agent = relationship("Agent")
