"""Rasa NLU component: a message that is no language is "not understood", never "no".

Runs after the intent classifiers. A keyboard mash ("asdkjh", "ыфвафыв") or a message of
emoji alone that is not a plain yes or thanks ("🤔", "🙃") gets the intent
``nlu_fallback`` whatever the intent model read (it reads every message as some intent,
and gibberish came out as "no" or goodbye), and the parse result says why in
``not_understood``; the knowledge-base action then asks the customer to say it in other
words instead of searching. "👍", "👌", "🙏" keep a yes or thanks. An angry emoji is the
frustration component's: its score reaches the escalation policy whatever the intent.
Words are judged by bot.langid.gibberish, with the language identifier's lexicons and
English vocabulary and, for Cyrillic, Russian morphology (pymorphy3).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.langid import default_identifier
from bot.langid.gibberish import NOT_UNDERSTOOD_KEY, emoji_only, is_gibberish, positive_emoji_only

FALLBACK_INTENT = "nlu_fallback"


@lru_cache(maxsize=1)
def russian_word() -> Callable[[str], bool]:
    """Whether pymorphy3's dictionary knows a (Cyrillic) word."""
    import pymorphy3

    morph = pymorphy3.MorphAnalyzer(lang="ru")
    return morph.word_is_known


def reason(text: str) -> str | None:
    """Why a message is not understood ("gibberish", "emoji"), or None."""
    if not text or text.lstrip().startswith("/"):
        return None  # a button payload
    if emoji_only(text):
        return None if positive_emoji_only(text) else "emoji"  # "👍" keeps its yes or thanks
    if is_gibberish(text, default_identifier().knows, russian_word()):
        return "gibberish"
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class NotUnderstood(GraphComponent):
    """Gibberish and emoji-only messages become ``nlu_fallback``."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> NotUnderstood:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            why = reason(message.get(TEXT) or "")
            if why:
                message.set(INTENT, {"name": FALLBACK_INTENT, "confidence": 1.0}, add_to_output=True)
                message.set(NOT_UNDERSTOOD_KEY, why, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
