"""Tickets, figures and deliveries pages."""

from __future__ import annotations

import logging

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json, redirect
from sqlalchemy import select, update

from gateway.clock import utcnow
from gateway.desk.render import render
from gateway.desk.security import agent_required, forbidden, gateway_of, wants_json
from gateway.figures import compute_figures
from gateway.models import Conversation, Delivery, Ticket
from gateway.transcripts import build_transcript, ticket_record

logger = logging.getLogger(__name__)

blueprint = Blueprint("desk_admin", url_prefix="/desk")

PERIODS = {"7": 7, "30": 30, "all": None}
DELIVERIES_SHOWN = 200


@blueprint.get("/tickets")
@agent_required()
async def tickets(request: Request) -> HTTPResponse:
    """List messages left out of hours, open ones first."""
    with gateway_of(request).database.session() as session:
        rows = [
            ticket_record(t)
            | {"conversation_id": t.conversation_id}
            for t in session.execute(select(Ticket).order_by(Ticket.status.desc(), Ticket.created_at.desc())).scalars()
        ]
    if wants_json(request):
        return json({"tickets": rows})
    return render(request, "tickets.html", {"title": "Messages left", "tickets": rows})


@blueprint.get("/tickets/<ticket_id:int>")
@agent_required()
async def ticket(request: Request, ticket_id: int) -> HTTPResponse:
    """Show a ticket's contact details, message and transcript."""
    with gateway_of(request).database.session() as session:
        found = session.get(Ticket, ticket_id)
        if found is None:
            return forbidden(request, "That message was not found.", status=404)
        record = ticket_record(found)
        transcript = build_transcript(session, session.get(Conversation, found.conversation_id))
    if wants_json(request):
        return json({"ticket": record, "transcript": transcript})
    return render(request, "ticket.html", {"title": "Message left", "ticket": record, "transcript": transcript})


@blueprint.post("/tickets/<ticket_id:int>/done")
@agent_required()
async def ticket_done(request: Request, ticket_id: int) -> HTTPResponse:
    """Mark a ticket as dealt with."""
    agent = request.ctx.agent
    with gateway_of(request).database.session() as session:
        session.execute(
            update(Ticket)
            .where(Ticket.id == ticket_id, Ticket.status == "open")
            .values(status="done", done_at=utcnow(), done_by=agent.id)
        )
    logger.info("ticket marked done", extra={"ticket_id": ticket_id, "agent_id": agent.id})
    return redirect("/desk/tickets/%d" % ticket_id, status=303)


@blueprint.get("/figures")
@agent_required(manager=True)
async def figures(request: Request) -> HTTPResponse:
    """Show counts for managers over the last 7 or 30 days, or all time."""
    period = request.args.get("period", "30")
    days = PERIODS.get(period, 30)
    with gateway_of(request).database.session() as session:
        counts = compute_figures(session, days)
    if wants_json(request):
        return json(counts)
    return render(request, "figures.html", {"title": "Figures", "figures": counts, "period": period})


@blueprint.get("/deliveries")
@agent_required()
async def deliveries(request: Request) -> HTTPResponse:
    """List recent webhook and email deliveries with their status and last error."""
    with gateway_of(request).database.session() as session:
        rows = [
            {
                "id": d.id,
                "channel": d.channel,
                "event": d.event,
                "conversation_id": d.conversation_id,
                "status": d.status,
                "attempts": d.attempts,
                "last_error": d.last_error,
                "created_at": d.created_at,
                "next_attempt_at": d.next_attempt_at if d.status == "pending" else None,
            }
            for d in session.execute(select(Delivery).order_by(Delivery.id.desc()).limit(DELIVERIES_SHOWN)).scalars()
        ]
    if wants_json(request):
        for row in rows:
            row["created_at"] = row["created_at"].isoformat()
            row["next_attempt_at"] = row["next_attempt_at"].isoformat() if row["next_attempt_at"] else None
        return json({"deliveries": rows})
    return render(request, "deliveries.html", {"title": "Deliveries", "deliveries": rows})
