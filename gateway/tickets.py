"""Messages left out of hours: checking contact details and storing them as tickets."""

from __future__ import annotations

import logging
from typing import Any, Mapping, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.clock import utcnow
from gateway.models import HANDOFF_OUT_OF_HOURS, Conversation, Handoff, Ticket
from gateway.validation import (
    MAX_NAME_CHARS,
    ValidationError,
    check_message_text,
    normalise_email,
    normalise_uk_phone,
)

logger = logging.getLogger(__name__)


def open_offer(session: Session, conversation_id: str) -> Optional[Handoff]:
    """Return the latest out-of-hours handoff that has no ticket yet."""
    handoff = session.execute(
        select(Handoff)
        .where(Handoff.conversation_id == conversation_id, Handoff.status == HANDOFF_OUT_OF_HOURS)
        .order_by(Handoff.id.desc())
    ).scalars().first()
    if handoff is None:
        return None
    taken = session.execute(select(Ticket.id).where(Ticket.handoff_id == handoff.id)).first()
    return None if taken else handoff


def check_ticket_form(data: Mapping[str, Any], max_message_chars: int) -> dict[str, Optional[str]]:
    """Check a ``leave_message`` form and return its cleaned fields.

    Raises:
        ValidationError: With a code and the field at fault.
    """
    if data.get("consent") is not True:
        raise ValidationError(
            "consent_required", "Please tick the box to agree that we can contact you.", "consent"
        )
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("invalid_name", "Please enter your name.", "name")
    if len(name.strip()) > MAX_NAME_CHARS:
        raise ValidationError("invalid_name", "Please keep your name under 100 characters.", "name")
    raw_phone = data.get("phone") or ""
    raw_email = data.get("email") or ""
    if not isinstance(raw_phone, str) or not isinstance(raw_email, str):
        raise ValidationError("missing_contact", "Please give a phone number or an email address.", "phone")
    if not raw_phone.strip() and not raw_email.strip():
        raise ValidationError("missing_contact", "Please give a phone number or an email address.", "phone")
    phone = None
    if raw_phone.strip():
        phone = normalise_uk_phone(raw_phone)
        if phone is None:
            raise ValidationError(
                "invalid_phone", "Please enter a UK phone number, like 01743 123456 or 07700 900123.", "phone"
            )
    email = None
    if raw_email.strip():
        email = normalise_email(raw_email)
        if email is None:
            raise ValidationError(
                "invalid_email", "Please enter an email address in the right format, like name@example.com.", "email"
            )
    try:
        message = check_message_text(data.get("message"), max_message_chars)
    except ValidationError as error:
        raise ValidationError(error.code, error.message, "message") from None
    return {"name": name.strip(), "phone": phone, "email": email, "message": message}


def create_ticket(
    session: Session, conversation: Conversation, handoff: Optional[Handoff], fields: Mapping[str, Optional[str]], consent_text: str
) -> Ticket:
    """Store a ticket with the consent sentence the resident agreed to."""
    ticket = Ticket(
        conversation_id=conversation.id,
        handoff_id=handoff.id if handoff else None,
        name=fields["name"],
        phone=fields["phone"],
        email=fields["email"],
        message=fields["message"],
        consent_text=consent_text,
        status="open",
        created_at=utcnow(),
    )
    session.add(ticket)
    session.flush()
    return ticket
