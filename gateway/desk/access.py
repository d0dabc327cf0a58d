"""Access rules for reading and acting on a conversation."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Optional

from sqlalchemy.orm import Session

from gateway.handoffs import latest_handoff, open_handoff
from gateway.models import HANDOFF_WITH_AGENT, Agent, Conversation, Handoff

logger = logging.getLogger(__name__)


@dataclass
class ConversationAccess:
    """A conversation with its handoffs, loaded for one agent."""

    conversation: Conversation
    handoff: Optional[Handoff]
    latest: Optional[Handoff]
    holder: Optional[Agent]

    @property
    def blocked(self) -> bool:
        """True when another agent handles the conversation, so this agent must take over to read it."""
        return self.holder is not None

    def is_mine(self, agent: Agent) -> bool:
        """True when ``agent`` handles the conversation."""
        return self.handoff is not None and self.handoff.status == HANDOFF_WITH_AGENT and self.handoff.agent_id == agent.id


def access_for(session: Session, conversation_id: str, agent: Agent) -> Optional[ConversationAccess]:
    """Load a conversation for ``agent``; None when it does not exist.

    A conversation that another agent currently holds is blocked until this agent takes it over.
    Queued, handed-back, closed and bot-only conversations can be read by any agent.
    """
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        return None
    handoff = open_handoff(session, conversation_id)
    holder = None
    if handoff is not None and handoff.status == HANDOFF_WITH_AGENT and handoff.agent_id != agent.id:
        holder = handoff.agent
    return ConversationAccess(
        conversation=conversation, handoff=handoff, latest=latest_handoff(session, conversation_id), holder=holder
    )
