"""Explain where the rules are when a resident asks the bot to decide something."""

import logging
from typing import TYPE_CHECKING, Any, Dict, List, Text

from rasa_sdk import Action

from actions.conversation import add_notice_once, latest_text, service_named_in, top_service
from actions.knowledge_base import get_knowledge_base
from actions.replies import TALK_TO_PERSON_BUTTON, contact_routes_text, service_custom

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict

logger = logging.getLogger(__name__)

# The top service must reach this confidence before the reply names it.
MIN_SERVICE_CONFIDENCE = 0.15


class ActionExplainEligibility(Action):
    """Explains where the rules are and offers a person; it never answers yes or no.

    Eligibility and decisions need a person's judgement, so no response text may say whether the
    resident qualifies.
    """

    def name(self) -> Text:
        """Return the action's name in the domain."""
        return "action_explain_eligibility"

    async def run(
        self, dispatcher: "CollectingDispatcher", tracker: "Tracker", domain: "DomainDict"
    ) -> List[Dict[Text, Any]]:
        """Send the rules page of the service the resident means, or the general message."""
        knowledge_base = get_knowledge_base()
        service = top_service(tracker, knowledge_base, MIN_SERVICE_CONFIDENCE) or service_named_in(
            knowledge_base, latest_text(tracker)
        )

        if service is None:
            dispatcher.utter_message(response="utter_cannot_decide")
            main = knowledge_base.departments["customer_services"]
            dispatcher.utter_message(
                text=contact_routes_text(main, knowledge_base), buttons=[TALK_TO_PERSON_BUTTON]
            )
            dispatcher.utter_message(json_message={"kind": "eligibility", "service_key": None})
            return add_notice_once(dispatcher, tracker)

        rules = service.eligibility or f"The rules for {service.name.lower()} are on the council's page."
        text = (
            f"I can't tell you whether you qualify or what the council will decide, "
            f"because a member of staff looks at each case.\n\n{rules}\n\n"
            f"Read the rules for {service.name.lower()}: {service.source_url}\n\n"
            f"A person can talk it through with you.\n"
            f"{contact_routes_text(service.department, knowledge_base, service.key)}"
        )
        dispatcher.utter_message(text=text, buttons=[TALK_TO_PERSON_BUTTON])
        dispatcher.utter_message(json_message=service_custom(service, kind="eligibility"))
        logger.info("Explained the rules of %s in conversation %s.", service.key, tracker.sender_id)
        return add_notice_once(dispatcher, tracker)
