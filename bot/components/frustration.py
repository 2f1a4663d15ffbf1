"""Rasa NLU component that scores how frustrated a message sounds.

It runs after the language component (whose detection decides whether Greeklish is
looked for) and adds a ``frustration_detection`` property to the parse result: the
message's score (0..1) and the reasons (see bot.frustration).
Components cannot set slots: the custom slot mapping action ``action_update_frustration``
(actions/frustration.py) combines the score with the conversation and sets the
``frustration`` and ``frustration_trend`` slots.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.frustration import SCORE_KEY, score_message
from bot.frustration.learned import default_model
from bot.langid import DETECTION_KEY


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class FrustrationScorer(GraphComponent):
    """Scores each message from lexicons, capitals, punctuation and emoji."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = config

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FrustrationScorer:
        default_model()  # train the learned classifier now, not on the first customer's message
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            detection = message.get(DETECTION_KEY)
            language = detection.get("language") if isinstance(detection, dict) else None
            score = score_message(text if isinstance(text, str) else None, language=language)
            message.set(SCORE_KEY, score.as_dict(), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Training examples are not featurised by frustration: nothing to add.
        return training_data
