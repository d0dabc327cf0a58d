"""Honour a resident's request for a person, from any point in the conversation."""

import logging
from typing import TYPE_CHECKING, Any, Dict, List, Text

from rasa_sdk import Action
from rasa_sdk.events import ActiveLoop, SlotSet

from actions.conversation import add_notice_once, consecutive_fallbacks, previous_bot_action
from actions.knowledge_base import get_knowledge_base
from actions.replies import contact_routes_text, handoff_custom

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict

logger = logging.getLogger(__name__)

REASON_BY_PREVIOUS_ACTION = {
    "action_suggest_services": "fallback",
    "action_safety_response": "safety",
}


class ActionRequestHuman(Action):
    """Gives the contact centre routes and requests a handoff to an adviser from the gateway.

    The action also ends any active form, so "talk to a person" works in the middle of a form.
    """

    def name(self) -> Text:
        """Return the action's name in the domain."""
        return "action_request_human"

    async def run(
        self, dispatcher: "CollectingDispatcher", tracker: "Tracker", domain: "DomainDict"
    ) -> List[Dict[Text, Any]]:
        """Send the routes and the handoff request with its reason."""
        knowledge_base = get_knowledge_base()
        previous = previous_bot_action(tracker)
        reason = REASON_BY_PREVIOUS_ACTION.get(previous, "resident_request")
        if reason == "fallback" and consecutive_fallbacks(tracker, skip_latest=True) >= 2:
            reason = "repeated_fallback"
        urgent = reason == "safety" or bool(tracker.get_slot("safety_flagged"))
        service_key = tracker.get_slot("last_service")
        department = knowledge_base.departments["customer_services"]
        if service_key and service_key in knowledge_base.services:
            department = knowledge_base.services[service_key].department

        routes = contact_routes_text(department, knowledge_base)
        dispatcher.utter_message(
            text=(
                "You asked to talk to a person. In the chat on the council's website I'll connect you "
                f"to an adviser when one is available. You can also contact {department.name} "
                f"directly:\n{routes}"
            )
        )
        dispatcher.utter_message(json_message=handoff_custom(reason, urgent, service_key))
        logger.info(
            "Handoff requested in conversation %s: reason=%s urgent=%s service=%s.",
            tracker.sender_id, reason, urgent, service_key,
        )
        events: List[Dict[Text, Any]] = []
        if tracker.active_loop.get("name"):
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]
        return events + add_notice_once(dispatcher, tracker)
