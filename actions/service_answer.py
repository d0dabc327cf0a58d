"""Answer a question about a council service from its knowledge base record."""

import logging
from typing import TYPE_CHECKING, Any, Dict, List, Text

from rasa_sdk import Action
from rasa_sdk.events import SlotSet

from actions.conversation import add_notice_once, entity_values, latest_intent_name
from actions.knowledge_base import get_knowledge_base
from actions.places import find_town, help_points_for_town
from actions.replies import (
    TALK_TO_PERSON_BUTTON,
    contact_routes_text,
    service_answer_text,
    service_button,
    service_custom,
)

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict

logger = logging.getLogger(__name__)


class ActionAnswerService(Action):
    """Sends the service answer for the predicted `service_<key>` intent.

    One action serves every service, so a new service needs only a record and training examples.
    """

    def name(self) -> Text:
        """Return the action's name in the domain."""
        return "action_answer_service"

    async def run(
        self, dispatcher: "CollectingDispatcher", tracker: "Tracker", domain: "DomainDict"
    ) -> List[Dict[Text, Any]]:
        """Send the answer, a local help point if a town was named, and the person button."""
        knowledge_base = get_knowledge_base()
        intent_name = latest_intent_name(tracker)
        service = knowledge_base.service_for_intent(intent_name)
        if service is None:
            logger.warning(
                "No service record for intent %s in conversation %s.", intent_name, tracker.sender_id
            )
            dispatcher.utter_message(response="utter_service_not_found")
            main = knowledge_base.departments["customer_services"]
            dispatcher.utter_message(
                text=contact_routes_text(main, knowledge_base), buttons=[TALK_TO_PERSON_BUTTON]
            )
            return []

        other_council_town = _town_of_other_council(tracker)
        if other_council_town:
            dispatcher.utter_message(
                text=(
                    f"{other_council_town} is looked after by Telford & Wrekin Council, not Shropshire "
                    f"Council, so please check Telford & Wrekin Council's website. If you live in "
                    f"Shropshire Council's area, ask me again and leave out {other_council_town}."
                ),
                buttons=[service_button(service), TALK_TO_PERSON_BUTTON],
            )
            dispatcher.utter_message(json_message={"kind": "other_council", "town": other_council_town})
            logger.info("Service %s asked for another council's area in conversation %s.", service.key, tracker.sender_id)
            return add_notice_once(dispatcher, tracker)

        dispatcher.utter_message(
            text=service_answer_text(service, knowledge_base), buttons=[TALK_TO_PERSON_BUTTON]
        )
        dispatcher.utter_message(json_message=service_custom(service))
        local_note = _local_help_point_note(tracker, service.in_person)
        if local_note:
            dispatcher.utter_message(text=local_note)
        logger.info("Answered service %s in conversation %s.", service.key, tracker.sender_id)
        return [SlotSet("last_service", service.key), *add_notice_once(dispatcher, tracker)]


def _town_of_other_council(tracker: "Tracker") -> str:
    """Return the name of a named town that another council serves, or an empty string."""
    knowledge_base = get_knowledge_base()
    if (tracker.latest_message or {}).get("text", "").startswith("/"):
        return ""
    for value in entity_values(tracker, "TOWN"):
        town = find_town(knowledge_base, value)
        if town and town.council != "shropshire":
            return town.name
    return ""


def _local_help_point_note(tracker: "Tracker", service_has_in_person_help: bool) -> str:
    knowledge_base = get_knowledge_base()
    for value in entity_values(tracker, "TOWN"):
        town = find_town(knowledge_base, value)
        if town is None:
            continue
        points, in_town = help_points_for_town(knowledge_base, town, limit=1)
        if not in_town:
            return ""
        point = points[0]
        if not service_has_in_person_help and "library" not in point.venue.lower():
            return ""
        return f"In {town.name}: {point.venue} is a Shropshire Local help point ({point.days_text})."
    return ""
