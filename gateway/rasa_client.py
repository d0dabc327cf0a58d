"""HTTP client for the Rasa server: the REST channel and the tracker endpoint."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Optional

import aiohttp

logger = logging.getLogger(__name__)


class RasaUnavailable(Exception):
    """Rasa could not be reached, failed, or gave a reply the gateway cannot use."""


@dataclass(frozen=True)
class SeenIntent:
    """The intent and confidence Rasa recorded for the latest resident message."""

    name: Optional[str]
    confidence: Optional[float]


class RasaClient:
    """Sends resident messages to Rasa and reads back what it understood."""

    def __init__(self, base_url: str, token: str, timeout_seconds: float) -> None:
        """Store the Rasa address, the API token and the per-request timeout."""
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._http: Optional[aiohttp.ClientSession] = None

    async def start(self) -> None:
        """Open the HTTP connection pool; call once the event loop runs."""
        self._http = aiohttp.ClientSession(timeout=self.timeout)

    async def close(self) -> None:
        """Close the HTTP connection pool."""
        if self._http is not None:
            await self._http.close()
            self._http = None

    @property
    def http(self) -> aiohttp.ClientSession:
        """The open HTTP session."""
        if self._http is None:
            raise RuntimeError("RasaClient.start() was not called")
        return self._http

    async def send(self, conversation_id: str, message: str) -> list[dict[str, Any]]:
        """Post one message to the REST channel and return Rasa's reply entries.

        Raises:
            RasaUnavailable: On a connection error, a timeout, a non-200 status, a body that is not
                a JSON list, or an empty list.
        """
        url = self.base_url + "/webhooks/rest/webhook"
        try:
            async with self.http.post(url, json={"sender": conversation_id, "message": message}) as response:
                if response.status != 200:
                    raise RasaUnavailable("Rasa returned HTTP %d" % response.status)
                body = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            raise RasaUnavailable("%s: %s" % (type(error).__name__, error)) from error
        if not isinstance(body, list):
            raise RasaUnavailable("Rasa reply is not a JSON list")
        entries = [entry for entry in body if isinstance(entry, dict)]
        if not entries:
            raise RasaUnavailable("Rasa returned no reply")
        return entries

    async def latest_intent(self, conversation_id: str) -> Optional[SeenIntent]:
        """Read the tracker and return the intent of the latest resident message, or None on failure."""
        url = "%s/conversations/%s/tracker" % (self.base_url, conversation_id)
        params = {"token": self.token} if self.token else {}
        try:
            async with self.http.get(url, params=params) as response:
                if response.status != 200:
                    logger.warning(
                        "tracker request failed",
                        extra={"conversation_id": conversation_id, "status": response.status},
                    )
                    return None
                tracker = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            logger.warning(
                "tracker request failed", extra={"conversation_id": conversation_id, "error": type(error).__name__}
            )
            return None
        intent = ((tracker or {}).get("latest_message") or {}).get("intent") or {}
        confidence = intent.get("confidence")
        return SeenIntent(
            name=intent.get("name"), confidence=float(confidence) if confidence is not None else None
        )

    async def is_up(self) -> bool:
        """Return True when Rasa returns HTTP 200 for ``GET /`` within two seconds."""
        try:
            async with self.http.get(self.base_url + "/", timeout=aiohttp.ClientTimeout(total=2)) as response:
                return response.status == 200
        except (aiohttp.ClientError, TimeoutError):
            return False
