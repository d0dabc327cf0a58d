"""Handoff end to end: the resident requests a person, and an agent at the desk claims and replies.

The agent uses the desk in a second browser context: sign in at /desk/login, claim from
/desk/queue, reply on the conversation page, then "Close and ask for feedback".
"""

import pytest
from playwright.sync_api import expect

from tests.widget.helpers import (
    BOT_TIMEOUT_MS,
    audit,
    describe_violations,
    open_widget,
    send_message,
    wait_for_session,
)

pytestmark = pytest.mark.browser

AGENT_USERNAME = "sam.adviser"
AGENT_PASSWORD = "correct horse battery staple 42"
ADVISER_LABEL = "Adviser: Sam, Customer services adviser"


def sign_in_to_desk(browser, base_url):
    """Open the desk in its own browser context and sign in as the test agent."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    desk = context.new_page()
    desk.goto(base_url + "/desk/login")
    desk.get_by_label("Username").fill(AGENT_USERNAME)
    desk.get_by_label("Password").fill(AGENT_PASSWORD)
    desk.get_by_role("button", name="Sign in").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Queue")
    return context, desk


def test_agent_reply_reaches_resident(resident, browser, gateway_stack):
    base_url = gateway_stack.base_url.rstrip("/")
    gateway_stack.create_agent(AGENT_USERNAME, AGENT_PASSWORD, "Sam", "Customer services adviser")
    page = resident.page
    open_widget(page)
    wait_for_session(page)

    page.locator(".ca-human").click()
    expect(page.locator(".ca-queue__text")).to_contain_text("Waiting for an adviser.", timeout=BOT_TIMEOUT_MS)
    expect(page.locator("#ca-status")).to_have_text("Automated assistant")
    send_message(page, "My bin was not collected on Tuesday")

    desk_context, desk = sign_in_to_desk(browser, base_url)
    try:
        # Claim the waiting resident from the queue. The desk then opens the conversation.
        claim = desk.locator("#queue-rows").get_by_role("button", name="Claim").first
        expect(claim).to_be_visible(timeout=15_000)
        claim.click()
        expect(desk.get_by_label("Reply to the resident")).to_be_visible()
        expect(desk.locator("#transcript")).to_contain_text("My bin was not collected on Tuesday", timeout=15_000)

        expect(page.locator("#ca-status")).to_have_text(ADVISER_LABEL, timeout=15_000)
        expect(page.locator("#ca-panel")).to_be_hidden()

        desk.get_by_label("Reply to the resident").fill("Hello, I'm Sam. I can book a missed collection for you.")
        desk.get_by_role("button", name="Send reply").click()

        agent_message = page.locator("#ca-log .ca-msg--agent").last
        expect(agent_message.locator(".ca-msg__text")).to_have_text("Hello, I'm Sam. I can book a missed collection for you.", timeout=15_000)
        expect(agent_message.locator(".ca-msg__sender")).to_have_text("Sam (adviser)")
        # The log scrolls to the adviser's first reply, even after a long bot reply.
        expect(agent_message).to_be_in_viewport(timeout=5_000)

        violations = audit(page)
        assert violations == [], describe_violations(violations)

        # The resident's reply appears in the desk's transcript.
        send_message(page, "Thank you, that would help")
        expect(desk.locator("#transcript")).to_contain_text("Thank you, that would help", timeout=15_000)

        # A reload keeps the adviser and the conversation.
        page.reload()
        expect(page.locator("#ca-status")).to_have_text(ADVISER_LABEL, timeout=BOT_TIMEOUT_MS)
        expect(page.locator("#ca-log .ca-msg--agent .ca-msg__text").last).to_have_text("Hello, I'm Sam. I can book a missed collection for you.")

        # The agent closes the chat and the resident is asked for feedback.
        desk.get_by_role("button", name="Close and ask for feedback").click()
        feedback = page.get_by_role("form", name="Feedback")
        expect(feedback).to_be_visible(timeout=15_000)
        expect(page.locator("#ca-status")).to_have_text("Automated assistant")
        violations = audit(page)
        assert violations == [], describe_violations(violations)

        feedback.get_by_role("radio", name="Yes").check()
        feedback.get_by_role("button", name="Send feedback").click()
        expect(page.locator("#ca-log .ca-msg--system .ca-msg__text").last).to_have_text("Thank you for your feedback.", timeout=15_000)
        assert resident.page_errors == []
    finally:
        desk_context.close()
