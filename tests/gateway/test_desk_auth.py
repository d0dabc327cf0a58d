"""End to end: desk sign-in, CSRF, session expiry, rate limits, cookie flags and manager pages."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import re
from typing import Any

import aiohttp
import pytest
from sqlalchemy import create_engine, text

from tests.gateway.gateway_clients import CSRF_PATTERN, Agent

pytestmark = pytest.mark.timeout(300)

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def accounts(gateway_stack: Any) -> None:
    """Create an adviser, a manager and an account for the rate-limit test."""
    gateway_stack.create_agent("sam", PASSWORD, "Sam", "Customer adviser")
    gateway_stack.create_agent("morgan", PASSWORD, "Morgan", "Team manager", manager=True)
    gateway_stack.create_agent("riley", PASSWORD, "Riley", "Customer adviser")


def test_wrong_password_rejected(gateway_stack: Any, accounts: None) -> None:
    async def scenario() -> None:
        agent = Agent(gateway_stack.base_url)
        try:
            status, page = await agent.sign_in("sam", "wrong password here")
            assert status == 401
            assert "The username or password is wrong." in page
            status, page = await agent.sign_in("nobody", "wrong password here")
            assert status == 401
            async with agent.http.get(gateway_stack.base_url + "/desk/queue", allow_redirects=False) as response:
                assert response.status in (302, 303)
                assert response.headers["Location"].startswith("/desk/login")
        finally:
            await agent.close()

    asyncio.run(scenario())


def test_session_cookie_flags(gateway_stack: Any, accounts: None) -> None:
    async def scenario() -> None:
        async with aiohttp.ClientSession() as http:
            async with http.get(gateway_stack.base_url + "/desk/login") as response:
                page = await response.text()
                login_cookie = response.headers["Set-Cookie"]
            token = html.unescape(CSRF_PATTERN.search(page).group(1))
            csrf_value = re.search(r"desk_login_csrf=([^;]+)", login_cookie).group(1)
            async with http.post(
                gateway_stack.base_url + "/desk/login",
                data={"csrf_token": token, "username": "sam", "password": PASSWORD},
                headers={"Cookie": "desk_login_csrf=%s" % csrf_value},
                allow_redirects=False,
            ) as response:
                assert response.status == 303
                cookies = response.headers.getall("Set-Cookie")
        session_cookie = [c for c in cookies if c.startswith("desk_session=")][0]
        assert "HttpOnly" in session_cookie
        assert "Secure" in session_cookie
        assert "SameSite=Strict" in session_cookie
        assert "Path=/desk" in session_cookie

    asyncio.run(scenario())


def test_forms_need_csrf_token(gateway_stack: Any, accounts: None) -> None:
    async def scenario() -> None:
        agent = Agent(gateway_stack.base_url)
        try:
            async with agent.http.get(gateway_stack.base_url + "/desk/login") as response:
                await response.text()
            async with agent.http.post(
                gateway_stack.base_url + "/desk/login",
                data={"csrf_token": "forged", "username": "sam", "password": PASSWORD},
            ) as response:
                assert response.status == 403

            status, _ = await agent.sign_in("sam", PASSWORD)
            assert status == 200
            status, _ = await agent.post("/desk/logout", csrf="forged")
            assert status == 403
            status, _ = await agent.get("/desk/queue")
            assert status == 200
            async with agent.http.post(
                gateway_stack.base_url + "/desk/logout",
                data={"csrf_token": agent.csrf},
                headers={"Origin": "http://evil.example"},
            ) as response:
                assert response.status == 403
            status, page = await agent.post("/desk/logout")
            assert status == 200
            assert "Sign in" in page
            async with agent.http.get(gateway_stack.base_url + "/desk/queue", allow_redirects=False) as response:
                assert response.status in (302, 303)
        finally:
            await agent.close()

    asyncio.run(scenario())


def test_expired_session_signs_out(gateway_stack: Any, accounts: None) -> None:
    async def scenario() -> None:
        agent = Agent(gateway_stack.base_url)
        try:
            status, _ = await agent.sign_in("sam", PASSWORD)
            assert status == 200
            engine = create_engine(gateway_stack.database_url)
            with engine.begin() as connection:
                connection.execute(
                    text("UPDATE agent_sessions SET last_seen_at = :old"),
                    {"old": dt.datetime.utcnow() - dt.timedelta(hours=9)},
                )
            engine.dispose()
            async with agent.http.get(gateway_stack.base_url + "/desk/queue", allow_redirects=False) as response:
                assert response.status in (302, 303)
                assert response.headers["Location"] == "/desk/login?expired=1"
            status, body = await agent.get_json("/desk/queue.json")
            assert status == 401
        finally:
            await agent.close()

    asyncio.run(scenario())


def test_failed_sign_ins_rate_limited(gateway_stack: Any, accounts: None) -> None:
    async def scenario() -> None:
        agent = Agent(gateway_stack.base_url)
        try:
            for _ in range(5):
                status, _ = await agent.sign_in("riley", "not the password")
                assert status == 401
            status, page = await agent.sign_in("riley", PASSWORD)
            assert status == 429
            assert "Too many failed sign-ins" in page
            status, _ = await agent.sign_in("sam", PASSWORD)
            assert status == 200
        finally:
            await agent.close()

    asyncio.run(scenario())


def test_figures_for_managers_only(gateway_stack: Any, accounts: None) -> None:
    async def scenario() -> None:
        adviser = Agent(gateway_stack.base_url)
        manager = Agent(gateway_stack.base_url)
        try:
            await adviser.sign_in("sam", PASSWORD)
            status, _ = await adviser.get("/desk/figures")
            assert status == 403
            await manager.sign_in("morgan", PASSWORD)
            status, page = await manager.get("/desk/figures")
            assert status == 200
            assert "Containment" in page
            status, figures = await manager.get_json("/desk/figures?period=all")
            assert status == 200
            assert {"conversations", "handoffs", "containment", "feedback"} <= set(figures)
            for path in ("/desk/tickets", "/desk/deliveries", "/desk/queue"):
                status, page = await manager.get(path)
                assert status == 200
                assert '<main id="main"' in page
                assert "<h1>" in page
        finally:
            await adviser.close()
            await manager.close()

    asyncio.run(scenario())


def test_website_routes(gateway_stack: Any, accounts: None) -> None:
    async def scenario() -> None:
        async with aiohttp.ClientSession() as http:
            async with http.get(gateway_stack.base_url + "/health") as response:
                assert response.status == 200
                health = await response.json()
            assert health["database"] == "ok"
            assert health["rasa"] == "ok"
            async with http.get(gateway_stack.base_url + "/widget/../../config/gateway.yml") as response:
                assert response.status == 404
            async with http.get(gateway_stack.base_url + "/widget/no-such-file.js") as response:
                assert response.status == 404
            async with http.get(gateway_stack.base_url + "/desk/static/desk.js") as response:
                assert response.status == 200
            async with http.get(gateway_stack.base_url + "/socket.io/?EIO=4&transport=polling") as response:
                handshake = await response.text()
            assert '"upgrades":[]' in handshake

    asyncio.run(scenario())
