"""Greet the resident with the automated-assistant notice."""

from typing import TYPE_CHECKING, Any, Dict, List, Text

from rasa_sdk import Action
from rasa_sdk.events import SlotSet

from actions.conversation import NOTICE_SLOT
from actions.replies import TALK_TO_PERSON_BUTTON

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict


class ActionGreet(Action):
    """Sends the greeting, which always says the resident is talking to an automated assistant."""

    def name(self) -> Text:
        """Return the action's name in the domain."""
        return "action_greet"

    async def run(
        self, dispatcher: "CollectingDispatcher", tracker: "Tracker", domain: "DomainDict"
    ) -> List[Dict[Text, Any]]:
        """Send the greeting with the person button."""
        dispatcher.utter_message(response="utter_greet", buttons=[TALK_TO_PERSON_BUTTON])
        return [SlotSet(NOTICE_SLOT, True)]
