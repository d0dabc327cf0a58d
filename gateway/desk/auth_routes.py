"""Desk sign-in and sign-out."""

from __future__ import annotations

import datetime as dt
import logging

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, redirect

from gateway.accounts import SignInLimits, SignInResult, end_session, sign_in, start_session
from gateway.desk.render import render
from gateway.desk.security import (
    CSRF_FIELD,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    agent_required,
    clear_cookie,
    client_address,
    gateway_of,
    new_csrf_token,
    same_origin,
    set_cookie,
    tokens_match,
)

logger = logging.getLogger(__name__)

blueprint = Blueprint("desk_auth", url_prefix="/desk")

LOGIN_PATH = "/desk/login"


def _login_page(request: Request, message: str = "", status: int = 200, username: str = "") -> HTTPResponse:
    token = new_csrf_token()
    response = render(
        request,
        "login.html",
        {"login_csrf": token, "message": message, "username": username, "title": "Sign in"},
        status=status,
    )
    set_cookie(response, request, LOGIN_CSRF_COOKIE, token, LOGIN_PATH, 3600)
    return response


@blueprint.get("/login")
async def login_form(request: Request) -> HTTPResponse:
    """Show the sign-in form with a fresh CSRF token."""
    message = "Your session has ended. Please sign in again." if request.args.get("expired") else ""
    return _login_page(request, message)


@blueprint.post("/login")
async def login(request: Request) -> HTTPResponse:
    """Check the username and password and start a desk session."""
    gateway = gateway_of(request)
    form = request.form or {}
    if not same_origin(request) or not tokens_match(request.cookies.get(LOGIN_CSRF_COOKIE), form.get(CSRF_FIELD)):
        return _login_page(request, "The form has expired. Please try again.", status=403)
    username = (form.get("username") or "").strip()
    password = form.get("password") or ""
    limits = SignInLimits(
        per_username=gateway.settings.sign_in_failures_per_username,
        per_address=gateway.settings.sign_in_failures_per_address,
        window=dt.timedelta(minutes=gateway.settings.sign_in_window_minutes),
    )
    with gateway.database.session() as session:
        result, agent = sign_in(session, username, password, client_address(request), limits)
        token = None
        if result is SignInResult.OK and agent is not None:
            token, _desk_session = start_session(session, agent)
            agent_id = agent.id
    if result is SignInResult.RATE_LIMITED:
        logger.warning("sign-in rate limited", extra={"reason": "rate_limited"})
        return _login_page(
            request,
            "Too many failed sign-ins. Wait %d minutes and try again." % int(gateway.settings.sign_in_window_minutes),
            status=429,
            username=username,
        )
    if token is None:
        logger.info("sign-in failed", extra={"reason": "invalid_credentials"})
        return _login_page(request, "The username or password is wrong.", status=401, username=username)
    logger.info("agent signed in", extra={"agent_id": agent_id})
    response = redirect("/desk/", status=303)
    set_cookie(response, request, SESSION_COOKIE, token, "/desk", None)
    clear_cookie(response, request, LOGIN_CSRF_COOKIE, LOGIN_PATH)
    return response


@blueprint.post("/logout")
@agent_required()
async def logout(request: Request) -> HTTPResponse:
    """End the desk session."""
    gateway = gateway_of(request)
    with gateway.database.session() as session:
        end_session(session, request.cookies.get(SESSION_COOKIE))
    logger.info("agent signed out", extra={"agent_id": request.ctx.agent.id})
    response = redirect(LOGIN_PATH, status=303)
    clear_cookie(response, request, SESSION_COOKIE, "/desk")
    return response
