"""The running gateway's shared parts, and the outbox that emits events after a commit."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any, Optional

from sqlalchemy.orm import Session

from gateway.config import Settings
from gateway.conversations import add_message, record_offered_buttons, resident_view
from gateway.db import Database
from gateway.delivery import DeliveryWorker
from gateway.hours import OpeningTimes
from gateway.hub import ResidentHub
from gateway.models import Conversation
from gateway.rasa_client import RasaClient

logger = logging.getLogger(__name__)


@dataclass
class Gateway:
    """Settings, storage and connections shared by the resident side and the desk."""

    settings: Settings
    database: Database
    hours: OpeningTimes
    rasa: RasaClient
    hub: ResidentHub
    deliveries: DeliveryWorker
    _locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    def lock(self, conversation_id: str) -> asyncio.Lock:
        """Return the lock that keeps one conversation's events in order.

        python-socketio runs each event in its own task, so without this two quick messages could
        reach Rasa, or be stored, out of order.
        """
        lock = self._locks.get(conversation_id)
        if lock is None:
            lock = self._locks[conversation_id] = asyncio.Lock()
        return lock

    def forget_lock(self, conversation_id: str) -> None:
        """Drop a conversation's lock when nothing holds or waits for it, so the table stays small."""
        lock = self._locks.get(conversation_id)
        if lock is not None and not lock.locked():
            del self._locks[conversation_id]


@dataclass
class Outbox:
    """Events to send to residents once the database transaction has committed."""

    events: list[tuple[str, str, Any]] = field(default_factory=list)

    def add(self, conversation_id: str, event: str, data: Any) -> None:
        """Queue one event for a conversation's sockets."""
        self.events.append((conversation_id, event, data))

    def system_message(
        self,
        session: Session,
        conversation: Conversation,
        text: str,
        buttons: Optional[list[dict[str, str]]] = None,
        custom: Optional[dict[str, Any]] = None,
    ) -> None:
        """Store a system message and queue it for the resident."""
        message = add_message(session, conversation, "system", text, buttons=buttons, custom=custom)
        if buttons:
            record_offered_buttons(conversation, buttons)
        self.add(conversation.id, "message", resident_view(message))

    async def send(self, gateway: Gateway) -> None:
        """Emit the queued events in order."""
        for conversation_id, event, data in self.events:
            await gateway.hub.emit(conversation_id, event, data)
        self.events.clear()
