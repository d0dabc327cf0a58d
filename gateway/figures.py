"""Figures for managers: conversations, handoffs, containment and feedback over a period."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Optional

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from gateway.clock import utcnow
from gateway.models import Delivery, Feedback, Handoff, Message, Ticket

logger = logging.getLogger(__name__)


def compute_figures(session: Session, days: Optional[int]) -> dict[str, Any]:
    """Count activity since ``days`` ago, or over all time when ``days`` is None.

    A conversation counts once the resident has sent at least one message, so opened widgets
    with no message are left out. Containment is the share of those conversations with no handoff.
    """
    since = utcnow() - dt.timedelta(days=days) if days else dt.datetime(1970, 1, 1)
    conversation_ids = select(distinct(Message.conversation_id)).where(
        Message.sender == "resident", Message.created_at >= since
    )
    conversations = int(
        session.execute(select(func.count()).select_from(conversation_ids.subquery())).scalar_one()
    )
    with_handoff = int(
        session.execute(
            select(func.count(distinct(Handoff.conversation_id))).where(
                Handoff.requested_at >= since, Handoff.conversation_id.in_(conversation_ids)
            )
        ).scalar_one()
    )
    by_status = dict(
        session.execute(
            select(Handoff.status, func.count(Handoff.id)).where(Handoff.requested_at >= since).group_by(Handoff.status)
        ).all()
    )
    by_reason = dict(
        session.execute(
            select(Handoff.reason, func.count(Handoff.id)).where(Handoff.requested_at >= since).group_by(Handoff.reason)
        ).all()
    )
    urgent = int(
        session.execute(
            select(func.count(Handoff.id)).where(Handoff.requested_at >= since, Handoff.urgent.is_(True))
        ).scalar_one()
    )
    feedback = dict(
        session.execute(
            select(Feedback.rating, func.count(Feedback.id)).where(Feedback.created_at >= since).group_by(Feedback.rating)
        ).all()
    )
    tickets = dict(
        session.execute(
            select(Ticket.status, func.count(Ticket.id)).where(Ticket.created_at >= since).group_by(Ticket.status)
        ).all()
    )
    failed_deliveries = int(
        session.execute(
            select(func.count(Delivery.id)).where(Delivery.created_at >= since, Delivery.status == "failed")
        ).scalar_one()
    )
    return {
        "days": days,
        "conversations": conversations,
        "conversations_with_handoff": with_handoff,
        "containment": (conversations - with_handoff) / conversations if conversations else None,
        "handoffs": sum(by_status.values()),
        "handoffs_by_status": by_status,
        "handoffs_by_reason": by_reason,
        "urgent_handoffs": urgent,
        "feedback": feedback,
        "feedback_total": sum(feedback.values()),
        "tickets": tickets,
        "failed_deliveries": failed_deliveries,
    }
