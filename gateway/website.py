"""Public website routes: the demo page, the privacy page, the widget files and /health."""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from typing import Optional

from sanic import Blueprint, Request
from sanic.exceptions import NotFound
from sanic.response import HTTPResponse, file, json

from gateway.config import PROJECT_ROOT

logger = logging.getLogger(__name__)

blueprint = Blueprint("website")

WIDGET_DIR = PROJECT_ROOT / "widget"
WIDGET_SOURCE = WIDGET_DIR / "src"
DEMO_DIR = WIDGET_DIR / "demo"
SOCKET_IO_CLIENT = WIDGET_DIR / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
DESK_STATIC = Path(__file__).resolve().parent / "desk" / "static"


def _inside(base: Path, relative: str) -> Optional[Path]:
    """Return ``base / relative`` if it is an existing file inside ``base``, else None."""
    candidate = (base / relative).resolve()
    try:
        candidate.relative_to(base.resolve())
    except ValueError:
        return None
    return candidate if candidate.is_file() else None


async def _serve(path: Optional[Path]) -> HTTPResponse:
    if path is None or not path.is_file():
        raise NotFound("Not found")
    mime_type = mimetypes.guess_type(str(path))[0] or "application/octet-stream"
    if mime_type.startswith("text/") or mime_type in ("application/javascript", "application/json"):
        mime_type += "; charset=utf-8"
    return await file(str(path), mime_type=mime_type)


@blueprint.get("/")
async def demo_page(request: Request) -> HTTPResponse:
    """Serve the demo page with the widget."""
    return await _serve(_inside(DEMO_DIR, "index.html"))


@blueprint.get("/privacy")
async def privacy_page(request: Request) -> HTTPResponse:
    """Serve the privacy notice."""
    return await _serve(_inside(DEMO_DIR, "privacy.html"))


@blueprint.get("/widget/vendor/socket.io.min.js")
async def socket_io_client(request: Request) -> HTTPResponse:
    """Serve the socket.io browser client from the widget's node_modules."""
    return await _serve(SOCKET_IO_CLIENT if SOCKET_IO_CLIENT.is_file() else None)


@blueprint.get("/widget/<name:path>")
async def widget_file(request: Request, name: str) -> HTTPResponse:
    """Serve a file from widget/src, nested folders included, to pages on any origin.

    widget.js loads the widget's ES modules, which browsers fetch in CORS mode, so a council page
    on another origin needs Access-Control-Allow-Origin. These files are public and are fetched
    without cookies, so ``*`` is safe.
    """
    response = await _serve(_inside(WIDGET_SOURCE, name))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@blueprint.get("/desk/static/<name:path>")
async def desk_static(request: Request, name: str) -> HTTPResponse:
    """Serve the desk's script and style sheet."""
    return await _serve(_inside(DESK_STATIC, name))


@blueprint.get("/health")
async def health(request: Request) -> HTTPResponse:
    """Report whether the database works (HTTP 503 if not) and whether Rasa responds."""
    gateway = request.app.ctx.gateway
    database_ok = gateway.database.ping()
    rasa_ok = await gateway.rasa.is_up()
    if not database_ok:
        status = "error"
    elif not rasa_ok:
        status = "degraded"
    else:
        status = "ok"
    body = {
        "status": status,
        "database": "ok" if database_ok else "error",
        "rasa": "ok" if rasa_ok else "unreachable",
    }
    return json(body, status=200 if database_ok else 503)
