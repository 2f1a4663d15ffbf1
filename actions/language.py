"""Slot mapping for the conversation language.

Runs on every user message (a custom slot mapping of the ``language`` and
``language_confidence`` slots): reads what the NLU language component detected and
weighs it against the conversation's previous language.
"""
from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.langid import DETECTION_KEY, Detection, decide

logger = logging.getLogger(__name__)


def language_events(latest_message: dict[str, Any], previous: str | None) -> list[dict[str, Any]]:
    """The slot events for one user message; empty when nothing changes."""
    raw = latest_message.get(DETECTION_KEY)
    if not isinstance(raw, dict):
        return []
    detection = Detection.from_dict(raw)
    if detection.language is None:  # emoji, numbers: nothing new about the language
        return []
    decision = decide(detection, previous)
    if decision.language is None:
        return []
    events = [SlotSet("language_confidence", round(decision.confidence, 4))]
    if decision.language != previous:
        events.insert(0, SlotSet("language", decision.language))
    return events


class ActionResolveLanguage(Action):
    def name(self) -> str:
        return "action_resolve_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        events = language_events(tracker.latest_message or {}, tracker.get_slot("language"))
        logger.debug("conversation %s language events %s", tracker.sender_id, events)
        return events
