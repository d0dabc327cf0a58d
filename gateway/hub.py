"""Registry of connected resident sockets, and event sending to them.

Each conversation is a socket.io room named by its id, so every tab a resident has open gets the
same events. Connection state lives in this process only, which is why the gateway runs one worker.
"""

from __future__ import annotations

import logging
from typing import Any, Optional

import socketio

logger = logging.getLogger(__name__)


class ResidentHub:
    """Tracks resident socket ids per conversation and emits events to them."""

    def __init__(self, sio: socketio.AsyncServer) -> None:
        """Wrap the socket.io server."""
        self.sio = sio
        self._conversation_by_sid: dict[str, str] = {}
        self._sids_by_conversation: dict[str, set[str]] = {}

    async def bind(self, sid: str, conversation_id: str) -> None:
        """Attach a socket to a conversation, leaving any conversation it was attached to."""
        previous = self._conversation_by_sid.get(sid)
        if previous == conversation_id:
            return
        if previous is not None:
            await self.sio.leave_room(sid, previous)
            self._forget(sid, previous)
        self._conversation_by_sid[sid] = conversation_id
        self._sids_by_conversation.setdefault(conversation_id, set()).add(sid)
        await self.sio.enter_room(sid, conversation_id)

    def unbind(self, sid: str) -> Optional[str]:
        """Forget a disconnected socket; returns its conversation id."""
        conversation_id = self._conversation_by_sid.pop(sid, None)
        if conversation_id is not None:
            self._forget(sid, conversation_id)
        return conversation_id

    def _forget(self, sid: str, conversation_id: str) -> None:
        sids = self._sids_by_conversation.get(conversation_id)
        if sids is not None:
            sids.discard(sid)
            if not sids:
                del self._sids_by_conversation[conversation_id]

    def conversation_of(self, sid: str) -> Optional[str]:
        """Return the conversation a socket is attached to."""
        return self._conversation_by_sid.get(sid)

    def is_connected(self, conversation_id: str) -> bool:
        """Return True when at least one socket of the conversation is connected."""
        return bool(self._sids_by_conversation.get(conversation_id))

    async def emit(self, conversation_id: str, event: str, data: Any) -> None:
        """Send an event to every socket of the conversation."""
        await self.sio.emit(event, data, room=conversation_id)

    async def emit_to(self, sid: str, event: str, data: Any) -> None:
        """Send an event to one socket."""
        await self.sio.emit(event, data, to=sid)
