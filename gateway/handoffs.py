"""Handoff records: the queue, claims, take-overs, endings and wait estimates.

State changes that two actors can race for (claim, cancel, timeout, take-over, hand back, close)
are conditional UPDATEs, so exactly one of them succeeds, in SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from typing import Optional

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from gateway.clock import utcnow
from gateway.models import (
    HANDOFF_OUT_OF_HOURS,
    HANDOFF_QUEUED,
    HANDOFF_WITH_AGENT,
    OPEN_HANDOFF_STATUSES,
    STATE_BOT,
    STATE_OUT_OF_HOURS,
    STATE_QUEUED,
    STATE_WITH_AGENT,
    Agent,
    AgentSession,
    Conversation,
    Handoff,
)

logger = logging.getLogger(__name__)

# Agents seen on the desk within this window count as available for the wait estimate.
ACTIVE_AGENT_WINDOW = dt.timedelta(minutes=15)


def _set_conversation_state(session: Session, conversation_id: str, state: str) -> None:
    conversation = session.get(Conversation, conversation_id)
    if conversation is not None:
        conversation.state = state
        session.flush()


def open_handoff(session: Session, conversation_id: str) -> Optional[Handoff]:
    """Return the conversation's queued or agent-held handoff, if any."""
    return session.execute(
        select(Handoff)
        .where(Handoff.conversation_id == conversation_id, Handoff.status.in_(OPEN_HANDOFF_STATUSES))
        .order_by(Handoff.id.desc())
    ).scalars().first()


def latest_handoff(session: Session, conversation_id: str) -> Optional[Handoff]:
    """Return the conversation's most recent handoff of any status."""
    return session.execute(
        select(Handoff).where(Handoff.conversation_id == conversation_id).order_by(Handoff.id.desc())
    ).scalars().first()


def start_handoff(
    session: Session,
    conversation: Conversation,
    *,
    reason: str,
    urgent: bool,
    service_key: Optional[str],
    in_hours: bool,
) -> Handoff:
    """Create a handoff: queued in opening hours, otherwise an out-of-hours offer."""
    handoff = Handoff(
        conversation_id=conversation.id,
        reason=reason,
        urgent=urgent,
        service_key=service_key,
        status=HANDOFF_QUEUED if in_hours else HANDOFF_OUT_OF_HOURS,
        requested_at=utcnow(),
    )
    session.add(handoff)
    conversation.state = STATE_QUEUED if in_hours else STATE_OUT_OF_HOURS
    session.flush()
    return handoff


def queued_handoffs(session: Session) -> list[Handoff]:
    """Return the waiting handoffs in queue order: urgent first, then oldest first."""
    return list(
        session.execute(
            select(Handoff)
            .where(Handoff.status == HANDOFF_QUEUED)
            .order_by(Handoff.urgent.desc(), Handoff.requested_at, Handoff.id)
        ).scalars()
    )


def queue_position(session: Session, handoff: Handoff) -> int:
    """Return the 1-based place of a queued handoff, or 0 when it is no longer queued."""
    for index, queued in enumerate(queued_handoffs(session), start=1):
        if queued.id == handoff.id:
            return index
    return 0


def average_handling_minutes(session: Session, sample_size: int, default_minutes: float) -> float:
    """Return the mean minutes from claim to end over recent finished handoffs, or the default."""
    rows = session.execute(
        select(Handoff.claimed_at, Handoff.ended_at)
        .where(Handoff.claimed_at.isnot(None), Handoff.ended_at.isnot(None))
        .order_by(Handoff.ended_at.desc())
        .limit(sample_size)
    ).all()
    durations = [(ended - claimed).total_seconds() / 60 for claimed, ended in rows if ended >= claimed]
    if not durations:
        return default_minutes
    return sum(durations) / len(durations)


def active_agent_count(session: Session) -> int:
    """Return how many agents used the desk recently, at least 1."""
    since = utcnow() - ACTIVE_AGENT_WINDOW
    count = session.execute(
        select(func.count(func.distinct(AgentSession.agent_id))).where(AgentSession.last_seen_at >= since)
    ).scalar_one()
    return max(1, int(count or 0))


def estimate_wait_minutes(session: Session, position: int, sample_size: int, default_minutes: float) -> int:
    """Estimate the wait for a queue position: position times mean handling time, shared by agents.

    This is a rough estimate. It assumes every recently active agent takes chats one at a time.
    """
    if position <= 0:
        return 0
    average = average_handling_minutes(session, sample_size, default_minutes)
    return max(1, math.ceil(position * average / active_agent_count(session)))


def claim(session: Session, handoff_id: int, agent: Agent) -> bool:
    """Give a queued handoff to ``agent``; returns False if it was not queued any more."""
    now = utcnow()
    result = session.execute(
        update(Handoff)
        .where(Handoff.id == handoff_id, Handoff.status == HANDOFF_QUEUED)
        .values(status=HANDOFF_WITH_AGENT, agent_id=agent.id, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    handoff = session.get(Handoff, handoff_id)
    session.refresh(handoff)
    _set_conversation_state(session, handoff.conversation_id, STATE_WITH_AGENT)
    return True


def take_over(session: Session, handoff_id: int, agent: Agent) -> Optional[int]:
    """Move an agent-held handoff to ``agent``.

    Returns:
        The id of the agent who held it, or None if it is not held by another agent any more.
    """
    handoff = session.get(Handoff, handoff_id)
    if handoff is None or handoff.status != HANDOFF_WITH_AGENT or handoff.agent_id in (None, agent.id):
        return None
    previous = handoff.agent_id
    result = session.execute(
        update(Handoff)
        .where(Handoff.id == handoff_id, Handoff.status == HANDOFF_WITH_AGENT, Handoff.agent_id == previous)
        .values(agent_id=agent.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    session.refresh(handoff)
    return previous


def end_by_agent(session: Session, handoff: Handoff, agent: Agent, status: str, conversation_state: str) -> bool:
    """End an agent-held handoff with ``status`` (handed back or closed); only its agent may."""
    result = session.execute(
        update(Handoff)
        .where(Handoff.id == handoff.id, Handoff.status == HANDOFF_WITH_AGENT, Handoff.agent_id == agent.id)
        .values(status=status, ended_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    _set_conversation_state(session, handoff.conversation_id, conversation_state)
    session.refresh(handoff)
    return True


def end_queued(session: Session, handoff: Handoff, status: str) -> bool:
    """End a handoff that is still queued (cancelled or timed out); the conversation goes back to the bot."""
    result = session.execute(
        update(Handoff)
        .where(Handoff.id == handoff.id, Handoff.status == HANDOFF_QUEUED)
        .values(status=status, ended_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    _set_conversation_state(session, handoff.conversation_id, STATE_BOT)
    session.refresh(handoff)
    return True


def overdue_queued(session: Session, timeout_minutes: float) -> list[Handoff]:
    """Return queued handoffs that have waited longer than ``timeout_minutes``."""
    cutoff = utcnow() - dt.timedelta(minutes=timeout_minutes)
    return list(
        session.execute(
            select(Handoff).where(Handoff.status == HANDOFF_QUEUED, Handoff.requested_at < cutoff)
        ).scalars()
    )
