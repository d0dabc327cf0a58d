"""One conversation on the desk: transcript, claim, take-over, replies, notes, hand back, close, export."""

from __future__ import annotations

import json as jsonlib
import logging
from typing import Any, Optional

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json, redirect, text

from gateway import handoffs
from gateway.clock import utcnow
from gateway.conversations import add_message, resident_view
from gateway.desk.access import ConversationAccess, access_for
from gateway.desk.render import render, render_text
from gateway.desk.security import agent_required, forbidden, gateway_of, wants_json
from gateway.handoff_flow import notify_claimed, notify_ended
from gateway.models import (
    HANDOFF_CLOSED,
    HANDOFF_HANDED_BACK,
    STATE_BOT,
    STATE_CLOSED,
    AuditEvent,
    Note,
)
from gateway.transcripts import build_transcript, transcript_text
from gateway.validation import ValidationError, check_message_text

logger = logging.getLogger(__name__)

blueprint = Blueprint("desk_conversation", url_prefix="/desk/conversations")

MAX_NOTE_CHARS = 4000


def _page_url(conversation_id: str) -> str:
    return "/desk/conversations/%s" % conversation_id


def _done(request: Request, conversation_id: str, **result: Any) -> HTTPResponse:
    if wants_json(request):
        return json({"ok": True, **result})
    return redirect(_page_url(conversation_id), status=303)


def _not_found(request: Request) -> HTTPResponse:
    return forbidden(request, "That conversation was not found.", status=404)


def _blocked_page(request: Request, access: ConversationAccess) -> HTTPResponse:
    return render(
        request,
        "takeover.html",
        {
            "title": "Held by another agent",
            "conversation_id": access.conversation.id,
            "holder": access.holder.first_name if access.holder else "",
        },
        status=403,
    )


def _transcript_context(request: Request, conversation_id: str) -> Optional[dict[str, Any]]:
    gateway = gateway_of(request)
    agent = request.ctx.agent
    with gateway.database.session() as session:
        access = access_for(session, conversation_id, agent)
        if access is None:
            return None
        if access.blocked:
            return {"access": access}
        transcript = build_transcript(session, access.conversation, include_notes=True)
        return {
            "access": access,
            "transcript": transcript,
            "mine": access.is_mine(agent),
            "handoff": access.handoff,
            "latest": access.latest,
            "connected": gateway.hub.is_connected(conversation_id),
        }


@blueprint.get("/<conversation_id:str>")
@agent_required()
async def show(request: Request, conversation_id: str) -> HTTPResponse:
    """Show the transcript with the actions open to this agent."""
    context = _transcript_context(request, conversation_id)
    if context is None:
        return _not_found(request)
    if context["access"].blocked:
        return _blocked_page(request, context["access"])
    messages = context["transcript"]["messages"]
    return render(
        request,
        "conversation.html",
        {
            "title": "Conversation",
            "conversation_id": conversation_id,
            "last_id": messages[-1]["id"] if messages else 0,
            **context,
        },
    )


@blueprint.get("/<conversation_id:str>/updates")
@agent_required()
async def updates(request: Request, conversation_id: str) -> HTTPResponse:
    """Return messages newer than ``after`` as HTML list items, plus the conversation state."""
    try:
        after = int(request.args.get("after", "0"))
    except ValueError:
        after = 0
    context = _transcript_context(request, conversation_id)
    if context is None:
        return json({"error": "That conversation was not found."}, status=404)
    if context["access"].blocked:
        return json({"error": "Another agent holds this conversation.", "blocked": True}, status=403)
    new = [m for m in context["transcript"]["messages"] if m["id"] > after]
    body = render_text("_messages.html", {"messages": new})
    return json(
        {
            "html": body,
            "last_id": new[-1]["id"] if new else after,
            "state": context["access"].conversation.state,
            "connected": context["connected"],
            "mine": context["mine"],
        }
    )


@blueprint.post("/<conversation_id:str>/claim")
@agent_required()
async def claim(request: Request, conversation_id: str) -> HTTPResponse:
    """Claim a queued conversation; only the first agent to claim it wins."""
    gateway = gateway_of(request)
    agent = request.ctx.agent
    async with gateway.lock(conversation_id):
        with gateway.database.session() as session:
            handoff = handoffs.open_handoff(session, conversation_id)
            won = handoff is not None and handoffs.claim(session, handoff.id, agent)
        if not won:
            return forbidden(request, "Another agent has already claimed this conversation, or it left the queue.", status=409)
        logger.info("conversation claimed", extra={"conversation_id": conversation_id, "agent_id": agent.id})
        await notify_claimed(gateway, conversation_id, agent)
    return _done(request, conversation_id)


@blueprint.post("/<conversation_id:str>/take-over")
@agent_required()
async def take_over(request: Request, conversation_id: str) -> HTTPResponse:
    """Move a conversation from the agent handling it to this agent, with an audit record."""
    gateway = gateway_of(request)
    agent = request.ctx.agent
    async with gateway.lock(conversation_id):
        with gateway.database.session() as session:
            handoff = handoffs.open_handoff(session, conversation_id)
            previous = handoffs.take_over(session, handoff.id, agent) if handoff is not None else None
            if previous is not None:
                session.add(
                    AuditEvent(
                        agent_id=agent.id,
                        action="take_over",
                        conversation_id=conversation_id,
                        detail={"from_agent_id": previous, "handoff_id": handoff.id},
                        created_at=utcnow(),
                    )
                )
        if previous is None:
            return forbidden(request, "This conversation is not held by another agent any more.", status=409)
        logger.warning(
            "conversation taken over",
            extra={"conversation_id": conversation_id, "agent_id": agent.id, "status": "from_agent_%d" % previous},
        )
        await notify_claimed(gateway, conversation_id, agent, taken_over=True)
    return _done(request, conversation_id)


@blueprint.post("/<conversation_id:str>/reply")
@agent_required()
async def reply(request: Request, conversation_id: str) -> HTTPResponse:
    """Send the agent's reply to the resident."""
    gateway = gateway_of(request)
    agent = request.ctx.agent
    form = request.form or {}
    try:
        body = check_message_text(form.get("text"), gateway.settings.max_message_chars)
    except ValidationError as error:
        return forbidden(request, error.message, status=400)
    async with gateway.lock(conversation_id):
        with gateway.database.session() as session:
            access = access_for(session, conversation_id, agent)
            if access is None or not access.is_mine(agent):
                event = None
            else:
                message = add_message(session, access.conversation, "agent", body, agent=agent)
                access.handoff.last_agent_reply_at = message.created_at
                event = resident_view(message)
        if event is None:
            return forbidden(request, "You can only reply to a conversation you have claimed.", status=409)
        await gateway.hub.emit(conversation_id, "message", event)
    return _done(request, conversation_id, message_id=event["id"])


@blueprint.post("/<conversation_id:str>/notes")
@agent_required()
async def add_note(request: Request, conversation_id: str) -> HTTPResponse:
    """Add an internal note; residents never see notes."""
    gateway = gateway_of(request)
    agent = request.ctx.agent
    note = ((request.form or {}).get("text") or "").strip()
    if not note or len(note) > MAX_NOTE_CHARS:
        return forbidden(request, "A note must have between 1 and 4,000 characters.", status=400)
    with gateway.database.session() as session:
        access = access_for(session, conversation_id, agent)
        if access is None:
            return _not_found(request)
        if access.blocked:
            return _blocked_page(request, access)
        session.add(Note(conversation_id=conversation_id, agent_id=agent.id, text=note, created_at=utcnow()))
    return _done(request, conversation_id)


async def _end(request: Request, conversation_id: str, closed: bool) -> HTTPResponse:
    gateway = gateway_of(request)
    agent = request.ctx.agent
    async with gateway.lock(conversation_id):
        with gateway.database.session() as session:
            access = access_for(session, conversation_id, agent)
            ended = (
                access is not None
                and access.is_mine(agent)
                and handoffs.end_by_agent(
                    session,
                    access.handoff,
                    agent,
                    HANDOFF_CLOSED if closed else HANDOFF_HANDED_BACK,
                    STATE_CLOSED if closed else STATE_BOT,
                )
            )
        if not ended:
            return forbidden(request, "You can only end a conversation you have claimed.", status=409)
        logger.info(
            "conversation closed by agent" if closed else "conversation handed back to the bot",
            extra={"conversation_id": conversation_id, "agent_id": agent.id},
        )
        await notify_ended(gateway, conversation_id, closed)
    return _done(request, conversation_id)


@blueprint.post("/<conversation_id:str>/hand-back")
@agent_required()
async def hand_back(request: Request, conversation_id: str) -> HTTPResponse:
    """Give the conversation back to the bot."""
    return await _end(request, conversation_id, closed=False)


@blueprint.post("/<conversation_id:str>/close")
@agent_required()
async def close(request: Request, conversation_id: str) -> HTTPResponse:
    """Close the conversation and ask the resident for feedback."""
    return await _end(request, conversation_id, closed=True)


@blueprint.get("/<conversation_id:str>/export.json")
@agent_required()
async def export_json(request: Request, conversation_id: str) -> HTTPResponse:
    """Download the transcript with notes as JSON."""
    context = _transcript_context(request, conversation_id)
    if context is None:
        return _not_found(request)
    if context["access"].blocked:
        return _blocked_page(request, context["access"])
    return text(
        jsonlib.dumps(context["transcript"], indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="conversation-%s.json"' % conversation_id},
    )


@blueprint.get("/<conversation_id:str>/export.txt")
@agent_required()
async def export_text(request: Request, conversation_id: str) -> HTTPResponse:
    """Download the transcript with notes as plain text."""
    context = _transcript_context(request, conversation_id)
    if context is None:
        return _not_found(request)
    if context["access"].blocked:
        return _blocked_page(request, context["access"])
    return text(
        transcript_text(context["transcript"]),
        content_type="text/plain; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="conversation-%s.txt"' % conversation_id},
    )
