"""End to end: queue timeout, Rasa being down, and the webhook on a handoff."""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace
from typing import Any, Iterator

import pytest
from aiohttp import web

from tests.fixtures.gateway_stack import GatewayStack, build_gateway_stack, free_port
from tests.gateway.gateway_clients import Agent, Resident, poll

pytestmark = pytest.mark.timeout(300)

PASSWORD = "correct horse battery staple"
WEBHOOK_PORT = free_port()


@pytest.fixture(scope="module")
def gateway_settings() -> dict[str, Any]:
    """A queue timeout of 3 seconds, checked every 0.3 seconds, and the webhook on."""
    return {
        "config": {
            "handoff": {"queue_timeout_minutes": 0.05, "timeout_check_seconds": 0.3},
            "delivery": {
                "retry_base_seconds": 0.2,
                "poll_seconds": 0.2,
                "webhook": {"enabled": True, "url": "http://127.0.0.1:%d/hook" % WEBHOOK_PORT},
            },
        },
        "env": {"GATEWAY_WEBHOOK_SECRET": "another-secret"},
    }


@pytest.fixture(scope="module")
def dead_rasa_gateway(rasa_stack: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GatewayStack]:
    """A gateway whose Rasa address has nothing listening."""
    nowhere = SimpleNamespace(rasa_url="http://127.0.0.1:%d" % free_port(), token="unused")
    stack = build_gateway_stack(nowhere, {"config": {}, "env": {}}, tmp_path_factory.mktemp("dead_rasa"))
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()


def test_queue_timeout_tells_both_sides(gateway_stack: Any) -> None:
    gateway_stack.create_agent("sam", PASSWORD, "Sam", "Customer adviser")

    async def scenario() -> None:
        received: list[bytes] = []

        async def hook(request: web.Request) -> web.Response:
            received.append(await request.read())
            return web.Response(status=200)

        app = web.Application()
        app.router.add_post("/hook", hook)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", WEBHOOK_PORT).start()
        resident = Resident(gateway_stack.base_url)
        agent = Agent(gateway_stack.base_url)
        try:
            await resident.connect()
            mark = resident.mark()
            state = await resident.ask_for_person()
            assert state["state"] == "queued"

            await poll(lambda: received)
            payload = json.loads(received[0])
            assert payload["event"] == "handoff"
            assert payload["handoff"]["reason"] == "resident_request"

            await resident.wait_for("handoff_state", lambda d: d["state"] == "bot", since=mark, timeout=15)
            notice = await resident.wait_for(
                "message", lambda d: d["sender"] == "system" and "no adviser" in d["text"], since=mark
            )
            assert "0345 678 9000" in notice["text"]

            await agent.sign_in("sam", PASSWORD)
            _, queue = await agent.get_json("/desk/queue.json")
            assert resident.conversation_id not in [row["conversation_id"] for row in queue["waiting"]]
            assert resident.conversation_id in [row["conversation_id"] for row in queue["timed_out"]]
            status, _ = await agent.conversation_action(resident.conversation_id, "claim")
            assert status == 409
            _, transcript = await agent.transcript(resident.conversation_id)
            assert transcript["handoffs"][-1]["status"] == "timed_out"
        finally:
            await resident.disconnect()
            await agent.close()
            await runner.cleanup()

    asyncio.run(scenario())


def test_rasa_down_gives_contact_routes(dead_rasa_gateway: GatewayStack) -> None:
    async def scenario() -> None:
        resident = Resident(dead_rasa_gateway.base_url)
        try:
            await resident.connect()
            mark = await resident.say("When is my bin collected?")
            notice = await resident.wait_for("message", lambda d: d["sender"] == "system", since=mark)
            assert "0345 678 9000" in notice["text"]
            assert "customer.service@shropshire.gov.uk" in notice["text"]
            assert notice["buttons"][0]["title"] == "Talk to a person"

            mark = await resident.click("Talk to a person", notice["buttons"][0]["payload"])
            state = await resident.wait_for("handoff_state", since=mark)
            assert state["state"] == "queued"
        finally:
            await resident.disconnect()

    asyncio.run(scenario())
    records = dead_rasa_gateway.log_records()
    failures = [r for r in records if r["message"] == "Rasa request failed"]
    assert failures and failures[0]["level"] == "error"
    assert failures[0]["conversation_id"]
