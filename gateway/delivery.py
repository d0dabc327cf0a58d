"""Delivery of handoffs and tickets to a webhook and to the team mailbox, with retries.

Deliveries are rows in the database, so pending ones survive a restart. A failed attempt is
retried after ``retry_base_seconds * 2 ** (attempt - 1)`` until ``max_attempts`` is reached; then
the delivery is marked failed and shown on the desk's deliveries page.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import smtplib
from email.message import EmailMessage
from typing import Any, Optional

import aiohttp
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.clock import utcnow
from gateway.config import Settings
from gateway.db import Database
from gateway.models import Delivery
from gateway.transcripts import transcript_text

logger = logging.getLogger(__name__)

CHANNEL_WEBHOOK = "webhook"
CHANNEL_EMAIL = "email"
SIGNATURE_HEADER = "X-Signature-SHA256"


class DeliveryFailed(Exception):
    """One delivery attempt failed; the message is stored as the delivery's last error."""


def sign(body: bytes, secret: str) -> str:
    """Return the hex HMAC-SHA256 of ``body`` that goes in the ``X-Signature-SHA256`` header."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def encode_payload(payload: dict[str, Any]) -> bytes:
    """Return the exact bytes that are posted and signed."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("utf-8")


def enqueue(session: Session, settings: Settings, event: str, conversation_id: str, payload: dict[str, Any]) -> list[Delivery]:
    """Queue ``payload`` for every enabled channel; returns the new deliveries (none if all are off)."""
    channels = []
    if settings.webhook.enabled:
        channels.append(CHANNEL_WEBHOOK)
    if settings.email.enabled:
        channels.append(CHANNEL_EMAIL)
    deliveries = []
    for channel in channels:
        delivery = Delivery(
            channel=channel,
            event=event,
            conversation_id=conversation_id,
            payload=payload,
            status="pending",
            attempts=0,
            next_attempt_at=utcnow(),
        )
        session.add(delivery)
        deliveries.append(delivery)
    session.flush()
    for delivery in deliveries:
        delivery.payload = {**payload, "delivery_id": delivery.id}
    return deliveries


class DeliveryWorker:
    """Sends due deliveries in the background."""

    def __init__(self, settings: Settings, database: Database) -> None:
        """Keep the settings and database; call :meth:`run` as a background task."""
        self.settings = settings
        self.database = database
        self._wake = asyncio.Event()
        self._http: Optional[aiohttp.ClientSession] = None

    def wake(self) -> None:
        """Check for due deliveries now instead of at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        """Send due deliveries until cancelled."""
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.settings.webhook.timeout_seconds))
        try:
            while True:
                try:
                    await self.process_due()
                except Exception:  # noqa: BLE001 - keep the worker alive; the error is logged
                    logger.exception("delivery pass failed")
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=self.settings.delivery_poll_seconds)
                except asyncio.TimeoutError:
                    pass
                self._wake.clear()
        finally:
            await self._http.close()

    async def process_due(self) -> None:
        """Attempt every pending delivery whose next attempt time has come."""
        with self.database.session() as session:
            due = list(
                session.execute(
                    select(Delivery.id)
                    .where(Delivery.status == "pending", Delivery.next_attempt_at <= utcnow())
                    .order_by(Delivery.id)
                ).scalars()
            )
        for delivery_id in due:
            await self._attempt(delivery_id)

    async def _attempt(self, delivery_id: int) -> None:
        with self.database.session() as session:
            delivery = session.get(Delivery, delivery_id)
            channel, payload, attempt = delivery.channel, dict(delivery.payload), delivery.attempts + 1
            conversation_id = delivery.conversation_id
        error: Optional[str] = None
        try:
            if channel == CHANNEL_WEBHOOK:
                await self._send_webhook(payload)
            elif channel == CHANNEL_EMAIL:
                await asyncio.to_thread(self._send_email, payload)
            else:
                raise DeliveryFailed("unknown channel %s" % channel)
        except DeliveryFailed as failure:
            error = str(failure)[:500]
        with self.database.session() as session:
            delivery = session.get(Delivery, delivery_id)
            delivery.attempts = attempt
            log_extra = {
                "delivery_id": delivery_id,
                "conversation_id": conversation_id,
                "attempt": attempt,
                "event": channel,
            }
            if error is None:
                delivery.status = "sent"
                delivery.sent_at = utcnow()
                delivery.last_error = None
                logger.info("delivery sent", extra=log_extra)
                return
            delivery.last_error = error
            if attempt >= self.settings.max_attempts:
                delivery.status = "failed"
                logger.error("delivery failed, no retries left", extra={**log_extra, "error": error})
                return
            delay = self.settings.retry_base_seconds * 2 ** (attempt - 1)
            delivery.next_attempt_at = utcnow() + dt.timedelta(seconds=delay)
            logger.warning("delivery attempt failed, will retry", extra={**log_extra, "error": error})

    async def _send_webhook(self, payload: dict[str, Any]) -> None:
        settings = self.settings.webhook
        secret = os.environ.get(settings.secret_env, "")
        if not secret:
            raise DeliveryFailed("environment variable %s with the webhook secret is not set" % settings.secret_env)
        if not settings.url:
            raise DeliveryFailed("delivery.webhook.url is not set")
        body = encode_payload(payload)
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, secret)}
        assert self._http is not None
        try:
            async with self._http.post(settings.url, data=body, headers=headers) as response:
                if response.status >= 300:
                    raise DeliveryFailed("webhook returned HTTP %d" % response.status)
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            raise DeliveryFailed("webhook request failed: %s" % type(error).__name__) from error

    def _send_email(self, payload: dict[str, Any]) -> None:
        settings = self.settings.email
        message = EmailMessage()
        if payload.get("event") == "ticket":
            message["Subject"] = "Message left out of hours (ticket %s)" % payload["ticket"]["id"]
        else:
            handoff = payload.get("handoff") or {}
            urgent = "Urgent: " if handoff.get("urgent") else ""
            message["Subject"] = "%sResident waiting for an adviser (reason: %s)" % (urgent, handoff.get("reason"))
        message["From"] = settings.sender
        message["To"] = settings.recipient
        message.set_content(transcript_text(payload["transcript"], payload.get("ticket")))
        try:
            with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds) as smtp:
                if settings.starttls:
                    smtp.starttls()
                username = os.environ.get(settings.username_env, "") if settings.username_env else ""
                if username:
                    smtp.login(username, os.environ.get(settings.password_env, ""))
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryFailed("email failed: %s" % type(error).__name__) from error
