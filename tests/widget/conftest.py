"""Browser fixtures for the widget tests: Debian's Chromium, headless, driven by Playwright.

Playwright's own browser download does not work on these machines, so the tests launch the
Chromium that Debian's package installs at /usr/bin/chromium.
"""

from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.widget.helpers import PageWatch, open_demo_page

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole test session."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """artefacts/screenshots/ in the project, created if missing (git ignores artefacts/)."""
    path = PROJECT_ROOT / "artefacts" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def resident(browser: Browser, gateway_stack, rasa_stack) -> Iterator[PageWatch]:
    """The demo page at 1280 by 800 in a fresh browser context, talking to the real gateway and Rasa."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    watch = PageWatch(page)
    open_demo_page(page, gateway_stack.base_url)
    try:
        yield watch
    finally:
        context.close()


@pytest.fixture
def offline_resident(browser: Browser, gateway_stack) -> Iterator[PageWatch]:
    """The demo page with a scripted stand-in for the socket.io client.

    The gateway only serves the files here. Each test drives the widget by firing server events
    on window.__fakeSocket, so states that are hard to reach on the real stack (out of hours,
    dropped connections, unsafe links) are tested exactly.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    watch = PageWatch(page)
    watch.install_fake_socket()
    open_demo_page(page, gateway_stack.base_url)
    try:
        yield watch
    finally:
        context.close()
