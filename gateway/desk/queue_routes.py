"""The queue of waiting residents, as a page, an HTML fragment for live updates, and JSON."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json, redirect
from sqlalchemy import select

from gateway.clock import iso_utc, utcnow
from gateway.handoffs import queued_handoffs
from gateway.desk.render import render, render_text
from gateway.desk.security import agent_required, gateway_of
from gateway.models import HANDOFF_TIMED_OUT, HANDOFF_WITH_AGENT, Handoff
from gateway.runtime import Gateway

logger = logging.getLogger(__name__)

blueprint = Blueprint("desk_queue", url_prefix="/desk")

RECENT_TIMEOUTS = dt.timedelta(hours=24)


def queue_rows(gateway: Gateway) -> dict[str, Any]:
    """Return the waiting, held and recently timed-out conversations for the queue page."""
    now = utcnow()
    with gateway.database.session() as session:
        waiting = [
            {
                "conversation_id": h.conversation_id,
                "handoff_id": h.id,
                "reason": h.reason,
                "urgent": h.urgent,
                "service_key": h.service_key,
                "requested_at": iso_utc(h.requested_at),
                "wait_minutes": (now - h.requested_at).total_seconds() / 60,
                "connected": gateway.hub.is_connected(h.conversation_id),
            }
            for h in queued_handoffs(session)
        ]
        held = [
            {
                "conversation_id": h.conversation_id,
                "handoff_id": h.id,
                "reason": h.reason,
                "urgent": h.urgent,
                "service_key": h.service_key,
                "agent": h.agent.first_name if h.agent else "",
                "agent_id": h.agent_id,
                "connected": gateway.hub.is_connected(h.conversation_id),
            }
            for h in session.execute(
                select(Handoff).where(Handoff.status == HANDOFF_WITH_AGENT).order_by(Handoff.claimed_at)
            ).scalars()
        ]
        timed_out = [
            {"conversation_id": h.conversation_id, "reason": h.reason, "ended_at": iso_utc(h.ended_at), "ended": h.ended_at}
            for h in session.execute(
                select(Handoff)
                .where(Handoff.status == HANDOFF_TIMED_OUT, Handoff.ended_at >= now - RECENT_TIMEOUTS)
                .order_by(Handoff.ended_at.desc())
            ).scalars()
        ]
    return {"waiting": waiting, "held": held, "timed_out": timed_out}


@blueprint.get("/")
@agent_required()
async def home(request: Request) -> HTTPResponse:
    """Send agents to the queue."""
    return redirect("/desk/queue")


@blueprint.get("/queue")
@agent_required()
async def queue_page(request: Request) -> HTTPResponse:
    """Show waiting residents, urgent first and then oldest first."""
    return render(request, "queue.html", {"title": "Queue", **queue_rows(gateway_of(request))})


@blueprint.get("/queue/rows")
@agent_required()
async def queue_fragment(request: Request) -> HTTPResponse:
    """Return the queue's table rows as HTML, for the page's live update."""
    rows = queue_rows(gateway_of(request))
    body = render_text("_queue_rows.html", {"agent": request.ctx.agent, "csrf_token": request.ctx.csrf, **rows})
    return json({"html": body, "waiting": len(rows["waiting"])})


@blueprint.get("/queue.json")
@agent_required()
async def queue_json(request: Request) -> HTTPResponse:
    """Return the queue as JSON."""
    rows = queue_rows(gateway_of(request))
    for row in rows["timed_out"]:
        row.pop("ended")
    return json(rows)
