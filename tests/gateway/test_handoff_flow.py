"""End to end: a resident requests a person, and an agent claims, replies, hands back and closes.

Runs the real Rasa server, action server and gateway on loopback.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

from tests.gateway.gateway_clients import Agent, Resident, poll

pytestmark = pytest.mark.timeout(300)

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def agents(gateway_stack: Any) -> dict[str, str]:
    """Create two advisers for this module."""
    gateway_stack.create_agent("sam", PASSWORD, "Sam", "Customer adviser")
    gateway_stack.create_agent("alex", PASSWORD, "Alex", "Senior adviser")
    return {"sam": PASSWORD, "alex": PASSWORD}


def run(coroutine: Any) -> Any:
    """Run one test scenario on a fresh event loop."""
    return asyncio.run(coroutine)


def test_full_handoff_round_trip(gateway_stack: Any, agents: dict[str, str]) -> None:
    async def scenario() -> None:
        resident = Resident(gateway_stack.base_url)
        agent = Agent(gateway_stack.base_url)
        try:
            confirm = await resident.connect()
            assert confirm["state"] == "bot"
            conversation_id = confirm["conversation_id"]

            mark = resident.mark()
            state = await resident.ask_for_person()
            assert state["state"] == "queued"
            assert state["queue_position"] >= 1
            assert state["estimated_wait_minutes"] >= 1
            bot_texts = [m["text"] for m in resident.messages(mark, sender="bot")]
            assert bot_texts, "the bot's reply to the handoff request was not delivered"
            system_texts = [m["text"] for m in resident.messages(mark, sender="system")]
            assert any("joining the queue" in text for text in system_texts)

            # While queued, the resident's messages are kept for the agent and Rasa stays silent.
            mark = await resident.say("My bin was not collected on Tuesday")
            await asyncio.sleep(0.3)
            assert resident.messages(mark, sender="bot") == []

            status, _ = await agent.sign_in("sam", PASSWORD)
            assert status == 200
            status, page = await agent.get("/desk/queue")
            assert status == 200
            assert conversation_id in page
            assert "Connected" in page

            status, queue = await agent.get_json("/desk/queue.json")
            assert status == 200
            waiting = [row for row in queue["waiting"] if row["conversation_id"] == conversation_id]
            assert waiting and waiting[0]["reason"] == "resident_request"
            assert waiting[0]["connected"] is True

            mark = resident.mark()
            status, _ = await agent.conversation_action(conversation_id, "claim")
            assert status == 200
            state = await resident.wait_for("handoff_state", lambda d: d["state"] == "with_agent", since=mark)
            assert state["agent"] == {"first_name": "Sam", "role": "Customer adviser"}

            status, transcript = await agent.transcript(conversation_id)
            assert status == 200
            senders = [m["sender"] for m in transcript["messages"]]
            assert senders[0] == "resident"
            assert "bot" in senders
            assert "system" in senders
            first = transcript["messages"][0]
            assert first["text"] == "I want to talk to a real person"
            assert first["intent"], "the intent Rasa saw was not recorded"
            assert first["confidence"] is not None
            assert any(m["text"] == "My bin was not collected on Tuesday" for m in transcript["messages"])
            assert transcript["handoffs"][0]["reason"] == "resident_request"
            assert transcript["handoffs"][0]["agent"] == "Sam"

            status, page = await agent.get("/desk/conversations/%s" % conversation_id)
            assert status == 200
            assert "My bin was not collected on Tuesday" in page
            assert "Intent the bot saw" in page

            mark = resident.mark()
            for text in ("Hello, I'm Sam.", "Let me check that for you.", "Your bin will be collected tomorrow."):
                status, _ = await agent.conversation_action(conversation_id, "reply", text=text)
                assert status == 200
            await poll(lambda: len(resident.messages(mark, sender="agent")) == 3)
            replies = resident.messages(mark, sender="agent")
            assert [m["text"] for m in replies] == [
                "Hello, I'm Sam.",
                "Let me check that for you.",
                "Your bin will be collected tomorrow.",
            ]
            assert replies[0]["agent"] == {"first_name": "Sam", "role": "Customer adviser"}

            # The bot stays silent while the agent handles the conversation, even for "restart".
            mark = await resident.say("Thank you")
            await resident.say("/restart")

            async def restart_stored() -> bool:
                _, transcript = await agent.transcript(conversation_id)
                return transcript["messages"][-1]["text"] == "/restart"

            await poll(restart_stored)
            # The gateway decides the route before storing returns, so a bot reply would already be on its way.
            await asyncio.sleep(0.3)
            assert resident.messages(mark, sender="bot") == []
            status, transcript = await agent.transcript(conversation_id)
            assert transcript["state"] == "with_agent"
            assert [m["text"] for m in transcript["messages"][-2:]] == ["Thank you", "/restart"]

            status, _ = await agent.conversation_action(conversation_id, "notes", text="Resident in Oswestry")
            assert status == 200
            mark = resident.mark()
            status, _ = await agent.conversation_action(conversation_id, "hand-back")
            assert status == 200
            await resident.wait_for("handoff_state", lambda d: d["state"] == "bot", since=mark)
            assert all("Oswestry" not in (m["text"] or "") for m in resident.messages())

            mark = await resident.say("When is my bin collected?")
            reply = await resident.wait_for("message", lambda d: d["sender"] == "bot", since=mark)
            assert reply["text"]

            state = await resident.ask_for_person()
            assert state["state"] == "queued"
            mark = resident.mark()
            status, _ = await agent.conversation_action(conversation_id, "claim")
            assert status == 200
            await resident.wait_for("handoff_state", lambda d: d["state"] == "with_agent", since=mark)
            status, _ = await agent.conversation_action(conversation_id, "close")
            assert status == 200
            await resident.wait_for("feedback_request", since=mark)
            closing = await resident.wait_for("message", lambda d: d["sender"] == "system" and "ended" in d["text"], since=mark)
            assert closing

            mark = await resident.emit("feedback", {"rating": 5, "comment": "Quick and helpful"})
            await resident.wait_for("message", lambda d: d["sender"] == "system" and "feedback" in d["text"], since=mark)
            mark = await resident.emit("feedback", {"rating": 4})
            error = await resident.wait_for("error", since=mark)
            assert error["code"] == "feedback_already_given"
        finally:
            await resident.disconnect()
            await agent.close()

    run(scenario())
