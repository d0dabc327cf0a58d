"""Settings for the gateway: config/gateway.yml, an optional overlay file and environment variables."""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional

import yaml

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_PATH = PROJECT_ROOT / "config" / "gateway.yml"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class OpeningHours:
    """Weekly opening times, closed dates and an optional fixed "now" for tests."""

    timezone: str
    weekly: dict[int, Optional[tuple[dt.time, dt.time]]]
    closed_dates: frozenset[dt.date]
    fixed_now: Optional[dt.datetime] = None


@dataclass(frozen=True)
class WebhookSettings:
    """Webhook address, secret and timeout for posting handoffs and tickets as JSON."""

    enabled: bool
    url: str
    secret_env: str
    timeout_seconds: float


@dataclass(frozen=True)
class EmailSettings:
    """SMTP server and addresses for the team mailbox copy."""

    enabled: bool
    host: str
    port: int
    sender: str
    recipient: str
    starttls: bool
    username_env: str
    password_env: str
    timeout_seconds: float


@dataclass(frozen=True)
class Settings:
    """All gateway settings after the file, the overlay and the environment are applied."""

    host: str
    port: int
    access_log: bool
    rasa_url: str
    rasa_token: str
    rasa_timeout_seconds: float
    database_url: str
    max_message_chars: int
    resident_session_idle_hours: float
    allowed_origins: list[str]
    socket_transports: list[str]
    queue_timeout_minutes: float
    timeout_check_seconds: float
    default_handling_minutes: float
    estimate_sample_size: int
    opening_hours: OpeningHours
    contact_phone: str
    contact_email: str
    consent_text: str
    desk_session_idle_hours: float
    cookie_secure: bool
    sign_in_failures_per_username: int
    sign_in_failures_per_address: int
    sign_in_window_minutes: float
    retry_base_seconds: float
    max_attempts: int
    delivery_poll_seconds: float
    webhook: WebhookSettings
    email: EmailSettings
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


def deep_merge(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """Return a copy of ``base`` with ``overlay`` merged in; nested mappings merge key by key."""
    merged: dict[str, Any] = dict(base)
    for key, value in overlay.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def resolve_database_url(url: str) -> str:
    """Resolve a relative SQLite path against the project root and create its folder.

    Args:
        url: A SQLAlchemy URL such as ``sqlite:///var/gateway.db`` or a PostgreSQL URL.

    Returns:
        The URL with an absolute SQLite path; other URLs are returned unchanged.
    """
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == "sqlite:///:memory:":
        return url
    path = Path(url[len(prefix):])
    if not path.is_absolute():
        path = PROJECT_ROOT / path
    path.parent.mkdir(parents=True, exist_ok=True)
    return prefix + str(path)


def _parse_time(value: str) -> dt.time:
    return dt.datetime.strptime(str(value), "%H:%M").time()


def _parse_opening_hours(section: Mapping[str, Any], fixed_now: Optional[str]) -> OpeningHours:
    weekly: dict[int, Optional[tuple[dt.time, dt.time]]] = {}
    days = section.get("weekly") or {}
    for index, name in enumerate(WEEKDAYS):
        span = days.get(name)
        if not span:
            weekly[index] = None
            continue
        if len(span) != 2:
            raise ValueError(
                "opening_hours.weekly.%s must be [open, close] like [\"09:00\", \"15:00\"]" % name
            )
        weekly[index] = (_parse_time(span[0]), _parse_time(span[1]))
    closed = frozenset(dt.date.fromisoformat(str(day)) for day in section.get("closed_dates") or [])
    now = dt.datetime.fromisoformat(fixed_now) if fixed_now else None
    return OpeningHours(
        timezone=str(section.get("timezone", "Europe/London")),
        weekly=weekly,
        closed_dates=closed,
        fixed_now=now,
    )


def load_settings(environ: Optional[Mapping[str, str]] = None) -> Settings:
    """Read config/gateway.yml, merge the ``GATEWAY_CONFIG`` overlay and apply environment overrides.

    Args:
        environ: Environment to read; defaults to ``os.environ``.

    Returns:
        The settings the gateway runs with.

    Raises:
        FileNotFoundError: If config/gateway.yml or the overlay file is missing.
        ValueError: If a value has the wrong form.
    """
    env = os.environ if environ is None else environ
    with DEFAULT_CONFIG_PATH.open(encoding="utf-8") as handle:
        raw: dict[str, Any] = yaml.safe_load(handle) or {}
    overlay_path = env.get("GATEWAY_CONFIG")
    if overlay_path:
        with open(overlay_path, encoding="utf-8") as handle:
            raw = deep_merge(raw, yaml.safe_load(handle) or {})

    server = raw.get("server", {})
    rasa = raw.get("rasa", {})
    resident = raw.get("resident", {})
    handoff = raw.get("handoff", {})
    contact = raw.get("contact", {})
    desk = raw.get("desk", {})
    delivery = raw.get("delivery", {})
    webhook = delivery.get("webhook", {})
    email = delivery.get("email", {})
    hours = raw.get("opening_hours", {})

    return Settings(
        host=env.get("GATEWAY_HOST") or str(server.get("host", "127.0.0.1")),
        port=int(env.get("GATEWAY_PORT") or server.get("port", 8080)),
        access_log=bool(server.get("access_log", False)),
        rasa_url=(env.get("RASA_URL") or str(rasa.get("url", "http://127.0.0.1:5005"))).rstrip("/"),
        rasa_token=env.get("RASA_TOKEN", ""),
        rasa_timeout_seconds=float(rasa.get("timeout_seconds", 30)),
        database_url=resolve_database_url(
            env.get("GATEWAY_DATABASE_URL") or str(raw.get("database", {}).get("url", "sqlite:///var/gateway.db"))
        ),
        max_message_chars=int(resident.get("max_message_chars", 2000)),
        resident_session_idle_hours=float(resident.get("session_idle_hours", 24)),
        allowed_origins=list(resident.get("allowed_origins") or []),
        socket_transports=list(resident.get("socket_transports") or ["polling"]),
        queue_timeout_minutes=float(handoff.get("queue_timeout_minutes", 30)),
        timeout_check_seconds=float(handoff.get("timeout_check_seconds", 15)),
        default_handling_minutes=float(handoff.get("default_handling_minutes", 8)),
        estimate_sample_size=int(handoff.get("estimate_sample_size", 20)),
        opening_hours=_parse_opening_hours(hours, env.get("GATEWAY_HOURS_NOW") or hours.get("fixed_now")),
        contact_phone=str(contact.get("phone", "0345 678 9000")),
        contact_email=str(contact.get("email", "customer.service@shropshire.gov.uk")),
        consent_text=str(contact.get("consent_text", "")).strip(),
        desk_session_idle_hours=float(desk.get("session_idle_hours", 8)),
        cookie_secure=bool(desk.get("cookie_secure", True)),
        sign_in_failures_per_username=int(desk.get("sign_in_failures_per_username", 5)),
        sign_in_failures_per_address=int(desk.get("sign_in_failures_per_address", 20)),
        sign_in_window_minutes=float(desk.get("sign_in_window_minutes", 15)),
        retry_base_seconds=float(delivery.get("retry_base_seconds", 5)),
        max_attempts=int(delivery.get("max_attempts", 6)),
        delivery_poll_seconds=float(delivery.get("poll_seconds", 2)),
        webhook=WebhookSettings(
            enabled=bool(webhook.get("enabled", False)),
            url=str(webhook.get("url") or ""),
            secret_env=str(webhook.get("secret_env") or "GATEWAY_WEBHOOK_SECRET"),
            timeout_seconds=float(webhook.get("timeout_seconds", 10)),
        ),
        email=EmailSettings(
            enabled=bool(email.get("enabled", False)),
            host=str(email.get("host", "127.0.0.1")),
            port=int(email.get("port", 25)),
            sender=str(email.get("from", "")),
            recipient=str(email.get("to", "")),
            starttls=bool(email.get("starttls", False)),
            username_env=str(email.get("username_env") or ""),
            password_env=str(email.get("password_env") or ""),
            timeout_seconds=float(email.get("timeout_seconds", 10)),
        ),
        raw=raw,
    )
