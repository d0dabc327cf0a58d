"""End to end: cancelling, claim races, take-over, reconnects, restarts and message limits."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.gateway.gateway_clients import Agent, Resident

pytestmark = pytest.mark.timeout(300)

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def agents(gateway_stack: Any) -> None:
    """Create two advisers for this module."""
    gateway_stack.create_agent("sam", PASSWORD, "Sam", "Customer adviser")
    gateway_stack.create_agent("alex", PASSWORD, "Alex", "Senior adviser")


async def signed_in(base_url: str, username: str) -> Agent:
    """Return an agent client that has signed in."""
    agent = Agent(base_url)
    status, _ = await agent.sign_in(username, PASSWORD)
    assert status == 200
    return agent


def test_cancel_while_queued(gateway_stack: Any, agents: None) -> None:
    async def scenario() -> None:
        resident = Resident(gateway_stack.base_url)
        agent = await signed_in(gateway_stack.base_url, "sam")
        try:
            await resident.connect()
            state = await resident.ask_for_person()
            assert state["state"] == "queued"

            mark = await resident.emit("cancel_handoff", {})
            await resident.wait_for("handoff_state", lambda d: d["state"] == "bot", since=mark)
            _, queue = await agent.get_json("/desk/queue.json")
            assert resident.conversation_id not in [row["conversation_id"] for row in queue["waiting"]]

            status, _ = await agent.conversation_action(resident.conversation_id, "claim")
            assert status == 409

            mark = await resident.say("Hello")
            reply = await resident.wait_for("message", lambda d: d["sender"] == "bot", since=mark)
            assert reply["text"]

            mark = await resident.emit("cancel_handoff", {})
            error = await resident.wait_for("error", since=mark)
            assert error["code"] == "not_queued"
        finally:
            await resident.disconnect()
            await agent.close()

    asyncio.run(scenario())


def test_two_agents_claim_one_wins(gateway_stack: Any, agents: None) -> None:
    async def scenario() -> None:
        resident = Resident(gateway_stack.base_url)
        sam = await signed_in(gateway_stack.base_url, "sam")
        alex = await signed_in(gateway_stack.base_url, "alex")
        try:
            await resident.connect()
            await resident.ask_for_person()
            await sam.get("/desk/queue")
            await alex.get("/desk/queue")
            results = await asyncio.gather(
                sam.conversation_action(resident.conversation_id, "claim"),
                alex.conversation_action(resident.conversation_id, "claim"),
            )
            statuses = sorted(status for status, _ in results)
            assert statuses == [200, 409]
            await resident.wait_for("handoff_state", lambda d: d["state"] == "with_agent")
            await asyncio.sleep(0.2)
            states = [d for e, d in resident.events if e == "handoff_state" and d["state"] == "with_agent"]
            assert len(states) == 1
        finally:
            await resident.disconnect()
            await sam.close()
            await alex.close()

    asyncio.run(scenario())


def test_other_agent_needs_take_over(gateway_stack: Any, agents: None) -> None:
    async def scenario() -> None:
        resident = Resident(gateway_stack.base_url)
        sam = await signed_in(gateway_stack.base_url, "sam")
        alex = await signed_in(gateway_stack.base_url, "alex")
        try:
            await resident.connect()
            await resident.ask_for_person()
            conversation_id = resident.conversation_id
            await sam.get("/desk/queue")
            status, _ = await sam.conversation_action(conversation_id, "claim")
            assert status == 200
            await sam.conversation_action(conversation_id, "reply", text="Sam here, private detail")

            await alex.get("/desk/queue")
            status, page = await alex.get("/desk/conversations/%s" % conversation_id)
            assert status == 403
            assert "private detail" not in page
            assert "Take over from Sam" in page
            status, body = await alex.transcript(conversation_id)
            assert status == 403
            assert "private detail" not in body
            status, _ = await alex.get_json("/desk/conversations/%s/updates?after=0" % conversation_id)
            assert status == 403
            status, _ = await alex.conversation_action(conversation_id, "reply", text="Alex here")
            assert status == 409

            mark = resident.mark()
            status, page = await alex.conversation_action(conversation_id, "take-over")
            assert status == 200
            assert "private detail" in page
            state = await resident.wait_for("handoff_state", lambda d: d["state"] == "with_agent", since=mark)
            assert state["agent"] == {"first_name": "Alex", "role": "Senior adviser"}
            status, _ = await sam.conversation_action(conversation_id, "reply", text="Sam again")
            assert status == 409
            status, _ = await alex.conversation_action(conversation_id, "reply", text="Alex here")
            assert status == 200

            engine = create_engine(gateway_stack.database_url)
            with engine.connect() as connection:
                rows = connection.execute(
                    text("SELECT action, conversation_id FROM audit_events WHERE conversation_id = :id"),
                    {"id": conversation_id},
                ).all()
            engine.dispose()
            assert [tuple(row) for row in rows] == [("take_over", conversation_id)]
            await alex.conversation_action(conversation_id, "close")
        finally:
            await resident.disconnect()
            await sam.close()
            await alex.close()

    asyncio.run(scenario())


def test_reconnect_and_restart_keep_queue(gateway_stack: Any, agents: None) -> None:
    async def scenario() -> tuple[str, str]:
        resident = Resident(gateway_stack.base_url)
        try:
            await resident.connect()
            state = await resident.ask_for_person()
            assert state["state"] == "queued"
            await resident.say("Still there?")
            await asyncio.sleep(0.2)
        finally:
            await resident.disconnect()
        return resident.session_token, resident.conversation_id

    token, conversation_id = asyncio.run(scenario())
    gateway_stack.restart()

    async def after_restart() -> None:
        resident = Resident(gateway_stack.base_url)
        stranger = Resident(gateway_stack.base_url)
        agent = await signed_in(gateway_stack.base_url, "sam")
        try:
            confirm = await resident.connect(token)
            assert confirm["conversation_id"] == conversation_id
            assert confirm["state"] == "queued"
            history = await resident.wait_for("history")
            texts = [m["text"] for m in history["messages"]]
            assert "I want to talk to a real person" in texts
            assert "Still there?" in texts
            state = await resident.wait_for("handoff_state")
            assert state["state"] == "queued"

            confirm = await stranger.connect("not-a-real-token")
            assert confirm["conversation_id"] != conversation_id
            assert confirm["session_token"] != token

            _, queue = await agent.get_json("/desk/queue.json")
            row = [r for r in queue["waiting"] if r["conversation_id"] == conversation_id]
            assert row and row[0]["connected"] is True

            mark = await resident.say("restart")
            await asyncio.sleep(0.3)
            assert resident.messages(mark, sender="bot") == []
            _, queue = await agent.get_json("/desk/queue.json")
            assert conversation_id in [r["conversation_id"] for r in queue["waiting"]]
            await agent.conversation_action(conversation_id, "claim")
            await agent.conversation_action(conversation_id, "close")
        finally:
            await resident.disconnect()
            await stranger.disconnect()
            await agent.close()

    asyncio.run(after_restart())


def test_message_limits(gateway_stack: Any, agents: None) -> None:
    async def scenario() -> None:
        resident = Resident(gateway_stack.base_url)
        agent = await signed_in(gateway_stack.base_url, "sam")
        try:
            await resident.connect()
            mark = await resident.say("   ")
            error = await resident.wait_for("error", since=mark)
            assert error["code"] == "empty_message"

            mark = await resident.say("/")
            error = await resident.wait_for("error", since=mark)
            assert error["code"] == "empty_message"

            long_text = "x" * 2001
            mark = await resident.say(long_text)
            error = await resident.wait_for("error", since=mark)
            assert error["code"] == "message_too_long"
            assert "2,000" in error["message"]

            mark = await resident.say("y" * 2000)
            await resident.wait_for("message", lambda d: d["sender"] in ("bot", "system"), since=mark)

            _, transcript = await agent.transcript(resident.conversation_id)
            rejected = [m for m in transcript["messages"] if m["kind"] == "rejected"]
            assert len(rejected) == 1
            assert rejected[0]["length"] == 2001
            assert rejected[0]["text"] is None
            assert all(m["text"] != "   " for m in transcript["messages"])
        finally:
            await resident.disconnect()
            await agent.close()

    asyncio.run(scenario())


def test_logs_hold_no_message_text(gateway_stack: Any, agents: None) -> None:
    log = gateway_stack.log_path.read_text(encoding="utf-8")
    assert "I want to talk to a real person" not in log
    assert "private detail" not in log
    assert "Still there?" not in log
    records = gateway_stack.log_records()
    assert any(record.get("conversation_id") for record in records)
