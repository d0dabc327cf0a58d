"""Checks on what residents send: message length, UK phone numbers, email addresses."""

from __future__ import annotations

import logging
import re
from typing import Optional

logger = logging.getLogger(__name__)

# UK numbers in national form after "+44" or "0044" is replaced by "0": geographic (01, 02),
# non-geographic (03), mobile (07) and freephone or local-rate (080, 084). Premium-rate 09 and
# personal 070 numbers are refused because the council would not call them back.
_UK_PHONE = re.compile(r"^0(?:1\d{8,9}|2\d{9}|3\d{9}|7[1-9]\d{8}|80\d{7,8}|84\d{8})$")
_PHONE_PUNCTUATION = re.compile(r"[\s\-().]")
_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
MAX_NAME_CHARS = 100
MAX_EMAIL_CHARS = 254


class ValidationError(Exception):
    """A resident input that cannot be accepted, with the code and message the resident is sent."""

    def __init__(self, code: str, message: str, field: Optional[str] = None) -> None:
        """Store the error code, the resident-facing message and the form field at fault."""
        super().__init__(code)
        self.code = code
        self.message = message
        self.field = field


def normalise_uk_phone(value: str) -> Optional[str]:
    """Return a UK phone number in national form (such as ``07700900123``), or None if invalid."""
    digits = _PHONE_PUNCTUATION.sub("", value.strip())
    international = False
    if digits.startswith("+44"):
        digits, international = digits[3:], True
    elif digits.startswith("0044"):
        digits, international = digits[4:], True
    if international:
        # "+44 (0)1743 ..." keeps the trunk zero; "+44 1743 ..." does not.
        digits = digits if digits.startswith("0") else "0" + digits
    return digits if _UK_PHONE.match(digits) else None


def normalise_email(value: str) -> Optional[str]:
    """Return the email address trimmed, or None if it is not a valid address."""
    address = value.strip()
    if len(address) > MAX_EMAIL_CHARS or not _EMAIL.match(address):
        return None
    return address


def check_message_text(text: object, max_chars: int) -> str:
    """Return a resident's message text trimmed.

    Raises:
        ValidationError: ``empty_message`` or ``message_too_long``.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValidationError("empty_message", "Please type a message before sending.")
    if len(text) > max_chars:
        raise ValidationError(
            "message_too_long",
            "Your message is too long. Please keep it under %s characters." % format(max_chars, ","),
        )
    return text.strip()
