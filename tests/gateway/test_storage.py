"""Storage: the same checks on SQLite and on PostgreSQL, plus a gateway restart on PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import uuid
from typing import Any, Iterator

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import OperationalError

from gateway import accounts, handoffs
from gateway.clock import utcnow
from gateway.conversations import add_message, create_conversation, find_resumable, history_for_resident
from gateway.db import Database
from gateway.delivery import enqueue
from gateway.feedback import store_feedback
from gateway.figures import compute_figures
from gateway.models import HANDOFF_CLOSED, HANDOFF_HANDED_BACK, STATE_BOT, STATE_CLOSED, Delivery
from gateway.tickets import check_ticket_form, create_ticket, open_offer
from gateway.validation import ValidationError
from tests.fixtures.gateway_stack import build_gateway_stack
from tests.gateway.gateway_clients import Agent, Resident

pytestmark = pytest.mark.timeout(300)

POSTGRES_URL = os.environ.get("GATEWAY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
PASSWORD = "correct horse battery staple"


def postgres_schema() -> Iterator[str]:
    """Create a uniquely named schema, yield its name, and drop it afterwards; skip if unreachable."""
    schema = "gateway_test_%s" % uuid.uuid4().hex[:12]
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.begin() as connection:
            connection.execute(text('CREATE SCHEMA "%s"' % schema))
    except OperationalError as error:
        engine.dispose()
        pytest.skip("PostgreSQL at %s is not reachable: %s" % (POSTGRES_URL, str(error).splitlines()[0]))
    try:
        yield schema
    finally:
        with engine.begin() as connection:
            connection.execute(text('DROP SCHEMA "%s" CASCADE' % schema))
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Database]:
    """A fresh database with the gateway's tables, on SQLite or in a throwaway PostgreSQL schema."""
    if request.param == "sqlite":
        db = Database("sqlite:///%s" % (tmp_path / "storage.db"))
        db.create_tables()
        yield db
        db.dispose()
        return
    for schema in postgres_schema():
        db = Database(POSTGRES_URL, connect_args={"options": "-csearch_path=%s" % schema})
        db.create_tables()
        try:
            yield db
        finally:
            db.dispose()


def make_agent(db: Database, username: str) -> Any:
    with db.session() as session:
        return accounts.create_agent(session, username, PASSWORD, username.title(), "Customer adviser")


def test_conversation_round_trip(database: Database) -> None:
    with database.session() as session:
        conversation, token = create_conversation(session)
        add_message(session, conversation, "resident", "Hello")
        add_message(session, conversation, "bot", "Hi", buttons=[{"title": "Bins", "payload": "/bins"}])
        add_message(session, conversation, "resident", None, kind="rejected", length=2500)
        conversation_id = conversation.id
    with database.session() as session:
        found = find_resumable(session, token, idle_hours=24)
        assert found is not None and found.id == conversation_id
        assert find_resumable(session, "someone-elses-token", idle_hours=24) is None
        history = history_for_resident(session, conversation_id)
        assert [m["text"] for m in history] == ["Hello", "Hi"]
        assert history[1]["buttons"] == [{"title": "Bins", "payload": "/bins"}]


def test_idle_bot_conversation_not_resumed(database: Database) -> None:
    with database.session() as session:
        conversation, token = create_conversation(session)
        conversation.last_activity_at = utcnow() - dt.timedelta(hours=30)
    with database.session() as session:
        assert find_resumable(session, token, idle_hours=24) is None
    with database.session() as session:
        conversation = find_resumable(session, token, idle_hours=48)
        handoffs.start_handoff(session, conversation, reason="fallback", urgent=False, service_key=None, in_hours=True)
        conversation.last_activity_at = utcnow() - dt.timedelta(days=5)
    with database.session() as session:
        assert find_resumable(session, token, idle_hours=24) is not None


def test_claim_race_one_winner(database: Database) -> None:
    sam, alex = make_agent(database, "sam"), make_agent(database, "alex")
    with database.session() as session:
        conversation, _ = create_conversation(session)
        handoff = handoffs.start_handoff(
            session, conversation, reason="resident_request", urgent=False, service_key="bins", in_hours=True
        )
        handoff_id = handoff.id
    first, second = database._sessions(), database._sessions()
    try:
        won_first = handoffs.claim(first, handoff_id, sam)
        first.commit()
        won_second = handoffs.claim(second, handoff_id, alex)
        second.commit()
    finally:
        first.close()
        second.close()
    assert (won_first, won_second) == (True, False)
    with database.session() as session:
        handoff = handoffs.open_handoff(session, conversation.id)
        assert handoff.agent_id == sam.id
        assert handoff.conversation.state == "with_agent"
        assert handoffs.take_over(session, handoff.id, alex) == sam.id
    with database.session() as session:
        handoff = handoffs.open_handoff(session, conversation.id)
        assert handoff.agent_id == alex.id
        assert not handoffs.end_by_agent(session, handoff, sam, HANDOFF_HANDED_BACK, STATE_BOT)
        assert handoffs.end_by_agent(session, handoff, alex, HANDOFF_CLOSED, STATE_CLOSED)


def test_queue_order_and_estimate(database: Database) -> None:
    with database.session() as session:
        ids = []
        for urgent in (False, False, True):
            conversation, _ = create_conversation(session)
            handoff = handoffs.start_handoff(
                session, conversation, reason="fallback", urgent=urgent, service_key=None, in_hours=True
            )
            ids.append(handoff.id)
    with database.session() as session:
        order = [h.id for h in handoffs.queued_handoffs(session)]
        assert order == [ids[2], ids[0], ids[1]]
        assert handoffs.estimate_wait_minutes(session, 2, sample_size=20, default_minutes=8) == 16
        overdue = handoffs.overdue_queued(session, timeout_minutes=30)
        assert overdue == []


def test_ticket_feedback_and_figures(database: Database) -> None:
    agent = make_agent(database, "sam")
    with database.session() as session:
        conversation, _ = create_conversation(session)
        add_message(session, conversation, "resident", "I need help")
        offer = handoffs.start_handoff(
            session, conversation, reason="resident_request", urgent=False, service_key=None, in_hours=False
        )
        fields = check_ticket_form(
            {"name": "Jo", "phone": "01743 252000", "message": "Call me", "consent": True}, 2000
        )
        create_ticket(session, conversation, offer, fields, "I agree.")
        assert open_offer(session, conversation.id) is None
        with pytest.raises(ValidationError):
            store_feedback(session, conversation.id, {"rating": 5})

        other, _ = create_conversation(session)
        add_message(session, other, "resident", "Bins?")
        handoff = handoffs.start_handoff(
            session, other, reason="fallback", urgent=True, service_key="bins", in_hours=True
        )
        assert handoffs.claim(session, handoff.id, agent)
        session.refresh(handoff)
        assert handoffs.end_by_agent(session, handoff, agent, HANDOFF_CLOSED, STATE_CLOSED)
        store_feedback(session, other.id, {"rating": "up", "comment": "Thanks"})
        with pytest.raises(ValidationError):
            store_feedback(session, other.id, {"rating": 4})

        contained, _ = create_conversation(session)
        add_message(session, contained, "resident", "Opening times?")
        create_conversation(session)
    with database.session() as session:
        figures = compute_figures(session, days=30)
    assert figures["conversations"] == 3
    assert figures["conversations_with_handoff"] == 2
    assert figures["containment"] == pytest.approx(1 / 3)
    assert figures["handoffs"] == 2
    assert figures["urgent_handoffs"] == 1
    assert figures["feedback"] == {"up": 1}
    assert figures["tickets"] == {"open": 1}


def test_sign_in_limits_and_sessions(database: Database) -> None:
    make_agent(database, "sam")
    limits = accounts.SignInLimits(per_username=3, per_address=10, window=dt.timedelta(minutes=15))
    with database.session() as session:
        for _ in range(3):
            result, _ = accounts.sign_in(session, "sam", "wrong", "127.0.0.1", limits)
            assert result is accounts.SignInResult.INVALID
        result, _ = accounts.sign_in(session, "sam", PASSWORD, "127.0.0.1", limits)
        assert result is accounts.SignInResult.RATE_LIMITED
        result, agent = accounts.sign_in(session, "SAM", PASSWORD, "127.0.0.2", accounts.SignInLimits(5, 10, limits.window))
        assert result is accounts.SignInResult.OK
        token, _ = accounts.start_session(session, agent)
    with database.session() as session:
        assert accounts.load_session(session, token, dt.timedelta(hours=8)) is not None
        assert accounts.load_session(session, token + "x", dt.timedelta(hours=8)) is None
    with database.session() as session:
        assert accounts.load_session(session, token, dt.timedelta(seconds=-1)) is None
    with database.session() as session:
        assert accounts.load_session(session, token, dt.timedelta(hours=8)) is None


def test_deliveries_persist(database: Database) -> None:
    from gateway.config import load_settings
    from dataclasses import replace

    settings = load_settings({})
    settings = replace(settings, webhook=replace(settings.webhook, enabled=True), email=replace(settings.email, enabled=True))
    with database.session() as session:
        conversation, _ = create_conversation(session)
        created = enqueue(session, settings, "handoff", conversation.id, {"event": "handoff", "transcript": {}})
        assert sorted(d.channel for d in created) == ["email", "webhook"]
    with database.session() as session:
        rows = list(session.execute(select(Delivery).order_by(Delivery.id)).scalars())
        assert [row.status for row in rows] == ["pending", "pending"]
        assert rows[0].payload["delivery_id"] == rows[0].id


def test_gateway_restart_on_postgresql(rasa_stack: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    for schema in postgres_schema():
        url = "%s?options=-csearch_path%%3D%s" % (POSTGRES_URL, schema)
        stack = build_gateway_stack(rasa_stack, {"config": {}, "env": {}}, tmp_path_factory.mktemp("pg_gateway"), url)
        stack.start()
        try:
            stack.create_agent("sam", PASSWORD, "Sam", "Customer adviser")

            async def ask() -> tuple[str, str]:
                resident = Resident(stack.base_url)
                try:
                    await resident.connect()
                    state = await resident.ask_for_person()
                    assert state["state"] == "queued"
                finally:
                    await resident.disconnect()
                return resident.session_token, resident.conversation_id

            token, conversation_id = asyncio.run(ask())
            stack.restart()

            async def resume() -> None:
                resident = Resident(stack.base_url)
                agent = Agent(stack.base_url)
                try:
                    confirm = await resident.connect(token)
                    assert confirm["state"] == "queued"
                    assert confirm["conversation_id"] == conversation_id
                    status, _ = await agent.sign_in("sam", PASSWORD)
                    assert status == 200
                    mark = resident.mark()
                    status, _ = await agent.conversation_action(conversation_id, "claim")
                    assert status == 200
                    await resident.wait_for("handoff_state", lambda d: d["state"] == "with_agent", since=mark)
                finally:
                    await resident.disconnect()
                    await agent.close()

            asyncio.run(resume())
        finally:
            stack.stop()
