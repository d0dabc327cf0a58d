"""The widget against the real gateway and Rasa: replies, reloads, injection and keyboard use."""

import pytest
from playwright.sync_api import expect

from tests.widget.helpers import (
    BOT_TIMEOUT_MS,
    LAUNCHER_NAME,
    bot_reply_count,
    focus_is_visible,
    open_widget,
    send_message,
    tab_until,
    wait_for_bot_replies,
    wait_for_session,
)

pytestmark = pytest.mark.browser

INJECTION = "<img src=x onerror=alert(1)><script>alert(2)</script>"


def test_service_answer_has_link(resident):
    page = resident.page
    open_widget(page)
    before = bot_reply_count(page)

    send_message(page, "how do I pay my council tax")

    expect(page.locator("#ca-log .ca-msg--own .ca-msg__text").last).to_have_text("how do I pay my council tax")
    wait_for_bot_replies(page, before)
    link = page.locator("#ca-log .ca-msg--bot a.ca-link").first
    expect(link).to_be_visible(timeout=BOT_TIMEOUT_MS)
    assert link.get_attribute("href").startswith("https://")
    assert link.get_attribute("target") == "_blank"
    assert link.get_attribute("rel") == "noopener noreferrer"
    expect(page.locator("#ca-status")).to_have_text("Automated assistant")
    assert resident.page_errors == []


def test_reload_keeps_history(resident):
    page = resident.page
    open_widget(page)
    before = bot_reply_count(page)
    send_message(page, "when is my bin collection day")
    wait_for_bot_replies(page, before)
    wait_for_session(page)
    token = page.evaluate("sessionStorage.getItem('councilAssistant.sessionToken')")
    reply_text = page.locator("#ca-log .ca-msg--bot:not(.ca-msg--intro) .ca-msg__text").first.inner_text()

    page.reload()

    # The widget was open, so it opens again by itself with the conversation in its log.
    expect(page.get_by_role("dialog", name="Shropshire Council chat")).to_be_visible(timeout=BOT_TIMEOUT_MS)
    expect(page.locator("#ca-log .ca-msg--own .ca-msg__text").first).to_have_text("when is my bin collection day")
    expect(page.locator("#ca-log .ca-msg--bot:not(.ca-msg--intro) .ca-msg__text").first).to_have_text(reply_text)
    assert page.evaluate("sessionStorage.getItem('councilAssistant.sessionToken')") == token
    assert page.locator("#ca-log .ca-msg--own").count() == 1


def test_injection_shown_as_text(resident):
    page = resident.page
    open_widget(page)
    before = bot_reply_count(page)

    send_message(page, INJECTION)
    wait_for_bot_replies(page, before)
    page.wait_for_timeout(500)

    expect(page.locator("#ca-log .ca-msg--own .ca-msg__text").last).to_have_text(INJECTION)
    assert page.locator("#ca-log img").count() == 0
    assert page.locator("#ca-log script").count() == 0
    assert resident.dialogs == []
    assert resident.page_errors == []

    # The injection survives a reload as text too (history is rendered the same way).
    page.reload()
    expect(page.locator("#ca-log .ca-msg--own .ca-msg__text").first).to_have_text(INJECTION, timeout=BOT_TIMEOUT_MS)
    assert page.locator("#ca-log img").count() == 0
    assert resident.dialogs == []


def test_url_in_own_text_not_linked(resident):
    page = resident.page
    open_widget(page)
    before = bot_reply_count(page)

    send_message(page, "is https://example.com/pay the right page")
    wait_for_bot_replies(page, before)

    own = page.locator("#ca-log .ca-msg--own").last
    expect(own.locator(".ca-msg__text")).to_have_text("is https://example.com/pay the right page")
    assert own.locator("a").count() == 0


def test_keyboard_only_flow(resident):
    page = resident.page
    page.locator("body").focus()

    tab_until(page, "el.classList.contains('ca-launcher')")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog", name="Shropshire Council chat")).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "ca-input"

    before = bot_reply_count(page)
    page.keyboard.type("how do I pay my council tax")
    page.keyboard.press("Enter")
    wait_for_bot_replies(page, before)
    expect(page.locator("#ca-log .ca-msg--bot a.ca-link").first).to_be_visible(timeout=BOT_TIMEOUT_MS)

    # Back through the log to the service link, then on to "Talk to a person".
    tab_until(page, "el.classList.contains('ca-link')", shift=True)
    assert focus_is_visible(page)
    tab_until(page, "el.textContent === 'Talk to a person' && el.classList.contains('ca-human')", shift=True)
    assert focus_is_visible(page)

    # Ask for a person, then leave the queue from the panel's Cancel button.
    page.keyboard.press("Enter")
    expect(page.locator(".ca-queue__text")).to_be_visible(timeout=BOT_TIMEOUT_MS)
    tab_until(page, "el.textContent === 'Cancel and stop waiting'")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("#ca-panel")).to_be_hidden(timeout=15_000)
    # The Cancel button has gone, so focus moves to the input rather than being lost.
    assert page.evaluate("document.activeElement.id") == "ca-input"

    # Shift+Enter adds a line and Enter sends.
    page.keyboard.type("first line")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("second line")
    assert page.evaluate("document.activeElement.value") == "first line\nsecond line"
    before = bot_reply_count(page)
    page.keyboard.press("Enter")
    expect(page.locator("#ca-log .ca-msg--own .ca-msg__text").last).to_have_text("first line\nsecond line")
    wait_for_bot_replies(page, before)

    # The footer controls are reachable and Escape closes, putting focus back on the launcher.
    tab_until(page, "el.textContent === 'Download transcript'")
    assert focus_is_visible(page)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Shropshire Council chat")).to_be_hidden()
    expect(page.get_by_role("button", name=LAUNCHER_NAME)).to_be_focused()
