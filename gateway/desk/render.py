"""Jinja2 rendering for desk pages, with autoescaping and shared page context."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any, Optional

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Request
from sanic.response import HTTPResponse, html

from gateway.clock import format_local, iso_utc

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"

environment = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
def _format_iso_local(value: Optional[str]) -> str:
    """Format an ISO 8601 UTC time string, as transcripts store it, as UK local time."""
    if not value:
        return ""
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return format_local(parsed)


environment.filters["local_time"] = format_local
environment.filters["local_time_text"] = _format_iso_local
environment.filters["iso"] = iso_utc


def _minutes(value: Optional[float]) -> str:
    if value is None:
        return ""
    minutes = int(value)
    if minutes < 1:
        return "under a minute"
    return "1 minute" if minutes == 1 else "%d minutes" % minutes


environment.filters["minutes"] = _minutes


def render_text(template: str, context: dict[str, Any]) -> str:
    """Render a template to a string."""
    return environment.get_template(template).render(**context)


def render(request: Request, template: str, context: Optional[dict[str, Any]] = None, status: int = 200) -> HTTPResponse:
    """Render a desk page, adding the signed-in agent and CSRF token when there are any."""
    page = {
        "agent": getattr(request.ctx, "agent", None),
        "csrf_token": getattr(request.ctx, "csrf", None),
        "path": request.path,
    }
    page.update(context or {})
    return html(render_text(template, page), status=status)
