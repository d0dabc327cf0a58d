"""Unit tests: opening hours, input checks, password hashing, Rasa reply parsing and urgent handoffs."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from gateway import texts
from gateway.bot_turn import parse_reply
from gateway.config import load_settings
from gateway.db import Database
from gateway.conversations import create_conversation
from gateway.handoff_flow import begin_handoff
from gateway.hours import OpeningTimes
from gateway.passwords import hash_password, verify_password
from gateway.resident import resolve_input
from gateway.runtime import Gateway
from gateway.validation import ValidationError, check_message_text, normalise_email, normalise_uk_phone
from gateway.website import _inside

LONDON = ZoneInfo("Europe/London")


def london(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.fixture(scope="module")
def hours() -> OpeningTimes:
    """The default opening hours from config/gateway.yml."""
    return OpeningTimes(load_settings({}).opening_hours)


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (london(2026, 6, 8, 9, 0), True),
        (london(2026, 6, 8, 14, 59), True),
        (london(2026, 6, 8, 15, 0), False),
        (london(2026, 6, 8, 8, 59), False),
        (london(2026, 6, 13, 10, 0), False),
        (london(2026, 12, 25, 10, 0), False),
        (london(2026, 12, 28, 10, 0), False),
        (london(2027, 3, 26, 10, 0), False),
        (london(2027, 3, 30, 10, 0), True),
    ],
)
def test_opening_hours(hours: OpeningTimes, moment: dt.datetime, is_open: bool) -> None:
    assert hours.is_open(moment) is is_open


def test_next_open_skips_weekend_and_holidays(hours: OpeningTimes) -> None:
    assert hours.next_open(london(2026, 6, 13, 10, 0)) == london(2026, 6, 15, 9, 0)
    assert hours.describe_next_open(london(2026, 6, 13, 10, 0)) == "Monday at 9am"
    assert hours.describe_next_open(london(2026, 6, 8, 16, 0)) == "tomorrow at 9am"
    assert hours.describe_next_open(london(2026, 6, 8, 7, 0)) == "today at 9am"
    assert hours.next_open(london(2026, 12, 24, 16, 0)) == london(2026, 12, 29, 9, 0)
    assert hours.next_open(london(2026, 4, 2, 15, 30)) == london(2026, 4, 7, 9, 0)


def test_fixed_now_from_environment() -> None:
    settings = load_settings({"GATEWAY_HOURS_NOW": "2026-06-13T10:00:00"})
    assert OpeningTimes(settings.opening_hours).is_open() is False


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("07700 900123", "07700900123"),
        ("+44 7700 900123", "07700900123"),
        ("+44 (0)1743 252000", "01743252000"),
        ("0345 678 9000", "03456789000"),
        ("0800 123 4567", "08001234567"),
        ("09012 345678", None),
        ("07000 123456", None),
        ("+1 212 555 0100", None),
        ("12345", None),
        ("", None),
    ],
)
def test_uk_phone_numbers(raw: str, expected: Any) -> None:
    assert normalise_uk_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "valid"),
    [("jo@example.com", True), (" jo.bloggs+council@shropshire.gov.uk ", True), ("jo@", False), ("jo bloggs@x.com", False), ("jo@localhost", False)],
)
def test_email_addresses(raw: str, valid: bool) -> None:
    assert (normalise_email(raw) is not None) is valid


def test_message_text_limits() -> None:
    assert check_message_text("  hello ", 2000) == "hello"
    assert check_message_text("x" * 2000, 2000) == "x" * 2000
    for bad, code in (("", "empty_message"), ("   ", "empty_message"), (None, "empty_message"), ("x" * 2001, "message_too_long")):
        with pytest.raises(ValidationError) as caught:
            check_message_text(bad, 2000)
        assert caught.value.code == code


def test_password_hashing() -> None:
    stored = hash_password("correct horse battery staple")
    assert stored.startswith("scrypt$")
    assert stored != hash_password("correct horse battery staple")
    assert verify_password("correct horse battery staple", stored)
    assert not verify_password("wrong", stored)
    assert not verify_password("anything", "not-a-hash")


def test_button_payloads_checked_against_offer() -> None:
    offered = ["/affirm", "gateway:cancel_handoff"]
    assert resolve_input({"payload": "/affirm", "title": "Yes"}, offered) == ("Yes", "/affirm", "/affirm")
    assert resolve_input({"payload": "/restart", "title": "Restart"}, offered) == ("Restart", "Restart", None)
    assert resolve_input({"text": "/restart"}, offered) == ("/restart", "/restart", None)
    with pytest.raises(ValidationError):
        resolve_input("not a dict", offered)


def test_person_payload_always_accepted() -> None:
    stored, rasa_text, payload = resolve_input({"payload": "/request_human", "title": "Talk to a person"}, [])

    assert stored == "Talk to a person"
    assert rasa_text == "/request_human"
    assert payload == "/request_human"


def test_parse_reply_links_and_custom() -> None:
    messages, customs = parse_reply(
        [
            {"text": "Bins are collected fortnightly.", "buttons": [{"title": "More", "payload": "/more"}, {"bad": 1}]},
            {"custom": {"kind": "service_answer", "source_url": "https://www.shropshire.gov.uk/bins/"}},
            {"custom": {"kind": "contact", "links": [{"title": "x", "url": "javascript:alert(1)"}]}},
        ]
    )
    assert len(messages) == 1
    assert messages[0]["buttons"] == [{"title": "More", "payload": "/more"}]
    assert messages[0]["links"] == [{"title": "Read more on the council website", "url": "https://www.shropshire.gov.uk/bins/"}]
    assert [c["kind"] for c in customs] == ["service_answer", "contact"]


def test_widget_paths_stay_inside(tmp_path: Any) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "widget.js").write_text("x")
    (tmp_path / "secret.txt").write_text("x")
    assert _inside(tmp_path / "src", "widget.js") is not None
    assert _inside(tmp_path / "src", "../secret.txt") is None
    assert _inside(tmp_path / "src", "missing.js") is None


class RecordingHub:
    """Stands in for the socket.io hub and records emitted events."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, Any]] = []

    async def emit(self, conversation_id: str, event: str, data: Any) -> None:
        self.events.append((conversation_id, event, data))

    def is_connected(self, conversation_id: str) -> bool:
        return True


class IdleDeliveries:
    def wake(self) -> None:
        return None


@pytest.mark.parametrize("fixed_now", ["2026-06-08T10:00:00", "2026-06-13T10:00:00"])
def test_urgent_handoff_shows_emergency_routes(tmp_path: Any, fixed_now: str) -> None:
    settings = load_settings({"GATEWAY_HOURS_NOW": fixed_now})
    database = Database("sqlite:///%s" % (tmp_path / "units.db"))
    database.create_tables()
    hub = RecordingHub()
    gateway = Gateway(
        settings=dataclasses.replace(settings, database_url=database.url),
        database=database,
        hours=OpeningTimes(settings.opening_hours),
        rasa=None,  # type: ignore[arg-type]
        hub=hub,  # type: ignore[arg-type]
        deliveries=IdleDeliveries(),  # type: ignore[arg-type]
    )
    with database.session() as session:
        conversation, _ = create_conversation(session)
        conversation_id = conversation.id
    asyncio.run(begin_handoff(gateway, conversation_id, "safety", True, None))
    messages = [data["text"] for _, event, data in hub.events if event == "message"]
    assert messages[0] == texts.EMERGENCY_TEXT
    assert "999" in messages[0]
    assert "116 123" in messages[0]
    states = [data["state"] for _, event, data in hub.events if event == "handoff_state"]
    assert states == (["queued"] if fixed_now.startswith("2026-06-08") else ["out_of_hours"])
    database.dispose()
