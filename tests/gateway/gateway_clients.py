"""Test clients for the gateway: a resident over socket.io and an agent over HTTP."""

from __future__ import annotations

import asyncio
import html
import json
import re
from typing import Any, Callable, Optional

import aiohttp
import socketio
from yarl import URL

EVENT_TIMEOUT_SECONDS = 20.0
RESIDENT_EVENTS = ("session_confirm", "history", "message", "typing", "handoff_state", "feedback_request", "error")
CSRF_PATTERN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Resident:
    """A resident on the same socket.io channel the widget uses; every event is recorded in order."""

    def __init__(self, base_url: str) -> None:
        """Prepare a client for the gateway at ``base_url``."""
        self.base_url = base_url
        self.client = socketio.AsyncClient(reconnection=False)
        self.events: list[tuple[str, Any]] = []
        self._changed = asyncio.Event()
        self.session_token: Optional[str] = None
        self.conversation_id: Optional[str] = None
        for name in RESIDENT_EVENTS:
            self.client.on(name, self._recorder(name))

    def _recorder(self, name: str) -> Callable[[Any], Any]:
        async def record(data: Any = None) -> None:
            self.events.append((name, data))
            self._changed.set()

        return record

    async def connect(self, session_token: Optional[str] = None) -> dict[str, Any]:
        """Connect, send ``session_request`` and return ``session_confirm``."""
        # The gateway accepts long-polling only. python-engineio 4.15.1's client websocket transport
        # would fail here anyway: it needs aiohttp.ClientWSTimeout (aiohttp 3.10+), and Rasa 3.6 pins 3.9.5.
        await self.client.connect(self.base_url, transports=["polling"], socketio_path="/socket.io")
        mark = len(self.events)
        await self.client.emit("session_request", {"session_token": session_token})
        confirm = await self.wait_for("session_confirm", since=mark)
        self.session_token = confirm["session_token"]
        self.conversation_id = confirm["conversation_id"]
        return confirm

    async def disconnect(self) -> None:
        """Close the connection without waiting for the pending long-poll request to return."""
        if self.client.eio.state == "connected":
            await self.client.eio.disconnect(abort=True)

    def mark(self) -> int:
        """Return the current event count, to wait only for later events."""
        return len(self.events)

    async def wait_for(
        self,
        name: str,
        predicate: Callable[[Any], bool] = lambda data: True,
        since: int = 0,
        timeout: float = EVENT_TIMEOUT_SECONDS,
    ) -> Any:
        """Wait for an event named ``name`` after index ``since`` that matches ``predicate``."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            for event, data in self.events[since:]:
                if event == name and predicate(data):
                    return data
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError(
                    "no %r event within %.0f s; events since %d: %r" % (name, timeout, since, self.events[since:])
                )
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), timeout=remaining)
            except asyncio.TimeoutError:
                pass

    def messages(self, since: int = 0, sender: Optional[str] = None) -> list[dict[str, Any]]:
        """Return ``message`` events after ``since``, optionally from one sender."""
        return [
            data for event, data in self.events[since:] if event == "message" and (sender is None or data["sender"] == sender)
        ]

    async def say(self, text: str) -> int:
        """Send typed text; returns the event index before sending."""
        mark = self.mark()
        await self.client.emit("user_message", {"text": text})
        return mark

    async def click(self, title: str, payload: str) -> int:
        """Send a button click; returns the event index before sending."""
        mark = self.mark()
        await self.client.emit("user_message", {"title": title, "payload": payload})
        return mark

    async def emit(self, event: str, data: Any) -> int:
        """Send any event; returns the event index before sending."""
        mark = self.mark()
        await self.client.emit(event, data)
        return mark

    async def ask_for_person(self) -> dict[str, Any]:
        """Ask the bot for a person and return the resulting ``handoff_state``."""
        mark = await self.say("I want to talk to a real person")
        return await self.wait_for("handoff_state", since=mark)


class Agent:
    """An agent using the desk over HTTP, with cookies kept like a browser keeps them."""

    def __init__(self, base_url: str) -> None:
        """Prepare a client for the desk at ``base_url``; Secure cookies are sent over loopback HTTP."""
        self.base_url = base_url
        jar = aiohttp.CookieJar(unsafe=True, treat_as_secure_origin=[URL(base_url)])
        self.http = aiohttp.ClientSession(cookie_jar=jar)
        self.csrf: Optional[str] = None

    async def close(self) -> None:
        """Close the HTTP session."""
        await self.http.close()

    async def get(self, path: str, **kwargs: Any) -> tuple[int, str]:
        """GET a desk page; returns status and body, following redirects."""
        async with self.http.get(self.base_url + path, **kwargs) as response:
            body = await response.text()
            found = CSRF_PATTERN.search(body)
            if found and "/desk/login" not in str(response.url):
                self.csrf = html.unescape(found.group(1))
            return response.status, body

    async def get_json(self, path: str) -> tuple[int, Any]:
        """GET a desk JSON endpoint."""
        async with self.http.get(self.base_url + path, headers={"Accept": "application/json"}) as response:
            return response.status, await response.json(content_type=None)

    async def sign_in(self, username: str, password: str) -> tuple[int, str]:
        """Sign in through the login form, with its CSRF token."""
        async with self.http.get(self.base_url + "/desk/login") as response:
            page = await response.text()
        token = html.unescape(CSRF_PATTERN.search(page).group(1))
        async with self.http.post(
            self.base_url + "/desk/login",
            data={"csrf_token": token, "username": username, "password": password},
        ) as response:
            body = await response.text()
            status = response.status
        found = CSRF_PATTERN.search(body)
        if status == 200 and found:
            self.csrf = html.unescape(found.group(1))
        return status, body

    async def post(self, path: str, data: Optional[dict[str, str]] = None, csrf: Optional[str] = None) -> tuple[int, str]:
        """POST a desk form with the session's CSRF token; returns status and body after redirects."""
        form = dict(data or {})
        form["csrf_token"] = csrf if csrf is not None else (self.csrf or "")
        async with self.http.post(self.base_url + path, data=form) as response:
            body = await response.text()
            found = CSRF_PATTERN.search(body)
            if found and "/desk/login" not in str(response.url):
                self.csrf = html.unescape(found.group(1))
            return response.status, body

    async def conversation_action(self, conversation_id: str, action: str, **data: str) -> tuple[int, str]:
        """POST an action (claim, reply, notes, hand-back, close, take-over) for a conversation."""
        return await self.post("/desk/conversations/%s/%s" % (conversation_id, action), data)

    async def transcript(self, conversation_id: str) -> tuple[int, Any]:
        """Return the JSON export of a conversation."""
        async with self.http.get(self.base_url + "/desk/conversations/%s/export.json" % conversation_id) as response:
            body = await response.text()
            if response.status != 200:
                return response.status, body
            return response.status, json.loads(body)


async def poll(check: Callable[[], Any], timeout: float = EVENT_TIMEOUT_SECONDS, interval: float = 0.1) -> Any:
    """Call ``check`` until it returns something truthy, or fail after ``timeout`` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met within %.0f s" % timeout)
        await asyncio.sleep(interval)
