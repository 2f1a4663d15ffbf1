"""Dialogue policy: a very frustrated customer goes to a person at once; a frustrated one
is not answered with small talk.

Rules need an intent; this must happen whatever the customer wrote. Right after a user
message, and while the conversation is not already with the handoff, the policy predicts
with full confidence and a priority above the rule policy:

- ``action_handoff`` when the ``frustration`` slot (see bot.escalation) reaches
  ``ESCALATE_AT``;
- ``utter_frustration_offer_human`` when it reaches ``ACKNOWLEDGE_AT`` and the reply the
  intent would get ignores the feeling: every intent but those whose flow acknowledges it
  (``ACKNOWLEDGED_BY_FLOW``) and a yes or no answering the question the bot just asked
  (``ANSWERS_TO_QUESTION``). "Thanks for nothing." is not thanked with "You're welcome!",
  "NO. Third time I write!!!" (read as a "no") not answered with "All right". Then
  ``action_listen``. A "yes" to the offer is a rule (data/rules/frustration.yml). A button
  press is no new feeling and gets its flow.

Its priority (config.yml) is above the rule policy's: a rule for the intent ("goodbye ->
utter_goodbye") predicts with the same full confidence, and the higher priority wins.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.escalation import (
    ACKNOWLEDGE_AT,
    ACKNOWLEDGED_BY_FLOW,
    ANSWERS_TO_QUESTION,
    ASKING_ACTIONS,
    ESCALATE_AT,
    FRUSTRATION_SLOT,
    HANDOFF_ACTION,
    OFFER_HUMAN,
)

ALREADY_ESCALATED = ("waiting", "offline", "rating")


def frustration_now(tracker: DialogueStateTracker) -> float | None:
    """The frustration level, on the first prediction after a user message in a
    conversation not already with the handoff; otherwise None."""
    if tracker.latest_action_name != ACTION_LISTEN_NAME:
        return None  # only the first prediction after a user message
    if tracker.get_slot("handoff_state") in ALREADY_ESCALATED:
        return None
    try:
        return float(tracker.get_slot(FRUSTRATION_SLOT))
    except (TypeError, ValueError, KeyError):
        return None


def next_action(tracker: DialogueStateTracker, escalate_at: float, acknowledge_at: float) -> str | None:
    """What frustration decides next, if anything."""
    if tracker.latest_action_name == OFFER_HUMAN:
        return ACTION_LISTEN_NAME  # the offer is the whole reply
    level = frustration_now(tracker)
    if level is None:
        return None
    if level >= escalate_at:
        return HANDOFF_ACTION
    if level < acknowledge_at or tracker.latest_message is None:
        return None
    if (tracker.latest_message.text or "").lstrip().startswith("/"):
        return None  # a button press: the flow that offered the button answers it
    intent = (tracker.latest_message.intent or {}).get("name")
    if intent in ACKNOWLEDGED_BY_FLOW:
        return None
    if intent in ANSWERS_TO_QUESTION and previous_action(tracker) in ASKING_ACTIONS:
        return None
    return OFFER_HUMAN


def previous_action(tracker: DialogueStateTracker) -> str | None:
    """The bot's last action before the customer's latest message (not the listening)."""
    seen_message = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            seen_message = True
        elif seen_message and isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN_NAME:
            return event.action_name
    return None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class EscalationPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": 7, "threshold": ESCALATE_AT, "acknowledge_at": ACKNOWLEDGE_AT}

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        action = next_action(tracker, float(self.config.get("threshold", ESCALATE_AT)),
                             float(self.config.get("acknowledge_at", ACKNOWLEDGE_AT)))
        if action is not None and action in domain.action_names_or_texts:
            probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities)
