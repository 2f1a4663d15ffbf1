"""Rasa NLU component that decides which language a message is written in.

It runs first in the pipeline and adds a ``language_detection`` property to the parse
result: language, confidence, source and per-language scores (see bot.langid). A
locale or language code that the channel put in the message metadata is used as a hint.
The custom slot mapping action ``action_resolve_language`` weighs the detection against
the conversation's previous language and sets the ``language`` and
``language_confidence`` slots.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.langid import DETECTION_KEY, LanguageIdentifier, default_identifier


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class LanguageDetector(GraphComponent):
    """Detects the message language from script, lexicons, statistics and hints."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # Metadata keys (in order) whose value is a locale or language code.
            "hint_metadata_keys": ["language_hint", "locale", "language_code"],
        }

    def __init__(
        self, config: Dict[Text, Any], identifier: Optional[LanguageIdentifier] = None
    ) -> None:
        self._hint_keys = list(config.get("hint_metadata_keys") or [])
        self._identifier = identifier

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        return cls(config)

    @property
    def identifier(self) -> LanguageIdentifier:
        if self._identifier is None:
            self._identifier = default_identifier()
        return self._identifier

    def _hint(self, message: Message) -> Optional[Text]:
        metadata = message.get("metadata")
        if not isinstance(metadata, dict):
            return None
        for key in self._hint_keys:
            value = metadata.get(key)
            if isinstance(value, str) and value:
                return value
        return None

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            detection = self.identifier.detect(message.get(TEXT), hint=self._hint(message))
            message.set(DETECTION_KEY, detection.as_dict(), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Training examples are not featurised by language: nothing to add.
        return training_data
