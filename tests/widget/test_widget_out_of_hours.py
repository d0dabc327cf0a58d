"""Out of hours against the real gateway: the resident leaves a message with consent."""

import pytest
from playwright.sync_api import expect

from tests.fixtures.gateway_stack import OUT_OF_HOURS_NOW
from tests.widget.helpers import BOT_TIMEOUT_MS, audit, describe_violations, open_widget, wait_for_session

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def gateway_settings():
    """Run this module's gateway on a Saturday, when advisers are not available."""
    return {"config": {}, "env": {"GATEWAY_HOURS_NOW": OUT_OF_HOURS_NOW}}


def test_leave_message_out_of_hours(resident):
    page = resident.page
    open_widget(page)
    wait_for_session(page)

    page.locator(".ca-human").click()
    form = page.get_by_role("form", name="Leave a message for an adviser")
    expect(form).to_be_visible(timeout=BOT_TIMEOUT_MS)
    violations = audit(page)
    assert violations == [], describe_violations(violations)

    page.get_by_label("Your name").fill("Alex Resident")
    page.get_by_label("Email address (optional if you give a phone number)").fill("alex@example.com")
    page.get_by_label("Your message for the adviser").fill("Please call me about my council tax bill.")
    form.get_by_role("checkbox").check()
    form.get_by_role("button", name="Send message").click()

    expect(page.locator("#ca-log .ca-msg--system .ca-msg__text").last).to_have_text(
        "Thank you. We've got your message and will contact you when we're open.", timeout=15_000
    )
    expect(page.locator("#ca-panel")).to_be_hidden()
    expect(page.locator("#ca-status")).to_have_text("Automated assistant")
    assert resident.page_errors == []
