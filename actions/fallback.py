"""Say the bot is not sure, suggest the closest services and offer a person."""

import logging
from typing import TYPE_CHECKING, Any, Dict, List, Text

from rasa_sdk import Action
from rasa_sdk.events import UserUtteranceReverted

from actions.conversation import add_notice_once, consecutive_fallbacks, ranked_services
from actions.knowledge_base import get_knowledge_base
from actions.replies import TALK_TO_PERSON_BUTTON, contact_routes_text, service_button

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict

logger = logging.getLogger(__name__)

# Offered when the classifier ranks no service for the message at all.
POPULAR_SERVICE_KEYS = ("bin_collections", "council_tax", "potholes")
SUGGESTION_LIMIT = 3


class ActionSuggestServices(Action):
    """Replies to a message the bot did not understand or that is not a council matter."""

    def name(self) -> Text:
        """Return the action's name in the domain."""
        return "action_suggest_services"

    async def run(
        self, dispatcher: "CollectingDispatcher", tracker: "Tracker", domain: "DomainDict"
    ) -> List[Dict[Text, Any]]:
        """Send the not-sure message with service buttons and the person button."""
        knowledge_base = get_knowledge_base()
        misunderstood = consecutive_fallbacks(tracker)
        suggestions = ranked_services(tracker, knowledge_base, limit=SUGGESTION_LIMIT)
        if not suggestions:
            suggestions = [knowledge_base.services[key] for key in POPULAR_SERVICE_KEYS if key in knowledge_base.services]
        buttons = [service_button(service) for service in suggestions] + [TALK_TO_PERSON_BUTTON]

        if misunderstood >= 2:
            dispatcher.utter_message(response="utter_still_not_sure", buttons=[TALK_TO_PERSON_BUTTON] + buttons[:-1])
        else:
            dispatcher.utter_message(response="utter_not_sure", buttons=buttons)
        dispatcher.utter_message(
            json_message={
                "kind": "fallback",
                "suggested_services": [service.key for service in suggestions],
                "consecutive_fallbacks": misunderstood,
            }
        )
        logger.info(
            "Fallback in conversation %s: %d in a row, suggested %s.",
            tracker.sender_id, misunderstood, [service.key for service in suggestions],
        )
        return add_notice_once(dispatcher, tracker)


class ActionDefaultFallback(Action):
    """Replaces Rasa's core fallback: when no next action is clear, give the contact routes."""

    def name(self) -> Text:
        """Return the action's name in the domain."""
        return "action_default_fallback"

    async def run(
        self, dispatcher: "CollectingDispatcher", tracker: "Tracker", domain: "DomainDict"
    ) -> List[Dict[Text, Any]]:
        """Send the contact routes and the person button, then forget the confusing turn."""
        knowledge_base = get_knowledge_base()
        routes = contact_routes_text(knowledge_base.departments["customer_services"], knowledge_base)
        dispatcher.utter_message(
            text=f"Sorry, I lost track of that. You can ask me again, or contact the council:\n{routes}",
            buttons=[TALK_TO_PERSON_BUTTON],
        )
        logger.warning("Core fallback in conversation %s.", tracker.sender_id)
        return [UserUtteranceReverted()]
