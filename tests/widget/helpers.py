"""Helpers for driving the chat widget in Playwright tests."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, Dialog, Page, expect

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BOT_TIMEOUT_MS = 60_000
LAUNCHER_NAME = "Chat with Shropshire Council"

# Stands in for socket.io's io() so a test can fire server events and read what was emitted.
FAKE_SOCKET_SCRIPT = """
(() => {
  const handlers = {};
  const socket = {
    connected: false,
    emitted: [],
    on(name, handler) { (handlers[name] = handlers[name] || []).push(handler); return socket; },
    emit(name, data) { socket.emitted.push([name, data]); return socket; },
    connect() { socket.connected = true; socket.fire('connect'); return socket; },
    disconnect() { socket.connected = false; socket.fire('disconnect', 'io client disconnect'); return socket; },
    drop() { socket.connected = false; socket.fire('disconnect', 'transport close'); },
    fire(name, data) { (handlers[name] || []).forEach((handler) => handler(data)); },
  };
  window.__fakeSocket = socket;
  window.io = function () { setTimeout(() => socket.connect(), 0); return socket; };
})();
"""


@dataclass
class PageWatch:
    """A page plus what it reported: JavaScript dialogs, uncaught errors and console errors."""

    page: Page
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Start recording. Any alert() is dismissed and recorded."""
        self.page.on("dialog", self._on_dialog)
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.page.on("console", self._on_console)

    def _on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def install_fake_socket(self) -> None:
        """Replace socket.io's io() in every page this context opens."""
        self.page.context.add_init_script(FAKE_SOCKET_SCRIPT)

    def fire(self, event: str, data: Any = None) -> None:
        """Fire a server event on the fake socket."""
        self.page.evaluate("([name, data]) => window.__fakeSocket.fire(name, data)", [event, data])

    def emitted(self, event: str) -> list[Any]:
        """Return the data of every event the widget emitted with this name on the fake socket."""
        pairs = self.page.evaluate("window.__fakeSocket.emitted")
        return [data for name, data in pairs if name == event]


def open_demo_page(page: Page, base_url: str) -> None:
    """Load the demo council page and wait for the widget's launcher."""
    page.goto(base_url.rstrip("/") + "/")
    expect(page.get_by_role("button", name=LAUNCHER_NAME)).to_be_visible()


def open_widget(page: Page) -> None:
    """Open the chat with the launcher and wait for the dialog."""
    page.get_by_role("button", name=LAUNCHER_NAME).click()
    expect(page.get_by_role("dialog", name="Shropshire Council chat")).to_be_visible()


def send_message(page: Page, text: str) -> None:
    """Type a message into the chat input and press Enter."""
    page.get_by_label("Your message", exact=True).fill(text)
    page.get_by_label("Your message", exact=True).press("Enter")


def bot_reply_count(page: Page) -> int:
    """Count the bot's messages in the log, not counting the widget's own greeting."""
    return page.locator("#ca-log .ca-msg--bot:not(.ca-msg--intro)").count()


def wait_for_bot_replies(page: Page, more_than: int) -> None:
    """Wait until the log has more bot messages than before."""
    page.wait_for_function(
        "count => document.querySelectorAll('#ca-log .ca-msg--bot:not(.ca-msg--intro)').length > count",
        arg=more_than,
        timeout=BOT_TIMEOUT_MS,
    )


def wait_for_session(page: Page) -> None:
    """Wait until the widget has a session token from the gateway."""
    page.wait_for_function("sessionStorage.getItem('councilAssistant.sessionToken') !== null", timeout=BOT_TIMEOUT_MS)


def start_fake_session(watch: PageWatch, state: str = "bot") -> None:
    """Open the widget and confirm a session on the fake socket."""
    open_widget(watch.page)
    watch.page.wait_for_function("window.__fakeSocket && window.__fakeSocket.connected")
    watch.fire("session_confirm", {"session_token": "test-token", "conversation_id": "c1", "state": state})


def audit(page: Page) -> list[dict[str, Any]]:
    """Run axe-core with the WCAG 2.2 AA rule tags and return its violations."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    return results.response["violations"]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """Summarise axe violations: rule id, impact and the failing elements."""
    lines = []
    for violation in violations:
        targets = [json.dumps(node["target"]) for node in violation["nodes"]][:5]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {', '.join(targets)}")
    return "\n".join(lines)


def tab_until(page: Page, condition: str, shift: bool = False, limit: int = 40) -> None:
    """Press Tab (or Shift+Tab) until a JavaScript condition on document.activeElement holds."""
    key = "Shift+Tab" if shift else "Tab"
    for _ in range(limit):
        if page.evaluate(f"(() => {{ const el = document.activeElement; return Boolean({condition}); }})()"):
            return
        page.keyboard.press(key)
    raise AssertionError(f"focus never reached an element where {condition} after {limit} presses of {key}")


def focus_is_visible(page: Page) -> bool:
    """Tell whether the focused element draws a focus indicator (outline or box-shadow)."""
    return page.evaluate(
        """(() => {
            const style = getComputedStyle(document.activeElement);
            const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
              && style.outlineColor !== 'rgba(0, 0, 0, 0)';
            return outline || style.boxShadow !== 'none';
        })()"""
    )
