"""Give a department's contact details from the central contact directory."""

import logging
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Text

from rasa_sdk import Action

from actions.conversation import add_notice_once, latest_text, longest_phrase_match, top_service
from actions.knowledge_base import Department, KnowledgeBase, get_knowledge_base
from actions.replies import TALK_TO_PERSON_BUTTON, contact_routes_text, department_custom

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict

logger = logging.getLogger(__name__)

# A service from the classifier's ranking names the department only above this confidence.
MIN_SERVICE_CONFIDENCE = 0.2


def department_named_in(knowledge_base: KnowledgeBase, text: str) -> Optional[Department]:
    """Return the department whose name or alias appears in the text, preferring the longest match."""
    return longest_phrase_match(
        text,
        (
            (department, [department.name.lower(), *department.aliases])
            for department in knowledge_base.departments.values()
            if department.key != "customer_services"
        ),
    )


class ActionContactDepartment(Action):
    """Sends the phone, email and hours of the department the resident asks about."""

    def name(self) -> Text:
        """Return the action's name in the domain."""
        return "action_contact_department"

    async def run(
        self, dispatcher: "CollectingDispatcher", tracker: "Tracker", domain: "DomainDict"
    ) -> List[Dict[Text, Any]]:
        """Pick the department from the words used, else the ranked service, else customer services."""
        knowledge_base = get_knowledge_base()
        department = department_named_in(knowledge_base, latest_text(tracker))
        if department is None:
            service = top_service(tracker, knowledge_base, MIN_SERVICE_CONFIDENCE)
            department = service.department if service else None
        department = department or knowledge_base.departments["customer_services"]

        text = f"How to contact {department.name}:\n{contact_routes_text(department, knowledge_base)}"
        dispatcher.utter_message(text=text, buttons=[TALK_TO_PERSON_BUTTON])
        dispatcher.utter_message(json_message=department_custom(department))
        logger.info("Contact details of %s sent in conversation %s.", department.key, tracker.sender_id)
        return add_notice_once(dispatcher, tracker)
