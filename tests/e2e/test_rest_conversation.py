"""End-to-end conversations over the REST channel with the real Rasa and action servers."""

import uuid
from typing import Any, Dict, List

import pytest

REQUEST_HUMAN_PAYLOAD = "/request_human"


def customs(reply: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [entry["custom"] for entry in reply if isinstance(entry.get("custom"), dict)]


def texts(reply: List[Dict[str, Any]]) -> List[str]:
    return [entry["text"] for entry in reply if entry.get("text")]


def payloads(reply: List[Dict[str, Any]]) -> List[str]:
    return [button["payload"] for entry in reply for button in entry.get("buttons") or []]


def service_answer(reply: List[Dict[str, Any]]) -> Dict[str, Any]:
    answers = [custom for custom in customs(reply) if "lgsl" in custom and "source_url" in custom]
    assert answers, f"no service answer in {reply}"
    return answers[0]


@pytest.fixture
def sender() -> str:
    """A new conversation id for each test."""
    return f"test-{uuid.uuid4().hex}"


def test_greeting_says_automated_assistant(rasa_stack, sender):
    reply = rasa_stack.send(sender, "hello")

    assert "automated assistant" in texts(reply)[0]
    assert REQUEST_HUMAN_PAYLOAD in payloads(reply)


@pytest.mark.parametrize(
    "message, lgsl",
    [
        ("how do I pay council tax", 57),
        ("my bins weren't emptied", 524),
        ("theres a massive pothole on my road", 557),
        ("library opening times ludlow", 437),
    ],
)
def test_service_question_follows_contract(rasa_stack, sender, message, lgsl):
    reply = rasa_stack.send(sender, message)

    answer = service_answer(reply)
    assert answer["lgsl"] == lgsl
    assert answer["source_url"].startswith("https://")
    assert any(answer["source_url"] in text for text in texts(reply))


def test_first_answer_carries_notice(rasa_stack, sender):
    first = rasa_stack.send(sender, "how do I pay council tax")
    second = rasa_stack.send(sender, "when is my bin day")

    assert any("automated assistant" in text for text in texts(first))
    assert not any("automated assistant" in text for text in texts(second))


def test_nonsense_gets_suggestions_and_person(rasa_stack, sender):
    reply = rasa_stack.send(sender, "blorft zzzq wibble")

    assert not any("lgsl" in custom for custom in customs(reply))
    assert "not sure" in texts(reply)[0]
    assert REQUEST_HUMAN_PAYLOAD in payloads(reply)
    assert any(payload.startswith("/service_") for payload in payloads(reply))


def test_out_of_scope_gets_no_service_answer(rasa_stack, sender):
    reply = rasa_stack.send(sender, "what's the weather going to be like tomorrow")

    assert not any("lgsl" in custom for custom in customs(reply))
    assert REQUEST_HUMAN_PAYLOAD in payloads(reply)


def test_eligibility_question_gets_no_decision(rasa_stack, sender):
    reply = rasa_stack.send(sender, "am I eligible for a blue badge")

    first = texts(reply)[0]
    assert first.startswith("I can't tell you whether you qualify")
    assert REQUEST_HUMAN_PAYLOAD in payloads(reply)


def test_request_human_from_mid_form(rasa_stack, sender):
    asking = rasa_stack.send(sender, "where can I get help in person")
    reply = rasa_stack.send(sender, "I want to talk to a real person")

    assert "Which town" in " ".join(texts(asking))
    handoffs = [custom for custom in customs(reply) if custom.get("kind") == "handoff_request"]
    assert handoffs
    assert "0345 678 9000" in " ".join(texts(reply))


def test_human_button_payload_honoured(rasa_stack, sender):
    rasa_stack.send(sender, "blorft zzzq wibble")
    reply = rasa_stack.send(sender, REQUEST_HUMAN_PAYLOAD)

    handoffs = [custom for custom in customs(reply) if custom.get("kind") == "handoff_request"]
    assert handoffs[0]["reason"] == "fallback"


def test_safety_message_shows_emergency_routes_first(rasa_stack, sender):
    rasa_stack.send(sender, "when is my bin day")
    reply = rasa_stack.send(sender, "I can't go on any more, I want to end it all")

    first = texts(reply)[0]
    assert "999" in first
    assert "116 123" in first
    assert REQUEST_HUMAN_PAYLOAD in payloads(reply)


def test_help_point_for_named_town(rasa_stack, sender):
    rasa_stack.send(sender, "where can I get help face to face")
    reply = rasa_stack.send(sender, "Oswestry")

    assert "Oswestry Library" in " ".join(texts(reply))


def test_department_contact_from_directory(rasa_stack, sender):
    reply = rasa_stack.send(sender, "what is the phone number for highways")

    assert "0345 678 9006" in " ".join(texts(reply))


def test_other_council_area_not_answered(rasa_stack, sender):
    reply = rasa_stack.send(sender, "when is my bin day in Telford")

    assert "Telford & Wrekin Council" in " ".join(texts(reply))
    assert not any("lgsl" in custom for custom in customs(reply))


def test_bot_challenge_answered(rasa_stack, sender):
    reply = rasa_stack.send(sender, "are you a robot?")

    assert "automated assistant" in texts(reply)[0]


@pytest.mark.parametrize(
    "message",
    [
        "",
        "    ",
        "a" * 20_000,
        "🙂🙂🙂👍",
        "<script>alert('x')</script><b>bins</b>",
        "how do i pay council tax " * 800,
    ],
    ids=["empty", "whitespace", "20000-chars", "emoji", "html", "repeated-question"],
)
def test_bad_input_gets_sensible_reply(rasa_stack, sender, message):
    reply = rasa_stack.send(sender, message)

    assert texts(reply), f"no text reply to {message[:40]!r}"
    assert not any("<script>" in text for text in texts(reply))
