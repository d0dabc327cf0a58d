"""An NLU component that applies the fixed screening patterns after the classifiers."""

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from screening.patterns import asks_for_decision, asks_for_human, find_safety_risk, looks_like_keyboard_mash

logger = logging.getLogger(__name__)

SAFETY_INTENT = "safety_risk"
HUMAN_INTENT = "request_human"
ELIGIBILITY_INTENT = "ask_eligibility"
FALLBACK_INTENT = "nlu_fallback"

# Screening never overrides a message that is already one of these intents with confidence.
PROTECTED_INTENTS = {SAFETY_INTENT, HUMAN_INTENT}


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class MessageScreening(GraphComponent):
    """Sets the intent to safety_risk, request_human, ask_eligibility or nlu_fallback by fixed patterns.

    Place it after FallbackClassifier so that a low-confidence safety message still reaches the
    safety action. The classifier's own ranking is kept below the new top intent, so the actions
    can still see which service the resident was asking about.
    """

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "MessageScreening":
        """Create the component; it has no trained state."""
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Override the intent of each message that a screening pattern matches."""
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue
            new_intent = self._screened_intent(text, message.get(INTENT) or {})
            if new_intent:
                self._set_intent(message, new_intent)
        return messages

    @staticmethod
    def _screened_intent(text: str, predicted: Dict[Text, Any]) -> Optional[str]:
        if find_safety_risk(text):
            return SAFETY_INTENT
        if predicted.get("name") in PROTECTED_INTENTS:
            return None
        if asks_for_human(text):
            return HUMAN_INTENT
        if asks_for_decision(text):
            return ELIGIBILITY_INTENT
        if looks_like_keyboard_mash(text):
            return FALLBACK_INTENT
        return None

    @staticmethod
    def _set_intent(message: Message, intent_name: str) -> None:
        previous = message.get(INTENT) or {}
        ranking = [
            entry
            for entry in (message.get(INTENT_RANKING_KEY) or [])
            if entry.get("name") != intent_name
        ]
        message.set(INTENT, {"name": intent_name, "confidence": 1.0}, add_to_output=True)
        message.set(
            INTENT_RANKING_KEY,
            [{"name": intent_name, "confidence": 1.0}] + ranking,
            add_to_output=True,
        )
        logger.debug(
            "Screening set intent %s in place of %s.", intent_name, previous.get("name")
        )
