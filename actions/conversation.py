"""Read the resident's messages and the bot's actions from a rasa-sdk tracker."""

import re
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Tuple, TypeVar

from rasa_sdk.events import SlotSet

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.knowledge_base import KnowledgeBase, Service

from actions.replies import AUTOMATED_NOTICE

T = TypeVar("T")

NOTICE_SLOT = "automated_notice_given"
FALLBACK_INTENTS = {"nlu_fallback", "out_of_scope"}
# A service must reach this share of the classifier's confidence to be offered as a suggestion.
MIN_SUGGESTION_CONFIDENCE = 0.02


def latest_text(tracker: "Tracker") -> str:
    """Return the text of the resident's latest message, or an empty string."""
    return (tracker.latest_message or {}).get("text") or ""


def latest_intent_name(tracker: "Tracker") -> Optional[str]:
    """Return the intent of the resident's latest message."""
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def intent_ranking(tracker: "Tracker") -> List[Dict[str, Any]]:
    """Return the classifier's ranking for the latest message, best first."""
    return list((tracker.latest_message or {}).get("intent_ranking") or [])


def ranked_services(
    tracker: "Tracker", knowledge_base: "KnowledgeBase", limit: int = 3
) -> List["Service"]:
    """Return the services the classifier ranked highest for the latest message."""
    services: List["Service"] = []
    for entry in intent_ranking(tracker):
        service = knowledge_base.service_for_intent(entry.get("name"))
        if service and entry.get("confidence", 0.0) >= MIN_SUGGESTION_CONFIDENCE and service not in services:
            services.append(service)
        if len(services) >= limit:
            break
    return services


def top_service(
    tracker: "Tracker", knowledge_base: "KnowledgeBase", min_confidence: float
) -> Optional["Service"]:
    """Return the highest-ranked service if the classifier gave it at least min_confidence."""
    for entry in intent_ranking(tracker):
        service = knowledge_base.service_for_intent(entry.get("name"))
        if service:
            return service if entry.get("confidence", 0.0) >= min_confidence else None
    return None


def longest_phrase_match(text: str, phrases_by_item: Iterable[Tuple[T, List[str]]]) -> Optional[T]:
    """Return the item with the longest of its phrases found as whole words in the text."""
    lowered = " " + re.sub(r"[^a-z0-9' ]", " ", text.lower()) + " "
    best: Optional[T] = None
    best_length = 0
    for item, phrases in phrases_by_item:
        for phrase in phrases:
            if len(phrase) > best_length and f" {phrase} " in lowered:
                best, best_length = item, len(phrase)
    return best


def service_named_in(knowledge_base: "KnowledgeBase", text: str) -> Optional["Service"]:
    """Return the service whose name or keyword appears in the text, preferring the longest match."""
    return longest_phrase_match(
        text, ((service, [service.name.lower(), *service.keywords]) for service in knowledge_base.services.values())
    )


def entity_values(tracker: "Tracker", entity_name: str) -> List[str]:
    """Return the values of an entity in the latest message, in order."""
    entities = (tracker.latest_message or {}).get("entities") or []
    return [str(entity.get("value")) for entity in entities if entity.get("entity") == entity_name]


def user_intents_newest_first(tracker: "Tracker") -> List[Optional[str]]:
    """Return the intents of the resident's messages in this session, newest first."""
    intents = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            intents.append(((event.get("parse_data") or {}).get("intent") or {}).get("name"))
    return intents


def consecutive_fallbacks(tracker: "Tracker", skip_latest: bool = False) -> int:
    """Count the resident's latest messages in a row that the bot did not understand.

    Args:
        tracker: the conversation.
        skip_latest: start counting from the message before the latest one.
    """
    count = 0
    intents = user_intents_newest_first(tracker)
    for intent_name in intents[1:] if skip_latest else intents:
        if intent_name not in FALLBACK_INTENTS:
            break
        count += 1
    return count


def previous_bot_action(tracker: "Tracker") -> Optional[str]:
    """Return the last custom or response action before the latest resident message."""
    seen_latest_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_latest_user:
                continue
            seen_latest_user = True
            continue
        if seen_latest_user and event.get("event") == "action":
            name = event.get("name")
            if name not in ("action_listen", "action_session_start", None):
                return name
    return None


def add_notice_once(dispatcher: "CollectingDispatcher", tracker: "Tracker") -> List[Dict[str, Any]]:
    """Tell the resident they are talking to an automated assistant if this session has not yet."""
    if tracker.get_slot(NOTICE_SLOT):
        return []
    dispatcher.utter_message(text=AUTOMATED_NOTICE)
    return [SlotSet(NOTICE_SLOT, True)]
