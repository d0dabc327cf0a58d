"""Signpost a resident at risk of harm to emergency help before anything else."""

import logging
from typing import TYPE_CHECKING, Any, Dict, List, Text

from rasa_sdk import Action
from rasa_sdk.events import ActiveLoop, SlotSet

from actions.conversation import add_notice_once, latest_text
from actions.knowledge_base import get_knowledge_base
from actions.replies import TALK_TO_PERSON_BUTTON
from screening.patterns import find_safety_risk

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict

logger = logging.getLogger(__name__)

# Samaritans is shown for every risk, because anyone in distress can call it at any hour.
SAMARITANS_PHONE = "116 123"


class ActionSafetyResponse(Action):
    """Sends the emergency routes for the risk the message shows, then offers a person.

    The routes come first in the reply; the automated-assistant notice, if still owed, comes
    after them.
    """

    def name(self) -> Text:
        """Return the action's name in the domain."""
        return "action_safety_response"

    async def run(
        self, dispatcher: "CollectingDispatcher", tracker: "Tracker", domain: "DomainDict"
    ) -> List[Dict[Text, Any]]:
        """Send the routes for the matched risk category, or the general ones."""
        knowledge_base = get_knowledge_base()
        category = find_safety_risk(latest_text(tracker)) or "general"
        routes = knowledge_base.safety_routes.get(category) or knowledge_base.safety_routes["general"]
        if not any(route.get("phone") == SAMARITANS_PHONE for route in routes):
            routes = routes + [route for route in knowledge_base.safety_routes.get("self_harm", [])
                               if route.get("phone") == SAMARITANS_PHONE]
        lines = [knowledge_base.safety_intro or "If you or someone else is in danger now, call 999."]
        for route in routes:
            lines.append(f"- {route.get('name')}: {' '.join(str(route.get('text', '')).split())}")
        lines.append("I can also pass you to a person at the council.")
        dispatcher.utter_message(text="\n".join(lines), buttons=[TALK_TO_PERSON_BUTTON])
        links = [{"title": route["name"], "url": route["url"]} for route in routes if route.get("url")]
        dispatcher.utter_message(json_message={"kind": "safety", "urgent": True, "risk": category, "links": links})
        logger.warning("Safety routes shown in conversation %s: risk=%s.", tracker.sender_id, category)
        events: List[Dict[Text, Any]] = [SlotSet("safety_flagged", True)]
        if tracker.active_loop.get("name"):
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]
        return events + add_notice_once(dispatcher, tracker)
