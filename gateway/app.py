"""Builds the Sanic application: socket.io for residents, the desk, the website and background tasks."""

from __future__ import annotations

import asyncio
import logging
from typing import Optional

import socketio
from sanic import Sanic

from gateway import resident
from gateway.config import Settings
from gateway.db import Database
from gateway.delivery import DeliveryWorker
from gateway.desk import admin_routes, auth_routes, conversation_routes, queue_routes
from gateway.desk.security import add_security_headers
from gateway.handoff_flow import run_queue_timeouts
from gateway.hours import OpeningTimes
from gateway.hub import ResidentHub
from gateway.rasa_client import RasaClient
from gateway.runtime import Gateway
from gateway import website

logger = logging.getLogger(__name__)

# Largest socket.io message accepted, in bytes. A 2,000-character message in UTF-8 fits easily.
MAX_SOCKET_MESSAGE_BYTES = 64 * 1024


def create_app(settings: Settings, name: str = "gateway") -> Sanic:
    """Create the gateway application and its shared parts; tables are created here."""
    database = Database(settings.database_url)
    database.create_tables()

    sio = socketio.AsyncServer(
        async_mode="sanic",
        transports=settings.socket_transports,
        allow_upgrades="websocket" in settings.socket_transports,
        cors_allowed_origins=settings.allowed_origins or None,
        max_http_buffer_size=MAX_SOCKET_MESSAGE_BYTES,
        logger=False,
        engineio_logger=False,
    )
    # Sanic's own logging set-up is off so that every record goes out as a JSON line.
    app = Sanic(name, configure_logging=False)
    app.config.REQUEST_MAX_SIZE = 1024 * 1024
    app.config.FALLBACK_ERROR_FORMAT = "html"
    # python-engineio expects this setting when it runs under Sanic.
    app.config["CORS_SUPPORTS_CREDENTIALS"] = True
    sio.attach(app)

    gateway = Gateway(
        settings=settings,
        database=database,
        hours=OpeningTimes(settings.opening_hours),
        rasa=RasaClient(settings.rasa_url, settings.rasa_token, settings.rasa_timeout_seconds),
        hub=ResidentHub(sio),
        deliveries=DeliveryWorker(settings, database),
    )
    app.ctx.gateway = gateway
    app.ctx.tasks = []
    resident.register(sio, gateway)

    for blueprint in (
        website.blueprint,
        auth_routes.blueprint,
        queue_routes.blueprint,
        conversation_routes.blueprint,
        admin_routes.blueprint,
    ):
        app.blueprint(blueprint)

    app.register_middleware(add_security_headers, "response")

    @app.listener("after_server_start")
    async def start_background(app: Sanic, _loop: Optional[asyncio.AbstractEventLoop] = None) -> None:
        await gateway.rasa.start()
        app.ctx.tasks = [
            asyncio.create_task(run_queue_timeouts(gateway)),
            asyncio.create_task(gateway.deliveries.run()),
        ]
        logger.info("gateway started", extra={"event": "start"})

    @app.listener("before_server_stop")
    async def stop_background(app: Sanic, _loop: Optional[asyncio.AbstractEventLoop] = None) -> None:
        for task in app.ctx.tasks:
            task.cancel()
        await asyncio.gather(*app.ctx.tasks, return_exceptions=True)
        await gateway.rasa.close()
        gateway.database.dispose()
        logger.info("gateway stopped", extra={"event": "stop"})

    return app
