"""widget.js as a loader: the ES modules it imports, embeds on another origin, and early API calls.

A council page usually lives on another origin than the gateway. These tests serve such a page
from a second loopback port, so the browser fetches the widget's modules cross-origin.
"""

import functools
import threading
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.widget.helpers import LAUNCHER_NAME, PageWatch, open_widget

pytestmark = pytest.mark.browser

WIDGET_MODULES = Path(__file__).resolve().parent.parent.parent / "widget" / "src" / "modules"

DEFERRED_EMBED = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Council page</title></head>
<body><main><h1>Council page</h1></main>
<script src="{gateway}/widget/widget.js" data-server-url="{gateway}" data-council-name="Shropshire Council" defer></script>
</body></html>
"""

# No defer, and the page opens the chat before the widget's modules have loaded.
EARLY_OPEN_EMBED = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Council page</title></head>
<body><main><h1>Council page</h1></main>
<script src="{gateway}/widget/widget.js" data-server-url="{gateway}" data-council-name="Shropshire Council"></script>
<script>window.CouncilAssistant.open();</script>
</body></html>
"""


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging each request to stderr."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def council_site(tmp_path: Path, gateway_stack) -> Iterator[str]:
    """A static council site on its own loopback port, embedding the gateway's widget.js."""
    (tmp_path / "deferred.html").write_text(DEFERRED_EMBED.format(gateway=gateway_stack.base_url), encoding="utf-8")
    (tmp_path / "early-open.html").write_text(EARLY_OPEN_EMBED.format(gateway=gateway_stack.base_url), encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "http://127.0.0.1:%d" % server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def visitor(browser: Browser) -> Iterator[PageWatch]:
    """A fresh browser page with the scripted socket.io stand-in, so no socket CORS set-up is needed."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB", timezone_id="Europe/London")
    watch = PageWatch(context.new_page())
    watch.install_fake_socket()
    try:
        yield watch
    finally:
        context.close()


def test_every_module_served(gateway_stack):
    names = sorted(path.name for path in WIDGET_MODULES.glob("*.js"))
    assert "main.js" in names
    for name in names:
        with urllib.request.urlopen(gateway_stack.base_url + "/widget/modules/" + name) as response:
            assert response.status == 200, name
            assert "javascript" in response.headers["Content-Type"], name
            assert response.headers["Access-Control-Allow-Origin"] == "*", name


def test_embed_on_other_origin(council_site, visitor):
    page = visitor.page
    page.goto(council_site + "/deferred.html")
    expect(page.get_by_role("button", name=LAUNCHER_NAME)).to_be_visible()

    open_widget(page)
    expect(page.get_by_label("Your message", exact=True)).to_be_focused()
    assert visitor.page_errors == []
    assert visitor.console_errors == []


def test_open_before_modules_load(council_site, visitor):
    page = visitor.page
    page.goto(council_site + "/early-open.html")

    expect(page.get_by_role("dialog", name="Shropshire Council chat")).to_be_visible()
    expect(page.get_by_role("button", name=LAUNCHER_NAME)).to_be_hidden()
    assert visitor.page_errors == []
    assert visitor.console_errors == []
