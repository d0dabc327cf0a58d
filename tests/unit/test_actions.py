"""Unit tests of the custom actions against the real knowledge base files."""

import asyncio
from typing import Any, Dict, List

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.contacts import ActionContactDepartment
from actions.eligibility import ActionExplainEligibility
from actions.fallback import ActionSuggestServices
from actions.handoff import ActionRequestHuman
from actions.help_points import ActionHelpPoints
from actions.safety import ActionSafetyResponse
from actions.service_answer import ActionAnswerService
from tests.unit.trackers import action_event, make_tracker, user_event

REQUEST_HUMAN_BUTTON = {"title": "Talk to a person", "payload": "/request_human"}


def run_action(action, tracker) -> Dict[str, Any]:
    """Run an action and return its messages, custom payloads and events."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return {
        "messages": dispatcher.messages,
        "texts": [message.get("text") or "" for message in dispatcher.messages],
        "customs": [message["custom"] for message in dispatcher.messages if message.get("custom")],
        "buttons": [button for message in dispatcher.messages for button in message.get("buttons") or []],
        "responses": [message.get("response") for message in dispatcher.messages],
        "events": events,
    }


def event_slots(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}


def test_service_answer_has_contract_fields():
    result = run_action(ActionAnswerService(), make_tracker("service_bin_collections", "my bins weren't emptied"))

    custom = result["customs"][0]
    assert custom["kind"] == "service_answer"
    assert custom["lgsl"] == 524
    assert custom["source_url"].startswith("https://")
    assert custom["source_url"] in result["texts"][0]
    assert REQUEST_HUMAN_BUTTON in result["buttons"]


def test_service_answer_keeps_offline_routes():
    result = run_action(ActionAnswerService(), make_tracker("service_council_tax", "how do i pay council tax"))

    answer = result["texts"][0]
    assert "Phone: 0345 678 9000" in answer
    assert "Email: customer.service@shropshire.gov.uk" in answer
    assert "Source: https://" in answer


def test_service_without_lgsl_sends_null():
    result = run_action(ActionAnswerService(), make_tracker("service_recycling_centres", "is the tip open"))

    assert result["customs"][0]["lgsl"] is None
    assert result["customs"][0]["service_key"] == "recycling_centres"


def test_service_answer_gives_notice_once():
    first = run_action(ActionAnswerService(), make_tracker("service_potholes", "pothole"))
    second = run_action(
        ActionAnswerService(),
        make_tracker("service_potholes", "pothole", slots={"automated_notice_given": True}),
    )

    assert any("automated assistant" in text for text in first["texts"])
    assert event_slots(first["events"])["automated_notice_given"] is True
    assert not any("automated assistant" in text for text in second["texts"])


def test_service_answer_names_local_help_point():
    tracker = make_tracker(
        "service_libraries",
        "library opening times ludlow",
        entities=[{"entity": "TOWN", "value": "ludlow"}],
    )

    result = run_action(ActionAnswerService(), tracker)

    assert any("Ludlow Library" in text for text in result["texts"])


def test_other_council_town_gets_no_answer():
    tracker = make_tracker(
        "service_bin_collections", "when is my bin day in telford", entities=[{"entity": "TOWN", "value": "telford"}]
    )

    result = run_action(ActionAnswerService(), tracker)

    assert "Telford & Wrekin Council" in result["texts"][0]
    assert result["customs"][0]["kind"] == "other_council"
    assert not any("lgsl" in custom for custom in result["customs"])
    assert REQUEST_HUMAN_BUTTON in result["buttons"]


def test_unknown_service_intent_offers_person():
    result = run_action(ActionAnswerService(), make_tracker("service_no_such_thing", "?"))

    assert result["customs"] == []
    assert REQUEST_HUMAN_BUTTON in result["buttons"]


def test_fallback_suggests_ranked_services():
    ranking = [
        {"name": "nlu_fallback", "confidence": 1.0},
        {"name": "service_potholes", "confidence": 0.3},
        {"name": "greet", "confidence": 0.2},
        {"name": "service_street_lights", "confidence": 0.1},
    ]

    result = run_action(ActionSuggestServices(), make_tracker("nlu_fallback", "the road thing", ranking=ranking))

    payloads = [button["payload"] for button in result["buttons"]]
    assert payloads[:2] == ["/service_potholes", "/service_street_lights"]
    assert "/request_human" in payloads
    assert "lgsl" not in result["customs"][0]
    assert result["responses"][0] == "utter_not_sure"


def test_fallback_without_ranking_suggests_popular():
    result = run_action(ActionSuggestServices(), make_tracker("nlu_fallback", "asdfgh", ranking=[]))

    payloads = [button["payload"] for button in result["buttons"]]
    assert "/service_bin_collections" in payloads
    assert "/request_human" in payloads


def test_second_fallback_in_row_offers_person_first():
    earlier = [user_event("nlu_fallback", "zzz"), action_event("action_suggest_services")]

    result = run_action(ActionSuggestServices(), make_tracker("nlu_fallback", "qqq", earlier_events=earlier))

    assert result["responses"][0] == "utter_still_not_sure"
    assert result["buttons"][0] == REQUEST_HUMAN_BUTTON
    assert result["customs"][0]["consecutive_fallbacks"] == 2


def test_eligibility_never_answers_yes_or_no():
    ranking = [
        {"name": "ask_eligibility", "confidence": 1.0},
        {"name": "service_blue_badge", "confidence": 0.8},
    ]

    result = run_action(
        ActionExplainEligibility(), make_tracker("ask_eligibility", "am i eligible for a blue badge", ranking=ranking)
    )

    answer = result["texts"][0]
    assert answer.startswith("I can't tell you whether you qualify")
    assert not answer.lower().startswith(("yes", "no"))
    assert result["customs"][0]["kind"] == "eligibility"
    assert result["customs"][0]["lgsl"] == 279
    assert REQUEST_HUMAN_BUTTON in result["buttons"]


def test_eligibility_names_service_from_words():
    ranking = [{"name": "ask_eligibility", "confidence": 1.0}, {"name": "greet", "confidence": 0.01}]

    result = run_action(
        ActionExplainEligibility(), make_tracker("ask_eligibility", "will I get a blue badge", ranking=ranking)
    )

    assert result["customs"][0]["service_key"] == "blue_badge"
    assert result["customs"][0]["lgsl"] == 279


def test_eligibility_without_service_is_general():
    result = run_action(ActionExplainEligibility(), make_tracker("ask_eligibility", "do i qualify", ranking=[]))

    assert result["responses"][0] == "utter_cannot_decide"
    assert REQUEST_HUMAN_BUTTON in result["buttons"]


def test_request_human_gives_routes_and_handoff():
    result = run_action(ActionRequestHuman(), make_tracker("request_human", "I want to talk to a real person"))

    handoff = result["customs"][0]
    assert handoff["kind"] == "handoff_request"
    assert handoff["reason"] == "resident_request"
    assert handoff["urgent"] is False
    assert "0345 678 9000" in result["texts"][0]


def test_request_human_mid_form_ends_form():
    tracker = make_tracker("request_human", "person please", active_loop="help_point_form")

    result = run_action(ActionRequestHuman(), tracker)

    loop_events = [event for event in result["events"] if event["event"] == "active_loop"]
    assert loop_events
    assert loop_events[0]["name"] is None


def test_request_human_after_safety_is_urgent():
    earlier = [user_event("safety_risk", "i am not safe"), action_event("action_safety_response")]

    result = run_action(ActionRequestHuman(), make_tracker("request_human", "yes please", earlier_events=earlier))

    assert result["customs"][0]["reason"] == "safety"
    assert result["customs"][0]["urgent"] is True


def test_request_human_after_two_fallbacks_says_so():
    earlier = [
        user_event("nlu_fallback", "zzz"), action_event("action_suggest_services"),
        user_event("nlu_fallback", "qqq"), action_event("action_suggest_services"),
    ]

    result = run_action(ActionRequestHuman(), make_tracker("request_human", "/request_human", earlier_events=earlier))

    assert result["customs"][0]["reason"] == "repeated_fallback"


@pytest.mark.parametrize(
    "text, expected_route",
    [
        ("I want to end my life", "116 123"),
        ("my partner hits me and I'm scared to go home", "0808 2000 247"),
        ("I have nowhere to sleep tonight", "999"),
        ("the kids next door are left alone all night", "999"),
        ("I am in danger", "999"),
    ],
)
def test_safety_shows_emergency_routes_first(text: str, expected_route: str):
    result = run_action(ActionSafetyResponse(), make_tracker("safety_risk", text))

    first_text = result["texts"][0]
    assert "999" in first_text
    assert expected_route in first_text
    assert "116 123" in first_text
    assert result["customs"][0]["urgent"] is True
    assert REQUEST_HUMAN_BUTTON in result["buttons"]


def test_help_points_in_named_town():
    result = run_action(ActionHelpPoints(), make_tracker("ask_help_point", "help in person", slots={"town": "ludlow"}))

    assert "Ludlow Library" in result["texts"][0]
    assert "Monday to Friday except Thursday" in result["texts"][0]


def test_help_points_nearest_for_other_town():
    result = run_action(ActionHelpPoints(), make_tracker("ask_help_point", "x", slots={"town": "church_stretton"}))

    assert result["texts"][0].startswith("There is no help point in Church Stretton")
    assert result["customs"][0]["help_points"]


def test_help_points_from_postcode():
    tracker = make_tracker("ask_help_point", "help near SY8 1AA", entities=[{"entity": "POSTCODE", "value": "SY8 1AA"}])

    result = run_action(ActionHelpPoints(), tracker)

    assert result["customs"][0]["town"] == "ludlow"


def test_contact_uses_directory_department():
    result = run_action(ActionContactDepartment(), make_tracker("ask_contact", "phone number for highways"))

    assert result["customs"][0]["department"] == "highways"
    assert "0345 678 9006" in result["texts"][0]


def test_contact_defaults_to_customer_services():
    result = run_action(ActionContactDepartment(), make_tracker("ask_contact", "how do i contact you", ranking=[]))

    assert result["customs"][0]["department"] == "customer_services"
