"""Accessibility of the widget: axe-core WCAG 2.2 AA audits, reflow, target sizes, focus, motion.

Screenshots of each state at 1280 and 320 CSS px wide are saved to artefacts/screenshots/.
"""

import pytest
from playwright.sync_api import expect

from tests.widget.helpers import (
    BOT_TIMEOUT_MS,
    LAUNCHER_NAME,
    audit,
    bot_reply_count,
    describe_violations,
    open_widget,
    send_message,
    start_fake_session,
    tab_until,
    wait_for_bot_replies,
)

pytestmark = pytest.mark.browser

WIDE = {"width": 1280, "height": 800}
NARROW = {"width": 320, "height": 640}
# 1280 by 1024 at 400% zoom is 320 by 256 CSS px.
ZOOMED = {"width": 320, "height": 256}

OUT_OF_HOURS = {
    "state": "out_of_hours",
    "next_open": "2025-01-06T09:00:00+00:00",
    "next_open_text": "on Monday at 9am",
    "consent_text": "I agree that Shropshire Council can store these details and contact me about my message.",
}


def audit_and_capture(page, name, screenshot_dir):
    """Run axe at 1280 and 320 px wide, save a screenshot at each, and return the violations."""
    found = []
    for label, viewport in (("1280", WIDE), ("320", NARROW)):
        page.set_viewport_size(viewport)
        page.wait_for_timeout(200)
        page.screenshot(path=str(screenshot_dir / f"widget-{name}-{label}.png"))
        for violation in audit(page):
            violation["help"] = f"[{name}, {label} px] {violation['help']}"
            found.append(violation)
    page.set_viewport_size(WIDE)
    return found


def test_axe_clean_in_every_state(resident, screenshot_dir):
    page = resident.page
    violations = audit_and_capture(page, "closed", screenshot_dir)

    open_widget(page)
    violations += audit_and_capture(page, "open", screenshot_dir)

    before = bot_reply_count(page)
    send_message(page, "how do I pay my council tax")
    wait_for_bot_replies(page, before)
    expect(page.locator("#ca-log .ca-msg--bot a.ca-link").first).to_be_visible(timeout=BOT_TIMEOUT_MS)
    violations += audit_and_capture(page, "conversation", screenshot_dir)

    page.locator(".ca-human").click()
    expect(page.locator(".ca-queue__text")).to_be_visible(timeout=BOT_TIMEOUT_MS)
    violations += audit_and_capture(page, "handoff", screenshot_dir)

    assert violations == [], describe_violations(violations)


def test_axe_clean_in_forms(offline_resident, screenshot_dir):
    page = offline_resident.page
    start_fake_session(offline_resident)
    offline_resident.fire("handoff_state", OUT_OF_HOURS)
    violations = audit_and_capture(page, "out-of-hours", screenshot_dir)

    page.get_by_role("button", name="Send message").click()
    expect(page.locator("#ca-lm-summary")).to_be_visible()
    violations += audit_and_capture(page, "out-of-hours-errors", screenshot_dir)

    offline_resident.fire("handoff_state", {"state": "with_agent", "agent": {"first_name": "Sam", "role": "Customer services adviser"}})
    offline_resident.fire("message", {"id": 1, "sender": "agent", "text": "Hello, I'm Sam.", "buttons": [], "links": [], "agent": {"first_name": "Sam", "role": "Customer services adviser"}, "time": "2025-01-06T10:01:00Z"})
    offline_resident.fire("typing", {"on": True})
    violations += audit_and_capture(page, "with-adviser", screenshot_dir)

    offline_resident.fire("handoff_state", {"state": "closed"})
    offline_resident.fire("feedback_request", {})
    violations += audit_and_capture(page, "feedback", screenshot_dir)

    assert violations == [], describe_violations(violations)


def test_axe_clean_on_privacy_page(browser, gateway_stack):
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    try:
        page.goto(gateway_stack.base_url.rstrip("/") + "/privacy")
        expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice for the help chat")
        expect(page.locator("main")).to_contain_text("as set by the council's retention schedule")
        expect(page.get_by_role("link", name="customer.service@shropshire.gov.uk")).to_have_attribute("href", "mailto:customer.service@shropshire.gov.uk")
        expect(page.get_by_role("link", name="0345 678 9000")).to_have_attribute("href", "tel:03456789000")
        violations = audit(page)
        assert violations == [], describe_violations(violations)
    finally:
        context.close()


def test_contact_routes_without_javascript(browser, gateway_stack):
    context = browser.new_context(viewport=WIDE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(gateway_stack.base_url.rstrip("/") + "/")
        routes = page.locator(".contact-routes")
        expect(routes).to_be_visible()
        expect(routes.get_by_role("link", name="0345 678 9000")).to_have_attribute("href", "tel:03456789000")
        expect(routes.get_by_role("link", name="customer.service@shropshire.gov.uk")).to_be_visible()
        expect(page.get_by_role("button", name=LAUNCHER_NAME)).to_have_count(0)
    finally:
        context.close()


def assert_no_horizontal_scroll(page):
    """Fail if the page or the open dialog scrolls sideways."""
    sizes = page.evaluate(
        """(() => {
            const dialog = document.getElementById('ca-dialog');
            return {
                page: [document.documentElement.scrollWidth, window.innerWidth],
                dialog: dialog && !dialog.hidden ? [dialog.scrollWidth, dialog.clientWidth] : [0, 0],
            };
        })()"""
    )
    assert sizes["page"][0] <= sizes["page"][1], f"page scrolls sideways: {sizes['page']}"
    assert sizes["dialog"][0] <= sizes["dialog"][1], f"dialog scrolls sideways: {sizes['dialog']}"


def test_reflow_at_400_percent_zoom(offline_resident, screenshot_dir):
    page = offline_resident.page
    page.set_viewport_size(ZOOMED)
    assert_no_horizontal_scroll(page)

    start_fake_session(offline_resident)
    long_word = "Supercalifragilisticexpialidocious" * 3
    offline_resident.fire("message", {
        "id": 1, "sender": "bot", "text": "A long word: " + long_word + " and https://www.shropshire.gov.uk/a/very/long/address/that/does/not/wrap",
        "buttons": [{"title": "A quick reply with a long title that must wrap", "payload": "/a"}],
        "links": [{"title": "Read more on the council website", "url": "https://www.shropshire.gov.uk/"}],
        "agent": None, "time": "2025-01-06T10:00:00Z",
    })
    offline_resident.fire("handoff_state", {"state": "queued", "queue_position": 3, "estimated_wait_minutes": 12})
    assert_no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / "widget-zoom-400.png"))

    # Every control can still be scrolled into view and used.
    send_button = page.get_by_role("button", name="Send", exact=True)
    send_button.scroll_into_view_if_needed()
    expect(send_button).to_be_in_viewport()
    page.get_by_label("Your message", exact=True).fill("still works")
    send_button.click()
    assert offline_resident.emitted("user_message") == [{"text": "still works"}]

    offline_resident.fire("handoff_state", OUT_OF_HOURS)
    assert_no_horizontal_scroll(page)


def test_target_sizes(offline_resident):
    page = offline_resident.page
    start_fake_session(offline_resident)
    offline_resident.fire("message", {
        "id": 1, "sender": "bot", "text": "Here you go.",
        "buttons": [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}],
        "links": [{"title": "Pay", "url": "https://www.shropshire.gov.uk/pay"}],
        "agent": None, "time": "2025-01-06T10:00:00Z",
    })
    offline_resident.fire("handoff_state", OUT_OF_HOURS)

    for viewport in (WIDE, NARROW):
        page.set_viewport_size(viewport)
        boxes = page.evaluate(
            """(() => Array.from(document.querySelectorAll(
                    '.ca-root button, .ca-root a, .ca-root input, .ca-root textarea'))
                .filter((el) => el.getClientRects().length > 0)
                .map((el) => {
                    const box = el.getBoundingClientRect();
                    return {name: el.textContent.trim() || el.id, width: box.width, height: box.height,
                            large: el.matches('button, input, textarea, .ca-link, .ca-footer__control'),
                            inSentence: Boolean(el.closest('.ca-hint, .ca-note__routes'))};
                }))()"""
        )
        # WCAG 2.5.8 exempts links inside a sentence, such as "Read our privacy notice".
        boxes = [box for box in boxes if not box["inSentence"]]
        assert len(boxes) >= 12, f"expected the form, log and footer controls, found {boxes}"
        for box in boxes:
            minimum = 44 if box["large"] else 24
            assert box["width"] >= minimum, f"{box} is narrower than {minimum} px at {viewport}"
            assert box["height"] >= minimum, f"{box} is shorter than {minimum} px at {viewport}"


def test_focus_on_open_and_close(offline_resident):
    page = offline_resident.page
    launcher = page.get_by_role("button", name=LAUNCHER_NAME)
    dialog = page.get_by_role("dialog", name="Shropshire Council chat")

    launcher.click()
    expect(page.get_by_label("Your message", exact=True)).to_be_focused()
    assert dialog.get_attribute("aria-modal") == "false"
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(launcher).to_be_focused()
    assert launcher.get_attribute("aria-expanded") == "false"

    launcher.press("Enter")
    expect(page.get_by_label("Your message", exact=True)).to_be_focused()
    page.get_by_role("button", name="Close chat").click()
    expect(launcher).to_be_focused()


def test_modal_on_small_screens(offline_resident):
    page = offline_resident.page
    page.set_viewport_size(NARROW)
    page.get_by_role("button", name=LAUNCHER_NAME).click()
    dialog = page.get_by_role("dialog", name="Shropshire Council chat")

    assert dialog.get_attribute("aria-modal") == "true"
    assert page.evaluate("document.querySelector('main').inert") is True
    # Tab from the last control wraps to the first one inside the dialog.
    tab_until(page, "el.textContent === 'Privacy notice'")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#ca-dialog') !== null")

    page.keyboard.press("Escape")
    assert page.evaluate("document.querySelector('main').inert") is False


def test_reduced_motion(offline_resident):
    page = offline_resident.page
    start_fake_session(offline_resident)
    offline_resident.fire("typing", {"on": True})
    dot = page.locator(".ca-typing__dots span").first

    assert dot.evaluate("el => getComputedStyle(el).animationName") == "ca-typing-bounce"
    page.emulate_media(reduced_motion="reduce")
    assert dot.evaluate("el => getComputedStyle(el).animationName") == "none"


def test_live_log_semantics(offline_resident):
    page = offline_resident.page
    start_fake_session(offline_resident)
    log = page.get_by_role("log", name="Conversation")

    assert log.get_attribute("aria-live") == "polite"
    assert page.get_by_role("dialog", name="Shropshire Council chat").get_attribute("aria-describedby") == "ca-intro"
    input_box = page.get_by_label("Your message", exact=True)
    offline_resident.fire("message", {"id": 1, "sender": "bot", "text": "Hello", "buttons": [], "links": [], "agent": None, "time": None})
    # A new message does not take focus away from the input.
    expect(input_box).to_be_focused()
