"""Desk sessions, CSRF checks, cookies and security headers."""

from __future__ import annotations

import datetime as dt
import functools
import hmac
import logging
import secrets
from typing import Any, Awaitable, Callable, Optional
from urllib.parse import urlsplit

from sanic import Request
from sanic.response import HTTPResponse, redirect
from sanic.response import json as json_response

from gateway.accounts import load_session
from gateway.desk.render import render
from gateway.runtime import Gateway

logger = logging.getLogger(__name__)

SESSION_COOKIE = "desk_session"
LOGIN_CSRF_COOKIE = "desk_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"

Handler = Callable[..., Awaitable[HTTPResponse]]


def gateway_of(request: Request) -> Gateway:
    """Return the running gateway."""
    return request.app.ctx.gateway


def client_address(request: Request) -> str:
    """Return the client's IP address from the socket; proxy headers are ignored."""
    return (request.ip or "unknown")[:64]


def set_cookie(response: HTTPResponse, request: Request, name: str, value: str, path: str, max_age: Optional[int]) -> None:
    """Set a cookie that scripts cannot read, that other sites cannot send, and that is Secure if configured."""
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["path"] = path
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    if gateway_of(request).settings.cookie_secure:
        cookie["secure"] = True
    if max_age is not None:
        cookie["max-age"] = max_age


def clear_cookie(response: HTTPResponse, request: Request, name: str, path: str) -> None:
    """Expire a cookie in the browser."""
    set_cookie(response, request, name, "", path, 0)


def new_csrf_token() -> str:
    """Return a new random CSRF token."""
    return secrets.token_urlsafe(32)


def tokens_match(expected: Optional[str], given: Optional[str]) -> bool:
    """Compare two tokens in constant time; missing tokens never match."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def submitted_csrf(request: Request) -> Optional[str]:
    """Return the CSRF token from the form field or the ``X-CSRF-Token`` header."""
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    if request.form:
        return request.form.get(CSRF_FIELD)
    return None


def same_origin(request: Request) -> bool:
    """Return False when the request carries an Origin header for another host."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.host


def wants_json(request: Request) -> bool:
    """Return True for requests from the desk script, which expects JSON."""
    return "application/json" in (request.headers.get("accept") or "")


def forbidden(request: Request, message: str, status: int = 403) -> HTTPResponse:
    """Return an error page, or a JSON error for the desk script."""
    if wants_json(request):
        return json_response({"error": message}, status=status)
    return render(request, "error.html", {"title": "Not allowed", "message": message}, status=status)


def agent_required(manager: bool = False) -> Callable[[Handler], Handler]:
    """Require a live desk session; POST requests also need a matching CSRF token and origin.

    The handler finds the agent in ``request.ctx.agent`` and the CSRF token in ``request.ctx.csrf``.
    """

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def wrapper(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            gateway = gateway_of(request)
            idle = dt.timedelta(hours=gateway.settings.desk_session_idle_hours)
            with gateway.database.session() as session:
                desk_session = load_session(session, request.cookies.get(SESSION_COOKIE), idle)
                if desk_session is not None:
                    agent = desk_session.agent
                    csrf = desk_session.csrf_token
            if desk_session is None:
                if wants_json(request):
                    return json_response({"error": "Your session has ended. Please sign in again."}, status=401)
                return redirect("/desk/login?expired=1" if request.cookies.get(SESSION_COOKIE) else "/desk/login")
            if request.method == "POST":
                if not same_origin(request) or not tokens_match(csrf, submitted_csrf(request)):
                    logger.warning("desk request rejected: CSRF check failed", extra={"agent_id": agent.id})
                    return forbidden(request, "The form has expired. Go back, reload the page and try again.")
            if manager and not agent.is_manager:
                return forbidden(request, "Only managers can see this page.")
            request.ctx.agent = agent
            request.ctx.csrf = csrf
            return await handler(request, *args, **kwargs)

        return wrapper

    return decorate


def add_security_headers(request: Request, response: HTTPResponse) -> None:
    """Add headers that stop framing, sniffing, caching and inline scripts on desk pages."""
    if not request.path.startswith("/desk"):
        return
    response.headers.setdefault("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if not request.path.startswith("/desk/static/"):
        response.headers.setdefault("Cache-Control", "no-store")
