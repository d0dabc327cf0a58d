"""End to end, outside opening hours: the offer, leaving a message, and delivery by webhook and email."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from typing import Any, Iterator

import pytest
from aiohttp import web
from aiosmtpd.controller import Controller

from tests.fixtures.gateway_stack import OUT_OF_HOURS_NOW, free_port
from tests.gateway.gateway_clients import Agent, Resident, poll

pytestmark = pytest.mark.timeout(300)

PASSWORD = "correct horse battery staple"
WEBHOOK_SECRET = "test-webhook-secret"
WEBHOOK_PORT = free_port()
SMTP_PORT = free_port()
VALID_FORM = {
    "name": "Jo Bloggs",
    "phone": "+44 7700 900123",
    "email": "jo.bloggs@example.com",
    "message": "Please call me about my council tax bill.",
    "consent": True,
}


class MailboxHandler:
    """aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        """Start with an empty mailbox."""
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Store the message."""
        self.messages.append(envelope)
        return "250 Message accepted"


@pytest.fixture(scope="module")
def gateway_settings() -> dict[str, Any]:
    """Saturday morning, with the webhook and email deliveries turned on and fast retries."""
    return {
        "config": {
            "delivery": {
                "retry_base_seconds": 0.2,
                "max_attempts": 6,
                "poll_seconds": 0.2,
                "webhook": {"enabled": True, "url": "http://127.0.0.1:%d/hook" % WEBHOOK_PORT, "secret_env": "GATEWAY_WEBHOOK_SECRET"},
                "email": {
                    "enabled": True,
                    "host": "127.0.0.1",
                    "port": SMTP_PORT,
                    "from": "assistant@example.com",
                    "to": "team@example.com",
                },
            }
        },
        "env": {"GATEWAY_HOURS_NOW": OUT_OF_HOURS_NOW, "GATEWAY_WEBHOOK_SECRET": WEBHOOK_SECRET},
    }


@pytest.fixture(scope="module")
def mailbox() -> Iterator[MailboxHandler]:
    """A local SMTP server on loopback."""
    handler = MailboxHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def agent_account(gateway_stack: Any) -> None:
    """Create an adviser for this module."""
    gateway_stack.create_agent("sam", PASSWORD, "Sam", "Customer adviser")


async def start_receiver(received: list[tuple[dict[str, str], bytes]], fail_first: int) -> web.AppRunner:
    """Start a webhook receiver that returns HTTP 500 to the first ``fail_first`` requests."""

    async def hook(request: web.Request) -> web.Response:
        received.append((dict(request.headers), await request.read()))
        if len(received) <= fail_first:
            return web.Response(status=500)
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", WEBHOOK_PORT).start()
    return runner


def test_leave_message_out_of_hours(gateway_stack: Any, agent_account: None, mailbox: MailboxHandler) -> None:
    async def scenario() -> None:
        received: list[tuple[dict[str, str], bytes]] = []
        receiver = await start_receiver(received, fail_first=1)
        resident = Resident(gateway_stack.base_url)
        agent = Agent(gateway_stack.base_url)
        try:
            await resident.connect()
            mark = resident.mark()
            state = await resident.ask_for_person()
            assert state["state"] == "out_of_hours"
            assert state["next_open"].startswith("2026-06-15T09:00")
            assert state["consent_text"]
            offer = await resident.wait_for("message", lambda d: d["sender"] == "system", since=mark)
            assert "Monday at 9am" in offer["text"]
            assert "0345 678 9000" in offer["text"]
            assert "customer.service@shropshire.gov.uk" in offer["text"]
            assert offer["buttons"][0]["title"] == "Leave a message"

            cases = [
                ({**VALID_FORM, "consent": False}, "consent_required"),
                ({**VALID_FORM, "phone": "12345"}, "invalid_phone"),
                ({**VALID_FORM, "phone": "+1 212 555 0100"}, "invalid_phone"),
                ({**VALID_FORM, "email": "jo.bloggs@"}, "invalid_email"),
                ({**VALID_FORM, "phone": "", "email": ""}, "missing_contact"),
                ({**VALID_FORM, "name": " "}, "invalid_name"),
                ({**VALID_FORM, "message": "z" * 2001}, "message_too_long"),
            ]
            for form, code in cases:
                mark = await resident.emit("leave_message", form)
                error = await resident.wait_for("error", since=mark)
                assert error["code"] == code, form

            mark = await resident.emit("leave_message", VALID_FORM)
            await resident.wait_for("handoff_state", lambda d: d["state"] == "bot", since=mark)
            thanks = await resident.wait_for("message", lambda d: d["sender"] == "system", since=mark)
            assert "contact you" in thanks["text"]

            mark = await resident.emit("leave_message", VALID_FORM)
            error = await resident.wait_for("error", since=mark)
            assert error["code"] == "no_offer"

            await agent.sign_in("sam", PASSWORD)
            status, listing = await agent.get_json("/desk/tickets")
            assert status == 200
            ticket = [t for t in listing["tickets"] if t["conversation_id"] == resident.conversation_id][0]
            assert ticket["phone"] == "07700900123"
            assert ticket["email"] == "jo.bloggs@example.com"
            assert ticket["consent_text"] == state["consent_text"]
            status, detail = await agent.get_json("/desk/tickets/%d" % ticket["id"])
            assert status == 200
            assert "I want to talk to a real person" in [m["text"] for m in detail["transcript"]["messages"]]
            status, page = await agent.get("/desk/tickets/%d" % ticket["id"])
            assert status == 200
            assert "Jo Bloggs" in page

            # The webhook returned HTTP 500 once, so the delivery is retried and then succeeds.
            await poll(lambda: len(received) >= 2)
            for headers, body in received:
                expected = hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
                assert headers["X-Signature-SHA256"] == expected
            payload = json.loads(received[-1][1])
            assert payload["event"] == "ticket"
            assert payload["ticket"]["name"] == "Jo Bloggs"
            assert payload["transcript"]["conversation_id"] == resident.conversation_id

            await poll(lambda: mailbox.messages)
            email = mailbox.messages[0]
            assert email.rcpt_tos == ["team@example.com"]
            content = email.content.decode("utf-8", errors="replace")
            assert "Please call me about my council tax bill." in content

            async def deliveries_settled() -> Any:
                _, listing = await agent.get_json("/desk/deliveries")
                rows = [d for d in listing["deliveries"] if d["conversation_id"] == resident.conversation_id]
                return rows if rows and all(d["status"] == "sent" for d in rows) else None

            rows = await poll(deliveries_settled)
            by_channel = {row["channel"]: row for row in rows}
            assert by_channel["webhook"]["attempts"] == 2
            assert by_channel["email"]["attempts"] == 1
        finally:
            await resident.disconnect()
            await agent.close()
            await receiver.cleanup()

    asyncio.run(scenario())


def test_failed_delivery_visible_on_desk(gateway_stack: Any, agent_account: None, mailbox: MailboxHandler) -> None:
    async def scenario() -> None:
        received: list[tuple[dict[str, str], bytes]] = []
        receiver = await start_receiver(received, fail_first=100)
        resident = Resident(gateway_stack.base_url)
        agent = Agent(gateway_stack.base_url)
        try:
            await resident.connect()
            await resident.ask_for_person()
            mark = await resident.emit("leave_message", {**VALID_FORM, "phone": "01743 252000", "email": ""})
            await resident.wait_for("handoff_state", lambda d: d["state"] == "bot", since=mark)
            await agent.sign_in("sam", PASSWORD)

            async def webhook_failed() -> Any:
                _, listing = await agent.get_json("/desk/deliveries")
                rows = [
                    d
                    for d in listing["deliveries"]
                    if d["conversation_id"] == resident.conversation_id and d["channel"] == "webhook"
                ]
                return rows[0] if rows and rows[0]["status"] == "failed" else None

            row = await poll(webhook_failed, timeout=30)
            assert row["attempts"] == 6
            assert "HTTP 500" in row["last_error"]
            assert len(received) == 6
            status, page = await agent.get("/desk/deliveries")
            assert "Failed" in page
        finally:
            await resident.disconnect()
            await agent.close()
            await receiver.cleanup()

    asyncio.run(scenario())
