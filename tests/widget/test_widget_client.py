"""The widget's own behaviour, driven through a scripted socket in place of socket.io.

The gateway serves the files; every server event is fired by the test, so each case is exact.
"""

import pytest
from playwright.sync_api import expect

from tests.widget.helpers import LAUNCHER_NAME, send_message, start_fake_session

pytestmark = pytest.mark.browser

AGENT = {"first_name": "Sam", "role": "Customer services adviser"}


def bot_message(message_id, text, buttons=None, links=None):
    """Return a bot message in the gateway's format."""
    return {
        "id": message_id,
        "sender": "bot",
        "text": text,
        "buttons": buttons or [],
        "links": links or [],
        "agent": None,
        "time": "2025-01-06T10:00:00Z",
    }


def test_session_request_sent_on_connect(offline_resident):
    start_fake_session(offline_resident)

    assert offline_resident.emitted("session_request") == [{"session_token": None}]
    assert offline_resident.page.evaluate("sessionStorage.getItem('councilAssistant.sessionToken')") == "test-token"


def test_messages_wait_for_session(offline_resident):
    page = offline_resident.page
    page.get_by_role("button", name=LAUNCHER_NAME).click()
    page.wait_for_function("window.__fakeSocket && window.__fakeSocket.connected")

    send_message(page, "hello")
    assert offline_resident.emitted("user_message") == []

    offline_resident.fire("session_confirm", {"session_token": "t", "conversation_id": "c", "state": "bot"})
    assert offline_resident.emitted("user_message") == [{"text": "hello"}]


def test_unsafe_links_stay_text(offline_resident):
    page = offline_resident.page
    start_fake_session(offline_resident)
    links = [
        {"title": "Council tax", "url": "https://www.shropshire.gov.uk/council-tax/"},
        {"title": "Script link", "url": "javascript:alert(1)"},
        {"title": "Plain http", "url": "http://www.shropshire.gov.uk/"},
        {"title": "Data link", "url": "data:text/html,<script>alert(1)</script>"},
        {"title": "Call us", "url": "tel:03456789000"},
        {"title": "Email us", "url": "mailto:customer.service@shropshire.gov.uk"},
    ]
    offline_resident.fire("message", bot_message(1, "Links below", links=links))

    log_links = page.locator("#ca-log a")
    hrefs = [log_links.nth(index).get_attribute("href") for index in range(log_links.count())]
    assert hrefs == [
        "https://www.shropshire.gov.uk/council-tax/",
        "tel:03456789000",
        "mailto:customer.service@shropshire.gov.uk",
    ]
    https_link = page.get_by_role("link", name="Council tax (opens in new tab)")
    assert https_link.get_attribute("target") == "_blank"
    assert https_link.get_attribute("rel") == "noopener noreferrer"
    assert page.get_by_role("link", name="Call us").get_attribute("target") is None
    for title in ("Script link", "Plain http", "Data link"):
        expect(page.locator("#ca-log .ca-link-unavailable", has_text=title)).to_be_visible()


def test_text_urls_and_html_not_interpreted(offline_resident):
    page = offline_resident.page
    start_fake_session(offline_resident)
    text = "See https://evil.example/pay or <a href='https://evil.example'>here</a> **bold** <img src=x onerror=alert(1)>"

    offline_resident.fire("message", bot_message(1, text))

    expect(page.locator("#ca-log .ca-msg--bot .ca-msg__text").last).to_have_text(text)
    assert page.locator("#ca-log a").count() == 0
    assert page.locator("#ca-log img").count() == 0
    assert offline_resident.dialogs == []


def test_link_buttons_become_links(offline_resident):
    page = offline_resident.page
    start_fake_session(offline_resident)
    buttons = [
        {"title": "Open the form", "payload": "https://www.shropshire.gov.uk/form"},
        {"title": "Yes", "payload": "/affirm"},
    ]

    offline_resident.fire("message", bot_message(1, "Choose", buttons=buttons))

    expect(page.get_by_role("link", name="Open the form (opens in new tab)")).to_have_attribute("href", "https://www.shropshire.gov.uk/form")
    expect(page.get_by_role("group", name="Suggested replies").get_by_role("button")).to_have_count(1)


def test_quick_reply_sends_payload(offline_resident):
    page = offline_resident.page
    start_fake_session(offline_resident)
    offline_resident.fire("message", bot_message(1, "Do you pay by Direct Debit?", buttons=[
        {"title": "Yes", "payload": "/affirm"},
        {"title": "No", "payload": "/deny"},
    ]))

    page.get_by_role("button", name="Yes", exact=True).click()

    assert offline_resident.emitted("user_message") == [{"payload": "/affirm", "title": "Yes"}]
    expect(page.locator("#ca-log .ca-msg--own .ca-msg__text").last).to_have_text("Yes")
    expect(page.get_by_role("group", name="Suggested replies")).to_have_count(0)
    expect(page.get_by_label("Your message", exact=True)).to_be_focused()


def test_talk_to_person_payload(offline_resident):
    page = offline_resident.page
    start_fake_session(offline_resident)

    page.locator(".ca-human").click()

    assert offline_resident.emitted("user_message") == [{"payload": "/request_human", "title": "Talk to a person"}]


def test_character_limit(offline_resident):
    page = offline_resident.page
    start_fake_session(offline_resident)
    box = page.get_by_label("Your message", exact=True)

    expect(page.locator("#ca-counter")).to_have_text("You have 2,000 characters left")
    box.fill("a" * 2000)
    expect(page.locator("#ca-counter")).to_have_text("You have 0 characters left")
    box.fill("a" * 2005)
    expect(page.locator("#ca-counter")).to_have_text("You have 5 characters too many")
    box.press("Enter")

    expect(page.locator("#ca-input-error")).to_contain_text("Your message must be 2,000 characters or fewer")
    assert box.get_attribute("aria-invalid") == "true"
    assert "ca-input-error" in box.get_attribute("aria-describedby")
    assert offline_resident.emitted("user_message") == []

    box.fill("a" * 2000)
    box.press("Enter")
    assert offline_resident.emitted("user_message") == [{"text": "a" * 2000}]
    expect(page.locator("#ca-input-error")).to_be_hidden()


def test_empty_message_not_sent(offline_resident):
    page = offline_resident.page
    start_fake_session(offline_resident)

    page.get_by_label("Your message", exact=True).fill("   ")
    page.get_by_role("button", name="Send", exact=True).click()

    expect(page.locator("#ca-input-error")).to_contain_text("Type a message before you press Send.")
    assert offline_resident.emitted("user_message") == []


def test_gateway_error_shown(offline_resident):
    page = offline_resident.page
    start_fake_session(offline_resident)

    offline_resident.fire("error", {"code": "message_too_long", "message": "Your message is too long. Please keep it under 2,000 characters."})

    expect(page.locator("#ca-log .ca-note--error")).to_have_text("Error: Your message is too long. Please keep it under 2,000 characters.")


def test_typing_indicator(offline_resident):
    page = offline_resident.page
    start_fake_session(offline_resident)

    offline_resident.fire("typing", {"on": True})
    expect(page.get_by_role("status").filter(has_text="The automated assistant is typing…")).to_be_visible()
    offline_resident.fire("typing", {"on": False})
    expect(page.locator(".ca-typing__text")).to_have_text("")


def test_reconnect_notes(offline_resident):
    page = offline_resident.page
    start_fake_session(offline_resident)
    send_message(page, "hello")

    page.evaluate("window.__fakeSocket.drop()")
    expect(page.locator("#ca-log .ca-note").last).to_have_text("Connection lost. Reconnecting…")
    send_message(page, "are you there")
    expect(page.locator("#ca-input-error")).to_contain_text("You are not connected")
    assert offline_resident.emitted("user_message") == [{"text": "hello"}]

    page.evaluate("window.__fakeSocket.connect()")
    assert offline_resident.emitted("session_request")[-1] == {"session_token": "test-token"}
    offline_resident.fire("session_confirm", {"session_token": "test-token", "conversation_id": "c1", "state": "bot"})
    expect(page.locator("#ca-log .ca-note").last).to_have_text("Connected again.")

    # History after a reconnection adds only what was missed: the resident's own message is
    # matched by its text, and the bot reply is new.
    offline_resident.fire("history", {"messages": [
        {"id": 7, "sender": "resident", "text": "hello", "buttons": [], "links": [], "agent": None, "time": "2025-01-06T10:00:00Z"},
        bot_message(8, "Hello, how can I help?"),
    ]})
    expect(page.locator("#ca-log .ca-msg--own")).to_have_count(1)
    expect(page.locator("#ca-log .ca-msg--bot:not(.ca-msg--intro)")).to_have_count(1)


def test_queue_and_cancel(offline_resident):
    page = offline_resident.page
    start_fake_session(offline_resident)

    offline_resident.fire("handoff_state", {"state": "queued", "queue_position": 2, "estimated_wait_minutes": 4})
    expect(page.locator(".ca-queue__text")).to_have_text("Waiting for an adviser. You are number 2 in the queue. The wait is roughly 4 minutes.")
    offline_resident.fire("handoff_state", {"state": "queued", "queue_position": 1, "estimated_wait_minutes": 0})
    expect(page.locator(".ca-queue__text")).to_have_text("Waiting for an adviser. You are next in the queue. The wait should be less than a minute.")

    page.get_by_role("button", name="Cancel and stop waiting").click()
    assert offline_resident.emitted("cancel_handoff") == [{}]

    offline_resident.fire("handoff_state", {"state": "bot"})
    expect(page.locator(".ca-queue")).to_have_count(0)
    expect(page.locator("#ca-panel")).to_be_hidden()


def test_adviser_label_in_header(offline_resident):
    page = offline_resident.page
    start_fake_session(offline_resident)
    expect(page.locator("#ca-status")).to_have_text("Automated assistant")

    offline_resident.fire("handoff_state", {"state": "with_agent", "agent": AGENT})
    expect(page.locator("#ca-status")).to_have_text("Adviser: Sam, Customer services adviser")
    offline_resident.fire("message", {"id": 3, "sender": "agent", "text": "Hello, I'm Sam.", "buttons": [], "links": [], "agent": AGENT, "time": "2025-01-06T10:01:00Z"})
    expect(page.locator("#ca-log .ca-msg--agent .ca-msg__sender")).to_have_text("Sam (adviser)")

    offline_resident.fire("handoff_state", {"state": "closed"})
    expect(page.locator("#ca-status")).to_have_text("Automated assistant")


def test_unread_badge_when_closed(offline_resident):
    page = offline_resident.page
    start_fake_session(offline_resident)
    page.keyboard.press("Escape")

    offline_resident.fire("message", {"id": 3, "sender": "agent", "text": "Are you still there?", "buttons": [], "links": [], "agent": AGENT, "time": "2025-01-06T10:01:00Z"})

    expect(page.get_by_role("button", name=LAUNCHER_NAME + " 1 new message")).to_be_visible()
    page.get_by_role("button", name=LAUNCHER_NAME + " 1 new message").click()
    expect(page.get_by_role("button", name=LAUNCHER_NAME)).to_be_hidden()
    expect(page.locator(".ca-launcher__badge")).to_be_hidden()


def test_out_of_hours_form(offline_resident):
    page = offline_resident.page
    start_fake_session(offline_resident)
    offline_resident.fire("handoff_state", {
        "state": "out_of_hours",
        "next_open": "2025-01-06T09:00:00+00:00",
        "next_open_text": "on Monday at 9am",
        "consent_text": "I agree that Shropshire Council can store these details and contact me about my message.",
    })
    form = page.get_by_role("form", name="Leave a message for an adviser")
    expect(form).to_be_visible()
    expect(form).to_contain_text("Advisers are next available on Monday at 9am.")

    form.get_by_role("button", name="Send message").click()

    summary = page.locator("#ca-lm-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text([
        "Enter your name",
        "Enter a phone number or an email address",
        "Enter your message",
        "Tick the box to agree that we can keep your details and contact you",
    ])
    assert page.get_by_label("Your name").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Your name").get_attribute("aria-describedby").startswith("ca-lm-name-error")
    summary.get_by_role("link", name="Enter your name").click()
    expect(page.get_by_label("Your name")).to_be_focused()
    assert offline_resident.emitted("leave_message") == []

    page.get_by_label("Your name").fill("Alex Resident")
    page.get_by_label("Phone number (optional if you give an email)").fill("0912 345678")
    page.get_by_label("Email address (optional if you give a phone number)").fill("alex@")
    page.get_by_label("Your message for the adviser").fill("x")
    form.get_by_role("button", name="Send message").click()
    expect(summary.get_by_role("link")).to_have_text([
        "Enter a UK phone number, like 01743 123456 or 07700 900123",
        "Enter an email address in the correct format, like name@example.com",
        "Tick the box to agree that we can keep your details and contact you",
    ])

    page.get_by_label("Phone number (optional if you give an email)").fill("07700 900123")
    page.get_by_label("Email address (optional if you give a phone number)").fill("")
    page.get_by_label("Your message for the adviser").fill("Please call me about my bins.")
    page.get_by_label("I agree that Shropshire Council can store these details").check()
    form.get_by_role("button", name="Send message").click()

    assert offline_resident.emitted("leave_message") == [{
        "name": "Alex Resident",
        "phone": "07700 900123",
        "message": "Please call me about my bins.",
        "consent": True,
    }]

    # A field error from the gateway goes back to its field.
    offline_resident.fire("error", {"code": "invalid_phone", "message": "Please enter a UK phone number.", "field": "phone"})
    expect(page.locator("#ca-lm-phone-error")).to_have_text("Error: Please enter a UK phone number.")

    form.get_by_role("button", name="Send message").click()
    assert len(offline_resident.emitted("leave_message")) == 2
    offline_resident.fire("handoff_state", {"state": "bot"})
    expect(page.locator("#ca-panel")).to_be_hidden()
    expect(page.get_by_label("Your message", exact=True)).to_be_focused()


def test_feedback_form(offline_resident):
    page = offline_resident.page
    start_fake_session(offline_resident)
    offline_resident.fire("handoff_state", {"state": "closed"})
    offline_resident.fire("feedback_request", {})
    form = page.get_by_role("form", name="Feedback")
    expect(form).to_be_visible()

    form.get_by_role("button", name="Send feedback").click()
    expect(page.locator("#ca-fb-summary")).to_contain_text("Select yes or no")
    assert offline_resident.emitted("feedback") == []

    form.get_by_role("radio", name="Yes").check()
    form.get_by_label("Tell us more (optional)").fill("Quick and helpful.")
    form.get_by_role("button", name="Send feedback").click()

    assert offline_resident.emitted("feedback") == [{"rating": "up", "comment": "Quick and helpful."}]
    expect(page.locator("#ca-panel")).to_be_hidden()


def test_transcript_download(offline_resident):
    page = offline_resident.page
    start_fake_session(offline_resident)
    send_message(page, "How do I pay?")
    offline_resident.fire("message", bot_message(1, "Pay online.", links=[{"title": "Pay", "url": "https://www.shropshire.gov.uk/pay"}]))

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download transcript").click()
    download = download_info.value
    text = open(download.path(), encoding="utf-8").read()

    assert download.suggested_filename.startswith("shropshire-council-chat-")
    assert download.suggested_filename.endswith(".txt")
    assert text.startswith("Shropshire Council chat transcript\n")
    assert "You:\nHow do I pay?" in text
    assert "Automated assistant:\nPay online." in text
    assert "Link: Pay - https://www.shropshire.gov.uk/pay" in text


def test_transcript_print(offline_resident):
    page = offline_resident.page
    start_fake_session(offline_resident)
    offline_resident.fire("message", bot_message(1, "Pay online."))
    page.evaluate("window.print = () => { window.__printed = true; }")

    page.get_by_role("button", name="Print transcript").click()

    assert page.evaluate("window.__printed") is True
    page.emulate_media(media="print")
    expect(page.locator(".ca-print-area")).to_be_visible()
    expect(page.locator(".ca-print-area")).to_contain_text("Automated assistant:\nPay online.")
    expect(page.locator("main")).to_be_hidden()
