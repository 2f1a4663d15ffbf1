"""Dialogue policy: a very frustrated customer goes to a person at once.

Rules need an intent; this must happen whatever the customer wrote. When the
``frustration`` slot (see bot.escalation) reaches ``ESCALATE_AT`` right after a user
message, and the conversation is not already with the handoff, the policy predicts
``action_handoff`` with full confidence and a priority above the rule policy.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.escalation import ESCALATE_AT, FRUSTRATION_SLOT, HANDOFF_ACTION

ALREADY_ESCALATED = ("waiting", "offline", "rating")


def should_escalate(tracker: DialogueStateTracker, threshold: float) -> bool:
    if tracker.latest_action_name != ACTION_LISTEN_NAME:
        return False  # only the first prediction after a user message
    if tracker.get_slot("handoff_state") in ALREADY_ESCALATED:
        return False
    try:
        level = float(tracker.get_slot(FRUSTRATION_SLOT))
    except (TypeError, ValueError, KeyError):
        return False
    return level >= threshold


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class EscalationPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": 5, "threshold": ESCALATE_AT}

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
        if HANDOFF_ACTION in domain.action_names_or_texts and should_escalate(
            tracker, float(self.config.get("threshold", ESCALATE_AT))
        ):
            probabilities[domain.index_for_action(HANDOFF_ACTION)] = 1.0
        return self._prediction(probabilities)
