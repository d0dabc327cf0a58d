"""Agent accounts, sign-in with rate limiting, and desk sessions stored in the database."""

from __future__ import annotations

import datetime as dt
import enum
import logging
import secrets
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from gateway.clock import utcnow
from gateway.conversations import hash_token
from gateway.models import Agent, AgentSession, SignInAttempt
from gateway.passwords import DUMMY_HASH, hash_password, verify_password

logger = logging.getLogger(__name__)

MIN_PASSWORD_CHARS = 12


class SignInResult(enum.Enum):
    """Outcome of a sign-in attempt."""

    OK = "ok"
    INVALID = "invalid"
    RATE_LIMITED = "rate_limited"


@dataclass(frozen=True)
class SignInLimits:
    """Failed sign-ins allowed per username and per address within a window."""

    per_username: int
    per_address: int
    window: dt.timedelta


def create_agent(
    session: Session, username: str, password: str, first_name: str, role: str, is_manager: bool = False
) -> Agent:
    """Create an agent account.

    Raises:
        ValueError: If a field is empty, the password is shorter than 12 characters or the
            username is taken.
    """
    username = username.strip().lower()
    if not username or not first_name.strip() or not role.strip():
        raise ValueError("username, first name and role must not be empty")
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValueError("password must have at least %d characters" % MIN_PASSWORD_CHARS)
    if session.execute(select(Agent).where(Agent.username == username)).scalar_one_or_none() is not None:
        raise ValueError("username %r is already taken" % username)
    agent = Agent(
        username=username,
        first_name=first_name.strip(),
        role=role.strip(),
        is_manager=is_manager,
        password_hash=hash_password(password),
    )
    session.add(agent)
    session.flush()
    return agent


def _recent_failures(session: Session, since: dt.datetime, **match: str) -> int:
    conditions = [SignInAttempt.succeeded.is_(False), SignInAttempt.created_at >= since]
    conditions += [getattr(SignInAttempt, key) == value for key, value in match.items()]
    return int(session.execute(select(func.count(SignInAttempt.id)).where(*conditions)).scalar_one())


def sign_in(
    session: Session, username: str, password: str, address: str, limits: SignInLimits
) -> tuple[SignInResult, Optional[Agent]]:
    """Check a username and password, counting failures per username and per address.

    When either limit is reached, the attempt is rejected without checking the password.
    """
    username = (username or "").strip().lower()[:100]
    since = utcnow() - limits.window
    if (
        _recent_failures(session, since, username=username) >= limits.per_username
        or _recent_failures(session, since, address=address) >= limits.per_address
    ):
        return SignInResult.RATE_LIMITED, None
    agent = session.execute(select(Agent).where(Agent.username == username)).scalar_one_or_none()
    if agent is None or not agent.active:
        verify_password(password, DUMMY_HASH)
        ok = False
    else:
        ok = verify_password(password, agent.password_hash)
    session.add(SignInAttempt(username=username, address=address, succeeded=ok, created_at=utcnow()))
    session.flush()
    return (SignInResult.OK, agent) if ok else (SignInResult.INVALID, None)


def start_session(session: Session, agent: Agent) -> tuple[str, AgentSession]:
    """Create a desk session; returns the cookie token and the stored session."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    desk_session = AgentSession(
        token_hash=hash_token(token),
        agent_id=agent.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
    )
    session.add(desk_session)
    session.flush()
    return token, desk_session


def load_session(session: Session, token: Optional[str], idle: dt.timedelta) -> Optional[AgentSession]:
    """Return the live session for a cookie token and mark it as used, or None if unknown or expired.

    An expired session is deleted.
    """
    if not token or len(token) > 200:
        return None
    desk_session = session.execute(
        select(AgentSession).where(AgentSession.token_hash == hash_token(token))
    ).scalar_one_or_none()
    if desk_session is None:
        return None
    now = utcnow()
    if desk_session.last_seen_at < now - idle or not desk_session.agent.active:
        session.delete(desk_session)
        return None
    desk_session.last_seen_at = now
    return desk_session


def end_session(session: Session, token: Optional[str]) -> None:
    """Delete the session for a cookie token, if it exists."""
    if token:
        session.execute(delete(AgentSession).where(AgentSession.token_hash == hash_token(token)))
