"""Residents' ratings after an agent closed their conversation."""

from __future__ import annotations

import logging
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.clock import utcnow
from gateway.models import HANDOFF_CLOSED, Feedback, Handoff
from gateway.validation import ValidationError

logger = logging.getLogger(__name__)

RATINGS = ("1", "2", "3", "4", "5", "up", "down")
MAX_COMMENT_CHARS = 1000


def store_feedback(session: Session, conversation_id: str, data: Mapping[str, Any]) -> Feedback:
    """Store feedback for the conversation's latest closed handoff; one per handoff.

    Raises:
        ValidationError: If nothing was closed, feedback was already given, or the rating is invalid.
    """
    handoff = session.execute(
        select(Handoff)
        .where(Handoff.conversation_id == conversation_id, Handoff.status == HANDOFF_CLOSED)
        .order_by(Handoff.id.desc())
    ).scalars().first()
    if handoff is None:
        raise ValidationError("feedback_not_requested", "There is no finished chat to give feedback on.")
    given = session.execute(select(Feedback.id).where(Feedback.handoff_id == handoff.id)).first()
    if given:
        raise ValidationError("feedback_already_given", "Thank you, we already have your feedback.")
    rating = str(data.get("rating", "")).strip().lower()
    if rating not in RATINGS:
        raise ValidationError("invalid_rating", "Please choose a rating from 1 to 5.", "rating")
    comment = data.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise ValidationError("invalid_comment", "Please type your comment as text.", "comment")
    comment = (comment or "").strip() or None
    if comment and len(comment) > MAX_COMMENT_CHARS:
        raise ValidationError(
            "message_too_long", "Please keep your comment under 1,000 characters.", "comment"
        )
    feedback = Feedback(
        conversation_id=conversation_id, handoff_id=handoff.id, rating=rating, comment=comment, created_at=utcnow()
    )
    session.add(feedback)
    session.flush()
    return feedback
