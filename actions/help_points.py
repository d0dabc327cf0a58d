"""Tell a resident where they can get help in person or use a computer."""

import logging
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction
from rasa_sdk.events import SlotSet

from actions.conversation import add_notice_once, entity_values, latest_text
from actions.knowledge_base import KnowledgeBase, Town, get_knowledge_base
from actions.places import find_town, find_town_in_text, help_points_for_town, town_for_postcode
from actions.replies import TALK_TO_PERSON_BUTTON

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict

logger = logging.getLogger(__name__)

# Intents that interrupt the form: when no town is named, the form rejects the message so the
# rules for these intents can run instead.
INTERRUPTING_INTENTS = {
    "request_human", "safety_risk", "ask_eligibility", "ask_contact", "ask_capabilities",
    "greet", "goodbye", "thank", "deny", "bot_challenge", "out_of_scope",
}
# A service intent interrupts the form only when the classifier is at least this confident.
MIN_INTERRUPTING_SERVICE_CONFIDENCE = 0.5


def town_from_latest_message(knowledge_base: KnowledgeBase, tracker: "Tracker") -> Optional[Town]:
    """Return the town named by a TOWN or POSTCODE entity, or found in the text."""
    for value in entity_values(tracker, "TOWN"):
        town = find_town(knowledge_base, value)
        if town:
            return town
    for value in entity_values(tracker, "POSTCODE"):
        town = town_for_postcode(knowledge_base, value)
        if town:
            return town
    return find_town_in_text(knowledge_base, latest_text(tracker))


def _interrupts_form(tracker: "Tracker") -> bool:
    intent = (tracker.latest_message or {}).get("intent") or {}
    name = intent.get("name") or ""
    if name in INTERRUPTING_INTENTS:
        return True
    return name.startswith("service_") and intent.get("confidence", 0.0) >= MIN_INTERRUPTING_SERVICE_CONFIDENCE


class ValidateHelpPointForm(FormValidationAction):
    """Fills the `town` slot of help_point_form from a town name or a postcode."""

    def name(self) -> Text:
        """Return the action's name in the domain."""
        return "validate_help_point_form"

    async def extract_town(
        self, dispatcher: "CollectingDispatcher", tracker: "Tracker", domain: "DomainDict"
    ) -> Dict[Text, Any]:
        """Take the town from the latest message when the form is asking for it."""
        town = town_from_latest_message(get_knowledge_base(), tracker)
        if town:
            return {"town": town.key}
        if tracker.get_slot("requested_slot") != "town" or _interrupts_form(tracker):
            return {}
        text = latest_text(tracker).strip()
        return {"town": text[:100] or None}

    async def validate_town(
        self, slot_value: Any, dispatcher: "CollectingDispatcher", tracker: "Tracker", domain: "DomainDict"
    ) -> Dict[Text, Any]:
        """Accept a known town key; otherwise ask again with an example."""
        knowledge_base = get_knowledge_base()
        if isinstance(slot_value, str) and (slot_value in knowledge_base.towns or find_town(knowledge_base, slot_value)):
            town = knowledge_base.towns.get(slot_value) or find_town(knowledge_base, slot_value)
            return {"town": town.key}
        dispatcher.utter_message(response="utter_unknown_town")
        return {"town": None}


class ActionHelpPoints(Action):
    """Lists the help points in the resident's town, or the nearest ones."""

    def name(self) -> Text:
        """Return the action's name in the domain."""
        return "action_help_points"

    async def run(
        self, dispatcher: "CollectingDispatcher", tracker: "Tracker", domain: "DomainDict"
    ) -> List[Dict[Text, Any]]:
        """Send the help points with their days and the help available."""
        knowledge_base = get_knowledge_base()
        town_key = tracker.get_slot("town")
        town = knowledge_base.towns.get(town_key) if town_key else town_from_latest_message(knowledge_base, tracker)
        if town is None:
            dispatcher.utter_message(response="utter_unknown_town")
            return [SlotSet("town", None)]

        points, in_town = help_points_for_town(knowledge_base, town)
        if town.council != "shropshire":
            intro = (f"{town.name} is served by a different council, so check that council's website. "
                     "The nearest Shropshire Council help points are:")
        elif in_town:
            intro = f"You can get help in person in {town.name}:"
        else:
            intro = f"There is no help point in {town.name}. The nearest are:"
        lines = [intro]
        for point in points:
            computers = " Public computers are available." if point.computers else ""
            lines.append(f"- {point.venue}: {point.days_text}.{computers}")
        lines.append(knowledge_base.help_points_text)
        lines.append(f"Check before you travel: {knowledge_base.help_points_source_url}")
        dispatcher.utter_message(text="\n".join(lines), buttons=[TALK_TO_PERSON_BUTTON])
        dispatcher.utter_message(
            json_message={
                "kind": "help_points",
                "town": town.key,
                "help_points": [point.id for point in points],
                "source_url": knowledge_base.help_points_source_url,
                "links": [{"title": "Contact and help points", "url": knowledge_base.help_points_source_url}],
            }
        )
        logger.info("Help points for %s sent in conversation %s.", town.key, tracker.sender_id)
        return [SlotSet("town", None), *add_notice_once(dispatcher, tracker)]
