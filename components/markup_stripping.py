"""An NLU component that removes HTML tags from a message before it is tokenised."""

import logging
import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]{0,500}>")
ENTITY = re.compile(r"&(#\d{1,6}|[a-zA-Z]{2,10});")


def strip_markup(text: str) -> str:
    """Return the text without HTML tags and character references, with spaces collapsed."""
    return " ".join(ENTITY.sub(" ", TAG.sub(" ", text)).split())


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False
)
class MarkupStripping(GraphComponent):
    """Removes HTML tags so that pasted markup or an injection attempt is classified by its words.

    The tracker keeps the message as the resident sent it. Only the text the classifier sees
    changes, and a message that is nothing but markup is left as it is.
    """

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "MarkupStripping":
        """Create the component; it has no trained state."""
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leave the training data unchanged; the examples contain no markup."""
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Strip markup from each message that contains a tag."""
        for message in messages:
            text = message.get(TEXT) or ""
            if "<" not in text and "&" not in text:
                continue
            cleaned = strip_markup(text)
            if cleaned and cleaned != text and not cleaned.startswith("/"):
                message.set(TEXT, cleaned)
        return messages
